// Noise suppression for every call, driven by the line manager: each call gets its switch
// (CallNoiseSuppression), turned on as soon as its microphone opens when the Sound settings'
// default says so, toggled from the call view, and closed when the call ends. In a conference
// the mix carries the first call's voice, so a toggle applies to every party of it.
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import type { EndedCall, LineEvents, PhoneCall } from '../phone';
import { CallNoiseSuppression, createNoiseSuppressor } from './noise-suppression';

const log = createLogger('call-noise');

export interface CallNoiseStatus {
  on: boolean;
  /** Why it could not be turned on, for the user. */
  problem: string | null;
}

export interface CallNoiseDeps {
  lines: {
    on<K extends keyof LineEvents>(
      event: K,
      listener: (payload: LineEvents[K]) => void,
    ): () => void;
    readonly conferenceIds: readonly string[] | null;
  };
  /** The Sound settings' default (AudioSettings.rnnoise), read when a call's microphone opens. */
  enabledByDefault(): boolean;
  create?: typeof createNoiseSuppressor;
}

interface Switch {
  call: PhoneCall;
  control: CallNoiseSuppression;
  status: CallNoiseStatus;
  off: () => void;
}

const OFF: CallNoiseStatus = { on: false, problem: null };

export class CallNoise extends TypedEmitter<{ changed: string }> {
  readonly #deps: CallNoiseDeps;
  readonly #switches = new Map<string, Switch>();
  readonly #offs: (() => void)[];

  constructor(deps: CallNoiseDeps) {
    super();
    this.#deps = deps;
    this.#offs = [
      deps.lines.on('started', (call) => this.#adopt(call)),
      deps.lines.on('ended', (ended) => this.#ended(ended)),
    ];
  }

  status(callId: string): CallNoiseStatus {
    return this.#switches.get(callId)?.status ?? OFF;
  }

  /** Turns suppression on or off for a call (for every party when it is in the conference). */
  async set(callId: string, on: boolean): Promise<void> {
    const conference = this.#deps.lines.conferenceIds ?? [];
    const ids = conference.includes(callId) ? conference : [callId];
    await Promise.all(ids.map((id) => this.#set(id, on)));
  }

  dispose(): void {
    this.#offs.splice(0).forEach((off) => off());
    for (const s of this.#switches.values()) {
      s.off();
      void s.control.dispose();
    }
    this.#switches.clear();
  }

  #adopt(call: PhoneCall): void {
    const control = new CallNoiseSuppression(call, this.#deps.create ?? createNoiseSuppressor);
    const entry: Switch = { call, control, status: OFF, off: () => {} };
    this.#switches.set(call.id, entry);
    const apply = (): void => {
      if (this.#deps.enabledByDefault()) {
        void this.#set(call.id, true);
      }
    };
    if (call.microphoneTrack) {
      apply();
    } else {
      entry.off = call.once('microphone', apply);
    }
  }

  async #set(callId: string, on: boolean): Promise<void> {
    const entry = this.#switches.get(callId);
    if (!entry || entry.control.on === on) {
      return;
    }
    this.#update(entry, { on, problem: null });
    try {
      await entry.control.set(on);
    } catch (error: unknown) {
      const problem = `Noise suppression could not start: ${error instanceof Error ? error.message : String(error)}`;
      log.warn(problem);
      this.#update(entry, { on: false, problem });
    }
  }

  #ended({ snapshot }: EndedCall): void {
    const entry = this.#switches.get(snapshot.id);
    if (!entry) {
      return;
    }
    this.#switches.delete(snapshot.id);
    entry.off();
    void entry.control.dispose();
    this.emit('changed', snapshot.id);
  }

  #update(entry: Switch, status: CallNoiseStatus): void {
    entry.status = status;
    this.emit('changed', entry.call.id);
  }
}
