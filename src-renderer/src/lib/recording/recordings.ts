// Recording for every call, driven by the line manager: the Record button, the R key and
// auto-record end here. A call on an account with auto-record starts recording when it is
// answered; a call that ends stops its recording, and the call log asks for the recordings of
// an ended call (settle) before it writes the history entry. Main's failures (disk full,
// folder gone…) reach the recording they concern; the call goes on. Framework-free and small:
// the engine (recorder, encoders, the consent notice) is loaded with import() the first time
// something is recorded, so it costs nothing to people who never record.
import type { RecordingEntry, RecordingFailure, RecordingStarted } from '@shared/ipc-contract';
import type { RecordingSettings } from '@shared/settings-types';
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import type { CallSnapshot, EndedCall, LineEvents, PhoneCall } from '../phone';
import type { CallRecordingEvents, CallRecordingOptions } from './call-recording';
import type { RecordedCall } from './call-recorder';
import type { RecordingPort } from './port';

const log = createLogger('recordings');

/** Where one call's recording stands. */
export type RecordingPhase =
  'idle' | 'starting' | 'recording' | 'paused' | 'stopping' | 'stopped' | 'failed';

export interface CallRecordingStatus {
  phase: RecordingPhase;
  /** Why recording stopped on its own or could not start (a sentence for the user). */
  message: string | null;
  /** Something to know that did not stop the recording (the notice file could not be used). */
  notice: string | null;
  /** The consent notice is playing to the other side. */
  announcing: boolean;
  /** The file being (or last) written. */
  fileName: string | null;
  /** Every recording made of this call, oldest first (main's ids). */
  ids: readonly string[];
}

/** One recording of a call as the manager drives it (CallRecording is one). */
export interface RecordingControl {
  readonly recording: RecordingStarted | null;
  start(): Promise<RecordingStarted>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<RecordingEntry | null>;
  mainStopped(message: string): void;
  on<K extends keyof CallRecordingEvents>(
    event: K,
    listener: (payload: CallRecordingEvents[K]) => void,
  ): () => void;
}

/** Makes a recording of a call (loaded on demand). */
export type RecordingFactory = (
  call: PhoneCall,
  meta: RecordedCall,
  options: CallRecordingOptions,
) => RecordingControl;

/** The app's factory: the engine comes in its own chunk the first time it is needed. */
export async function loadRecordingFactory(): Promise<RecordingFactory> {
  const { CallRecording } = await import('./call-recording');
  return (call, meta, options) => new CallRecording(call, meta, options);
}

export interface RecordingsDeps {
  lines: {
    on<K extends keyof LineEvents>(
      event: K,
      listener: (payload: LineEvents[K]) => void,
    ): () => void;
    object(id: string): PhoneCall | null;
  };
  settings(): RecordingSettings;
  /** Whether calls on this account are recorded from the answer. */
  autoRecord(accountId: string): boolean;
  /** The other side as it goes into the file name (contacts first). */
  partyName(call: CallSnapshot): string;
  port: RecordingPort;
  /** The user's notice file; null when none is set; throws its problem. */
  readAnnouncement(): Promise<ArrayBuffer | null>;
  /** Subscribes to main's recording/failed; returns the unsubscribe. */
  onFailure(listener: (failure: RecordingFailure) => void): () => void;
  load?: () => Promise<RecordingFactory>;
  /** The longest the call log waits for a call's recordings to close (ms, default 10 000). */
  settleMs?: number;
}

interface Slot {
  call: PhoneCall;
  status: CallRecordingStatus;
  control: RecordingControl | null;
  /** The running start/stop, so actions on one call happen in order. */
  busy: Promise<void>;
  ended: boolean;
  offs: (() => void)[];
}

export interface RecordingsEvents {
  /** A call's recording status changed. */
  changed: string;
}

const IDLE: CallRecordingStatus = {
  phase: 'idle',
  message: null,
  notice: null,
  announcing: false,
  fileName: null,
  ids: [],
};

const ACTIVE: readonly RecordingPhase[] = ['starting', 'recording', 'paused', 'stopping'];

export class CallRecordings extends TypedEmitter<RecordingsEvents> {
  readonly #deps: RecordingsDeps;
  readonly #slots = new Map<string, Slot>();
  readonly #offs: (() => void)[];
  #factory: Promise<RecordingFactory> | null = null;

