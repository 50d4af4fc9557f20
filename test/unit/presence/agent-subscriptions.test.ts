// Owns "subscriptions done right" through the real engine and JsSIP on the loop server: refresh
// before expiry; 481 to a refresh → a new subscription at once; a terminated NOTIFY with
// retry-after → a new one after that delay and not before; 423 → again with Min-Expires;
// 503 with Retry-After → after it; 489 → never again, with a reason; no NOTIFY after the 2xx →
// given up within the bound; after a reconnect everything resubscribes at a bounded rate; the
// engine stopping and the app quitting send an un-SUBSCRIBE for every subscription.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLogSink } from '../../../src-renderer/src/lib/logger';
import { NOTIFY_WAIT_MS } from '../../../src-renderer/src/lib/presence/subscription';
import { header, type SipMessage } from '../../support/loop-sip';
import {
  agentHarness,
  BOB,
  dialogInfo,
  expiresOf,
  isInitial,
  subscribes,
  until,
  type AgentHarness,
} from './agent-harness';

afterEach(() => {
  vi.useRealTimers();
  setLogSink(() => {});
});

const initials = (h: AgentHarness, user = 'bob'): SipMessage[] =>
  subscribes(h, 'dialog', user).filter(isInitial);
const refreshes = (h: AgentHarness, user = 'bob'): SipMessage[] =>
  subscribes(h, 'dialog', user).filter((m) => !isInitial(m));
const atOf = new WeakMap<SipMessage, number>();

/** Records the fake time at which each SUBSCRIBE reached the server. */
function stampSubscribes(h: AgentHarness): void {
  const handle = h.server.onSubscribe;
  h.server.onSubscribe = (m) => {
    atOf.set(m, Date.now());
    handle(m);
  };
}

describe('refresh and resubscription on the loop server', () => {
  it('refreshes before the granted expiry runs out', async () => {
    const h = await agentHarness();
    h.server.onSubscribe = (m) => h.server.acceptSubscribe(m, { maxExpires: 120 });
    stampSubscribes(h);
    const start = Date.now();
    h.agent.watch({ dialog: [BOB], presence: [] });
    await until(() => refreshes(h).length === 1, 120_000, 50);
    const at = atOf.get(refreshes(h)[0]!)!;
    expect(at - start).toBeLessThan(120_000);
    expect(at - start).toBeGreaterThanOrEqual(60_000);
    expect(h.agent.subscriptionStatus('dialog', BOB)?.state).toBe('active');
  });

  it('starts a new subscription at once when a refresh gets 481', async () => {
    const h = await agentHarness();
    h.server.onSubscribe = (m) =>
      isInitial(m)
        ? h.server.acceptSubscribe(m, { maxExpires: 60 })
        : h.server.reply(m, 481, 'Subscription Does Not Exist');
    stampSubscribes(h);
    h.agent.watch({ dialog: [BOB], presence: [] });
    await until(() => refreshes(h).length === 1, 70_000, 50);
    await until(() => initials(h).length === 2, 1000);
    // "At once": the new SUBSCRIBE follows the 481 without a back-off.
    expect(atOf.get(initials(h)[1]!)! - atOf.get(refreshes(h)[0]!)!).toBeLessThan(100);
    expect(header(initials(h)[1]!, 'call-id')).not.toBe(header(initials(h)[0]!, 'call-id'));
    await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state === 'active');
  });

  it('waits out retry-after from a terminated NOTIFY, then subscribes again', async () => {
    const h = await agentHarness();
    stampSubscribes(h);
    h.agent.watch({ dialog: [BOB], presence: [] });
    await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state === 'active');
    const first = initials(h)[0]!;
    h.server.notify(first, {
      state: 'terminated;reason=probation;retry-after=30',
      body: dialogInfo(1, 'full'),
    });
    const ended = Date.now();
    await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state === 'retrying');
    expect(h.agent.lamp(BOB).state).toBe('unknown');
    await vi.advanceTimersByTimeAsync(29_000);
    expect(initials(h)).toHaveLength(1);
    await until(() => initials(h).length === 2, 2000);
    expect(atOf.get(initials(h)[1]!)! - ended).toBeGreaterThanOrEqual(30_000);
    await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state === 'active');
  });

  it('asks again with Min-Expires after 423', async () => {
    const h = await agentHarness();
    h.server.onSubscribe = (m) =>
      expiresOf(m) < 7200
        ? h.server.reply(m, 423, 'Interval Too Brief', { headers: ['Min-Expires: 7200'] })
        : h.server.acceptSubscribe(m, { maxExpires: 7200 });
    h.agent.watch({ dialog: [BOB], presence: [] });
    await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state === 'active');
    expect(initials(h).map(expiresOf)).toEqual([3600, 7200]);
  });

  it('honours Retry-After on 503 and stops for good on 489 with a reason', async () => {
    const h = await agentHarness();
    stampSubscribes(h);
    h.server.onSubscribe = (m) => {
      atOf.set(m, Date.now());
      if (initials(h).length === 1) {
        h.server.reply(m, 503, 'Service Unavailable', { headers: ['Retry-After: 120'] });
      } else {
        h.server.reply(m, 489, 'Bad Event');
      }
    };
    h.agent.watch({ dialog: [BOB], presence: [] });
    await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state === 'retrying');
    await until(() => initials(h).length === 2, 125_000, 100);
    expect(atOf.get(initials(h)[1]!)! - atOf.get(initials(h)[0]!)!).toBeGreaterThanOrEqual(120_000);
    await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state === 'stopped');
    expect(h.agent.subscriptionStatus('dialog', BOB)).toEqual({
      state: 'stopped',
      cause: 'The server does not support this event package (489).',
    });
    expect(h.agent.lamp(BOB)).toMatchObject({ state: 'unknown', cause: /\(489\)\.$/ });
    await vi.advanceTimersByTimeAsync(3600_000);
    expect(initials(h)).toHaveLength(2);
  });

  it('gives up on a subscription whose first NOTIFY never comes, then tries again', async () => {
    const h = await agentHarness();
    h.server.onSubscribe = (m) =>
      isInitial(m) && initials(h).length === 1
        ? h.server.reply(m, 200, 'OK', { headers: ['Expires: 3600'] })
        : h.server.acceptSubscribe(m);
    h.agent.watch({ dialog: [BOB], presence: [] });
    await until(() => initials(h).length === 1);
    await vi.advanceTimersByTimeAsync(NOTIFY_WAIT_MS - 1000);
    expect(h.agent.subscriptionStatus('dialog', BOB)?.state).toBe('waiting');
    await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state === 'retrying', 2000);
    // The silent subscription was ended with an un-SUBSCRIBE in its own dialog.
    expect(refreshes(h).map(expiresOf)).toEqual([0]);
    await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state === 'active', 10_000);
  });
});

