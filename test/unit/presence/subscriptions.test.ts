// Owns the unit tests of subscription lifetime handling: the Subscription-State header
// (subscription-state.ts), the refresh and resubscribe decisions (resubscribe.ts), and the
// bounded-rate queue that keeps many resubscriptions from becoming a storm (resubscribe-queue.ts).
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  parseDeltaSeconds,
  parseSubscriptionState,
} from '../../../src-renderer/src/lib/presence/subscription-state';
import {
  backoffMs,
  DEFAULT_RETRY_POLICY,
  endFromSubscriberTermination,
  planResubscribe,
  refreshDelayMs,
  type SubscriptionEnd,
} from '../../../src-renderer/src/lib/presence/resubscribe';
import {
  planSpread,
  RateLimitedQueue,
  type RateLimit,
} from '../../../src-renderer/src/lib/presence/resubscribe-queue';
import { systemScheduler } from '../../../src-renderer/src/lib/scheduler';
import { ManualScheduler } from '../../support/manual-scheduler';

const mid = () => 0.5; // random() in the middle: no jitter effect on ±jitter back-offs
const zero = () => 0;

describe('parseSubscriptionState', () => {
  it.each([
    ['active;expires=3600', { state: 'active', expiresS: 3600, reason: null, retryAfterS: null }],
    ['pending; expires = 60', { state: 'pending', expiresS: 60 }],
    ['ACTIVE;Expires=10', { state: 'active', value: 'active', expiresS: 10 }],
    [
      'terminated;reason=timeout',
      { state: 'terminated', reason: 'timeout', reasonText: 'timeout' },
    ],
    ['terminated;reason=probation;retry-after=30', { reason: 'probation', retryAfterS: 30 }],
    [
      'terminated;retry-after=30;reason=GiveUp',
      { reason: 'giveup', reasonText: 'giveup', retryAfterS: 30 },
    ],
    ['terminated;reason=moved', { state: 'terminated', reason: null, reasonText: 'moved' }],
    ['terminated', { state: 'terminated', reason: null, reasonText: null }],
    ['active;foo="a;b=c";expires=5', { state: 'active', expiresS: 5 }],
    ['active;expires=99999999999', { expiresS: 2 ** 32 - 1 }],
    ['active;expires=soon', { expiresS: null }],
    ['active;expires=1;expires=2', { expiresS: 1 }],
    ['frozen;expires=5', { state: null, value: 'frozen', expiresS: 5 }],
    ['active;', { state: 'active' }],
  ])('%j', (header, expected) => {
    const r = parseSubscriptionState(header);
    expect(r.ok && r.value).toMatchObject(expected);
  });

  it.each([
    [''],
    ['   '],
    [null],
    [undefined],
    ['a b'],
    ['active;x="open'],
    ['"active"'],
    ['x'.repeat(2000)],
  ])('refuses %j with a sentence', (header) => {
    const r = parseSubscriptionState(header);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/^The .*\.$/);
  });

  it('reads delta-seconds as digits only', () => {
    expect(parseDeltaSeconds('0')).toBe(0);
    expect(parseDeltaSeconds(' 42 ')).toBe(42);
    expect(parseDeltaSeconds('4.2')).toBeNull();
    expect(parseDeltaSeconds('-1')).toBeNull();
  });
});