  constructor(deps: RecordingsDeps) {
    super();
    this.#deps = deps;
    this.#offs = [
      deps.lines.on('started', (call) => this.#adopt(call)),
      deps.lines.on('ended', (ended) => this.#ended(ended)),
      deps.onFailure((failure) => this.#mainStopped(failure)),
    ];
  }

  /** A call's recording status (idle when it never recorded). */
  status(callId: string): CallRecordingStatus {
    return this.#slots.get(callId)?.status ?? IDLE;
  }

  /** Whether any call is being recorded ('recording' wins over 'paused'); null when none. */
  get summary(): 'recording' | 'paused' | null {
    const phases = [...this.#slots.values()].map((s) => s.status.phase);
    if (phases.some((p) => p === 'recording' || p === 'starting')) {
      return 'recording';
    }
    return phases.includes('paused') ? 'paused' : null;
  }

  /** Whether a recording is starting, running or paused for this call. */
  active(callId: string): boolean {
    return ACTIVE.includes(this.status(callId).phase);
  }

  /** Starts recording a call in progress (a new file each time). */
  start(callId: string): Promise<void> {
    return this.#run(callId, (slot) => this.#start(slot));
  }

  pause(callId: string): Promise<void> {
    return this.#run(callId, async (slot) => {
      if (slot.status.phase === 'recording' && slot.control) {
        await slot.control.pause();
        this.#update(slot, { phase: 'paused' });
      }
    });
  }

  resume(callId: string): Promise<void> {
    return this.#run(callId, async (slot) => {
      if (slot.status.phase === 'paused' && slot.control) {
        await slot.control.resume();
        this.#update(slot, { phase: 'recording' });
      }
    });
  }

  /** Closes the call's file; the call goes on. */
  stop(callId: string): Promise<void> {
    return this.#run(callId, (slot) => this.#stop(slot));
  }

  /** The R key and the Record button: start, else pause, else resume. */
  toggle(callId: string): Promise<void> {
    switch (this.status(callId).phase) {
      case 'recording':
        return this.pause(callId);
      case 'paused':
        return this.resume(callId);
      case 'starting':
      case 'stopping':
        return Promise.resolve();
      default:
        return this.start(callId);
    }
  }

  /**
   * The recordings of a call once they are closed (the call log writes them on the history
   * entry). Bounded: after `settleMs` the ids known so far.
   */
  async settle(callId: string): Promise<string[]> {
    const slot = this.#slots.get(callId);
    if (!slot) {
      return [];
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.#deps.settleMs ?? 10_000);
    });
    await Promise.race([slot.busy.catch(() => {}), limit]);
    clearTimeout(timer);
    const ids = [...slot.status.ids];
    if (slot.ended) {
      this.#forget(slot);
    }
    return ids;
  }

  /** Recording ids of every call in progress (the call journal keeps them for a crash). */
  idsInProgress(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    for (const [id, slot] of this.#slots) {
      if (slot.status.ids.length > 0) {
        out[id] = [...slot.status.ids];
      }
    }
    return out;
  }

  /** Closes every recording (the app is quitting). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#slots.keys()].map((id) => this.stop(id)));
  }

  dispose(): void {
    this.#offs.splice(0).forEach((off) => off());
    this.#slots.forEach((slot) => slot.offs.splice(0).forEach((off) => off()));
  }

  #adopt(call: PhoneCall): void {
    if (this.#slots.has(call.id)) {
      return;
    }
    const slot: Slot = {
      call,
      status: IDLE,
      control: null,
      busy: Promise.resolve(),
      ended: false,
      offs: [],
    };
    this.#slots.set(call.id, slot);
    slot.offs.push(
      call.on('answered', (snapshot) => {
        if (this.#deps.autoRecord(snapshot.accountId)) {
          void this.start(call.id);
        }
      }),
    );
  }

  // Runs one action of a call after the previous one (start, then stop, in order).
  #run(callId: string, action: (slot: Slot) => Promise<void>): Promise<void> {
    const slot = this.#slots.get(callId);
    if (!slot) {
      return Promise.resolve();
    }
    const next = slot.busy.then(() => action(slot));
    slot.busy = next.catch((error: unknown) => {
      log.warn(`recording action on ${callId} failed: ${messageOf(error)}`);
    });
    return slot.busy;
  }

  async #start(slot: Slot): Promise<void> {
    if (ACTIVE.includes(slot.status.phase) || slot.ended || slot.call.status !== 'active') {
      return;
    }
    this.#update(slot, { phase: 'starting', message: null, notice: null, fileName: null });
    let control: RecordingControl;
    try {
      const factory = await this.#loadFactory();
      control = factory(slot.call, this.#meta(slot.call), this.#options());
    } catch (error: unknown) {
      this.#update(slot, {
        phase: 'failed',
        message: `Recording could not start: ${messageOf(error)}`,
      });
      return;
    }
    slot.control = control;
    const offs = [
      control.on('failed', (message) => this.#failed(slot, control, message)),
      control.on('notice', (notice) => this.#update(slot, { notice })),
      control.on('announcing', (announcing) => this.#update(slot, { announcing })),
    ];
    try {
      const started = await control.start();
      this.#update(slot, {
        phase: slot.status.phase === 'failed' ? 'failed' : 'recording',
        fileName: started.fileName,
        ids: [...slot.status.ids, started.id],
      });
    } catch (error: unknown) {
      offs.forEach((off) => off());
      slot.control = null;
      this.#update(slot, { phase: 'failed', message: messageOf(error) });
      return;
    }
    slot.offs.push(...offs);
    if (slot.ended) {
      await this.#stop(slot);
    }
  }

  async #stop(slot: Slot): Promise<void> {
    const control = slot.control;
    if (!control || !ACTIVE.includes(slot.status.phase)) {
      return;
    }
    this.#update(slot, { phase: 'stopping' });
    try {
      await control.stop();
    } catch (error: unknown) {
      log.warn(`recording not closed cleanly: ${messageOf(error)}`);
    }
    slot.control = null;
    this.#update(slot, { phase: slot.status.message ? 'failed' : 'stopped', announcing: false });
  }

  // Main stopped it (disk full…): say so; close what is left on our side; the call goes on.
  #failed(slot: Slot, control: RecordingControl, message: string): void {
    if (slot.control !== control) {
      return;
    }
    this.#update(slot, { phase: 'failed', message, announcing: false });
    slot.control = null;
    slot.busy = slot.busy
      .then(() => control.stop())
      .then(
        () => undefined,
        (error: unknown) => log.debug(`failed recording closed: ${messageOf(error)}`),
      );
  }

  #mainStopped({ id, message }: RecordingFailure): void {
    for (const slot of this.#slots.values()) {
      if (slot.control?.recording?.id === id) {
        slot.control.mainStopped(message);
      }
    }
  }

  #ended({ snapshot }: EndedCall): void {
    const slot = this.#slots.get(snapshot.id);
    if (!slot) {
      return;
    }
    slot.ended = true;
    slot.offs.splice(0).forEach((off) => off());
    if (slot.status.ids.length === 0 && !ACTIVE.includes(slot.status.phase)) {
      this.#forget(slot);
      return;
    }
    void this.#run(snapshot.id, (s) => this.#stop(s));
  }

  #forget(slot: Slot): void {
    if (this.#slots.get(slot.call.id) === slot) {
      this.#slots.delete(slot.call.id);
      this.emit('changed', slot.call.id);
    }
  }

  #loadFactory(): Promise<RecordingFactory> {
    this.#factory ??= (this.#deps.load ?? loadRecordingFactory)().catch((error: unknown) => {
      this.#factory = null;
      throw error;
    });
    return this.#factory;
  }

  #meta(call: PhoneCall): RecordedCall {
    const snapshot = call.snapshot;
    return {
      callId: call.id,
      accountId: snapshot.accountId,
      party: this.#deps.partyName(snapshot),
      direction: snapshot.direction,
    };
  }

  #options(): CallRecordingOptions {
    const settings = this.#deps.settings();
    return {
      port: this.#deps.port,
      format: settings.format,
      channels: settings.channels,
      announce: settings.announce,
      announcement: () => this.#deps.readAnnouncement(),
    };
  }

  #update(slot: Slot, patch: Partial<CallRecordingStatus>): void {
    slot.status = { ...slot.status, ...patch };
    this.emit('changed', slot.call.id);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
