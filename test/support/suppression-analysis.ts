// Measures what a noise suppressor did, from a stereo recording of the raw microphone (one
// channel) and what came out of the suppressor or the far end (the other), both of the same
// speech-in-noise fixture: finds the delay between them from their level envelopes, splits
// the raw signal into noise-only windows (near the noise floor, with quiet neighbours) and
// speech windows (well above it), and reports the level change in each kind.

export interface SuppressionFigures {
  /** Median level drop in noise-only windows (dB, positive = quieter). */
  attenuationDb: number;
  /** Median level change in speech windows (dB, 0 = kept, negative = quieter). */
  speechDeltaDb: number;
  /** Delay of the processed signal behind the raw one (ms, 10 ms resolution). */
  lagMs: number;
  noiseWindows: number;
  speechWindows: number;
}

const STEP_MS = 10;
const WINDOW_MS = 50;
/** Noise-only: this window and its neighbours within 150 ms at most this far above the floor. */
const QUIET_DB = 6;
/** Speech: at least this far above the noise floor (the 10th percentile of the raw levels). */
const SPEECH_DB = 12;

function envelopeDb(samples: Float32Array, sampleRate: number): number[] {
  const step = Math.round((sampleRate * STEP_MS) / 1000);
  const size = Math.round((sampleRate * WINDOW_MS) / 1000);
  const out: number[] = [];
  for (let start = 0; start + size <= samples.length; start += step) {
    let sum = 0;
    for (let i = start; i < start + size; i += 1) {
      sum += (samples[i] ?? 0) ** 2;
    }
    out.push(10 * Math.log10(sum / size + 1e-12));
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? Number.NaN : (sorted[Math.floor(sorted.length / 2)] ?? Number.NaN);
}

function correlation(a: number[], b: number[], lag: number): number {
  let sum = 0;
  let n = 0;
  for (let i = 0; i + lag < b.length && i < a.length; i += 1) {
    sum += (a[i] ?? 0) * (b[i + lag] ?? 0);
    n += 1;
  }
  return n > 0 ? sum / n : -Infinity;
}

/** Compares `processed` with `raw` (same fixture, `processed` possibly later). */
export function measureSuppression(
  raw: Float32Array,
  processed: Float32Array,
  sampleRate: number,
  maxLagMs = 600,
): SuppressionFigures {
  const r = envelopeDb(raw, sampleRate);
  const p = envelopeDb(processed, sampleRate);
  const centre = (xs: number[]): number[] => {
    const m = xs.reduce((a, x) => a + x, 0) / xs.length;
    return xs.map((x) => x - m);
  };
  const rc = centre(r);
  const pc = centre(p);
  let lag = 0;
  for (let l = 1; l <= maxLagMs / STEP_MS; l += 1) {
    if (correlation(rc, pc, l) > correlation(rc, pc, lag)) {
      lag = l;
    }
  }
  const floor = [...r].sort((a, b) => a - b)[Math.floor(r.length * 0.1)] ?? 0;
  const reach = Math.ceil(150 / STEP_MS);
  const quietAround = (i: number): boolean => {
    for (let j = Math.max(0, i - reach); j <= Math.min(r.length - 1, i + reach); j += 1) {
      if ((r[j] ?? 0) > floor + QUIET_DB) {
        return false;
      }
    }
    return true;
  };
  const noise: number[] = [];
  const speech: number[] = [];
  for (let i = 0; i + lag < p.length; i += 1) {
    const delta = (p[i + lag] ?? 0) - (r[i] ?? 0);
    if (quietAround(i)) {
      noise.push(-delta);
    } else if ((r[i] ?? 0) > floor + SPEECH_DB) {
      speech.push(delta);
    }
  }
  return {
    attenuationDb: median(noise),
    speechDeltaDb: median(speech),
    lagMs: lag * STEP_MS,
    noiseWindows: noise.length,
    speechWindows: speech.length,
  };
}

/**
 * Delay (ms, sample-accurate) of `processed` behind `raw`: the lag in [0, maxMs] with the
 * highest normalised cross-correlation over the loudest second of `raw`.
 */
export function waveLagMs(
  raw: Float32Array,
  processed: Float32Array,
  sampleRate: number,
  maxMs: number,
): number {
  const second = sampleRate;
  let best = 0;
  let bestEnergy = -1;
  for (
    let start = 0;
    start + second + (maxMs * sampleRate) / 1000 < raw.length;
    start += second / 4
  ) {
    let energy = 0;
    for (let i = start; i < start + second; i += 1) {
      energy += (raw[i] ?? 0) ** 2;
    }
    if (energy > bestEnergy) {
      bestEnergy = energy;
      best = start;
    }
  }
  const maxLag = Math.round((maxMs * sampleRate) / 1000);
  let bestLag = 0;
  let bestScore = -Infinity;
  for (let lag = 0; lag <= maxLag; lag += 1) {
    let dot = 0;
    let norm = 0;
    for (let i = best; i < best + second; i += 1) {
      const p = processed[i + lag] ?? 0;
      dot += (raw[i] ?? 0) * p;
      norm += p * p;
    }
    const score = dot / Math.sqrt(norm + 1e-12);
    if (score > bestScore) {
      bestScore = score;
      bestLag = lag;
    }
  }
  return (bestLag / sampleRate) * 1000;
}
