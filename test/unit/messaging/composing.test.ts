// Owns the unit tests of RFC 3994 typing indications: the body reader and writer
// (iscomposing.ts) and the sender and receiver state machines (composing.ts) on a manual clock,
// plus one run on vitest's fake timers through the system scheduler.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  buildIsComposing,
  parseIsComposing,
  type IsComposing,
} from '../../../src-renderer/src/lib/messaging/iscomposing';
import {
  ComposingReceiver,
  ComposingSender,
  MAX_RECEIVER_REFRESH_S,
  type ComposingIndication,
} from '../../../src-renderer/src/lib/messaging/composing';
import { ManualScheduler } from '../../support/manual-scheduler';
import { ISCOMPOSING_ACTIVE } from '../presence/samples';

const NS = 'urn:ietf:params:xml:ns:im-iscomposing';
const body = (inner: string): string => `<isComposing xmlns="${NS}">${inner}</isComposing>`;

describe('parseIsComposing', () => {
  it('reads the RFC example', () => {
    expect(parseIsComposing(ISCOMPOSING_ACTIVE)).toEqual({
      ok: true,
      value: { state: 'active', refreshS: 90, lastActive: null, contentType: 'text/plain' },
    });
  });

  it('reads lastactive as a time and tolerates case and spaces in the state', () => {
    const r = parseIsComposing(
      body('<state> IDLE </state><lastactive>2003-01-27T10:43:00Z</lastactive>'),
    );
    expect(r.ok && r.value).toEqual({
      state: 'idle',
      refreshS: null,
      lastActive: Date.UTC(2003, 0, 27, 10, 43),
      contentType: null,
    });
  });

  it('leaves out optional values it cannot read instead of failing', () => {
    const r = parseIsComposing(
      body(
        '<state>active</state><lastactive>yesterday</lastactive><contenttype>not a type</contenttype><refresh>0</refresh>',
      ),
    );
    expect(r.ok && r.value).toEqual({
      state: 'active',
      refreshS: null,
      lastActive: null,
      contentType: null,
    });
    const big = parseIsComposing(body('<state>active</state><refresh>99999999999</refresh>'));
    expect(big.ok && big.value.refreshS).toBeNull();
  });

  it.each([
    [body('<state>typing</state>'), 'bad-state'],
    [body(''), 'bad-state'],
    ['<isComposing><state>active</state></isComposing>', 'wrong-document'],
    [
      `<isComposing xmlns="urn:ietf:params:xml:ns:im-composing"><state>active</state></isComposing>`,
      'wrong-document',
    ],
    [`<!DOCTYPE x><isComposing xmlns="${NS}"/>`, 'xml'],
    [body(`<state>active</state>${' '.repeat(5000)}`), 'xml'],
  ])('refuses %j', (input, kind) => {
    const r = parseIsComposing(input);
    expect(r.ok ? 'ok' : r.error.kind).toBe(kind);
  });

  it('round-trips what buildIsComposing writes', () => {
    const at = new Date(Date.UTC(2024, 4, 6, 7, 8, 9));
    const active = buildIsComposing({ state: 'active', refreshS: 60, lastActive: at });
    expect(active).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<isComposing xmlns="${NS}"><state>active</state><lastactive>2024-05-06T07:08:09.000Z</lastactive><contenttype>text/plain</contenttype><refresh>60</refresh></isComposing>`,
    );
    expect(parseIsComposing(active)).toEqual({
      ok: true,
      value: { state: 'active', refreshS: 60, lastActive: at.getTime(), contentType: 'text/plain' },
    });
    // refresh is only for 'active'; bad optional values are left out.
    const idle = buildIsComposing({
      state: 'idle',
      refreshS: 60,
      contentType: '<x>',
      lastActive: new Date(Number.NaN),
    });
    expect(idle).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<isComposing xmlns="${NS}"><state>idle</state></isComposing>`,
    );
    expect(buildIsComposing({ state: 'active', refreshS: 0.5 })).not.toContain('refresh');
  });
});

function sender(options: { idleTimeoutMs?: number; refreshIntervalMs?: number } = {}) {
  const clock = new ManualScheduler();
  const sent: Array<ComposingIndication & { at: number }> = [];
  const s = new ComposingSender({
    scheduler: clock,
    send: (i) => sent.push({ ...i, at: clock.now() }),
    ...options,
  });
  return { clock, sent, s };
}

