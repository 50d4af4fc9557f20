// Owns the RFC 3994 "is typing" state machines of one conversation, on an injected scheduler.
//
// Sender (our side, §4): idle → active on the first edit of the draft: one 'active' indication
// carrying the refresh interval. While active, edits send nothing; the refresh timer re-sends
// 'active' once per refresh interval (60 s by default, as Linphone) while the user keeps typing.
// No edit for the idle timeout (15 s, the RFC's default) → 'idle' indication. Sending the message
// → idle without an indication (the message itself tells the peer, §3.2). So 'active' goes out
// at most once per refresh interval within one active period; a new active period starts only
// after an idle timeout or a sent message, which bounds indications to two per 15 s of typing
// pauses or per message sent, never one per keystroke.
//
// Receiver (the peer, §5): 'active' shows the peer as typing until an 'idle', a message from
// them, or the refresh interval they announced (120 s when they gave none) passes without a new
// 'active'. A refresh outside [1 s, MAX_RECEIVER_REFRESH_S] is clamped, so a hostile peer cannot
// make "is typing…" stick for days.
import { systemScheduler, type Cancel, type Scheduler } from '../scheduler';
import type { IsComposing } from './iscomposing';

/** What the sender asks the engine to send (built with buildIsComposing). */
export interface ComposingIndication {
  state: 'active' | 'idle';
  /** For 'active': the refresh interval announced, seconds. */
  refreshS?: number;
}

export interface ComposingSenderOptions {
  /** Sends one indication as a MESSAGE; errors are the caller's (an indication is best effort). */
  send: (indication: ComposingIndication) => void;
  scheduler?: Scheduler;
  /** No edit for this long → idle (RFC 3994 default 15 s). */
  idleTimeoutMs?: number;
  /** Active refresh interval (default 60 s; RFC 3994 asks for no less than 60 s). */
  refreshIntervalMs?: number;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 15_000;
export const DEFAULT_REFRESH_INTERVAL_MS = 60_000;
export const DEFAULT_RECEIVER_REFRESH_S = 120;
export const MAX_RECEIVER_REFRESH_S = 300;

/** Our typing state for one conversation. */
export class ComposingSender {
  readonly #send: (indication: ComposingIndication) => void;
  readonly #scheduler: Scheduler;
  readonly #idleMs: number;
  readonly #refreshMs: number;
  #state: 'idle' | 'active' = 'idle';
  #lastEditAt = 0;
  #idleTimer: Cancel | null = null;
  #refreshTimer: Cancel | null = null;

  constructor(options: ComposingSenderOptions) {
    this.#send = options.send;
    this.#scheduler = options.scheduler ?? systemScheduler;
    this.#idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.#refreshMs = options.refreshIntervalMs ?? DEFAULT_REFRESH_INTERVAL_MS;
  }

  get state(): 'idle' | 'active' {
    return this.#state;
  }

  /** The user edited the draft (typed, pasted, deleted). */
  edited(): void {
    this.#lastEditAt = this.#scheduler.now();
    if (this.#state === 'active') {
      return;
    }
    this.#state = 'active';
    this.#sendActive();
    this.#armIdle(this.#idleMs);
  }

  /** The message was sent: idle, and the message itself tells the peer so (§3.2). */
  messageSent(): void {
    this.#toIdle(false);
  }

  /** The conversation closes or the draft was discarded: tell the peer if they see us typing. */
  stop(): void {
    this.#toIdle(true);
  }

  #sendActive(): void {
    this.#send({ state: 'active', refreshS: Math.round(this.#refreshMs / 1000) });
    this.#refreshTimer?.();
    this.#refreshTimer = this.#scheduler.schedule(() => {
      this.#refreshTimer = null;
      if (this.#state === 'active') {
        this.#sendActive();
      }
    }, this.#refreshMs);
  }

  #armIdle(delayMs: number): void {
    this.#idleTimer?.();
    this.#idleTimer = this.#scheduler.schedule(() => {
      this.#idleTimer = null;
      // Edits while active do not re-arm the timer (cheap per keystroke); check the last edit.
      const quietFor = this.#scheduler.now() - this.#lastEditAt;
      if (quietFor >= this.#idleMs) {
        this.#toIdle(true);
      } else {
        this.#armIdle(this.#idleMs - quietFor);
      }
    }, delayMs);
  }

  #toIdle(announce: boolean): void {
    this.#idleTimer?.();
    this.#refreshTimer?.();
    this.#idleTimer = null;
    this.#refreshTimer = null;
    if (this.#state === 'active') {
      this.#state = 'idle';
      if (announce) {
        this.#send({ state: 'idle' });
      }
    }
  }
}

export interface ComposingReceiverOptions {
  /** Called on every change of the peer's state. */
  onChange: (active: boolean) => void;
  scheduler?: Scheduler;
}

/** The peer's typing state for one conversation. */
export class ComposingReceiver {
  readonly #onChange: (active: boolean) => void;
  readonly #scheduler: Scheduler;
  #active = false;
  #expiry: Cancel | null = null;
  #contentType: string | null = null;

  constructor(options: ComposingReceiverOptions) {
    this.#onChange = options.onChange;
    this.#scheduler = options.scheduler ?? systemScheduler;
  }

  /** True while the peer is shown as typing. */
  get active(): boolean {
    return this.#active;
  }

  /** What the peer said they are composing ('text/plain', 'audio/…'), when they said. */
  get contentType(): string | null {
    return this.#contentType;
  }

  /** An isComposing indication arrived from the peer. */
  indication(value: IsComposing): void {
    if (value.state === 'idle') {
      this.#set(false);
      return;
    }
    this.#contentType = value.contentType;
    const refreshS = Math.min(
      MAX_RECEIVER_REFRESH_S,
      Math.max(1, value.refreshS ?? DEFAULT_RECEIVER_REFRESH_S),
    );
    this.#expiry?.();
    this.#expiry = this.#scheduler.schedule(() => {
      this.#expiry = null;
      this.#set(false);
    }, refreshS * 1000);
    this.#set(true);
  }

  /** A message arrived from the peer: they stopped composing it (§5). */
  messageReceived(): void {
    this.#set(false);
  }

  /** The conversation closes: no timer is left behind. */
  dispose(): void {
    this.#expiry?.();
    this.#expiry = null;
    this.#active = false;
  }

  #set(active: boolean): void {
    if (!active) {
      this.#expiry?.();
      this.#expiry = null;
    }
    if (active !== this.#active) {
      this.#active = active;
      this.#onChange(active);
    }
  }
}
