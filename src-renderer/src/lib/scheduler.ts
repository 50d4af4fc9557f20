// Owns the clock-and-timer port that framework-free state machines (composing indications,
// subscription refreshes, rate-limited resubscription) take instead of calling setTimeout and
// Date.now themselves, so unit tests drive them with a manual scheduler or vitest fake timers.

/** Cancels a scheduled callback; calling it after the callback ran, or twice, does nothing. */
export type Cancel = () => void;

/** A clock plus one-shot timers. */
export interface Scheduler {
  /** Milliseconds on a clock that never goes backwards (only differences are meaningful). */
  now(): number;
  /** Runs `callback` once, `delayMs` (≥ 0) from now. */
  schedule(callback: () => void, delayMs: number): Cancel;
}

/** The real scheduler: `performance.now()` and the global `setTimeout` (fakeable in tests). */
export const systemScheduler: Scheduler = {
  now: () => performance.now(),
  schedule(callback, delayMs) {
    const handle = setTimeout(callback, Math.max(0, delayMs));
    return () => clearTimeout(handle);
  },
};
