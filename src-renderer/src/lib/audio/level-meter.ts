// Microphone level: RMS and peak of a track through an AnalyserNode, read 10 times a second (a
// bar a person can follow; faster only costs CPU), and the "you are talking while muted" detector. A muted call's track is disabled and
// reads silence, so the meter listens to an enabled CLONE of it and stops the clone when done.
import { createLogger } from '../logger';
import { SILENT_READING, type LevelReading } from './level-reading';

const log = createLogger('level-meter');

export { SILENT_READING, type LevelReading } from './level-reading';

/** RMS and peak of samples in [-1, 1]. */
export function measureLevel(samples: Float32Array): { rms: number; peak: number } {
  if (samples.length === 0) {
    return { rms: 0, peak: 0 };
  }
  let sum = 0;
  let peak = 0;
  for (const s of samples) {
    sum += s * s;
    const a = Math.abs(s);
    if (a > peak) {
      peak = a;
    }
  }
  return { rms: Math.sqrt(sum / samples.length), peak };
}

/** dBFS of an RMS value. */
export function toDb(rms: number): number {
  return rms > 0 ? 20 * Math.log10(rms) : -Infinity;
}

/** Maps dBFS to 0..1 on a 60 dB scale, the range a speech meter needs. */
export function meterLevel(db: number, floorDb = -60): number {
  if (!Number.isFinite(db)) {
    return 0;
  }
  return Math.min(1, Math.max(0, (db - floorDb) / -floorDb));
}

/** Options of {@link MutedSpeechDetector}. */
export interface MutedSpeechOptions {
  /** Level (dBFS RMS) above which the user is taken to be talking (default −40). */
  thresholdDb?: number;
  /** How long the level must stay above it (default 300 ms). */
  holdMs?: number;
  /** How long below it before the hint goes away (default 1500 ms). */
  releaseMs?: number;
}

/**
 * True once the level stayed above the threshold for `holdMs` while muted; false again after
 * `releaseMs` of quiet or as soon as the microphone is unmuted. Short noises never trigger it.
 */
export class MutedSpeechDetector {
  readonly #threshold: number;
  readonly #hold: number;
  readonly #release: number;
  #loudSince: number | null = null;
  #quietSince: number | null = null;
  #active = false;

  constructor(opts: MutedSpeechOptions = {}) {
    this.#threshold = opts.thresholdDb ?? -40;
    this.#hold = opts.holdMs ?? 300;
    this.#release = opts.releaseMs ?? 1500;
  }

  get active(): boolean {
    return this.#active;
  }

  /** Feeds one reading; returns whether the hint should show. */
  update(db: number, muted: boolean, nowMs: number): boolean {
    if (!muted) {
      this.#loudSince = null;
      this.#quietSince = null;
      this.#active = false;
      return false;
    }
    if (db >= this.#threshold) {
      this.#quietSince = null;
      this.#loudSince ??= nowMs;
      if (nowMs - this.#loudSince >= this.#hold) {
        this.#active = true;
      }
    } else {
      this.#loudSince = null;
      this.#quietSince ??= nowMs;
      if (this.#active && nowMs - this.#quietSince >= this.#release) {
        this.#active = false;
      }
    }
    return this.#active;
  }
}

/** Options of {@link LevelMeter}. */
export interface LevelMeterOptions extends MutedSpeechOptions {
  /** Reading interval (default 100 ms = 10 Hz). */
  intervalMs?: number;
  /** Whether the microphone counts as muted (default: the original track is disabled). */
  isMuted?: () => boolean;
  /** Called with each reading. */
  onReading?: (reading: LevelReading) => void;
  createContext?: () => AudioContext;
  now?: () => number;
}

/** Meters a microphone track until stop(). */
export class LevelMeter {
  readonly #opts: LevelMeterOptions;
  readonly #detector: MutedSpeechDetector;
  #track: MediaStreamTrack | null = null;
  #clone: MediaStreamTrack | null = null;
  #ctx: AudioContext | null = null;
  #analyser: AnalyserNode | null = null;
  #source: MediaStreamAudioSourceNode | null = null;
  #buffer: Float32Array<ArrayBuffer> = new Float32Array(0);
  #timer: ReturnType<typeof setInterval> | null = null;
  #reading: LevelReading = SILENT_READING;

  constructor(track: MediaStreamTrack, opts: LevelMeterOptions = {}) {
    this.#opts = opts;
    this.#detector = new MutedSpeechDetector(opts);
    this.setTrack(track);
  }

  get reading(): LevelReading {
    return this.#reading;
  }

  /** The original track being metered (the call may switch microphones). */
  get track(): MediaStreamTrack | null {
    return this.#track;
  }

  /** Meters another track (after a microphone switch); the previous clone is stopped. */
  setTrack(track: MediaStreamTrack): void {
    this.#disconnect();
    this.#track = track;
    const clone = track.clone();
    clone.enabled = true;
    this.#clone = clone;
    const ctx = this.#context();
    this.#source = ctx.createMediaStreamSource(new MediaStream([clone]));
    this.#analyser ??= ctx.createAnalyser();
    this.#analyser.fftSize = 1024;
    this.#buffer = new Float32Array(this.#analyser.fftSize);
    this.#source.connect(this.#analyser);
    this.#timer ??= setInterval(() => this.#read(), this.#opts.intervalMs ?? 100);
  }

  /** Stops reading, stops the clone and closes the audio context. Idempotent. */
  stop(): void {
    if (this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
    this.#disconnect();
    this.#track = null;
    const ctx = this.#ctx;
    this.#ctx = null;
    this.#analyser = null;
    ctx?.close().catch(() => {});
    this.#reading = SILENT_READING;
  }

  #context(): AudioContext {
    if (!this.#ctx) {
      // Nothing is played: the longest render quantum ('playback') wakes the audio thread least.
      this.#ctx = this.#opts.createContext
        ? this.#opts.createContext()
        : new AudioContext({ latencyHint: 'playback' });
      this.#ctx.resume().catch((error: unknown) => log.warn(`audio context: ${String(error)}`));
    }
    return this.#ctx;
  }

  #disconnect(): void {
    this.#source?.disconnect();
    this.#source = null;
    this.#clone?.stop();
    this.#clone = null;
  }

  #read(): void {
    const analyser = this.#analyser;
    if (!analyser || !this.#track) {
      return;
    }
    analyser.getFloatTimeDomainData(this.#buffer);
    const { rms, peak } = measureLevel(this.#buffer);
    const db = toDb(rms);
    const muted = this.#opts.isMuted ? this.#opts.isMuted() : !this.#track.enabled;
    const now = this.#opts.now ? this.#opts.now() : performance.now();
    this.#reading = {
      rms,
      peak,
      db,
      level: meterLevel(db),
      speakingWhileMuted: this.#detector.update(db, muted, now),
    };
    this.#opts.onReading?.(this.#reading);
  }
}
