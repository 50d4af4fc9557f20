// A module (or anything) loaded on first use and kept: `get()` starts the load once and shares
// it; `value` is there synchronously once it has arrived. A failed load is forgotten, so the next
// use tries again.

/** A lazily loaded value. */
export interface LoadOnce<T> {
  /** The value, loading it on the first call. */
  get(): Promise<T>;
  /** The value once loaded, else null. */
  readonly value: T | null;
}

/** Wraps `load` (typically `() => import('./module')`). */
export function loadOnce<T>(load: () => Promise<T>): LoadOnce<T> {
  let pending: Promise<T> | null = null;
  let value: T | null = null;
  return {
    get() {
      pending ??= load().then(
        (loaded) => (value = loaded),
        (error: unknown) => {
          pending = null;
          throw error;
        },
      );
      return pending;
    },
    get value() {
      return value;
    },
  };
}
