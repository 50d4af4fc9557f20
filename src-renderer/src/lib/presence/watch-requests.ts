// Owns the addresses views ask to watch (the chat list watches the conversations it shows):
// reference-counted requests, each on an account or on whichever account fits the address, and
// one coalesced "changed" per burst. A view that swaps what it shows releases and re-requests
// many addresses in one go; coalescing means the agents see only the net difference, so an
// address shown before and after is never un-SUBSCRIBEd and SUBSCRIBEd again. Framework-free.
import { canonicalAor } from './aor';

/** One watched address and the account asked for (null: the account of its domain, else the default). */
export interface WatchRequest {
  accountId: string | null;
  aor: string;
}

/** Runs a callback later (queueMicrotask in the app; tests may run it by hand). */
export type Schedule = (run: () => void) => void;

/** Reference-counted watch requests with coalesced change notifications. */
export class WatchRequests {
  // Not UI state: the mirror re-reads list() on change.
  readonly #counts = new Map<string, { request: WatchRequest; count: number }>();
  readonly #onChange: () => void;
  readonly #schedule: Schedule;
  #pending: string | null = null;

  /** `onChange` runs once after a burst of requests and releases that changed the set. */
  // queueMicrotask is wrapped: a browser throws "Illegal invocation" when it is called as a method.
  constructor(onChange: () => void, schedule: Schedule = (run) => queueMicrotask(run)) {
    this.#onChange = onChange;
    this.#schedule = schedule;
  }

  /**
   * Watches `uri` (on `accountId` when given) until the returned function is called (calling it
   * again does nothing). Anything that is not a SIP address is ignored (a no-op release).
   */
  add(uri: string, accountId: string | null = null): () => void {
    const aor = canonicalAor(uri);
    if (!aor) {
      return () => {};
    }
    const key = `${accountId ?? ''}|${aor}`;
    this.#touch();
    const held = this.#counts.get(key);
    if (held) {
      held.count += 1;
    } else {
      this.#counts.set(key, { request: { accountId, aor }, count: 1 });
    }
    let released = false;
    return () => {
      if (released) {
        return;
      }
      released = true;
      this.#touch();
      const entry = this.#counts.get(key);
      if (entry && entry.count > 1) {
        entry.count -= 1;
      } else {
        this.#counts.delete(key);
      }
    };
  }

  /** The addresses watched now, in the order first asked for. */
  list(): WatchRequest[] {
    return [...this.#counts.values()].map((e) => e.request);
  }

  #keys(): string {
    return [...this.#counts.keys()].sort().join('\n');
  }

  // The first change of a burst remembers the set as it was; the scheduled check compares.
  #touch(): void {
    if (this.#pending !== null) {
      return;
    }
    this.#pending = this.#keys();
    this.#schedule(() => {
      const before = this.#pending;
      this.#pending = null;
      if (before !== this.#keys()) {
        this.#onChange();
      }
    });
  }
}
