// Issue 15's subscription failures in the real renderer (Debian's Chromium) against the lab's
// Kamailio: a colleague's SUBSCRIBEs are routed to a SIPp notifier registered as them that
//   - answers the refresh with 481 (a notifier that lost the subscription): the app starts a
//     new subscription (new Call-ID) and the lamp is back;
//   - ends the subscription with `terminated;reason=probation;retry-after=1`: the app SUBSCRIBEs
//     again, after the terminating NOTIFY, with a new Call-ID;
// and after the connection drops (the lab's WebSocket front closes it), every lamp resubscribes
// to the presence server at a bounded rate: at most burst + rate (5 + 5) new SUBSCRIBEs in any
// second of the page's own clock (the token bucket's bound on that clock, which CPU load can only
// spread further apart), and every lamp shows free again. Waits are for events only.
import { describe, expect, it } from 'vitest';
import type { SippTraceEntry } from '../lab/sipp';
import { useLab } from '../support/use-lab';
import { signIn, useE2eEnv } from '../support/e2e-env';
import { LampsPage } from '../support/lamps-page';
import { PhonePage } from '../support/phone-page';
import { DEFAULT_RESUBSCRIBE_RATE } from '../../src-renderer/src/lib/presence/resubscribe-queue';

const WIDE = { viewport: { width: 1400, height: 900 } };

const lab = useLab({
  name: 'e2e-lamps-subscriptions',
  presence: true,
  rtpengine: false,
  forwardSubscribe: ['carol', 'dave'],
});
const env = useE2eEnv();

const isSubscribe = (e: SippTraceEntry): boolean =>
  e.dir === 'received' && e.message.method === 'SUBSCRIBE';
const eventOf = (e: SippTraceEntry): string => e.message.header('Event') ?? '';
/** The app's 481 answers to the notifier's NOTIFYs (the notifier also ends with an error on one). */
const notifyRefusals = (trace: SippTraceEntry[]): SippTraceEntry[] =>
  trace.filter(
    (e) =>
      e.dir === 'received' &&
      e.message.status === 481 &&
      /NOTIFY/.test(e.message.header('CSeq') ?? ''),
  );

