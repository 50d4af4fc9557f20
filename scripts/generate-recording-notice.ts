// Generates the built-in consent announcement, src-renderer/src/assets/recording-notice.ogg:
// a soft two-note chime, then espeak-ng saying "This call is being recorded.", at 48 kHz mono,
// normalised, encoded as Opus in Ogg (a few KB; the renderer inlines it in the lazily loaded
// recording chunk). Needs espeak-ng, sox and ffmpeg (Debian packages). Run: npx tsx <this file>.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const NOTICE_TEXT = 'This call is being recorded.';
const OUT = resolve(import.meta.dirname, '../src-renderer/src/assets/recording-notice.ogg');

const dir = mkdtempSync(join(tmpdir(), 'notice-'));
try {
  const at = (name: string): string => join(dir, name);
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', at('speech.wav'), NOTICE_TEXT]);
  const tone = (name: string, freq: number): void =>
    execFileSync('sox', [
      '-n',
      '-r',
      '48000',
      '-c',
      '1',
      '-b',
      '16',
      at(name),
      'synth',
      '0.14',
      'sine',
      String(freq),
      'fade',
      'h',
      '0.01',
      '0.14',
      '0.04',
      'vol',
      '0.3',
    ]);
  tone('a.wav', 880);
  tone('b.wav', 1320);
  execFileSync('sox', [
    '-n',
    '-r',
    '48000',
    '-c',
    '1',
    '-b',
    '16',
    at('gap.wav'),
    'trim',
    '0',
    '0.25',
  ]);
  execFileSync('sox', [at('speech.wav'), '-r', '48000', '-c', '1', '-b', '16', at('speech48.wav')]);
  execFileSync('sox', [
    at('a.wav'),
    at('b.wav'),
    at('gap.wav'),
    at('speech48.wav'),
    at('gap.wav'),
    at('notice.wav'),
    'norm',
    '-3',
  ]);
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-i',
    at('notice.wav'),
    '-c:a',
    'libopus',
    '-b:a',
    '32k',
    '-application',
    'voip',
    '-map_metadata',
    '-1',
    OUT,
  ]);
  console.log(`${OUT}: ${statSync(OUT).size} bytes`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
