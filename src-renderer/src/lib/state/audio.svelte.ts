// Reactive sound state for the UI: mirrors the framework-free AudioController (devices,
// choices, ringer and call tones) and adds the level meters with the "talking while muted"
// hint, the mic/speaker tests and one quality monitor per call. It reaches the rest of the
// app only through the narrow ports given to its constructor (see AudioPorts).
// Nothing here runs while the phone waits: the call's meter (the sender's stats 4 times a
// second, an analyser only while muted) runs only while a call has a microphone, a view shows
// the level and the window is visible; quality monitors poll every second while visible, every
// 10 s while hidden. A reading or figures that would show the same as before change nothing
// (no re-render). The meter, the monitor and the device tests are chunks of their own, loaded
// on first use.
import { createContext } from 'svelte';
import { DEFAULT_AUDIO, type AudioSettings } from '@shared/settings-types';
import type { MicrophoneOptions } from '../phone';
import { AudioController, type AudioPorts } from '../audio/controller';
import type { AudioDevice, DeviceResolution, DeviceRole } from '../audio/devices';
import type { LevelMeter } from '../audio/level-meter';
import type * as LevelMeterModule from '../audio/level-meter';
import { SILENT_READING, type LevelReading } from '../audio/level-reading';
import type { MonitorSource, SenderStats } from '../audio/monitor-source';
import type { CallLevelMeter } from '../audio/call-level-meter';
import type * as CallLevelMeterModule from '../audio/call-level-meter';
import type { QualityFigures } from '../audio/quality';
import type { CallQualitySummary, QualityMonitor, QualityWarning } from '../audio/quality-monitor';
import type * as QualityMonitorModule from '../audio/quality-monitor';
import { documentVisibility, type Visibility } from '../audio/visibility';
import { loadOnce } from '../lazy/load-once';
import { createLogger } from '../logger';
import type { PolicyCall } from '../audio/ring-policy';
import type { RingerState } from '../audio/ringer';
import { constraintsFor, type ProcessingKey } from '../audio/settings';
import { RINGTONES } from '../audio/tones';

export type { AudioPorts, LiveCallAudio } from '../audio/controller';
export type MicTestPhase = 'idle' | 'recording' | 'playing';

/** Quality polling while the window is visible, and while it is hidden (summary, warnings). */
export const QUALITY_POLL_MS = { visible: 1000, hidden: 10_000 } as const;

const log = createLogger('audio');
const meterModule = loadOnce<typeof LevelMeterModule>(() => import('../audio/level-meter'));
const callMeterModule = loadOnce<typeof CallLevelMeterModule>(
  () => import('../audio/call-level-meter'),
);
const monitorModule = loadOnce<typeof QualityMonitorModule>(
  () => import('../audio/quality-monitor'),
);

