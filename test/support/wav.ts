// WAV files for audio tests: reading PCM/float WAVs, level and frequency analysis, tone and tone-burst generation.
import { readFileSync, writeFileSync } from 'node:fs';

/** A decoded WAV file. */
export interface Wav {
  sampleRate: number;
  channels: number;
  /** Mono mix (average of all channels), samples in [-1, 1]. */
  samples: Float32Array;
  /** Per-channel samples in [-1, 1]. */
  channelData: Float32Array[];
  /** Duration in seconds. */
  durationSec: number;
}

/**
 * Reads a RIFF/WAVE file: integer PCM (8/16/24/32-bit) or IEEE float (32/64-bit), including
 * WAVE_FORMAT_EXTENSIBLE. Throws on anything else.
 */
export function readWav(path: string): Wav {
  const buf = readFileSync(path);
  if (
    buf.length < 12 ||
    buf.toString('ascii', 0, 4) !== 'RIFF' ||
    buf.toString('ascii', 8, 12) !== 'WAVE'
  ) {
    throw new Error(`readWav: ${path} is not a RIFF/WAVE file`);
  }
  let format = 0;
  let channels = 0;
  let sampleRate = 0;
  let bits = 0;
  let data: Buffer | undefined;
  let pos = 12;
  while (pos + 8 <= buf.length) {
    const id = buf.toString('ascii', pos, pos + 4);
    let size = buf.readUInt32LE(pos + 4);
    const body = pos + 8;
    if (id === 'data' && (size === 0 || size === 0xffffffff || body + size > buf.length)) {
      // Streaming writers may leave the size unset; take the rest of the file.
      size = buf.length - body;
    }
    if (id === 'fmt ') {
      format = buf.readUInt16LE(body);
      channels = buf.readUInt16LE(body + 2);
      sampleRate = buf.readUInt32LE(body + 4);
      bits = buf.readUInt16LE(body + 14);
      if (format === 0xfffe && size >= 26) {
        format = buf.readUInt16LE(body + 24);
      }
    } else if (id === 'data') {
      data = buf.subarray(body, body + size);
    }
    pos = body + size + (size % 2);
  }
  if (data === undefined || channels === 0 || sampleRate === 0) {
    throw new Error(`readWav: ${path} has no fmt or data chunk`);
  }
  const bytes = bits / 8;
  const frames = Math.floor(data.length / (bytes * channels));
  const channelData = Array.from({ length: channels }, () => new Float32Array(frames));
  const read = sampleReader(format, bits, path);
  for (let i = 0; i < frames; i++) {
    for (let c = 0; c < channels; c++) {
      const ch = channelData[c];
      if (ch !== undefined) {
        ch[i] = read(data, (i * channels + c) * bytes);
      }
    }
  }
  const samples = new Float32Array(frames);
  for (const ch of channelData) {
    for (let i = 0; i < frames; i++) {
      samples[i] = (samples[i] ?? 0) + (ch[i] ?? 0) / channels;
    }
  }
  return { sampleRate, channels, samples, channelData, durationSec: frames / sampleRate };
}

function sampleReader(
  format: number,
  bits: number,
  path: string,
): (b: Buffer, off: number) => number {
  if (format === 1) {
    switch (bits) {
      case 8:
        return (b, off) => ((b[off] ?? 128) - 128) / 128;
      case 16:
        return (b, off) => b.readInt16LE(off) / 32768;
      case 24:
        return (b, off) => b.readIntLE(off, 3) / 8388608;
      case 32:
        return (b, off) => b.readInt32LE(off) / 2147483648;
    }
  }
  if (format === 3) {
    if (bits === 32) {
      return (b, off) => b.readFloatLE(off);
    }
    if (bits === 64) {
      return (b, off) => b.readDoubleLE(off);
    }
  }
  throw new Error(`readWav: ${path}: unsupported format ${format} with ${bits} bits`);
}

/** Root-mean-square level of the samples (0 for an empty array). Silence is ~0, a full-scale sine ~0.707. */
export function rms(samples: Float32Array): number {
  if (samples.length === 0) {
    return 0;
  }
  let sum = 0;
  for (const s of samples) {
    sum += s * s;
  }
  return Math.sqrt(sum / samples.length);
}

/** Samples between `startSec` and `endSec` (clamped). */
export function sliceSeconds(
  samples: Float32Array,
  sampleRate: number,
  startSec: number,
  endSec = samples.length / sampleRate,
): Float32Array {
  const a = Math.max(0, Math.floor(startSec * sampleRate));
  const b = Math.min(samples.length, Math.floor(endSec * sampleRate));
  return samples.subarray(a, Math.max(a, b));
}

