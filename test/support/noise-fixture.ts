// The noise-suppression fixture, built here with Debian's espeak-ng and sox: two spoken
// sentences over steady "office" noise (pink noise for ventilation and room tone, brown noise
// for a fan's rumble, a faint 100 Hz mains hum), laid out as noise-only / speech / noise-only /
// speech / noise-only, 48 kHz mono 16-bit. Chromium plays it as the fake microphone (looped).
// Speech is about 15 dB above the noise.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const NOISE_FIXTURE_SENTENCES = [
  'Hello, this is a test of the noise suppression in the phone.',
  'The quick brown fox jumps over the lazy dog, twice, near the open office window.',
];

const PCM = ['-r', '48000', '-c', '1', '-b', '16'];

/** Writes the fixture (and its parts) into `dir`; returns the fixture's path. */
export function writeNoiseFixture(dir: string): string {
  const at = (name: string): string => join(dir, name);
  const sox = (args: string[]): void => {
    execFileSync('sox', args);
  };
  NOISE_FIXTURE_SENTENCES.forEach((text, i) => {
    execFileSync('espeak-ng', ['-v', 'en-us', '-s', '145', '-w', at(`raw-${i}.wav`), text]);
    sox([at(`raw-${i}.wav`), ...PCM, at(`speech-${i}.wav`), 'norm', '-6']);
  });
  sox(['-n', ...PCM, at('gap.wav'), 'trim', '0', '2']);
  const parts = ['gap', 'speech-0', 'gap', 'speech-1', 'gap'].map((n) => at(`${n}.wav`));
  sox([...parts, at('speech.wav')]);
  const seconds = execFileSync('soxi', ['-D', at('speech.wav')])
    .toString()
    .trim();
  // Room tone + fan + hum; -R (repeatable) so every run hears the same noise.
  const noise = (name: string, ...synth: string[]): void =>
    sox(['-R', '-n', ...PCM, at(`${name}.wav`), 'synth', seconds, ...synth]);
  noise('pink', 'pinknoise', 'vol', '0.06');
  noise('brown', 'brownnoise', 'vol', '0.03');
  noise('hum', 'sine', '100', 'vol', '0.004');
  const fixture = at('speech-in-noise.wav');
  // -v 1 on each input: sox -m would otherwise scale every input by 1/4.
  const inputs = ['speech', 'pink', 'brown', 'hum'].flatMap((n) => ['-v', '1', at(`${n}.wav`)]);
  sox(['-m', ...inputs, fixture]);
  return fixture;
}
