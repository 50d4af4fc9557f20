// Owns the life of one subscription across failures (RFC 6665): every attempt goes out through
// the shared rate-limited queue (no storm), the first NOTIFY must come within a bound, an end
// is turned into "again after this delay" or "stop, because…" by planResubscribe (481 → at
// once, 423 → with Min-Expires, terminated;retry-after → after that delay, 489 → never), a
// resync asks the server for full state (at most once per RESYNC_INTERVAL_MS), and stop() sends
// the un-SUBSCRIBE and waits for its end, bounded. The JsSIP side is behind `open`.
import { createLogger } from '../logger';
import type { Cancel, Scheduler } from '../scheduler';
import type {
  NotifyInfo,
  SubscriptionCallbacks,
  SubscriptionHandle,
  SubscriptionSpec,
} from './jssip-subscription';
import { planResubscribe, type SubscriptionEnd } from './resubscribe';
import type { RateLimitedQueue } from './resubscribe-queue';

const log = createLogger('subscription');

/** RFC 6665 §4.1.2.4: without a NOTIFY within 64·T1 of the 2xx, the subscription failed. */
export const NOTIFY_WAIT_MS = 32_000;
/** Full-state refreshes asked for by a body (a version gap) are at least this far apart. */
export const RESYNC_INTERVAL_MS = 30_000;

/** Where a subscription stands, for the UI and the tests. */
export type SubscriptionStatus =
  /** Queued or sent; no NOTIFY yet. */
  | { state: 'waiting' }
  | { state: 'active' }
  /** The server holds it until someone authorizes us (presence). */
  | { state: 'pending' }
  | { state: 'retrying'; cause: string; retryAt: number }
  /** Not running: ended on purpose (`cause` null), suspended, or failed for good. */
  | { state: 'stopped'; cause: string | null };

export interface SubscriptionDeps {
  open(spec: SubscriptionSpec, callbacks: SubscriptionCallbacks): SubscriptionHandle;
  queue: RateLimitedQueue;
  scheduler: Scheduler;
  random?: () => number;
  notifyWaitMs?: number;
  /** A NOTIFY with a body arrived. */
  onNotify(notify: NotifyInfo): void;
  /** The status changed (a new subscription attempt also reports 'waiting'). */
  onStatus(status: SubscriptionStatus): void;
}

export class ManagedSubscription {
  readonly key: string;
  readonly spec: SubscriptionSpec;
  readonly #deps: SubscriptionDeps;
  #handle: SubscriptionHandle | null = null;
  #status: SubscriptionStatus = { state: 'stopped', cause: null };
  #failures = 0;
  #expiresS: number;
  #attempt = 0;
  #notifyWait: Cancel | null = null;
  #lastResync = Number.NEGATIVE_INFINITY;
  #resyncTimer: Cancel | null = null;
  #stopping: (() => void) | null = null;

  constructor(key: string, spec: SubscriptionSpec, deps: SubscriptionDeps) {
    this.key = key;
    this.spec = spec;
    this.#deps = deps;
    this.#expiresS = spec.expiresS;
  }

  get status(): SubscriptionStatus {
    return this.#status;
  }

  /** Starts (or starts over): the SUBSCRIBE goes out through the queue, after `delayMs`. */
  start(delayMs = 0): void {
    this.#drop();
    this.#setStatus({ state: 'waiting' });
    this.#enqueue(delayMs);
  }

  /** Forgets the subscription locally without sending (its connection is gone). */
  suspend(cause: string): void {
    this.#drop();
    this.#setStatus({ state: 'stopped', cause });
  }

