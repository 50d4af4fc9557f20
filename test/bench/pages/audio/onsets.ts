// Pure helpers of the audio latency benchmark: a tone-burst file with irregular gaps (so that
// no echo canceller can lock onto a period), and the pairing of sent and received onsets.
import { writeWav } from '../../../support/wav';

/** Options of {@link writeIrregularBursts}. */
export interface IrregularBursts {
  freq: number;
  burstMs: number;
  /** Gaps are drawn uniformly from [minGapMs, maxGapMs] with a fixed seed. */
  minGapMs: number;
  maxGapMs: number;
  count: number;
  sampleRate?: number;
  amplitude?: number;
}

/** Writes the bursts (5 ms fades) as a 16-bit WAV; returns the burst start times (s). */
export function writeIrregularBursts(path: string, opts: IrregularBursts): number[] {
  const rate = opts.sampleRate ?? 48000;
  const amplitude = opts.amplitude ?? 0.5;
  let seed = 12345;
  const random = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  const starts: number[] = [];
  let t = 0.2;
  for (let i = 0; i < opts.count; i += 1) {
    starts.push(t);
    t += (opts.burstMs + opts.minGapMs + random() * (opts.maxGapMs - opts.minGapMs)) / 1000;
  }
  const samples = new Float32Array(Math.round(t * rate));
  const len = Math.round((opts.burstMs / 1000) * rate);
  const fade = Math.round(0.005 * rate);
  for (const start of starts) {
    const s0 = Math.round(start * rate);
    for (let i = 0; i < len; i += 1) {
      const env = Math.min(1, i / fade, (len - 1 - i) / fade);
      samples[s0 + i] = amplitude * env * Math.sin((2 * Math.PI * opts.freq * i) / rate);
    }
  }
  writeWav(path, samples, rate);
  return starts;
}

/**
 * Pairs each received onset with the latest sent onset before it, no more than `maxDelayMs`
 * earlier; each sent onset is used once. Returns the delays (ms) in order.
 */
export function matchOnsets(
  sent: readonly number[],
  received: readonly number[],
  maxDelayMs: number,
): number[] {
  const delays: number[] = [];
  const used = new Set<number>();
  const sorted = [...sent].sort((a, b) => a - b);
  for (const r of [...received].sort((a, b) => a - b)) {
    let best = -1;
    for (let i = 0; i < sorted.length && sorted[i]! <= r; i += 1) {
      best = i;
    }
    if (best < 0 || used.has(best)) {
      continue;
    }
    const delay = r - sorted[best]!;
    if (delay >= 0 && delay <= maxDelayMs) {
      used.add(best);
      delays.push(delay);
    }
  }
  return delays;
}