export class AudioState {
  // Bumped on every controller change; getters read it so the UI follows.
  #version = $state(0);
  #level = $state<LevelReading>(SILENT_READING);
  #callLevel = $state.raw<LevelReading>(SILENT_READING);
  #micTest = $state<MicTestPhase>('idle');
  #micHeard = $state<boolean | null>(null);
  #speakerTest = $state(false);
  #figures = $state.raw<Readonly<Record<string, QualityFigures | null>>>({});
  #warnings = $state.raw<Readonly<Record<string, QualityWarning | null>>>({});
  readonly #ctl: AudioController;
  #meter: LevelMeter | null = null;
  #meterStream: MediaStream | null = null;
  #callMeter: LevelMeter | CallLevelMeter | null = null;
  #callTrack: MediaStreamTrack | null = null;
  #callMuted: (() => boolean) | undefined;
  #callStats: SenderStats | undefined;
  /** The call whose microphone the meter reads (its monitor's reports feed the meter). */
  #callMeterCall: string | null = null;
  /** How many views show the call's level now. */
  #levelViews = 0;
  readonly #visibility: Visibility;
  // Monitors are not UI state: their figures are mirrored into #figures / #warnings.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #monitors = new Map<string, QualityMonitor>();
  /** Calls whose monitor is loading (untracking one cancels it). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #pendingMonitors = new Set<string>();

  constructor(
    ports: AudioPorts,
    initial: AudioSettings = DEFAULT_AUDIO,
    visibility: Visibility = documentVisibility(),
  ) {
    this.#ctl = new AudioController(ports, initial);
    this.#ctl.on('changed', () => (this.#version += 1));
    this.#visibility = visibility;
    visibility.onChange(() => this.#visibilityChanged());
  }

  /** The framework-free logic (for the lead's wiring and tests). */
  get controller(): AudioController {
    return this.#ctl;
  }
  get settings(): AudioSettings {
    return this.#read(() => this.#ctl.settings);
  }
  get inputs(): AudioDevice[] {
    return this.#read(() => this.#ctl.lists.inputs);
  }
  get outputs(): AudioDevice[] {
    return this.#read(() => this.#ctl.lists.outputs);
  }
  get labelsAvailable(): boolean {
    return this.#read(() => this.#ctl.lists.labelsAvailable);
  }
  get defaultInputLabel(): string | null {
    return this.#read(() => this.#ctl.lists.defaultInputLabel);
  }
  get defaultOutputLabel(): string | null {
    return this.#read(() => this.#ctl.lists.defaultOutputLabel);
  }
  /** The last device notice ("… was disconnected"), until dismissed. */
  get notice(): string | null {
    return this.#read(() => this.#ctl.notice);
  }
  get ringer(): RingerState {
    return this.#read(() => this.#ctl.ringer.state);
  }
  get callTone(): RingerState {
    return this.#read(() => this.#ctl.callTones.state);
  }
  get ringtones(): readonly { id: string; label: string }[] {
    return RINGTONES;
  }
  /** Level of the settings meter and the mic test. */
  get level(): LevelReading {
    return this.#level;
  }
  /** Level of the microphone in the current call. */
  get callLevel(): LevelReading {
    return this.#callLevel;
  }
  get speakingWhileMuted(): boolean {
    return this.#callLevel.speakingWhileMuted;
  }
  get micTest(): MicTestPhase {
    return this.#micTest;
  }
  /** After a mic test: whether anything was heard (null before the first test). */
  get micHeard(): boolean | null {
    return this.#micHeard;
  }
  get speakerTesting(): boolean {
    return this.#speakerTest;
  }
  statusOf(role: DeviceRole): DeviceResolution {
    return this.#read(() => this.#ctl.statusOf(role));
  }
  qualityOf(callId: string): QualityFigures | null {
    return this.#figures[callId] ?? null;
  }
  warningOf(callId: string): QualityWarning | null {
    return this.#warnings[callId] ?? null;
  }
  /** Whether the call's level meter runs now (a microphone, a view showing it, visible). */
  get callMeterRunning(): boolean {
    return this.#callMeter !== null;
  }
  /** The monitor of a call (its summary and the reports behind the figures). */
  monitorOf(callId: string): QualityMonitor | null {
    return this.#monitors.get(callId) ?? null;
  }

  start(): Promise<void> {
    return this.#ctl.start();
  }
  load(settings: AudioSettings): void {
    this.#ctl.load(settings);
  }
  microphoneOptions(): MicrophoneOptions {
    return this.#ctl.microphoneOptions();
  }
  speakerId(): string | null {
    return this.#ctl.deviceId('speaker');
  }
  chooseDevice(role: DeviceRole, id: string | null): Promise<void> {
    return this.#ctl.chooseDevice(role, id);
  }
  setRingtone(id: string): Promise<void> {
    return this.#ctl.setRingtone(id);
  }
  setRingVolume(volume: number, persist = true): Promise<void> {
    return this.#ctl.setRingVolume(volume, persist);
  }
  async setProcessing(key: ProcessingKey, on: boolean): Promise<void> {
    await this.#ctl.setProcessing(key, on);
    if (this.#meter) {
      await this.startMeter();
    }
  }
  /** RNNoise noise suppression for new calls on or off (saved at once). */
  setRnnoise(on: boolean): Promise<void> {
    return this.#ctl.setRnnoise(on);
  }
  /** Starts/stops the ringer and call tones for these calls; call on every call change. */
  syncCalls(calls: readonly PolicyCall[]): void {
    this.#ctl.syncCalls(calls);
  }
  previewRingtone(id?: string): void {
    this.#ctl.previewRingtone(id);
  }
  dismissNotice(): void {
    this.#ctl.setNotice(null);
  }
  async allowDeviceNames(): Promise<void> {
    await this.#ctl.devices
      .requestLabels()
      .catch((e: unknown) =>
        this.#ctl.setNotice(`Device names need microphone access: ${describe(e)}`),
      );
  }