describe('reconnect and shutdown', () => {
  const fifty = Array.from({ length: 50 }, (_, i) => `sip:${200 + i}@example.com`);

  it('resubscribes everything after a reconnect, never more than 5 at once or 5 per second', async () => {
    const h = await agentHarness();
    h.agent.watch({ dialog: fifty, presence: [] });
    await until(
      () => fifty.every((aor) => h.agent.subscriptionStatus('dialog', aor)?.state === 'active'),
      20_000,
    );
    const before = h.server.requests('SUBSCRIBE').length;
    stampSubscribes(h);

    h.socket.drop();
    await until(() => h.agent.lamp(fifty[0]!).cause === 'The connection to the server was lost.');
    const t0 = Date.now();
    await until(
      () => fifty.every((aor) => h.agent.subscriptionStatus('dialog', aor)?.state === 'active'),
      30_000,
      20,
    );
    const again = h.server.requests('SUBSCRIBE').slice(before);
    // 50 lamps and our own voicemail subscription, each once, as new subscriptions.
    expect(again).toHaveLength(51);
    expect(again.every(isInitial)).toBe(true);
    const times = again.map((m) => atOf.get(m)! - t0);
    for (const t of times) {
      const inWindow = times.filter((u) => u >= t && u < t + 1000).length;
      expect(inWindow).toBeLessThanOrEqual(10); // burst 5 + 5 per second
      expect(times.filter((u) => u === t).length).toBeLessThanOrEqual(5);
    }
  });

  it('sends an un-SUBSCRIBE for every subscription when the app quits', async () => {
    const h = await agentHarness();
    h.agent.watch({ dialog: [BOB], presence: [BOB] });
    await until(() => h.agent.subscriptionStatus('presence', BOB)?.state === 'active');
    await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state === 'active');
    const stopped = h.agent.stop();
    await until(
      () => h.server.requests('SUBSCRIBE').filter((m) => expiresOf(m) === 0).length === 3,
    );
    await stopped;
    const ended = h.server.requests('SUBSCRIBE').filter((m) => expiresOf(m) === 0);
    expect(ended.map((m) => header(m, 'event')).sort()).toEqual([
      'dialog',
      'message-summary',
      'presence',
    ]);
    expect(ended.every((m) => !isInitial(m))).toBe(true);
    expect(h.agent.subscriptionStatus('dialog', BOB)).toEqual({ state: 'stopped', cause: null });
  });

  it('un-SUBSCRIBEs when the engine stops, and ends the wait when the server is silent', async () => {
    const h = await agentHarness({ stopTimeoutMs: 1500 });
    h.agent.watch({ dialog: [BOB], presence: [] });
    await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state === 'active');
    h.server.onSubscribe = () => {}; // the server never answers the un-SUBSCRIBE
    const stop = h.engine.stop();
    await until(
      () => h.server.requests('SUBSCRIBE').filter((m) => expiresOf(m) === 0).length === 2,
    );
    await stop;
    const ended = h.server.requests('SUBSCRIBE').filter((m) => expiresOf(m) === 0);
    expect(ended.map((m) => header(m, 'event')).sort()).toEqual(['dialog', 'message-summary']);
    await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state === 'stopped', 2000);
    expect(h.agent.subscriptionStatus('dialog', BOB)).toEqual({ state: 'stopped', cause: null });
  });

  it('stops watching a removed lamp with an un-SUBSCRIBE', async () => {
    const h = await agentHarness();
    h.agent.watch({ dialog: [BOB], presence: [] });
    await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state === 'active');
    h.agent.watch({ dialog: [], presence: [] });
    await until(() => refreshes(h).some((m) => expiresOf(m) === 0));
    expect(h.agent.subscriptionStatus('dialog', BOB)).toBeNull();
  });
});
