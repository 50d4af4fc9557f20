// A tiny typed event emitter: `on` returns its own unsubscribe, listeners that throw are
// isolated so one bad listener cannot break the phone.
import { createLogger } from './logger';

const log = createLogger('emitter');

/** Listener signatures keyed by event name. */
export type EventMapOf<T> = { [K in keyof T]: (payload: T[K]) => void };

export class TypedEmitter<Events extends object> {
  #listeners = new Map<keyof Events, Set<(payload: never) => void>>();

  /** Subscribes; returns a function that removes the listener. */
  on<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    let set = this.#listeners.get(event);
    if (!set) {
      set = new Set();
      this.#listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** Subscribes for the next event only. */
  once<K extends keyof Events>(event: K, listener: (payload: Events[K]) => void): () => void {
    const off = this.on(event, (payload) => {
      off();
      listener(payload);
    });
    return off;
  }

  /** Calls every listener of `event`; a throwing listener is logged and skipped. */
  protected emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const set = this.#listeners.get(event);
    if (!set) {
      return;
    }
    for (const listener of [...set]) {
      try {
        (listener as (payload: Events[K]) => void)(payload);
      } catch (error: unknown) {
        log.error(`listener for "${String(event)}" threw`, error);
      }
    }
  }

  /** Drops every listener (teardown). */
  protected removeAllListeners(): void {
    this.#listeners.clear();
  }
}