/** In-place iterative radix-2 FFT; `re`/`im` length must be a power of two. */
function fft(re: Float64Array, im: Float64Array): void {
  const n = re.length;
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) {
      j ^= bit;
    }
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] ?? 0, re[i] ?? 0];
      [im[i], im[j]] = [im[j] ?? 0, im[i] ?? 0];
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    const ang = (-2 * Math.PI) / len;
    const wr = Math.cos(ang);
    const wi = Math.sin(ang);
    for (let i = 0; i < n; i += len) {
      let cr = 1;
      let ci = 0;
      for (let k = 0; k < len / 2; k++) {
        const a = i + k;
        const b = a + len / 2;
        const br = re[b] ?? 0;
        const bi = im[b] ?? 0;
        const tr = br * cr - bi * ci;
        const ti = br * ci + bi * cr;
        re[b] = (re[a] ?? 0) - tr;
        im[b] = (im[a] ?? 0) - ti;
        re[a] = (re[a] ?? 0) + tr;
        im[a] = (im[a] ?? 0) + ti;
        const ncr = cr * wr - ci * wi;
        ci = cr * wi + ci * wr;
        cr = ncr;
      }
    }
  }
}

/** Options for {@link dominantFrequency}. */
export interface DominantFrequencyOptions {
  /** Ignore energy below this frequency (default 50 Hz). */
  minHz?: number;
  /** Ignore energy above this frequency (default Nyquist). */
  maxHz?: number;
  /** Largest FFT size (power of two, default 65536); the centre of the signal is analysed. */
  maxWindow?: number;
}

/**
 * Frequency (Hz) with the most energy, from a Hann-windowed FFT over (up to `maxWindow`
 * samples of) the middle of the signal, refined by parabolic interpolation. Returns 0 for
 * fewer than 64 samples.
 */
export function dominantFrequency(
  samples: Float32Array,
  sampleRate: number,
  opts: DominantFrequencyOptions = {},
): number {
  const maxWindow = opts.maxWindow ?? 65536;
  let n = 1;
  while (n * 2 <= Math.min(samples.length, maxWindow)) {
    n *= 2;
  }
  if (n < 64) {
    return 0;
  }
  const start = Math.floor((samples.length - n) / 2);
  const re = new Float64Array(n);
  const im = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const w = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / (n - 1));
    re[i] = (samples[start + i] ?? 0) * w;
  }
  fft(re, im);
  const binHz = sampleRate / n;
  const lo = Math.max(1, Math.ceil((opts.minHz ?? 50) / binHz));
  const hi = Math.min(n / 2 - 1, Math.floor((opts.maxHz ?? sampleRate / 2) / binHz));
  const mag = (k: number): number => Math.hypot(re[k] ?? 0, im[k] ?? 0);
  let best = lo;
  for (let k = lo; k <= hi; k++) {
    if (mag(k) > mag(best)) {
      best = k;
    }
  }
  const a = Math.log(mag(best - 1) + 1e-12);
  const b = Math.log(mag(best) + 1e-12);
  const c = Math.log(mag(best + 1) + 1e-12);
  const denom = a - 2 * b + c;
  const offset = denom === 0 ? 0 : (0.5 * (a - c)) / denom;
  return (best + offset) * binHz;
}

/**
 * Amplitude of the `freq` component (Goertzel), scaled so that a sine of amplitude A at exactly
 * `freq` gives ≈ A. Useful to check "this tone is present" without caring about others.
 */
