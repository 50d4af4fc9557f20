// RFC 4028 session timers against a proxy that insists on a minimum interval (Kamailio with
// Min-SE 1800): alice asks for 90 s, gets 422 with Min-SE: 1800, and calls again with
// Session-Expires: 1800; the call connects with audio. With session timers off, the INVITE has
// no Session-Expires and the proxy has nothing to reject.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { signIn, useE2eEnv, connect } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({ name: 'e2e-session-timers', rtpengine: false, minSE: 1800 });
const env = useE2eEnv();

/** Initial INVITEs (no To tag) in the order sent. */
function initialInvites(sent: { text: string }[]): string[] {
  return sent.map((m) => m.text).filter((t) => /^INVITE /.test(t) && !/^To:.*;\s*tag=/im.test(t));
}

function header(text: string, name: string): string | undefined {
  const head = text.split('\r\n\r\n')[0] ?? '';
  return new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim();
}

async function openPair(alice: { sessionTimers: boolean; sessionExpires?: number }): Promise<{
  alice: PhonePage;
  bob: PhonePage;
}> {
  const a = await PhonePage.open(await env.browser(440), env.server);
  const b = await PhonePage.open(await env.browser(880), env.server);
  const account = lab.lab.account('alice');
  await a.bridge.seedAccount(
    {
      label: 'alice@lab.test',
      websocketUri: account.wsUrl,
      sipUri: account.uri,
      sessionTimers: alice.sessionTimers,
      ...(alice.sessionExpires !== undefined ? { sessionExpires: alice.sessionExpires } : {}),
    },
    account.password,
  );
  await a.page.reload();
  await signIn(b, lab.lab.account('bob'));
  await a.waitForRegistration('registered');
  await b.waitForRegistration('registered');
  return { alice: a, bob: b };
}

async function connectWithAudio(alice: PhonePage, bob: PhonePage): Promise<void> {
  await connect(alice, bob, 'bob');
  await bob.waitForCallStatus('active');
  await alice.waitForAudio('bob', { present: [880] });
  await bob.waitForAudio('alice', { present: [440] });
}

describe('session timers', () => {
  it('retries with the Min-SE of a 422 and connects', async () => {
    const { alice, bob } = await openPair({ sessionTimers: true, sessionExpires: 90 });
    try {
      await connectWithAudio(alice, bob);

      // alice: INVITE(s) with 90 s (the first one challenged, then with credentials), a 422
      // carrying Min-SE: 1800, then INVITE(s) of a new call with 1800 s.
      const invites = initialInvites(await alice.sipSent());
      const intervals = invites.map((t) => header(t, 'Session-Expires'));
      expect(intervals[0]).toBe('90');
      expect(intervals.at(-1)).toBe('1800');
      const firstLong = intervals.indexOf('1800');
      expect(intervals.slice(0, firstLong).every((v) => v === '90')).toBe(true);
      expect(intervals.slice(firstLong).every((v) => v === '1800')).toBe(true);
      const rejectedCallId = header(invites[firstLong - 1] ?? '', 'Call-ID');
      const retryCallId = header(invites[firstLong] ?? '', 'Call-ID');
      expect(rejectedCallId).toBeDefined();
      expect(retryCallId).toBeDefined();

      const received = (await alice.sipReceived()).map((m) => m.text);
      const tooSmall = received.filter((t) => /^SIP\/2\.0 422 /.test(t));
      expect(tooSmall).toHaveLength(1);
      expect(header(tooSmall[0] ?? '', 'Min-SE')).toBe('1800');
      expect(header(tooSmall[0] ?? '', 'Call-ID')).toBe(rejectedCallId);

      // Kamailio's log: the 422 for the 90 s call, then the retried call's INVITE.
      const log = lab.lab.kamailio.readLog();
      const rejectedAt = log.indexOf(
        `LAB 422 session interval 90 < 1800 call-id=${rejectedCallId}`,
      );
      const retriedAt = log.search(
        new RegExp(`LAB REQ INVITE from=sip:alice@lab\\.test .*call-id=${retryCallId}`),
      );
      expect(rejectedAt).toBeGreaterThanOrEqual(0);
      expect(retriedAt).toBeGreaterThan(rejectedAt);
      expect(lab.lab.kamailio.countInLog(new RegExp(`LAB 422 .*call-id=${retryCallId}`))).toBe(0);

      // bob saw only the retried call, with the longer interval.
      const bobInvites = initialInvites(await bob.sipReceived());
      expect(bobInvites).toHaveLength(1);
      expect(header(bobInvites[0] ?? '', 'Session-Expires')).toBe('1800');
      expect(header(bobInvites[0] ?? '', 'Call-ID')).toBe(retryCallId);

      await alice.hangup();
      expect(await alice.waitForEnded()).toBe('hangup-local');
      expect(await bob.waitForEnded()).toBe('hangup-remote');
      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('sends no Session-Expires and gets no 422 with session timers off', async () => {
    const { alice, bob } = await openPair({ sessionTimers: false });
    try {
      const rejectionsBefore = lab.lab.kamailio.countInLog(/LAB 422 /);
      await connectWithAudio(alice, bob);

      const invites = initialInvites(await alice.sipSent());
      expect(invites.length).toBeGreaterThan(0);
      for (const invite of invites) {
        expect(header(invite, 'Session-Expires')).toBeUndefined();
        expect(header(invite, 'Min-SE')).toBeUndefined();
      }
      expect(new Set(invites.map((t) => header(t, 'Call-ID'))).size).toBe(1);
      expect((await alice.sipReceived()).some((m) => /^SIP\/2\.0 422 /.test(m.text))).toBe(false);
      expect(lab.lab.kamailio.countInLog(/LAB 422 /)).toBe(rejectionsBefore);

      await bob.hangup();
      expect(await alice.waitForEnded()).toBe('hangup-remote');
      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