  /** Asks the server for its full state now, or when the last such request is old enough. */
  resync(): void {
    if (!this.#handle || this.#status.state !== 'active' || this.#resyncTimer) {
      return;
    }
    const wait = this.#lastResync + RESYNC_INTERVAL_MS - this.#deps.scheduler.now();
    if (wait <= 0) {
      this.#lastResync = this.#deps.scheduler.now();
      this.#handle.refresh();
      return;
    }
    this.#resyncTimer = this.#deps.scheduler.schedule(() => {
      this.#resyncTimer = null;
      this.resync();
    }, wait);
  }

  /** Ends it: un-SUBSCRIBE, then forget it when it ended or after `timeoutMs`. */
  stop(timeoutMs = 2000): Promise<void> {
    const handle = this.#handle;
    this.#clearTimers();
    this.#deps.queue.cancel(this.key);
    if (!handle) {
      this.#setStatus({ state: 'stopped', cause: null });
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        cancel();
        this.#stopping = null;
        if (this.#handle === handle) {
          this.#handle = null;
        }
        handle.abandon();
        this.#setStatus({ state: 'stopped', cause: null });
        resolve();
      };
      const cancel = this.#deps.scheduler.schedule(finish, timeoutMs);
      this.#stopping = finish;
      handle.unsubscribe();
    });
  }

  #enqueue(delayMs: number): void {
    this.#deps.queue.enqueue(this.key, () => this.#open(), delayMs);
  }

  #open(): void {
    const attempt = ++this.#attempt;
    const current = (): boolean => attempt === this.#attempt;
    const spec = { ...this.spec, expiresS: this.#expiresS };
    let handle: SubscriptionHandle;
    try {
      // Callbacks may run before open() returns (a transport error at once); `current` keeps a
      // later attempt, started from inside them, from being overwritten by this one.
      handle = this.#deps.open(spec, {
        accepted: () => current() && this.#awaitNotify(),
        established: (state) => current() && this.#established(state),
        notify: (notify) => current() && this.#deps.onNotify(notify),
        ended: (end) => {
          if (current()) {
            this.#attempt += 1;
            this.#ended(end);
          }
        },
      });
    } catch (error: unknown) {
      const detail = error instanceof Error ? error.message : String(error);
      log.warn(`${this.spec.event} subscription could not start: ${detail}`);
      this.#setStatus({ state: 'stopped', cause: `${this.spec.target} cannot be watched.` });
      return;
    }
    if (current()) {
      this.#handle = handle;
    }
  }

  #awaitNotify(): void {
    this.#notifyWait?.();
    this.#notifyWait = this.#deps.scheduler.schedule(() => {
      this.#notifyWait = null;
      const handle = this.#handle;
      this.#handle = null;
      this.#attempt += 1;
      handle?.unsubscribe();
      handle?.abandon();
      this.#ended({ kind: 'timeout' }, 'The server accepted the subscription but sent nothing.');
    }, this.#deps.notifyWaitMs ?? NOTIFY_WAIT_MS);
  }

  #established(state: 'active' | 'pending'): void {
    this.#notifyWait?.();
    this.#notifyWait = null;
    this.#failures = 0;
    this.#setStatus({ state });
  }

  #ended(end: SubscriptionEnd, causeOverride?: string): void {
    this.#notifyWait?.();
    this.#notifyWait = null;
    this.#handle = null;
    if (this.#stopping) {
      this.#stopping();
      return;
    }
    const plan = planResubscribe(end, this.#failures, { random: this.#deps.random });
    this.#failures += 1;
    const cause = causeOverride ?? plan.cause;
    if (plan.action === 'stop') {
      log.info(`${this.spec.event} subscription stopped: ${cause}`);
      this.#setStatus({ state: 'stopped', cause });
      return;
    }
    if (plan.expiresS !== undefined) {
      this.#expiresS = plan.expiresS;
    }
    const retryAt = this.#deps.scheduler.now() + plan.delayMs;
    this.#setStatus({ state: 'retrying', cause, retryAt });
    this.#enqueue(plan.delayMs);
  }

  #drop(): void {
    // A stop still waiting for the server's answer is over: this subscription starts anew.
    this.#stopping?.();
    this.#clearTimers();
    this.#deps.queue.cancel(this.key);
    this.#attempt += 1;
    const handle = this.#handle;
    this.#handle = null;
    handle?.abandon();
  }

  #clearTimers(): void {
    this.#notifyWait?.();
    this.#notifyWait = null;
    this.#resyncTimer?.();
    this.#resyncTimer = null;
  }

  #setStatus(status: SubscriptionStatus): void {
    this.#status = status;
    this.#deps.onStatus(status);
  }
}
