// Watches one call's statistics: polls getStats() every second (its owner may slow it down while
// the window is hidden: setPollInterval), keeps the latest figures and
// the call's summary for its history entry, and raises a warning (plain sentence) when no
// audio has arrived for 3 s on an active call that is not on hold here, or ICE is
// disconnected or failed; the warning clears as soon as audio flows again.
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import type { MonitorSource } from './monitor-source';
import { codecLabel, computeQuality, type QualityFigures, type StatsInput } from './quality';

const log = createLogger('quality');

/** What a call's history entry keeps (field names shared with the history store). */
export interface CallQualitySummary {
  /** Average MOS estimate over the call. */
  mos: number | null;
  /** Highest jitter seen, ms. */
  jitterMs: number | null;
  /** Received packets lost over the whole call, %. */
  lossPct: number | null;
  /** Average round-trip time, ms. */
  rttMs: number | null;
  /** e.g. "opus/48000/2" */
  codec: string | null;
  /** Concealed samples over the whole call, %. */
  concealedPct: number | null;
}

/** More than the history keeps, for diagnostics. */
export interface CallQualityDetails extends CallQualitySummary {
  samples: number;
  minMos: number | null;
  avgMos: number | null;
  maxJitterMs: number | null;
}

/** Why the user may hear nothing. */
export interface QualityWarning {
  kind: 'no-audio' | 'ice-disconnected' | 'ice-failed';
  /** One plain sentence for the user. */
  message: string;
  /** When it started (ms, the monitor's clock). */
  since: number;
}

export { monitorSourceFor, type MonitorSource, type MonitoredCall } from './monitor-source';

export interface MonitorOptions {
  intervalMs?: number;
  /** Silence that raises the no-audio warning (default 3000 ms). */
  noAudioMs?: number;
  now?: () => number;
}

export interface MonitorEvents {
  figures: QualityFigures;
  /** Each report read (the call's level meter takes its microphone energy from it). */
  report: StatsInput;
  warning: QualityWarning | null;
}

/** Inputs of {@link warningFor}. */
export interface WarningInput {
  now: number;
  ice: string | null;
  active: boolean;
  heldLocal: boolean;
  heldRemote: boolean;
  /** When the packet counter last moved (or audio became expected). */
  lastAudioAt: number;
  noAudioMs: number;
}

/** The warning for a state, or null. ICE problems win over missing audio. */
export function warningFor(input: WarningInput): Omit<QualityWarning, 'since'> | null {
  if (!input.active) {
    return null;
  }
  if (input.ice === 'failed') {
    return {
      kind: 'ice-failed',
      message: 'The connection to the other side failed. Audio cannot get through.',
    };
  }
  if (input.ice === 'disconnected') {
    return {
      kind: 'ice-disconnected',
      message: 'The connection is interrupted. Trying to restore it…',
    };
  }
  if (input.heldLocal || input.now - input.lastAudioAt < input.noAudioMs) {
    return null;
  }
  const seconds = Math.round(input.noAudioMs / 1000);
  return {
    kind: 'no-audio',
    message: input.heldRemote
      ? `No sound for ${seconds} seconds: the other side has put the call on hold.`
      : `No sound has arrived from the other side for ${seconds} seconds. The connection may be interrupted.`,
  };
}

/** A running mean and minimum: a call of any length keeps three numbers, not every sample. */
class Running {
  count = 0;
  #sum = 0;
  #min = Infinity;

  add(value: number): void {
    this.count += 1;
    this.#sum += value;
    this.#min = Math.min(this.#min, value);
  }

  get mean(): number | null {
    return this.count ? this.#sum / this.count : null;
  }

  get min(): number | null {
    return this.count ? this.#min : null;
  }
}

/**
 * Accumulates a call's figures into its summary. It keeps running figures, not the samples: a
 * call polled once a second keeps 3,600 more of each every hour, and past about 130,000 (some
 * 36 hours) spreading them into Math.min threw a RangeError ("Maximum call stack size
 * exceeded") when the call ended and its summary was read.
 */
export class QualityAccumulator {
  readonly #mos = new Running();
  readonly #rtt = new Running();
  #maxJitter: number | null = null;
  #last: QualityFigures | null = null;

  add(f: QualityFigures): void {
    this.#last = f;
    if (f.mos !== null) {
      this.#mos.add(f.mos);
    }
    if (f.rttMs !== null) {
      this.#rtt.add(f.rttMs);
    }
    if (f.jitterMs !== null) {
      this.#maxJitter = Math.max(this.#maxJitter ?? 0, f.jitterMs);
    }
  }

