// afterPaint (issue 19: the ringer no longer holds back the incoming view's frame): the work
// waits for the next frame and the task after it while the page is visible, runs at the next
// task while hidden (nothing paints), and never waits longer than the bound for a frame.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  afterPaint,
  AFTER_PAINT_BOUND_MS,
  type PaintClock,
} from '../../../src-renderer/src/lib/ui/after-paint';

function clock(hidden: boolean): PaintClock & { frame(): void } {
  const frames: (() => void)[] = [];
  return {
    hidden: () => hidden,
    nextFrame: (callback) => frames.push(callback),
    frame: () => frames.splice(0).forEach((f) => f()),
  };
}

describe('afterPaint', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('runs in the task after the next frame while visible, once', async () => {
    const page = clock(false);
    const work = vi.fn();
    afterPaint(work, page);
    await vi.advanceTimersByTimeAsync(10);
    expect(work).not.toHaveBeenCalled(); // no frame yet
    page.frame();
    expect(work).not.toHaveBeenCalled(); // not inside the frame either
    await vi.advanceTimersByTimeAsync(0);
    expect(work).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(AFTER_PAINT_BOUND_MS);
    expect(work).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('runs at the next task while hidden, without waiting for a frame', async () => {
    const page = clock(true);
    const work = vi.fn();
    afterPaint(work, page);
    await vi.advanceTimersByTimeAsync(0);
    expect(work).toHaveBeenCalledTimes(1);
  });

  it('runs after the bound when no frame comes, and not again when it finally does', async () => {
    const page = clock(false);
    const work = vi.fn();
    afterPaint(work, page);
    await vi.advanceTimersByTimeAsync(AFTER_PAINT_BOUND_MS - 1);
    expect(work).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(work).toHaveBeenCalledTimes(1);
    page.frame();
    await vi.advanceTimersByTimeAsync(0);
    expect(work).toHaveBeenCalledTimes(1);
  });
});
