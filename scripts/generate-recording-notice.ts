// Generates the built-in consent announcement, src-renderer/src/assets/recording-notice.ogg:
// a soft two-note chime (880 Hz, 1320 Hz), then espeak-ng saying "This call is being
// recorded.", at 48 kHz mono, normalised, encoded as Opus in Ogg (about 10 KB; the renderer
// inlines it in the lazily loaded recording chunk). Needs espeak-ng, sox and ffmpeg (Debian
// packages). Run: npx tsx scripts/generate-recording-notice.ts
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const NOTICE_TEXT = 'This call is being recorded.';
const OUT = resolve(import.meta.dirname, '../src-renderer/src/assets/recording-notice.ogg');
const PCM = ['-r', '48000', '-c', '1', '-b', '16'];

const dir = mkdtempSync(join(tmpdir(), 'notice-'));
try {
  const at = (name: string): string => join(dir, name);
  const sox = (args: string[]): void => {
    execFileSync('sox', args);
  };
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', at('speech.wav'), NOTICE_TEXT]);
  for (const [name, freq] of [
    ['a', 880],
    ['b', 1320],
  ] as const) {
    const shape = ['fade', 'h', '0.01', '0.14', '0.04', 'vol', '0.3'];
    sox(['-n', ...PCM, at(`${name}.wav`), 'synth', '0.14', 'sine', String(freq), ...shape]);
  }
  sox(['-n', ...PCM, at('gap.wav'), 'trim', '0', '0.25']);
  sox([at('speech.wav'), ...PCM, at('speech48.wav')]);
  const parts = ['a', 'b', 'gap', 'speech48', 'gap'].map((n) => at(`${n}.wav`));
  sox([...parts, at('notice.wav'), 'norm', '-3']);
  const opus = ['-c:a', 'libopus', '-b:a', '32k', '-application', 'voip', '-map_metadata', '-1'];
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-i',
    at('notice.wav'),
    ...opus,
    OUT,
  ]);
  console.log(`${OUT}: ${statSync(OUT).size} bytes`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
