// Runs work once the page has painted what changed, for work that must not hold back a frame the
// user is waiting for (the ringer's audio graph after the incoming view, issue 19). A hidden
// window paints nothing (and throttles requestAnimationFrame), so there the work runs at the
// next task; a frame that does not come within a bound does not hold it back either.

/** What after-paint uses of the page (the real ones by default; tests pass fakes). */
export interface PaintClock {
  hidden(): boolean;
  nextFrame(callback: () => void): void;
}

const pageClock: PaintClock = {
  hidden: () => document.visibilityState === 'hidden',
  nextFrame: (callback) => void requestAnimationFrame(callback),
};

/** Longest wait for the next frame (a visible page paints every ~16 ms). */
export const AFTER_PAINT_BOUND_MS = 50;

/**
 * Runs `callback` once, in the task after the next frame (its rendering included), at the next
 * task while the page is hidden, and at the latest after AFTER_PAINT_BOUND_MS.
 */
export function afterPaint(callback: () => void, clock: PaintClock = pageClock): void {
  let done = false;
  const run = (): void => {
    if (!done) {
      done = true;
      clearTimeout(bound);
      callback();
    }
  };
  const hidden = clock.hidden();
  const bound = setTimeout(run, hidden ? 0 : AFTER_PAINT_BOUND_MS);
  if (!hidden) {
    clock.nextFrame(() => setTimeout(run, 0));
  }
}
