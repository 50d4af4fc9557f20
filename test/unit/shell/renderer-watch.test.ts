// Unit tests of what happens when the phone window's page dies or hangs, with Electron's
// documented behaviour modelled: `render-process-gone` carries a reason (RenderProcessGone-
// Details: crashed, oom, killed, clean-exit…); `unresponsive` may be followed by `responsive`;
// forcefullyCrashRenderer() makes a `render-process-gone` with reason killed follow, and
// reload() then starts a new process (WebContents docs). Shown: reload, tray state, one
// notification without network text, the lost call kept for the new page, a grace period for
// a hung page, no reload loop, nothing during quit.
import { describe, expect, it } from 'vitest';
import type { PhoneSummary, RendererRestart } from '@shared/ipc-contract';
import {
  MAX_RESTARTS,
  RendererWatch,
  restartMessage,
  UNRESPONSIVE_GRACE_MS,
} from '../../../src-main/lifecycle/renderer-watch';
import { STARTING_SUMMARY } from '../../../src-main/tray/tray-model';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const IN_CALL: PhoneSummary = {
  ...STARTING_SUMMARY,
  registration: 'registered',
  registrationText: 'Registered: Office',
  call: 'in-call',
  party: '<b>Mallory</b> & Co',
  missedCount: 1,
};

function setup() {
  const state = {
    summary: IN_CALL,
    quitting: false,
    now: 1_000_000,
    page: true,
    log: [] as string[],
    told: [] as { title: string; body: string }[],
    sent: [] as RendererRestart[],
    timers: [] as { fn: () => void; ms: number }[],
  };
  const watch: RendererWatch = new RendererWatch({
    summary: () => state.summary,
    reload: () => state.log.push('reload'),
    // As documented: the kill is followed by render-process-gone (reason killed).
    kill: () => {
      state.log.push('kill');
      watch.gone('killed');
    },
    tell: (title, body) => state.told.push({ title, body }),
    stateChanged: () => state.log.push('redraw'),
    pageLost: () => {
      state.log.push('page lost');
      state.summary = { ...STARTING_SUMMARY, missedCount: state.summary.missedCount };
    },
    sendRestart: (restart) => {
      if (state.page) {
        state.sent.push(restart);
      }
      return state.page;
    },
    quitting: () => state.quitting,
    now: () => state.now,
    setTimeout: (fn, ms) => state.timers.push({ fn, ms }),
    clearTimeout: () => (state.timers.length = 0),
    log: silent,
  });
  return { watch, state };
}

describe('RendererWatch', () => {
  it('a crash reloads the page, shows it in the tray, tells the user once, without network text', () => {
    const { watch, state } = setup();
    watch.gone('crashed');
    expect(state.log).toEqual(['page lost', 'redraw', 'reload']);
    expect(watch.view(state.summary).registrationText).toBe(
      'Restarting the phone after a problem…',
    );
    expect(watch.view(state.summary).registration).toBe('offline');
    expect(state.told).toEqual([
      {
        title: 'Open Softphone restarted',
        body: 'The phone window crashed and was restarted. The call was lost; call back if you need to.',
      },
    ]);
  });

  it('the new page hears of the lost call once it listens, with the caller for the history', () => {
    const { watch, state } = setup();
    watch.gone('oom');
    state.page = false;
    watch.pageListening(); // no page to send to yet: kept
    expect(watch.pending?.lostCall).toEqual({ state: 'in-call', party: '<b>Mallory</b> & Co' });
    state.page = true;
    watch.pageListening();
    expect(state.sent).toEqual([
      {
        reason: 'oom',
        at: 1_000_000,
        lostCall: { state: 'in-call', party: '<b>Mallory</b> & Co' },
        message: restartMessage('oom', { state: 'in-call', party: '<b>Mallory</b> & Co' }),
      },
    ]);
    watch.pageListening();
    expect(state.sent).toHaveLength(1);
    expect(watch.view(state.summary)).toEqual(state.summary); // back to the page's own state
  });

  it('a hung page gets a grace period; if it recovers nothing is restarted', () => {
    const { watch, state } = setup();
    watch.unresponsive();
    expect(state.timers.map((t) => t.ms)).toEqual([UNRESPONSIVE_GRACE_MS]);
    expect(watch.view(state.summary).registrationText).toBe('The phone window is not responding…');
    expect(watch.view(state.summary).registration).toBe('registered');
    watch.responsive();
    expect(state.timers).toEqual([]);
    expect(state.log).toEqual(['redraw', 'redraw']);
    expect(state.told).toEqual([]);
  });

  it('a page still hung after the grace period is killed and reloaded in a new process', () => {
    const { watch, state } = setup();
    watch.unresponsive();
    state.timers[0]!.fn();
    expect(state.log).toEqual(['redraw', 'page lost', 'redraw', 'kill', 'redraw', 'reload']);
    expect(state.told.map((t) => t.body)).toEqual([
      'The phone window stopped responding and was restarted. The call was lost; call back if you need to.',
    ]);
    watch.pageListening();
    expect(state.sent[0]).toMatchObject({
      reason: 'unresponsive',
      lostCall: { state: 'in-call', party: '<b>Mallory</b> & Co' },
    });
  });

  it('keeps the lost call when the restarted page dies again before it listens', () => {
    const { watch, state } = setup();
    watch.gone('crashed');
    watch.gone('crashed');
    watch.pageListening();
    expect(state.sent[0]?.lostCall).toEqual({ state: 'in-call', party: '<b>Mallory</b> & Co' });
  });

  it('gives up after too many restarts in a short time, and says so', () => {
    const { watch, state } = setup();
    for (let i = 0; i <= MAX_RESTARTS; i++) {
      watch.gone('crashed');
      state.now += 1000;
    }
    expect(state.log.filter((l) => l === 'reload')).toHaveLength(MAX_RESTARTS);
    expect(state.told.at(-1)?.title).toBe('Open Softphone stopped working');
    expect(watch.view(state.summary).registrationText).toMatch(/quit and start it again/);
  });

  it('restarts spread over time are each recovered', () => {
    const { watch, state } = setup();
    for (let i = 0; i < MAX_RESTARTS + 3; i++) {
      watch.gone('crashed');
      watch.pageListening();
      state.now += 10 * 60_000;
    }
    expect(state.log.filter((l) => l === 'reload')).toHaveLength(MAX_RESTARTS + 3);
  });

  it('ignores exits while quitting and clean exits', () => {
    const { watch, state } = setup();
    watch.gone('clean-exit');
    state.quitting = true;
    watch.gone('crashed');
    watch.unresponsive();
    expect(state.log).toEqual([]);
    expect(state.told).toEqual([]);
  });

  it('an idle phone loses no call; the message says accounts register again', () => {
    const { watch, state } = setup();
    state.summary = { ...IN_CALL, call: 'idle', party: null };
    watch.gone('killed');
    watch.pageListening();
    expect(state.sent[0]?.lostCall).toBeNull();
    expect(state.sent[0]?.message).toBe(
      'The phone window was stopped by the system and was restarted. Your accounts register again by themselves.',
    );
  });
});
