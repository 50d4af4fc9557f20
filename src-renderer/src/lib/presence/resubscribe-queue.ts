// Owns "no storm": SUBSCRIBEs for many lamps (after a reconnect, a server restart that answered
// 481 to everything, a terminated NOTIFY sent to all) go out through a token bucket — at most
// `burst` at once, then `ratePerSecond` — instead of all in the same millisecond. The pure
// planSpread() gives the schedule for N items; RateLimitedQueue runs callbacks on that schedule
// with an injected scheduler, one timer at a time.
import { createLogger } from '../logger';
import { systemScheduler, type Cancel, type Scheduler } from '../scheduler';

const log = createLogger('resubscribe');
/** Refill arithmetic is floating point; a token this close to whole counts as whole. */
const EPSILON = 1e-9;

export interface RateLimit {
  /** Sustained rate once the burst is spent. */
  ratePerSecond: number;
  /** How many may go at once from an idle queue (the bucket's size). */
  burst: number;
}

/** 5 at once, then 5 per second: 50 lamps are all subscribed within 9 s. */
export const DEFAULT_RESUBSCRIBE_RATE: RateLimit = { ratePerSecond: 5, burst: 5 };

function checked(limit: RateLimit): RateLimit {
  const rate =
    Number.isFinite(limit.ratePerSecond) && limit.ratePerSecond > 0 ? limit.ratePerSecond : 1;
  const burst = Number.isFinite(limit.burst) && limit.burst >= 1 ? Math.floor(limit.burst) : 1;
  return { ratePerSecond: rate, burst };
}

/**
 * When each of `count` items that are all ready at `startMs` may go under `limit`: the first
 * `burst` at once, then one every 1000 / ratePerSecond ms. Pure.
 */
export function planSpread(count: number, limit: RateLimit, startMs = 0): number[] {
  const { ratePerSecond, burst } = checked(limit);
  const gap = 1000 / ratePerSecond;
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    times.push(startMs + (i < burst ? 0 : (i - burst + 1) * gap));
  }
  return times;
}

interface Entry {
  key: string;
  run: () => void;
  notBefore: number;
  seq: number;
}

/** Runs keyed callbacks no earlier than asked and never faster than the limit. */
export class RateLimitedQueue {
  readonly #limit: RateLimit;
  readonly #scheduler: Scheduler;
  readonly #entries = new Map<string, Entry>();
  #tokens: number;
  #refilledAt: number;
  #seq = 0;
  #timer: Cancel | null = null;
  #wakeAt = Number.POSITIVE_INFINITY;

  constructor(limit: RateLimit = DEFAULT_RESUBSCRIBE_RATE, scheduler: Scheduler = systemScheduler) {
    this.#limit = checked(limit);
    this.#scheduler = scheduler;
    this.#tokens = this.#limit.burst;
    this.#refilledAt = scheduler.now();
  }

  /** Entries waiting. */
  get size(): number {
    return this.#entries.size;
  }

  /** True when `key` is waiting. */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /**
   * Queues `run` under `key`, not before `delayMs` from now. A key already waiting is replaced
   * (one subscription never has two attempts queued). Runs synchronously when allowed now.
   */
  enqueue(key: string, run: () => void, delayMs = 0): void {
    this.#entries.delete(key);
    const notBefore = this.#scheduler.now() + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0);
    this.#entries.set(key, { key, run, notBefore, seq: this.#seq++ });
    this.#pump();
  }

  /** Drops `key`'s waiting callback; true when there was one. */
  cancel(key: string): boolean {
    const had = this.#entries.delete(key);
    if (had) {
      this.#pump();
    }
    return had;
  }

  /** Drops everything (quit, account removed). */
  clear(): void {
    this.#entries.clear();
    this.#stopTimer();
  }

  #refill(now: number): void {
    const add = ((now - this.#refilledAt) * this.#limit.ratePerSecond) / 1000;
    this.#tokens = Math.min(this.#limit.burst, this.#tokens + add);
    this.#refilledAt = now;
  }

  #nextReady(now: number): Entry | null {
    let best: Entry | null = null;
    for (const e of this.#entries.values()) {
      if (
        e.notBefore <= now &&
        (!best ||
          e.notBefore < best.notBefore ||
          (e.notBefore === best.notBefore && e.seq < best.seq))
      ) {
        best = e;
      }
    }
    return best;
  }

  #pump(): void {
    const now = this.#scheduler.now();
    this.#refill(now);
    for (
      let next = this.#nextReady(now);
      next && this.#tokens >= 1 - EPSILON;
      next = this.#nextReady(now)
    ) {
      this.#tokens -= 1;
      this.#entries.delete(next.key);
      try {
        next.run();
      } catch (error: unknown) {
        log.warn(`A queued subscription attempt threw: ${String(error)}`);
      }
    }
    this.#arm(now);
  }

  #arm(now: number): void {
    if (this.#entries.size === 0) {
      this.#stopTimer();
      return;
    }
    let earliest = Number.POSITIVE_INFINITY;
    for (const e of this.#entries.values()) {
      earliest = Math.min(earliest, e.notBefore);
    }
    const tokenAt = now + ((1 - this.#tokens) * 1000) / this.#limit.ratePerSecond;
    const wakeAt = Math.max(earliest, this.#tokens >= 1 - EPSILON ? now : tokenAt);
    if (this.#timer && wakeAt === this.#wakeAt) {
      return;
    }
    this.#stopTimer();
    this.#wakeAt = wakeAt;
    this.#timer = this.#scheduler.schedule(() => {
      this.#timer = null;
      this.#wakeAt = Number.POSITIVE_INFINITY;
      this.#pump();
    }, wakeAt - now);
  }

  #stopTimer(): void {
    this.#timer?.();
    this.#timer = null;
    this.#wakeAt = Number.POSITIVE_INFINITY;
  }
}