  /** Plays a test arpeggio on the speaker. */
  async testSpeaker(): Promise<void> {
    if (this.#speakerTest) {
      return;
    }
    this.#speakerTest = true;
    const ports = this.#ctl.ports.ringerPorts;
    try {
      // The tests of the settings screen are a chunk of their own.
      const { playSpeakerTest } = await import('../audio/device-check');
      await playSpeakerTest(this.speakerId(), ports ? { ports } : {});
    } catch (error: unknown) {
      this.#ctl.setNotice(`The speaker could not play the test sound: ${describe(error)}`);
    } finally {
      this.#speakerTest = false;
    }
  }

  /** Records 3 s from the microphone and plays them back on the speaker. */
  async testMicrophone(): Promise<void> {
    const media = this.#ctl.ports.devices;
    if (this.#micTest !== 'idle' || !media.getUserMedia) {
      return;
    }
    try {
      const { runMicTest } = await import('../audio/mic-test');
      const result = await runMicTest({
        open: () => media.getUserMedia!(constraintsFor(this.microphoneOptions())),
        sinkId: this.speakerId(),
        onPhase: (phase) => (this.#micTest = phase),
        onReading: (r) => (this.#level = r),
      });
      this.#micHeard = result.heard;
    } catch (error: unknown) {
      this.#ctl.setNotice(`The microphone test failed: ${describe(error)}`);
    } finally {
      this.#micTest = 'idle';
    }
  }

  /** Meters the chosen microphone (settings view); restarts with the current options. */
  async startMeter(): Promise<void> {
    this.stopMeter();
    const media = this.#ctl.ports.devices;
    if (!media.getUserMedia) {
      return;
    }
    const [stream, { LevelMeter }] = await Promise.all([
      media.getUserMedia(constraintsFor(this.microphoneOptions())),
      meterModule.get(),
    ]);
    this.#meterStream = stream;
    const track = stream.getAudioTracks()[0];
    if (track) {
      this.#meter = new LevelMeter(track, { onReading: (r) => (this.#level = r) });
    }
    if (!this.#ctl.lists.labelsAvailable) {
      await this.#ctl.devices.refresh(); // labels appear once the microphone was allowed
    }
  }

  stopMeter(): void {
    this.#meter?.stop();
    this.#meter = null;
    this.#meterStream?.getTracks().forEach((t) => t.stop());
    this.#meterStream = null;
    this.#level = SILENT_READING;
  }

  /**
   * The current call's microphone (null: none); `isMuted` drives the muted hint. It is metered
   * while a view shows the level (showCallLevel) and the window is visible: from the call's
   * sender stats when `stats` is given (no AudioContext unless muted, call-level-meter.ts),
   * else by an analyser on the track. `callId` names the call: each report its quality monitor
   * reads stands for one of the meter's own reads.
   */
  watchCallMicrophone(
    track: MediaStreamTrack | null,
    isMuted?: () => boolean,
    stats?: SenderStats,
    callId: string | null = null,
  ): void {
    if (this.#callStats !== stats) {
      this.#callMeter?.stop();
      this.#callMeter = null;
    }
    this.#callTrack = track;
    this.#callMuted = isMuted;
    this.#callStats = stats;
    this.#callMeterCall = track ? callId : null;
    this.#syncCallMeter();
  }

  /** A view shows the call's level from now; the returned function says it no longer does. */
  showCallLevel(): () => void {
    this.#levelViews += 1;
    this.#syncCallMeter();
    let shown = true;
    return () => {
      if (shown) {
        shown = false;
        this.#levelViews -= 1;
        this.#syncCallMeter();
      }
    };
  }

  /** Fetches the call's meter and quality monitor code ahead of the first call (idle, started). */
  async preloadCallCode(): Promise<void> {
    await Promise.all([callMeterModule.get(), monitorModule.get()]);
  }

  /** Starts the quality monitor of a call (when it is answered); its code loads on first use. */
  trackCall(callId: string, source: MonitorSource): void {
    if (this.#monitors.has(callId) || this.#pendingMonitors.has(callId)) {
      return;
    }
    this.#pendingMonitors.add(callId);
    monitorModule
      .get()
      .then(({ QualityMonitor }) => {
        if (!this.#pendingMonitors.delete(callId)) {
          return; // the call ended meanwhile
        }
        const monitor = new QualityMonitor(source, { intervalMs: this.#pollMs() });
        this.#monitors.set(callId, monitor);
        monitor.on('figures', (f) => (this.#figures = { ...this.#figures, [callId]: f }));
        monitor.on('warning', (w) => (this.#warnings = { ...this.#warnings, [callId]: w }));
        monitor.on('report', (report) => {
          const meter = this.#callMeter;
          if (callId === this.#callMeterCall && meter && 'offer' in meter) {
            meter.offer(report);
          }
        });
        monitor.start();
      })
      .catch((error: unknown) => {
        this.#pendingMonitors.delete(callId);
        log.warn(`call quality unavailable: ${String(error)}`);
      });
  }

  /** Stops a call's monitor; returns { mos, jitterMs, lossPct, rttMs, codec, concealedPct }. */
  untrackCall(callId: string): CallQualitySummary | null {
    this.#pendingMonitors.delete(callId);
    const monitor = this.#monitors.get(callId);
    if (!monitor) {
      return null;
    }
    monitor.stop();
    this.#monitors.delete(callId);
    this.#figures = without(this.#figures, callId);
    this.#warnings = without(this.#warnings, callId);
    return monitor.summary;
  }

  /** Stops every sound, meter and monitor. */
  async dispose(): Promise<void> {
    this.stopMeter();
    this.watchCallMicrophone(null);
    for (const id of [...this.#monitors.keys()]) {
      this.untrackCall(id);
    }
    await this.#ctl.dispose();
  }

  // The call meter runs exactly while it has a track, a viewer and a visible window.
  #syncCallMeter(): void {
    const track = this.#callTrack;
    if (!track || this.#levelViews === 0 || !this.#visibility.visible) {
      this.#callMeter?.stop();
      this.#callMeter = null;
      this.#callLevel = SILENT_READING;
      return;
    }
    if (this.#callMeter) {
      if (this.#callMeter.track !== track) {
        this.#callMeter.setTrack(track);
      }
      return;
    }
    const stats = this.#callStats;
    const isMuted = this.#callMuted;
    const options = {
      ...(isMuted ? { isMuted } : {}),
      onReading: (r: LevelReading) => {
        if (!sameDisplay(this.#callLevel, r)) {
          this.#callLevel = r;
        }
      },
    };
    if (stats) {
      const module = callMeterModule.value;
      if (!module) {
        this.#syncWhenLoaded(callMeterModule.get());
        return;
      }
      this.#callMeter = new module.CallLevelMeter(track, { ...options, stats });
    } else {
      const module = meterModule.value;
      if (!module) {
        this.#syncWhenLoaded(meterModule.get());
        return;
      }
      this.#callMeter = new module.LevelMeter(track, options);
    }
  }

  #syncWhenLoaded(module: Promise<unknown>): void {
    module
      .then(() => this.#syncCallMeter())
      .catch((error: unknown) => log.warn(`level meter unavailable: ${String(error)}`));
  }

  #pollMs(): number {
    return this.#visibility.visible ? QUALITY_POLL_MS.visible : QUALITY_POLL_MS.hidden;
  }

  #visibilityChanged(): void {
    this.#syncCallMeter();
    const ms = this.#pollMs();
    for (const monitor of this.#monitors.values()) {
      monitor.setPollInterval(ms);
      if (this.#visibility.visible) {
        void monitor.poll(); // fresh figures as soon as the call is seen again
      }
    }
  }

  #read<T>(get: () => T): T {
    void this.#version;
    return get();
  }
}

// Whether two readings show the same: the bar's whole percent, the spoken whole dB and the
// muted hint (the meter's figures beyond that are never shown).
function sameDisplay(a: LevelReading, b: LevelReading): boolean {
  const percent = (r: LevelReading) => Math.round(Math.min(1, Math.max(0, r.level)) * 100);
  const db = (r: LevelReading) => (Number.isFinite(r.db) ? Math.round(r.db) : -Infinity);
  return (
    a.speakingWhileMuted === b.speakingWhileMuted && percent(a) === percent(b) && db(a) === db(b)
  );
}

function without<T>(record: Readonly<Record<string, T>>, key: string): Readonly<Record<string, T>> {
  if (!(key in record)) {
    return record;
  }
  const { [key]: _dropped, ...rest } = record;
  return rest;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

const [getAudio, setAudio] = createContext<AudioState>();
export { getAudio, setAudio };
