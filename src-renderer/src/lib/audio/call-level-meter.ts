// The microphone level of a call without an AudioContext (issue 19: the analyser's audio thread
// was most of the app's extra CPU in a call). While the microphone is live, the level is what
// the call's RTCRtpSender reports for its media source: the energy sent since the last reading
// (`totalAudioEnergy` over `totalSamplesDuration`, webrtc-stats §media-source), read 4 times a
// second (a bar a person follows; each read is a stats request to WebRTC), which WebRTC
// computes anyway; a report the call's quality monitor has just read (once a second, `offer`)
// stands for the next reading, so that one is not asked for again. While muted, the sender's source is silent, so the "you
// are talking while muted" hint needs the microphone itself: only then does an analyser meter
// (level-meter.ts, on a clone of the track) run, and it stops again on unmute.
import { createLogger } from '../logger';
import { SILENT_READING, type LevelReading } from './level-reading';
import { LevelMeter, meterLevel, toDb, type LevelMeterOptions } from './level-meter';
import type { SenderStats } from './monitor-source';

const log = createLogger('call-level-meter');

/** How often the sender's stats are read while the microphone is live. */
export const READ_INTERVAL_MS = 250;

/** Options of {@link CallLevelMeter}. */
export interface CallLevelMeterOptions {
  /** The sender's stats (monitor-source.ts senderStatsOf). */
  stats: SenderStats;
  /** Whether the call's microphone is muted now (default: the track is disabled). */
  isMuted?: () => boolean;
  onReading?: (reading: LevelReading) => void;
  /** Reading interval while live (default 250 ms: 4 Hz, a bar a person follows). */
  intervalMs?: number;
  /** Builds the analyser meter used while muted (tests inject one). */
  mutedMeter?: (track: MediaStreamTrack, opts: LevelMeterOptions) => LevelMeter;
}

/** A stats report (RTCStatsReport, or what the quality monitor read). */
export interface StatsReportLike {
  values(): Iterable<unknown>;
}

/** What one media-source report says about energy so far. */
interface Energy {
  energy: number;
  duration: number;
  level: number | null;
}

/** The audio media-source report's energy figures, or null when there is none. */
export function mediaSourceEnergy(report: StatsReportLike): Energy | null {
  for (const r of report.values() as Iterable<Record<string, unknown>>) {
    if (r.type === 'media-source' && r.kind === 'audio') {
      return {
        energy: typeof r.totalAudioEnergy === 'number' ? r.totalAudioEnergy : 0,
        duration: typeof r.totalSamplesDuration === 'number' ? r.totalSamplesDuration : 0,
        level: typeof r.audioLevel === 'number' ? r.audioLevel : null,
      };
    }
  }
  return null;
}

/**
 * The RMS (0..1) of the audio between two readings: energy is the sum of squared levels times
 * each sample's duration, so RMS = √(Δenergy / Δduration). Without a usable interval (the first
 * reading, a counter that went back) the instantaneous `audioLevel` stands in.
 */
export function rmsBetween(before: Energy | null, now: Energy): number {
  const span = before ? now.duration - before.duration : 0;
  const energy = before ? now.energy - before.energy : 0;
  if (span > 0 && energy >= 0) {
    return Math.min(1, Math.sqrt(energy / span));
  }
  return now.level ?? 0;
}

/** Meters a call's microphone until stop(); same surface as LevelMeter for the app's state. */
export class CallLevelMeter {
  readonly #opts: CallLevelMeterOptions;
  #track: MediaStreamTrack | null;
  #timer: ReturnType<typeof setInterval> | null = null;
  #muted: LevelMeter | null = null;
  #last: Energy | null = null;
  #reading: LevelReading = SILENT_READING;
  #inFlight = false;
  /** A report was offered since the last tick: the next read is skipped. */
  #offered = false;

  constructor(track: MediaStreamTrack, opts: CallLevelMeterOptions) {
    this.#opts = opts;
    this.#track = track;
    this.#timer = setInterval(() => this.#tick(), opts.intervalMs ?? READ_INTERVAL_MS);
    this.#tick();
  }

  get reading(): LevelReading {
    return this.#reading;
  }

  /** The call's microphone track. */
  get track(): MediaStreamTrack | null {
    return this.#track;
  }

  /** Whether the analyser (and its AudioContext) runs now: only while muted. */
  get listening(): boolean {
    return this.#muted !== null;
  }

  /**
   * A report of the call's peer connection someone else has read (the quality monitor): its
   * media-source gives this interval's reading, and the next read of the sender is skipped.
   */
  offer(report: StatsReportLike): void {
    if (!this.#track || this.#muted || this.#isMuted()) {
      return;
    }
    const now = mediaSourceEnergy(report);
    if (now) {
      this.#offered = true;
      this.#take(now);
    }
  }

  /** The call switched microphones. */
  setTrack(track: MediaStreamTrack): void {
    this.#track = track;
    this.#muted?.setTrack(track);
    this.#last = null;
  }

  /** Stops reading and closes the muted meter if it runs. Idempotent. */
  stop(): void {
    if (this.#timer) {
      clearInterval(this.#timer);
      this.#timer = null;
    }
    this.#muted?.stop();
    this.#muted = null;
    this.#track = null;
    this.#reading = SILENT_READING;
  }

  #isMuted(): boolean {
    return this.#opts.isMuted ? this.#opts.isMuted() : this.#track?.enabled === false;
  }

  #tick(): void {
    const track = this.#track;
    if (!track) {
      return;
    }
    if (this.#isMuted()) {
      this.#listenWhileMuted(track);
      return;
    }
    if (this.#muted) {
      this.#muted.stop();
      this.#muted = null;
      this.#last = null;
    }
    if (this.#offered) {
      this.#offered = false;
      return;
    }
    this.#readStats();
  }

  #listenWhileMuted(track: MediaStreamTrack): void {
    if (this.#muted) {
      return;
    }
    const opts: LevelMeterOptions = {
      isMuted: () => this.#isMuted(),
      onReading: (reading) => this.#emit(reading),
    };
    this.#muted = this.#opts.mutedMeter
      ? this.#opts.mutedMeter(track, opts)
      : new LevelMeter(track, opts);
  }

  #readStats(): void {
    const pending = this.#inFlight ? null : this.#opts.stats();
    if (!pending) {
      return;
    }
    this.#inFlight = true;
    pending
      .then((report) => {
        const now = mediaSourceEnergy(report);
        if (now && this.#track && !this.#muted) {
          this.#take(now);
        }
      })
      .catch((error: unknown) => log.debug(`sender stats: ${String(error)}`))
      .finally(() => (this.#inFlight = false));
  }

  #take(now: Energy): void {
    const rms = rmsBetween(this.#last, now);
    this.#last = now;
    const db = toDb(rms);
    // audioLevel is the loudest of the last samples (Chromium), the nearest to a peak.
    const peak = Math.max(rms, now.level ?? 0);
    this.#emit({ rms, peak, db, level: meterLevel(db), speakingWhileMuted: false });
  }

  #emit(reading: LevelReading): void {
    if (!this.#track) {
      return;
    }
    this.#reading = reading;
    this.#opts.onReading?.(reading);
  }
}