describe('ComposingSender', () => {
  it('sends one active on the first edit, none for further edits', () => {
    const { clock, sent, s } = sender();
    s.edited();
    for (let i = 0; i < 50; i++) {
      clock.advance(100);
      s.edited();
    }
    expect(sent).toEqual([{ state: 'active', refreshS: 60, at: 0 }]);
    expect(s.state).toBe('active');
  });

  it('goes idle 15 s after the last edit and says so', () => {
    const { clock, sent, s } = sender();
    s.edited();
    clock.advance(10_000);
    s.edited();
    clock.advance(14_999);
    expect(s.state).toBe('active');
    clock.advance(1);
    expect(s.state).toBe('idle');
    expect(sent.map((x) => [x.state, x.at])).toEqual([
      ['active', 0],
      ['idle', 25_000],
    ]);
    expect(clock.pending).toBe(0);
  });

  it('refreshes active once per refresh interval while the user keeps typing', () => {
    const { clock, sent, s } = sender();
    s.edited();
    for (let t = 0; t < 150_000; t += 5_000) {
      clock.advance(5_000);
      s.edited();
    }
    const actives = sent.filter((x) => x.state === 'active').map((x) => x.at);
    expect(actives).toEqual([0, 60_000, 120_000]);
  });

  it('sending the message goes idle without an indication; the next edit starts a new active period', () => {
    const { clock, sent, s } = sender();
    s.edited();
    clock.advance(3_000);
    s.messageSent();
    expect(s.state).toBe('idle');
    clock.advance(100_000);
    expect(sent).toHaveLength(1);
    s.edited();
    expect(sent.map((x) => [x.state, x.at])).toEqual([
      ['active', 0],
      ['active', 103_000],
    ]);
  });

  it('stop() tells the peer only when they see us typing', () => {
    const { sent, s } = sender();
    s.stop();
    expect(sent).toEqual([]);
    s.edited();
    s.stop();
    expect(sent.map((x) => x.state)).toEqual(['active', 'idle']);
  });

  it('over an hour of typing in bursts sends at most two indications per idle period', () => {
    const { clock, sent, s } = sender();
    let periods = 0;
    for (let minute = 0; minute < 60; minute++) {
      for (let k = 0; k < 20; k++) {
        s.edited();
        clock.advance(500);
      }
      clock.advance(50_000); // a pause longer than the idle timeout
      periods++;
    }
    expect(sent.length).toBeLessThanOrEqual(2 * periods);
    expect(sent.filter((x) => x.state === 'active')).toHaveLength(periods);
  });

  it('honours custom timeouts', () => {
    const { clock, sent, s } = sender({ idleTimeoutMs: 2_000, refreshIntervalMs: 90_000 });
    s.edited();
    clock.advance(2_000);
    expect(sent).toEqual([
      { state: 'active', refreshS: 90, at: 0 },
      { state: 'idle', at: 2_000 },
    ]);
  });
});

function receiver() {
  const clock = new ManualScheduler();
  const changes: Array<[boolean, number]> = [];
  const r = new ComposingReceiver({
    scheduler: clock,
    onChange: (a) => changes.push([a, clock.now()]),
  });
  return { clock, changes, r };
}

const active = (
  refreshS: number | null = null,
  contentType: string | null = 'text/plain',
): IsComposing => ({
  state: 'active',
  refreshS,
  lastActive: null,
  contentType,
});
const idle: IsComposing = { state: 'idle', refreshS: null, lastActive: null, contentType: null };

describe('ComposingReceiver', () => {
  it('shows typing until the refresh they announced passes', () => {
    const { clock, changes, r } = receiver();
    r.indication(active(30));
    expect(r.active).toBe(true);
    expect(r.contentType).toBe('text/plain');
    clock.advance(29_999);
    expect(r.active).toBe(true);
    clock.advance(1);
    expect(changes).toEqual([
      [true, 0],
      [false, 30_000],
    ]);
  });

  it('uses 120 s when no refresh was given, and a new active restarts the clock', () => {
    const { clock, changes, r } = receiver();
    r.indication(active());
    clock.advance(100_000);
    r.indication(active());
    clock.advance(119_999);
    expect(r.active).toBe(true);
    clock.advance(1);
    expect(changes).toEqual([
      [true, 0],
      [false, 220_000],
    ]);
  });

  it('clamps a refresh that would keep "typing" up for days', () => {
    const { clock, r } = receiver();
    r.indication(active(10 ** 8));
    clock.advance(MAX_RECEIVER_REFRESH_S * 1000);
    expect(r.active).toBe(false);
  });

  it('goes idle on "idle" and on a message from the peer, with no timer left', () => {
    const { clock, changes, r } = receiver();
    r.indication(active(60));
    r.indication(idle);
    r.indication(active(60));
    clock.advance(1_000);
    r.messageReceived();
    expect(changes).toEqual([
      [true, 0],
      [false, 0],
      [true, 0],
      [false, 1_000],
    ]);
    expect(clock.pending).toBe(0);
  });

  it('dispose() leaves no timer and reports nothing more', () => {
    const { clock, changes, r } = receiver();
    r.indication(active(60));
    r.dispose();
    clock.runAll();
    expect(changes).toEqual([[true, 0]]);
    expect(clock.pending).toBe(0);
  });

  describe('on vitest fake timers through the system scheduler', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('expires and idles on the real timer functions', () => {
      vi.useFakeTimers();
      const changes: boolean[] = [];
      const sent: string[] = [];
      const r = new ComposingReceiver({ onChange: (a) => changes.push(a) });
      const s = new ComposingSender({ send: (i) => sent.push(i.state) });
      r.indication(active(5));
      s.edited();
      vi.advanceTimersByTime(5_000);
      expect(changes).toEqual([true, false]);
      vi.advanceTimersByTime(10_000);
      expect(sent).toEqual(['active', 'idle']);
    });
  });
});