describe('planResubscribe after a terminated NOTIFY (RFC 6665 §4.1.3)', () => {
  const notify = (reason: string | null, retryAfterS: number | null = null): SubscriptionEnd => ({
    kind: 'notify-terminated',
    reason,
    retryAfterS,
  });

  it.each(['rejected', 'noresource', 'invariant', 'REJECTED'])('stops for %s', (reason) => {
    expect(planResubscribe(notify(reason), 0).action).toBe('stop');
    expect(planResubscribe(notify(reason, 5), 0).action).toBe('stop');
  });

  it.each(['deactivated', 'timeout'])(
    'resubscribes at once for %s, backed off when it repeats',
    (reason) => {
      expect(planResubscribe(notify(reason), 0, { random: mid })).toMatchObject({
        action: 'resubscribe',
        delayMs: 0,
      });
      expect(planResubscribe(notify(reason), 1, { random: mid })).toMatchObject({ delayMs: 5_000 });
      expect(planResubscribe(notify(reason), 3, { random: mid })).toMatchObject({
        delayMs: 20_000,
      });
    },
  );

  it.each(['probation', 'giveup', null, 'moved'])('waits the retry-after for %s', (reason) => {
    expect(planResubscribe(notify(reason, 30), 0, { random: zero })).toMatchObject({
      action: 'resubscribe',
      delayMs: 30_000,
    });
  });

  it.each(['probation', 'giveup', null, 'moved'])(
    'backs off for %s without retry-after (never at once)',
    (reason) => {
      const plan = planResubscribe(notify(reason), 0, { random: mid });
      expect(plan).toMatchObject({
        action: 'resubscribe',
        delayMs: DEFAULT_RETRY_POLICY.baseBackoffMs,
      });
    },
  );

  it('honours retry-after even for deactivated, spreads it by up to +jitter, caps it', () => {
    expect(planResubscribe(notify('deactivated', 10), 0, { random: zero })).toMatchObject({
      delayMs: 10_000,
    });
    expect(planResubscribe(notify('deactivated', 10), 0, { random: () => 0.999 })).toMatchObject({
      delayMs: Math.round(10_000 * (1 + 0.2 * 0.999)),
    });
    expect(planResubscribe(notify('giveup', 10 ** 9), 0, { random: zero })).toMatchObject({
      delayMs: DEFAULT_RETRY_POLICY.maxRetryAfterMs,
    });
  });

  it('gives a cause sentence naming the reason', () => {
    const plan = planResubscribe(notify('probation', 1), 0);
    expect(plan.cause).toBe('The server ended the subscription (probation).');
  });
});

describe('planResubscribe after a response or no response', () => {
  const response = (
    status: number,
    extra: Partial<Extract<SubscriptionEnd, { kind: 'response' }>> = {},
  ) => planResubscribe({ kind: 'response', status, ...extra }, 0, { random: mid });

  it('481: a new subscription at once', () => {
    expect(response(481)).toMatchObject({ action: 'resubscribe', delayMs: 0 });
    expect(planResubscribe({ kind: 'response', status: 481 }, 2, { random: mid })).toMatchObject({
      delayMs: 10_000,
    });
  });

  it('423: again with Min-Expires, or stop without it', () => {
    expect(response(423, { minExpiresS: 600 })).toMatchObject({
      action: 'resubscribe',
      delayMs: 0,
      expiresS: 600,
    });
    expect(response(423).action).toBe('stop');
    expect(response(423, { minExpiresS: 10 ** 6 }).action).toBe('stop');
  });

  it.each([300, 302, 400, 401, 403, 404, 405, 407, 415, 420, 488, 489, 501, 603, 604, 606])(
    '%i: stop',
    (status) => {
      const plan = response(status);
      expect(plan.action).toBe('stop');
      expect(plan.cause).toMatch(new RegExp(`\\(${status}\\)\\.$`));
    },
  );

  it.each([408, 480, 486, 500, 503, 504, 580, 600])(
    '%i: retry after Retry-After, else a back-off',
    (status) => {
      expect(response(status, { retryAfterS: 120 })).toMatchObject({
        action: 'resubscribe',
        delayMs: 120_000 * 1.1,
      });
      expect(response(status)).toMatchObject({ action: 'resubscribe', delayMs: 5_000 });
    },
  );

  it.each([
    'timeout',
    'transport-error',
    'non-ok-response',
    'bad-notify',
    'bad-ok-response',
  ] as const)('%s: back-off', (kind) => {
    expect(planResubscribe({ kind }, 2, { random: mid })).toMatchObject({
      action: 'resubscribe',
      delayMs: 20_000,
    });
  });

  it('auth failure and our own unsubscribe: stop', () => {
    expect(planResubscribe({ kind: 'auth-failed' }, 0).action).toBe('stop');
    expect(planResubscribe({ kind: 'unsubscribed' }, 0).action).toBe('stop');
  });
});