/** Header value of a raw SIP message text ('' when absent). */
function header(text: string, name: string): string {
  const head = text.split('\r\n\r\n')[0] ?? '';
  return new RegExp(`^${name}[ \\t]*:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
}

/** The page's new-dialog SUBSCRIBEs (no To tag), first transmission per Call-ID, page clock. */
function newSubscribes(sent: { t: number; text: string }[]): { t: number; callId: string }[] {
  const seen = new Set<string>();
  const out: { t: number; callId: string }[] = [];
  for (const m of sent) {
    const callId = header(m.text, 'Call-ID');
    if (!m.text.startsWith('SUBSCRIBE ') || /;\s*tag=/i.test(header(m.text, 'To'))) {
      continue;
    }
    if (!seen.has(callId)) {
      seen.add(callId);
      out.push({ t: m.t, callId });
    }
  }
  return out;
}

/** The most `times` (ms, sorted) that fall in any window of `windowMs`. */
function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  let from = 0;
  for (let to = 0; to < times.length; to++) {
    while ((times[to] ?? 0) - (times[from] ?? 0) >= windowMs) {
      from += 1;
    }
    best = Math.max(best, to - from + 1);
  }
  return best;
}

describe('subscription failures from a SIPp notifier', () => {
  it('a 481 to the refresh starts a new subscription and the lamp comes back', async () => {
    const notifier = await lab.lab.startSippNotifier({
      user: 'carol',
      mode: 'refresh-481',
      events: ['dialog', 'presence'],
      // Refreshed 5 s before the end (resubscribe.ts refreshDelayMs).
      expires: 10,
    });
    const alice = await PhonePage.open(await env.browser(440), env.server, WIDE);
    try {
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');
      const lamps = new LampsPage(alice);
      await lamps.add('carol', notifier.uri);
      await lamps.waitForState(notifier.uri, 'idle', 60_000);

      const first = await notifier.waitForTrace((e) => isSubscribe(e) && eventOf(e) === 'dialog');
      const isRefusal = (e: SippTraceEntry): boolean =>
        e.dir === 'sent' && e.message.status === 481 && e.message.callId === first.message.callId;
      await notifier.waitForTrace(isRefusal, 30_000);
      // trace() parses the log afresh each time: positions, not objects, carry over.
      const after = notifier.trace().findIndex(isRefusal);
      const again = await notifier.waitForTrace(
        (e) =>
          isSubscribe(e) && eventOf(e) === 'dialog' && e.message.callId !== first.message.callId,
        30_000,
        after,
      );
      // A new subscription: no To tag (not a refresh of the lost one).
      expect(again.message.header('To')).not.toMatch(/;\s*tag=/i);
      // The new dialog subscription's NOTIFY is taken (200), and the lamp shows it.
      await notifier.waitForTrace(
        (e) =>
          e.dir === 'received' &&
          e.message.status === 200 &&
          /NOTIFY/.test(e.message.header('CSeq') ?? '') &&
          e.message.callId === again.message.callId,
        60_000,
        after,
      );
      await lamps.waitForState(notifier.uri, 'idle', 60_000);
      // Every NOTIFY was taken, also one that overtook the 200 to its SUBSCRIBE.
      expect(notifyRefusals(notifier.trace())).toEqual([]);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await notifier.stop();
    }
  });

  it('a terminated NOTIFY with retry-after is followed by a new SUBSCRIBE', async () => {
    const notifier = await lab.lab.startSippNotifier({
      user: 'dave',
      mode: 'terminate',
      events: ['dialog', 'presence'],
      reason: 'probation',
      retryAfter: 1,
      // Ends each subscription a moment after its first NOTIFY, as a server does.
      terminateAfterMs: 500,
    });
    const alice = await PhonePage.open(await env.browser(440), env.server, WIDE);
    try {
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');
      const lamps = new LampsPage(alice);
      await lamps.add('dave', notifier.uri);

      const first = await notifier.waitForTrace((e) => isSubscribe(e) && eventOf(e) === 'dialog');
      const isTermination = (e: SippTraceEntry): boolean =>
        e.dir === 'sent' &&
        e.message.method === 'NOTIFY' &&
        e.message.callId === first.message.callId &&
        /^terminated;reason=probation;retry-after=1/.test(
          e.message.header('Subscription-State') ?? '',
        );
      await notifier.waitForTrace(isTermination, 30_000);
      // trace() parses the log afresh each time: positions, not objects, carry over.
      const after = notifier.trace().findIndex(isTermination);
      const again = await notifier.waitForTrace(
        (e) =>
          isSubscribe(e) && eventOf(e) === 'dialog' && e.message.callId !== first.message.callId,
        30_000,
        after,
      );
      expect(again.message.header('To')).not.toMatch(/;\s*tag=/i);
      // The app took the terminating NOTIFY (200) before it subscribed again.
      const trace = notifier.trace();
      const ok = trace.findIndex(
        (e, i) =>
          i > after &&
          e.dir === 'received' &&
          e.message.status === 200 &&
          e.message.callId === first.message.callId,
      );
      expect(ok).toBeGreaterThan(after);
      expect(ok).toBeLessThan(
        trace.findIndex((e) => isSubscribe(e) && e.message.callId === again.message.callId),
      );
      expect(notifyRefusals(trace)).toEqual([]);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await notifier.stop();
    }
  });
});

describe('reconnect', () => {
  it('resubscribes every lamp at a bounded rate after the connection drops', async () => {
    const LAMPS = 15;
    const front = await lab.lab.startWsFront({ mode: 'forward' });
    const alice = await PhonePage.open(await env.browser(440), env.server, WIDE);
    try {
      const extensions = Array.from({ length: LAMPS }, (_, i) => String(301 + i));
      await alice.bridge.settings.update({
        lamps: extensions.map((target) => ({ target, label: '', accountId: null })),
      });
      await signIn(alice, lab.lab.account('alice'), undefined, front.url);
      await alice.waitForRegistration('registered');
      const lamps = new LampsPage(alice);
      const aors = extensions.map((e) => `sip:${e}@${lab.lab.domain}`);
      for (const aor of aors) {
        await lamps.waitForState(aor, 'idle', 60_000);
      }

      const before = (await alice.sipSent()).length;
      const opens = await alice.sipOpens();
      front.dropClients();
      await expect.poll(() => alice.sipOpens(), { timeout: 30_000 }).toBe(opens + 1);
      await alice.waitForRegistration('registered', 30_000);
      // A dialog and a presence subscription per lamp, and our message-summary.
      const expected = LAMPS * 2 + 1;
      await expect
        .poll(async () => newSubscribes((await alice.sipSent()).slice(before)).length, {
          timeout: 60_000,
        })
        .toBeGreaterThanOrEqual(expected);
      for (const aor of aors) {
        await lamps.waitForState(aor, 'idle', 60_000);
      }

      const times = newSubscribes((await alice.sipSent()).slice(before)).map((s) => s.t);
      const { burst, ratePerSecond } = DEFAULT_RESUBSCRIBE_RATE;
      // Not a storm: never more than the bucket allows in one second...
      expect(maxInWindow(times, 1000)).toBeLessThanOrEqual(burst + ratePerSecond);
      // ...and not all at once either (31 SUBSCRIBEs need more than one second at 5/s).
      expect(maxInWindow(times, 1000)).toBeLessThan(expected);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await front.stop();
    }
  });
});
