// Reactive mirror of call recording and noise suppression for the views: each call's recording
// status (REC, paused, why it stopped) and noise-suppression switch, the recordings main keeps
// (for the history: play, show in folder, delete) and the settings pickers. The logic lives in
// recording/recordings.ts (per call, driven by the line manager) and audio/call-noise.ts.
import type { RecordingEntry, RecordingFailure } from '@shared/ipc-contract';
import { DEFAULT_RECORDING, type RecordingSettings } from '@shared/settings-types';
import { CallNoise, type CallNoiseStatus } from '../audio/call-noise';
import { invoke, on } from '../bridge';
import type { CallSnapshot, LineManager } from '../phone';
import { playbackUrl } from '../recording/playback';
import { bridgeRecordingPort, type RecordingPort } from '../recording/port';
import {
  CallRecordings,
  type CallRecordingStatus,
  type RecordingFactory,
} from '../recording/recordings';
import type { SettingsState } from './settings.svelte';

export interface RecordingStateDeps {
  lines: LineManager;
  settings: SettingsState;
  /** The other side's name as it goes into a file name (contacts first). */
  partyName(call: CallSnapshot): string;
  port?: RecordingPort;
  /** The recording engine (tests inject one); by default loaded on first use. */
  load?: () => Promise<RecordingFactory>;
}

export class RecordingState {
  /** The framework-free recording of every call. */
  readonly calls: CallRecordings;
  /** Noise suppression of every call. */
  readonly noise: CallNoise;
  readonly #settings: SettingsState;
  #statuses = $state.raw<Readonly<Record<string, CallRecordingStatus>>>({});
  #noise = $state.raw<Readonly<Record<string, CallNoiseStatus>>>({});
  #summary = $state<'recording' | 'paused' | null>(null);
  #entries = $state.raw<readonly RecordingEntry[]>([]);
  #problem = $state<string | null>(null);

  constructor(deps: RecordingStateDeps) {
    this.#settings = deps.settings;
    this.calls = new CallRecordings({
      lines: deps.lines,
      settings: () => this.settings,
      autoRecord: (id) => deps.settings.account(id)?.autoRecord ?? false,
      partyName: (call) => deps.partyName(call),
      port: deps.port ?? bridgeRecordingPort(),
      readAnnouncement: async () => {
        const bytes = await invoke('recording/read-announcement', null);
        return bytes ? bytesToBuffer(bytes) : null;
      },
      onFailure: (listener: (failure: RecordingFailure) => void) =>
        on('recording/failed', listener),
      ...(deps.load ? { load: deps.load } : {}),
    });
    this.noise = new CallNoise({
      lines: deps.lines,
      enabledByDefault: () => deps.settings.value?.audio.rnnoise ?? false,
    });
    this.calls.on('changed', (id) => {
      this.#statuses = { ...this.#statuses, [id]: this.calls.status(id) };
      this.#summary = this.calls.summary;
      const phase = this.calls.status(id).phase;
      if (phase === 'recording' || phase === 'stopped' || phase === 'failed') {
        void this.refresh();
      }
    });
    this.noise.on('changed', (id) => {
      this.#noise = { ...this.#noise, [id]: this.noise.status(id) };
    });
  }

  /** The recording settings (defaults until loaded). */
  get settings(): RecordingSettings {
    return this.#settings.value?.recording ?? DEFAULT_RECORDING;
  }
  /** A call's recording status. */
  status(callId: string): CallRecordingStatus {
    return this.#statuses[callId] ?? this.calls.status(callId);
  }
  /** A call's noise-suppression switch. */
  noiseOf(callId: string): CallNoiseStatus {
    return this.#noise[callId] ?? this.noise.status(callId);
  }
  /** Whether any call is being recorded (for the tray and the popup). */
  get summary(): 'recording' | 'paused' | null {
    return this.#summary;
  }
  /** Recordings main keeps, newest first (after refresh). */
  get entries(): readonly RecordingEntry[] {
    return this.#entries;
  }
  /** The last problem of a history action (delete, show in folder), for the user. */
  get problem(): string | null {
    return this.#problem;
  }

  /** Main's entries for these ids (recordings deleted meanwhile are left out). */
  entriesFor(ids: readonly string[] | undefined): RecordingEntry[] {
    return (ids ?? [])
      .map((id) => this.#entries.find((e) => e.id === id))
      .filter((e): e is RecordingEntry => e !== undefined);
  }

  toggle(callId: string): Promise<void> {
    return this.calls.toggle(callId);
  }
  start(callId: string): Promise<void> {
    return this.calls.start(callId);
  }
  stop(callId: string): Promise<void> {
    return this.calls.stop(callId);
  }
  pause(callId: string): Promise<void> {
    return this.calls.pause(callId);
  }
  resume(callId: string): Promise<void> {
    return this.calls.resume(callId);
  }
  setNoiseSuppression(callId: string, on: boolean): Promise<void> {
    return this.noise.set(callId, on);
  }

  /** Reads main's list of recordings again. */
  async refresh(): Promise<void> {
    try {
      this.#entries = await invoke('recording/list', null);
    } catch (error: unknown) {
      this.#problem = messageOf(error);
    }
  }

  /** Where the app plays a recording from. */
  playbackUrl(id: string): string {
    return playbackUrl(id);
  }

  /** Shows the file in the OS file manager. */
  reveal(id: string): Promise<void> {
    return this.#act(() => invoke('recording/reveal', { id }));
  }

  /** Moves the file to the OS trash and forgets it. */
  async remove(id: string): Promise<void> {
    await this.#act(() => invoke('recording/delete', { id }));
    await this.refresh();
  }

  /** Saves recording settings (main answers with the saved settings), on top of the newest. */
  save(patch: Partial<RecordingSettings>): Promise<void> {
    return this.#act(() =>
      this.#settings.change((current) => ({ recording: { ...current.recording, ...patch } })),
    );
  }

  /** Opens the OS folder picker; main checks and saves the choice. */
  chooseFolder(): Promise<void> {
    return this.#act(() => invoke('recording/choose-folder', null));
  }

  /** Opens the OS file picker for the announcement; main checks and saves it. */
  chooseAnnouncement(): Promise<void> {
    return this.#act(() => invoke('recording/choose-announcement', null));
  }

  dismissProblem(): void {
    this.#problem = null;
  }

  async #act(action: () => Promise<unknown>): Promise<void> {
    this.#problem = null;
    try {
      await action();
    } catch (error: unknown) {
      this.#problem = messageOf(error);
    }
  }
}

// A plain ArrayBuffer holding exactly these bytes (decodeAudioData takes an ArrayBuffer).
function bytesToBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return copy.buffer;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