export function toneAmplitude(samples: Float32Array, sampleRate: number, freq: number): number {
  const n = samples.length;
  if (n === 0) {
    return 0;
  }
  const coeff = 2 * Math.cos((2 * Math.PI * freq) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) {
    const s0 = x + coeff * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - coeff * s1 * s2;
  return (2 * Math.sqrt(Math.max(0, power))) / n;
}

/**
 * How many `windowSec` windows of `samples` carry `freq` above `threshold` (Goertzel per window).
 * What a test means by "the tone was heard": unlike one Goertzel over a whole recording, it does
 * not also measure the phase jumps that packet-loss concealment or an underrun on a loaded
 * machine leave in it.
 */
export function windowsWithTone(
  samples: Float32Array,
  sampleRate: number,
  freq: number,
  threshold: number,
  windowSec = 0.1,
): number {
  const size = Math.max(1, Math.floor(windowSec * sampleRate));
  let count = 0;
  for (let start = 0; start + size <= samples.length; start += size) {
    if (toneAmplitude(samples.subarray(start, start + size), sampleRate, freq) > threshold) {
      count += 1;
    }
  }
  return count;
}

/** A stretch of sound found by {@link detectBursts}. */
export interface Burst {
  startSec: number;
  endSec: number;
}

/**
 * Finds stretches where the RMS over `windowMs` windows (default 10 ms) exceeds `threshold`
 * (default 0.05), merging gaps shorter than `minGapMs` (default 30 ms). For latency and
 * tone-burst checks.
 */
export function detectBursts(
  samples: Float32Array,
  sampleRate: number,
  opts: { windowMs?: number; threshold?: number; minGapMs?: number } = {},
): Burst[] {
  const win = Math.max(1, Math.round(((opts.windowMs ?? 10) / 1000) * sampleRate));
  const threshold = opts.threshold ?? 0.05;
  const minGap = (opts.minGapMs ?? 30) / 1000;
  const bursts: Burst[] = [];
  let current: Burst | undefined;
  for (let i = 0; i + win <= samples.length; i += win) {
    const loud = rms(samples.subarray(i, i + win)) > threshold;
    const t = i / sampleRate;
    if (loud) {
      if (current !== undefined && t - current.endSec <= minGap) {
        current.endSec = (i + win) / sampleRate;
      } else {
        current = { startSec: t, endSec: (i + win) / sampleRate };
        bursts.push(current);
      }
    }
  }
  return bursts;
}

/** Encodes mono float samples as a 16-bit PCM WAV file. */
export function writeWav(path: string, samples: Float32Array, sampleRate: number): void {
  const dataBytes = samples.length * 2;
  const buf = Buffer.alloc(44 + dataBytes);
  buf.write('RIFF', 0, 'ascii');
  buf.writeUInt32LE(36 + dataBytes, 4);
  buf.write('WAVE', 8, 'ascii');
  buf.write('fmt ', 12, 'ascii');
  buf.writeUInt32LE(16, 16);
  buf.writeUInt16LE(1, 20);
  buf.writeUInt16LE(1, 22);
  buf.writeUInt32LE(sampleRate, 24);
  buf.writeUInt32LE(sampleRate * 2, 28);
  buf.writeUInt16LE(2, 32);
  buf.writeUInt16LE(16, 34);
  buf.write('data', 36, 'ascii');
  buf.writeUInt32LE(dataBytes, 40);
  for (let i = 0; i < samples.length; i++) {
    const s = Math.max(-1, Math.min(1, samples[i] ?? 0));
    buf.writeInt16LE(Math.round(s * 32767), 44 + i * 2);
  }
  writeFileSync(path, buf);
}

/** Options for {@link writeToneWav}. */
export interface ToneWavOptions {
  /** Tone frequency in Hz. */
  freq: number;
  /** Length in seconds. */
  seconds: number;
  /** Default 48000. */
  sampleRate?: number;
  /** Peak amplitude 0–1 (default 0.5). */
  amplitude?: number;
}

/** Writes a continuous sine tone as 16-bit PCM mono WAV (48 kHz default), e.g. for Chromium's fake microphone. */
export function writeToneWav(path: string, opts: ToneWavOptions): void {
  const sampleRate = opts.sampleRate ?? 48000;
  const amplitude = opts.amplitude ?? 0.5;
  const n = Math.round(opts.seconds * sampleRate);
  const samples = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    samples[i] = amplitude * Math.sin((2 * Math.PI * opts.freq * i) / sampleRate);
  }
  writeWav(path, samples, sampleRate);
}

/** Options for {@link writeToneBurstsWav}. */
export interface ToneBurstsWavOptions {
  /** Tone frequency in Hz. */
  freq: number;
  /** Length of each burst in ms. */
  burstMs: number;
  /** Silence between bursts in ms. */
  gapMs: number;
  /** Number of bursts (default: as many as fit in `seconds`, else 10). */
  count?: number;
  /** Total length in seconds (padded with silence); default count × (burst + gap). */
  seconds?: number;
  /** Silence before the first burst in ms (default 0). */
  leadInMs?: number;
  /** Default 48000. */
  sampleRate?: number;
  /** Peak amplitude 0–1 (default 0.5). */
  amplitude?: number;
}

/**
 * Writes tone bursts separated by silence as 16-bit PCM mono WAV (48 kHz default), with 5 ms
 * fades so burst edges are clean. Returns the burst start times in seconds.
 */
export function writeToneBurstsWav(path: string, opts: ToneBurstsWavOptions): number[] {
  const sampleRate = opts.sampleRate ?? 48000;
  const amplitude = opts.amplitude ?? 0.5;
  const periodSec = (opts.burstMs + opts.gapMs) / 1000;
  const leadIn = (opts.leadInMs ?? 0) / 1000;
  const count =
    opts.count ??
    (opts.seconds !== undefined
      ? Math.max(1, Math.floor((opts.seconds - leadIn) / periodSec))
      : 10);
  const seconds = opts.seconds ?? leadIn + count * periodSec;
  const n = Math.round(seconds * sampleRate);
  const samples = new Float32Array(n);
  const burstLen = Math.round((opts.burstMs / 1000) * sampleRate);
  const fade = Math.min(Math.round(0.005 * sampleRate), Math.floor(burstLen / 2));
  const starts: number[] = [];
  for (let b = 0; b < count; b++) {
    const startSec = leadIn + b * periodSec;
    const start = Math.round(startSec * sampleRate);
    if (start >= n) {
      break;
    }
    starts.push(startSec);
    for (let i = 0; i < burstLen && start + i < n; i++) {
      const env = Math.min(1, i / Math.max(1, fade), (burstLen - 1 - i) / Math.max(1, fade));
      samples[start + i] = amplitude * env * Math.sin((2 * Math.PI * opts.freq * i) / sampleRate);
    }
  }
  writeWav(path, samples, sampleRate);
  return starts;
}
