// A Scheduler (src-renderer/src/lib/scheduler.ts) whose clock moves only when a test says so:
// advance(ms) runs every due callback in time order, each seeing now() at its own due time.
import type { Cancel, Scheduler } from '../../src-renderer/src/lib/scheduler';

interface Pending {
  at: number;
  seq: number;
  callback: () => void;
}

export class ManualScheduler implements Scheduler {
  #now: number;
  #seq = 0;
  #pending: Pending[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  schedule(callback: () => void, delayMs: number): Cancel {
    const entry: Pending = { at: this.#now + Math.max(0, delayMs), seq: this.#seq++, callback };
    this.#pending.push(entry);
    return () => {
      this.#pending = this.#pending.filter((p) => p !== entry);
    };
  }

  /** Callbacks waiting. */
  get pending(): number {
    return this.#pending.length;
  }

  /** When the next callback is due, or null. */
  nextAt(): number | null {
    const next = this.#earliest();
    return next ? next.at : null;
  }

  /** Moves the clock forward by `ms`, running due callbacks in order (including new ones). */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (let next = this.#earliest(); next && next.at <= until; next = this.#earliest()) {
      this.#pending = this.#pending.filter((p) => p !== next);
      this.#now = next.at;
      next.callback();
    }
    this.#now = until;
  }

  /** Runs callbacks until none is left or `maxMs` of clock has passed. */
  runAll(maxMs = 24 * 3600_000): void {
    const stop = this.#now + maxMs;
    for (let at = this.nextAt(); at !== null && at <= stop; at = this.nextAt()) {
      this.advance(at - this.#now);
    }
  }

  #earliest(): Pending | undefined {
    let best: Pending | undefined;
    for (const p of this.#pending) {
      if (!best || p.at < best.at || (p.at === best.at && p.seq < best.seq)) {
        best = p;
      }
    }
    return best;
  }
}
