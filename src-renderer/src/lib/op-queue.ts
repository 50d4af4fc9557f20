// Runs async operations one after another, in call order: a call's hold and resume
// (phone/session-ops.ts), the lines' actions, and the window's saves of the settings.

/** Runs async operations one after another, in call order; a failed one does not stop the next. */
export class OpQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(op: () => Promise<T>): Promise<T> {
    const next = this.#tail.catch(() => {}).then(op);
    this.#tail = next;
    return next;
  }
}