describe('back-off and refresh timing', () => {
  it('doubles from the base to the cap, with ±jitter', () => {
    expect([0, 1, 2, 3, 10, 1000].map((n) => backoffMs(n, { random: mid }))).toEqual([
      5_000, 10_000, 20_000, 40_000, 600_000, 600_000,
    ]);
    expect(backoffMs(0, { random: zero })).toBe(4_000);
    expect(backoffMs(0, { random: () => 0.999999 })).toBe(6_000);
    expect(backoffMs(1, { policy: { baseBackoffMs: 1_000, jitter: 0 } })).toBe(2_000);
  });

  it('refreshes like JsSIP: in [E/2, E−70 s] for E ≥ 140 s, else 5 s early (never before E/2)', () => {
    expect(refreshDelayMs(3600, zero)).toBe(1_800_000);
    expect(refreshDelayMs(3600, () => 0.999999)).toBeLessThanOrEqual(3_530_000);
    expect(refreshDelayMs(3600, () => 0.999999)).toBeGreaterThan(3_529_000);
    expect(refreshDelayMs(140, () => 0.7)).toBe(70_000);
    expect(refreshDelayMs(60, mid)).toBe(55_000);
    expect(refreshDelayMs(6, mid)).toBe(3_000);
    expect(refreshDelayMs(0, mid)).toBe(0);
    expect(refreshDelayMs(-5, mid)).toBe(0);
  });

  it('spreads 50 refreshes of the same lifetime over a wide window', () => {
    let i = 0;
    const random = () => (i++ % 50) / 50;
    const delays = Array.from({ length: 50 }, () => refreshDelayMs(3600, random));
    expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(1_500_000);
  });
});

describe('endFromSubscriberTermination (JsSIP Subscriber.C codes)', () => {
  it.each([
    [0, 'timeout'],
    [1, 'transport-error'],
    [2, 'non-ok-response'],
    [3, 'bad-ok-response'],
    [4, 'auth-failed'],
    [5, 'unsubscribed'],
    [7, 'bad-notify'],
    [99, 'bad-notify'],
  ])('%i → %s', (code, kind) => {
    expect(endFromSubscriberTermination(code).kind).toBe(kind);
  });

  it('carries the reason and retry-after of a final NOTIFY', () => {
    expect(endFromSubscriberTermination(6, 'probation', 30)).toEqual({
      kind: 'notify-terminated',
      reason: 'probation',
      retryAfterS: 30,
    });
    expect(endFromSubscriberTermination(6, undefined, Number.NaN)).toEqual({
      kind: 'notify-terminated',
      reason: null,
      retryAfterS: null,
    });
  });
});

/** Most events in any window of `windowMs` (sorted times). */
function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi]! - times[lo]! >= windowMs) {
      lo++;
    }
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('planSpread (no storm)', () => {
  const limit: RateLimit = { ratePerSecond: 5, burst: 5 };

  it('sends the burst at once, then one per 1/rate', () => {
    expect(planSpread(8, limit, 1000)).toEqual([1000, 1000, 1000, 1000, 1000, 1200, 1400, 1600]);
  });

  it('never exceeds burst + rate × window in any window, for many N and limits', () => {
    for (const l of [limit, { ratePerSecond: 2, burst: 1 }, { ratePerSecond: 20, burst: 10 }]) {
      for (const n of [0, 1, 5, 50, 500]) {
        const times = planSpread(n, l);
        expect(times).toHaveLength(n);
        for (const windowMs of [1, 1000, 5000]) {
          const bound = l.burst + Math.floor((windowMs * l.ratePerSecond) / 1000);
          expect(maxInWindow(times, windowMs)).toBeLessThanOrEqual(bound);
        }
        if (n > l.burst) {
          expect(times[n - 1]).toBeCloseTo(((n - l.burst) * 1000) / l.ratePerSecond, 6);
        }
      }
    }
  });

  it('treats a nonsense limit as 1 per second, 1 at once', () => {
    expect(planSpread(3, { ratePerSecond: 0, burst: -4 })).toEqual([0, 1000, 2000]);
  });
});

