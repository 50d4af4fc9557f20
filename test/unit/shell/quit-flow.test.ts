// Unit tests of the quit flow: the page is told, unregisters and answers, then the app quits;
// without an answer it quits after the timeout; with no page it quits at once; a quit that
// did not come through us (Cmd+Q, before-quit) is held until the page unregistered. The end of
// the OS session (BrowserWindow docs, Windows: query-session-end may be delayed, session-end
// cannot be) unregisters like a quit: at the query the page starts, at the end the app goes.
import { describe, expect, it } from 'vitest';
import { QUIT_TIMEOUT_MS, QuitFlow } from '../../../src-main/lifecycle/quit-flow';
import { preventable } from '../../support/fake-emitter';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

function setup(pageUp = true) {
  const log: string[] = [];
  const timers = new Map<number, { fn: () => void; ms: number }>();
  let nextTimer = 0;
  const flow = new QuitFlow({
    notifyRenderer: () => {
      log.push('app/quitting');
      return pageUp;
    },
    quit: () => log.push('quit'),
    beforeQuit: () => log.push('cleanup'),
    setTimeout: (fn, ms) => {
      nextTimer += 1;
      timers.set(nextTimer, { fn, ms });
      return nextTimer;
    },
    clearTimeout: (handle) => timers.delete(handle as number),
    log: silent,
  });
  const fireTimers = (): void => [...timers.values()].forEach((t) => t.fn());
  return { flow, log, timers, fireTimers };
}

describe('QuitFlow', () => {
  it('waits for the page to unregister, then quits', () => {
    const { flow, log, timers } = setup();
    flow.request();
    expect(log).toEqual(['app/quitting']);
    expect(flow.quitting).toBe(false);
    expect([...timers.values()].map((t) => t.ms)).toEqual([QUIT_TIMEOUT_MS]);
    flow.rendererReady();
    expect(log).toEqual(['app/quitting', 'cleanup', 'quit']);
    expect(flow.quitting).toBe(true);
    expect(timers.size).toBe(0);
  });

  it('quits after about 3 s when the page does not answer', () => {
    const { flow, log, fireTimers } = setup();
    flow.request();
    expect(QUIT_TIMEOUT_MS).toBe(3000);
    fireTimers();
    expect(log).toEqual(['app/quitting', 'cleanup', 'quit']);
    flow.rendererReady();
    expect(log.filter((l) => l === 'quit')).toHaveLength(1);
  });

  it('quits at once when there is no page', () => {
    const { flow, log, timers } = setup(false);
    flow.request();
    expect(log).toEqual(['app/quitting', 'cleanup', 'quit']);
    expect(timers.size).toBe(0);
  });

  it('a second request while waiting changes nothing; a stray quit-ready is ignored', () => {
    const { flow, log } = setup();
    flow.rendererReady();
    expect(log).toEqual([]);
    flow.request();
    flow.request();
    expect(log).toEqual(['app/quitting']);
  });

  it('holds an outside quit (before-quit) until the page unregistered, then lets it through', () => {
    const { flow, log } = setup();
    const first = preventable();
    flow.onBeforeQuit(first);
    expect(first.defaultPrevented).toBe(true);
    expect(log).toEqual(['app/quitting']);
    const again = preventable();
    flow.onBeforeQuit(again);
    expect(again.defaultPrevented).toBe(true);
    flow.rendererReady();
    const real = preventable();
    flow.onBeforeQuit(real);
    expect(real.defaultPrevented).toBe(false);
  });

  it('Windows log-off: the query starts unregistering, the page answers, the app quits', () => {
    const { flow, log } = setup();
    flow.sessionEnding('query');
    expect(log).toEqual(['app/quitting']);
    flow.rendererReady();
    expect(log).toEqual(['app/quitting', 'cleanup', 'quit']);
    flow.sessionEnding('end');
    expect(log).toEqual(['app/quitting', 'cleanup', 'quit']);
  });

  it('session-end without an answer yet: quits at once (windows then close, not hide)', () => {
    const { flow, log, timers } = setup();
    flow.sessionEnding('query');
    flow.sessionEnding('end');
    expect(log).toEqual(['app/quitting', 'cleanup', 'quit']);
    expect(flow.quitting).toBe(true);
    expect(timers.size).toBe(0);
  });

  it('session-end with no query before it still tells the page, then quits', () => {
    const { flow, log } = setup();
    flow.sessionEnding('end');
    expect(log).toEqual(['app/quitting', 'cleanup', 'quit']);
  });
});
