// Issue 20, "Recovered call on network switch" in the early state, incoming: the callee's flow
// goes half-open while the call rings. The phone replaces the connection and registers again;
// the call rings on meanwhile (the incoming view says "Reconnecting…"), and its answer goes
// over the new flow: Kamailio matches it to the INVITE by its Via branch and the caller's ACK
// reaches the new flow by the alias of the answer's Contact. App ↔ app, audio both ways
// checked by tone; and baresip calling the app through Kamailio as an RFC 5626 edge proxy and
// rtpengine, where the answer's Contact alias beats the dead flow's token in the Record-Route
// (kamailio-config.ts, outboundFlowRecovery): baresip's call is established, the app hears its
// tone and its BYE reaches the new flow (baresip records no decoded audio of calls it places,
// so its ears are checked in the app ↔ app test). And when the caller gave up while the callee's flow was half-open (its
// CANCEL lost with the flow), the callee's later answer must not leave anyone in a call. The
// caller's side, whose INVITE cannot move: it is CANCELled over the new flow and the call is
// placed again there.
import { describe, expect, it } from 'vitest';
import { useLab, type LabHandle } from '../support/use-lab';
import { registerAll, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import type { WsFront } from '../lab/ws-front';

const env = useE2eEnv();

interface Pair {
  alice: PhonePage;
  bob: PhonePage;
  /** The way to Kamailio of the one behind it (bob unless said otherwise). */
  front: WsFront;
  close(): Promise<void>;
}

/** alice (440 Hz) and bob (880 Hz); `behind` reaches Kamailio through a front whose flow can stall. */
async function pair(lab: LabHandle, behind: 'alice' | 'bob' = 'bob'): Promise<Pair> {
  const front = await lab.lab.startWsFront({ mode: 'forward' });
  const alice = await PhonePage.open(await env.browser(440), env.server);
  const bob = await PhonePage.open(await env.browser(880), env.server);
  const [fronted, direct] = behind === 'bob' ? [bob, alice] : [alice, bob];
  const other = behind === 'bob' ? 'alice' : 'bob';
  const account = lab.lab.account(behind);
  await fronted.bridge.seedAccount(
    { label: behind, websocketUri: front.url, sipUri: account.uri, keepAliveS: 5 },
    account.password,
  );
  await fronted.page.reload();
  await registerAll(lab.lab, [direct, other]);
  await fronted.waitForRegistration('registered');
  return {
    alice,
    bob,
    front,
    close: async () => {
      await alice.close();
      await bob.close();
      await front.stop();
    },
  };
}

/**
 * alice calls bob; while bob's phone rings, bob's flow goes half-open (`whileDown` runs then).
 * Resolves once bob's phone is registered on a new connection, its call still ringing.
 */
async function ringThroughNewConnection(p: Pair, whileDown: () => Promise<void>): Promise<void> {
  await p.alice.dial('bob');
  await p.bob.waitForIncoming();
  await p.alice.waitForCallStatus('ringing');
  const connections = p.front.connectionCount;
  await p.front.setMode('stall');
  await whileDown();
  const reconnecting = p.bob.page.locator(
    '[data-testid="incoming-view"] [data-testid="call-trouble"][data-kind="reconnecting"]',
  );
  await reconnecting.waitFor({ timeout: 30_000 });
  expect(await reconnecting.innerText()).toMatch(/^Reconnecting… .*can still be answered/);
  await p.bob.waitForRegistration('registered', 30_000);
  expect(p.front.connectionCount).toBeGreaterThan(connections);
  await reconnecting.waitFor({ state: 'detached', timeout: 10_000 });
  await p.bob.waitForIncoming(1000);
}

/** Both in the call: each page hears the other's tone; then `by` hangs up and the other sees it. */
async function talkThenHangUp(p: Pair, by: 'alice' | 'bob'): Promise<void> {
  await p.alice.waitForCallStatus('active');
  await p.bob.waitForCallStatus('active');
  const atAlice = await p.alice.waitForAudio('bob', { present: [880], absent: [440] });
  const atBob = await p.bob.waitForAudio('alice', { present: [440], absent: [880] });
  expect(atAlice.packets).toBeGreaterThan(20);
  expect(atBob.packets).toBeGreaterThan(20);
  const [hangs, hears] = by === 'alice' ? [p.alice, p.bob] : [p.bob, p.alice];
  await hangs.hangup();
  expect(await hangs.waitForEnded()).toBe('hangup-local');
  // The BYE reaches the other's flow (the new one, where it changed).
  expect(await hears.waitForEnded()).toBe('hangup-remote');
  expect(p.alice.errors).toEqual([]);
  expect(p.bob.errors).toEqual([]);
}

describe('an incoming call ringing when the connection drops', () => {
  const lab: LabHandle = useLab({ name: 'e2e-call-recovery-ringing' });

  it('rings on, and its answer over the new flow connects the call, with audio both ways', async () => {
    const p = await pair(lab);
    try {
      await ringThroughNewConnection(p, async () => {});
      await p.bob.answer();
      await talkThenHangUp(p, 'alice');
    } finally {
      await p.close();
    }
  });

  it('leaves nobody in a call when the caller hung up while the flow was half-open', async () => {
    const p = await pair(lab);
    try {
      // alice gives up while bob's flow swallows everything: her CANCEL never reaches bob.
      await ringThroughNewConnection(p, async () => {
        await p.alice.hangup();
        expect(await p.alice.waitForEnded()).toBe('canceled-local');
      });
      // bob's phone still rings (nothing told it otherwise); his answer reaches alice's phone,
      // which takes it for a call it had cancelled: ACK, then BYE, so bob's call ends at once.
      await p.bob.answer();
      expect(await p.bob.waitForEnded()).toBe('hangup-remote');
      await expect.poll(() => p.alice.page.locator('[data-testid="call-view"]').count()).toBe(0);
      expect(p.alice.errors).toEqual([]);
      expect(p.bob.errors).toEqual([]);
    } finally {
      await p.close();
    }
  });

  // The caller's side: a call we placed cannot move (its answer would come back over the old
  // flow). Its CANCEL goes over the new flow, so the callee stops ringing, and the call is
  // placed again there: the callee rings again and answers.
  it("the caller's flow fails: the callee stops ringing, and rings again for the call placed anew", async () => {
    const p = await pair(lab, 'alice');
    try {
      await p.alice.dial('bob');
      await p.bob.waitForIncoming();
      await p.alice.waitForCallStatus('ringing');
      const connections = p.front.connectionCount;
      await p.front.setMode('stall');
      const reconnecting = p.alice.page.locator(
        '[data-testid="call-trouble"][data-kind="reconnecting"]',
      );
      await reconnecting.waitFor({ timeout: 30_000 });
      expect(await reconnecting.innerText()).toMatch(/placed again once the connection is back/);
      await p.alice.waitForRegistration('registered', 30_000);
      expect(p.front.connectionCount).toBeGreaterThan(connections);
      // The first INVITE's CANCEL went over the new flow and reached bob (his first ring
      // ended), then the call placed again: a second INVITE, a new dialog.
      const received = async (method: string): Promise<string[]> =>
        (await p.bob.sipReceived())
          .filter((m) => m.text.startsWith(`${method} `))
          .map((m) => /^Call-ID:\s*(\S+)/im.exec(m.text)?.[1] ?? '');
      await expect.poll(() => received('INVITE'), { timeout: 20_000 }).toHaveLength(2);
      const [first, second] = await received('INVITE');
      expect(second).not.toBe(first);
      expect(await received('CANCEL')).toEqual([first]);
      await p.bob.waitForIncoming(20_000);
      await reconnecting.waitFor({ state: 'detached', timeout: 10_000 });
      // One call for alice: the same call, placed again.
      expect(await p.alice.page.locator('[data-testid="call-view"]').count()).toBe(1);
      await p.bob.answer();
      await talkThenHangUp(p, 'bob');
    } finally {
      await p.close();
    }
  });
});

describe('an incoming call ringing when the connection drops, through an RFC 5626 edge proxy', () => {
  const lab: LabHandle = useLab({
    name: 'e2e-call-recovery-ringing-outbound',
    baresip: [{ tone: 1000 }],
    outbound: { flowTimer: 20 },
  });

  it('is answered over the new flow: the call is established, with audio, until baresip hangs up', async () => {
    const bare = lab.lab.baresips[0]!;
    const front = await lab.lab.startWsFront({ mode: 'forward' });
    const phone = await PhonePage.open(await env.browser(880), env.server);
    try {
      const account = lab.lab.account('alice');
      await phone.bridge.seedAccount(
        { label: 'alice', websocketUri: front.url, sipUri: account.uri, keepAliveS: 5 },
        account.password,
      );
      await phone.page.reload();
      await phone.waitForRegistration('registered');
      const eventsBefore = bare.events.length;
      const connections = front.connectionCount;
      await bare.dial(account.uri);
      await phone.waitForIncoming();
      await front.setMode('stall');
      const reconnecting = phone.page.locator(
        '[data-testid="incoming-view"] [data-testid="call-trouble"][data-kind="reconnecting"]',
      );
      await reconnecting.waitFor({ timeout: 30_000 });
      await phone.waitForRegistration('registered', 30_000);
      expect(front.connectionCount).toBeGreaterThan(connections);
      await reconnecting.waitFor({ state: 'detached', timeout: 10_000 });
      await phone.answer();
      await phone.waitForCallStatus('active');
      await bare.waitForEventType('CALL_ESTABLISHED', 15_000, eventsBefore);
      const heard = await phone.waitForAudio(undefined, { present: [1000] });
      expect(heard.packets).toBeGreaterThan(20);
      // baresip's BYE reaches the app's new flow.
      await bare.hangup();
      expect(await phone.waitForEnded()).toBe('hangup-remote');
      await bare.waitForEventType('CALL_CLOSED', 10_000, eventsBefore);
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
      await front.stop();
    }
  });
});