describe('RateLimitedQueue', () => {
  function drain(limit: RateLimit, n: number, delays: (i: number) => number = () => 0) {
    const clock = new ManualScheduler(10_000);
    const queue = new RateLimitedQueue(limit, clock);
    const ran: Array<[string, number]> = [];
    for (let i = 0; i < n; i++) {
      queue.enqueue(`lamp${i}`, () => ran.push([`lamp${i}`, clock.now()]), delays(i));
    }
    clock.runAll();
    return { ran, queue, clock };
  }

  it("runs 50 resubscriptions on exactly planSpread's schedule, in order", () => {
    const limit = { ratePerSecond: 5, burst: 5 };
    const { ran, queue, clock } = drain(limit, 50);
    expect(ran.map(([k]) => k)).toEqual(Array.from({ length: 50 }, (_, i) => `lamp${i}`));
    const times = ran.map(([, t]) => t);
    const planned = planSpread(50, limit, 10_000);
    times.forEach((t, i) => expect(t).toBeCloseTo(planned[i]!, 6));
    expect(queue.size).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it('holds an item until its delay, then applies the rate', () => {
    const { ran } = drain({ ratePerSecond: 1, burst: 1 }, 3, (i) => (i === 0 ? 5_000 : 0));
    expect(ran).toEqual([
      ['lamp1', 10_000],
      ['lamp2', 11_000],
      ['lamp0', 15_000],
    ]);
  });

  it('refills while idle: a later burst goes at once again', () => {
    const clock = new ManualScheduler();
    const queue = new RateLimitedQueue({ ratePerSecond: 1, burst: 3 }, clock);
    const ran: number[] = [];
    for (let i = 0; i < 3; i++) {
      queue.enqueue(`a${i}`, () => ran.push(clock.now()));
    }
    clock.advance(60_000);
    for (let i = 0; i < 3; i++) {
      queue.enqueue(`b${i}`, () => ran.push(clock.now()));
    }
    expect(ran).toEqual([0, 0, 0, 60_000, 60_000, 60_000]);
  });

  it('replaces a waiting key instead of queuing it twice, and cancels', () => {
    const clock = new ManualScheduler();
    const queue = new RateLimitedQueue({ ratePerSecond: 1, burst: 1 }, clock);
    const ran: string[] = [];
    queue.enqueue('busy', () => ran.push('busy'));
    queue.enqueue('x', () => ran.push('x-old'));
    queue.enqueue('x', () => ran.push('x-new'));
    queue.enqueue('y', () => ran.push('y'));
    expect(queue.size).toBe(2);
    expect(queue.cancel('y')).toBe(true);
    expect(queue.cancel('y')).toBe(false);
    expect(queue.has('x')).toBe(true);
    clock.runAll();
    expect(ran).toEqual(['busy', 'x-new']);
  });

  it('clear() drops everything and leaves no timer', () => {
    const clock = new ManualScheduler();
    const queue = new RateLimitedQueue({ ratePerSecond: 1, burst: 1 }, clock);
    const ran: string[] = [];
    for (const k of ['a', 'b', 'c']) {
      queue.enqueue(k, () => ran.push(k));
    }
    queue.clear();
    clock.runAll();
    expect(ran).toEqual(['a']);
    expect(clock.pending).toBe(0);
  });

  it('a throwing callback does not stop the queue', () => {
    const clock = new ManualScheduler();
    const queue = new RateLimitedQueue({ ratePerSecond: 10, burst: 1 }, clock);
    const ran: string[] = [];
    queue.enqueue('bad', () => {
      throw new Error('boom');
    });
    queue.enqueue('good', () => ran.push('good'));
    clock.runAll();
    expect(ran).toEqual(['good']);
  });

  it('a callback that re-enqueues itself (a failure retried at once) is still rate-limited', () => {
    const clock = new ManualScheduler();
    const queue = new RateLimitedQueue({ ratePerSecond: 2, burst: 2 }, clock);
    const times: number[] = [];
    const attempt = (): void => {
      times.push(clock.now());
      if (times.length < 10) {
        queue.enqueue('loop', attempt);
      }
    };
    queue.enqueue('loop', attempt);
    clock.runAll();
    expect(times).toHaveLength(10);
    expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(2 + 2);
    expect(times[9]).toBe(4_000);
  });

  describe('with the system scheduler under fake timers', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    it('spreads 20 items over the timers', () => {
      vi.useFakeTimers();
      const queue = new RateLimitedQueue({ ratePerSecond: 10, burst: 5 }, systemScheduler);
      const start = performance.now();
      const at: number[] = [];
      for (let i = 0; i < 20; i++) {
        queue.enqueue(`k${i}`, () => at.push(Math.round(performance.now() - start)));
      }
      expect(at).toHaveLength(5);
      vi.advanceTimersByTime(1_000);
      expect(at).toHaveLength(15);
      vi.advanceTimersByTime(1_000);
      expect(at).toEqual(planSpread(20, { ratePerSecond: 10, burst: 5 }).map(Math.round));
    });
  });
});