  get details(): CallQualityDetails {
    const avgMos = this.#mos.mean;
    return {
      mos: round(avgMos, 2),
      jitterMs: round(this.#maxJitter, 1),
      lossPct: round(this.#last?.totalLossPct ?? null, 2),
      rttMs: round(this.#rtt.mean, 1),
      codec: codecLabel(this.#last?.codec ?? null),
      concealedPct: round(this.#last?.totalConcealedPct ?? null, 2),
      samples: this.#mos.count,
      minMos: round(this.#mos.min, 2),
      avgMos: round(avgMos, 2),
      maxJitterMs: round(this.#maxJitter, 1),
    };
  }

  /** Exactly the fields the history entry keeps. */
  get summary(): CallQualitySummary {
    const { mos, jitterMs, lossPct, rttMs, codec, concealedPct } = this.details;
    return { mos, jitterMs, lossPct, rttMs, codec, concealedPct };
  }
}

function round(value: number | null, digits: number): number | null {
  if (value === null) {
    return null;
  }
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

/** Polls one call's statistics until stop(). */
export class QualityMonitor extends TypedEmitter<MonitorEvents> {
  readonly #source: MonitorSource;
  #intervalMs: number;
  readonly #noAudioMs: number;
  readonly #now: () => number;
  readonly #acc = new QualityAccumulator();
  #timer: ReturnType<typeof setInterval> | null = null;
  #prev: StatsInput | null = null;
  #cur: StatsInput | null = null;
  #figures: QualityFigures | null = null;
  #warning: QualityWarning | null = null;
  #lastPackets = -1;
  #lastAudioAt: number;
  #expected = false;
  #polling = false;

  constructor(source: MonitorSource, opts: MonitorOptions = {}) {
    super();
    this.#source = source;
    this.#intervalMs = opts.intervalMs ?? 1000;
    this.#noAudioMs = opts.noAudioMs ?? 3000;
    this.#now = opts.now ?? (() => performance.now());
    this.#lastAudioAt = this.#now();
  }

  get figures(): QualityFigures | null {
    return this.#figures;
  }
  get warning(): QualityWarning | null {
    return this.#warning;
  }
  /** For the history entry: { mos, jitterMs, lossPct, rttMs, codec, concealedPct }. */
  get summary(): CallQualitySummary {
    return this.#acc.summary;
  }
  get details(): CallQualityDetails {
    return this.#acc.details;
  }
  /** The two reports the current figures come from (tests compare them with the panel). */
  get reports(): { prev: StatsInput | null; cur: StatsInput | null } {
    return { prev: this.#prev, cur: this.#cur };
  }

  start(): void {
    this.#timer ??= setInterval(() => void this.poll(), this.#intervalMs);
    void this.poll();
  }

  stop(): void {
    if (this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
  }

  /** Changes the poll interval; a running monitor goes on at the new rate from now. */
  setPollInterval(intervalMs: number): void {
    if (intervalMs === this.#intervalMs) {
      return;
    }
    this.#intervalMs = intervalMs;
    if (this.#timer) {
      clearInterval(this.#timer);
      this.#timer = setInterval(() => void this.poll(), intervalMs);
    }
  }

  /** One poll: read stats, update figures and the warning. Overlapping polls are skipped. */
  async poll(): Promise<void> {
    if (this.#polling) {
      return;
    }
    this.#polling = true;
    try {
      const pending = this.#source.getStats();
      const report = pending ? await pending : null;
      if (report) {
        this.#take(report);
      }
    } catch (error: unknown) {
      log.debug(`stats unavailable: ${String(error)}`);
    } finally {
      this.#polling = false;
    }
    this.#evaluate();
  }

  #take(report: StatsInput): void {
    const figures = computeQuality(this.#cur, report);
    this.#prev = this.#cur;
    this.#cur = report;
    this.#figures = figures;
    if (figures.packetsReceived > this.#lastPackets) {
      this.#lastPackets = figures.packetsReceived;
      this.#lastAudioAt = this.#now();
    }
    if (this.#prev !== null) {
      this.#acc.add(figures);
    }
    this.emit('figures', figures);
    this.emit('report', report);
  }

  #evaluate(): void {
    const state = this.#source.callState();
    const now = this.#now();
    const expected = state.active && !state.heldLocal;
    if (expected && !this.#expected) {
      this.#lastAudioAt = now; // the 3 s count from answering or resuming
    }
    this.#expected = expected;
    const next = warningFor({
      ...state,
      now,
      ice: this.#source.iceState(),
      lastAudioAt: this.#lastAudioAt,
      noAudioMs: this.#noAudioMs,
    });
    const current = this.#warning;
    if (next?.kind === current?.kind && next?.message === current?.message) {
      return;
    }
    this.#warning = next ? { ...next, since: now } : null;
    this.emit('warning', this.#warning);
  }
}
