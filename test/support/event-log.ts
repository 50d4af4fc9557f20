// An append-only event list with bounded waits: what lab phones, raw SIP clients and the WebSocket front record and tests await.

/** Anything recorded in an {@link EventLog}: stamped with its arrival time. */
export interface LabEvent {
  /** Arrival time: performance.timeOrigin + performance.now(). */
  t: number;
}

/** Arrival time as recorded in events. */
export function eventNow(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * Events in arrival order. {@link waitFor} resolves with the first event at or after an index
 * that matches, or rejects after a bound with what was seen instead.
 */
export class EventLog<E extends LabEvent> {
  /** Every event, in arrival order. */
  readonly events: E[] = [];
  readonly #listeners = new Set<() => void>();

  /**
   * @param owner names the log in timeout errors (e.g. 'baresip bare1').
   * @param describe renders an event for timeout errors.
   */
  constructor(
    private readonly owner: string,
    private readonly describe: (e: E) => string,
  ) {}

  /** Number of events so far (use as `fromIndex` to wait only for later events). */
  get length(): number {
    return this.events.length;
  }

  /** Appends an event and wakes the waiters. */
  push(event: E): void {
    this.events.push(event);
    for (const listener of [...this.#listeners]) {
      listener();
    }
  }

  /**
   * Resolves with the first event (index >= `fromIndex`) matching `pred`, waiting up to
   * `timeoutMs` for it to arrive; rejects naming the (last 20) events seen since `fromIndex`.
   */
  waitFor(pred: (e: E) => boolean, timeoutMs = 10_000, fromIndex = 0): Promise<E> {
    return new Promise<E>((resolve, reject) => {
      let index = fromIndex;
      const check = (): void => {
        for (; index < this.events.length; index++) {
          const e = this.events[index];
          if (e !== undefined && pred(e)) {
            cleanup();
            resolve(e);
            return;
          }
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        const since = this.events.slice(fromIndex);
        const seen = since.slice(-20).map(this.describe).join(', ');
        const more = since.length > 20 ? `${since.length - 20} more, then ` : '';
        reject(
          new Error(
            `${this.owner}: timed out after ${timeoutMs} ms waiting for event; seen: [${more}${seen}]`,
          ),
        );
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#listeners.delete(check);
      };
      this.#listeners.add(check);
      check();
    });
  }
}
