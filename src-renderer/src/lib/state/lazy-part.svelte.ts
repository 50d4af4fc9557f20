// A part of the renderer root whose code is a chunk of its own (state/parts.ts): `ready` is the
// promise of it, `value` is null until it has arrived and then the part itself, reactively, so a
// view on the first screen can read it with a placeholder meanwhile (`value?.x ?? 0`).

/** One lazily built part. */
export class LazyPart<T> {
  #value = $state.raw<T | null>(null);
  // Why its code could not load or build, once that is known.
  #failure: string | null = null;
  /** Resolves with the part once built; rejects when its code could not load. */
  readonly ready: Promise<T>;

  /** `build` starts at once (typically `import('./x').then(build)`). */
  constructor(build: () => Promise<T>) {
    this.ready = build().then(
      (part) => (this.#value = part),
      (error: unknown) => {
        this.#failure = error instanceof Error ? error.message : String(error);
        throw error;
      },
    );
  }

  /** The part once built, else null (reactive). */
  get value(): T | null {
    return this.#value;
  }

  /** The part; `what` names it in the error thrown when it is read before it is built. */
  get(what: string): T {
    if (this.#value === null) {
      throw new Error(
        this.#failure === null
          ? `${what} is read before its code has loaded.`
          : `${what} is unavailable: its code could not load (${this.#failure}).`,
      );
    }
    return this.#value;
  }
}
