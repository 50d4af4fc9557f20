// Issue 15 in the real renderer (Debian's Chromium) against the lab's Kamailio with its presence
// server (presence, presence_dialoginfo, pua_dialoginfo, presence_mwi on sqlite): a busy lamp
// follows a real call between two other phones (ringing with who calls → in call → free); the
// app picks up a colleague's ringing call (INVITE with Replaces built from the dialog info) and
// talks to the caller; a call is transferred to a lamp's colleague, blind and attended; voicemail
// counts from a solicited NOTIFY (presence_mwi) and an unsolicited one reach the app and the tray
// summary, and clear; a colleague's status shows on their lamp and on their row in the chat list.
import { describe, expect, it, vi } from 'vitest';
import type { PhoneSummary } from '@shared/ipc-contract';
import { trayState, trayTooltip } from '../../src-main/tray/tray-model';
import { useLab } from '../support/use-lab';
import { registerAll, signIn, useE2eEnv } from '../support/e2e-env';
import { ChatPage } from '../support/chat-page';
import { LampsPage } from '../support/lamps-page';
import { PhonePage } from '../support/phone-page';

// The lamps stand beside the dialer or the call in a wide window (AppLayout's side column).
const WIDE = { viewport: { width: 1400, height: 900 } };

const lab = useLab({
  name: 'e2e-lamps',
  presence: true,
  baresip: [{ tone: 1000, autoAnswer: false }, { tone: 880 }],
  linphone: [{ tone: 1200 }],
});
const env = useE2eEnv();

/** Waits until the tray summary the page last sent satisfies `ok`, and returns it. */
async function waitForSummary(
  phone: PhonePage,
  ok: (summary: PhoneSummary) => boolean,
): Promise<PhoneSummary> {
  return vi.waitFor(
    () => {
      const last = phone.bridge.shell.summaries.at(-1);
      if (!last || !ok(last)) {
        throw new Error(`tray summary not there yet: ${JSON.stringify(last ?? null)}`);
      }
      return last;
    },
    { timeout: 20_000, interval: 50 },
  );
}

describe('busy lamps', () => {
  it('go ringing → in call → idle while two other lab phones call each other', async () => {
    const [bare1, bare2] = lab.lab.baresips;
    const alice = await PhonePage.open(await env.browser(440), env.server, WIDE);
    try {
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');
      const lamps = new LampsPage(alice);
      await lamps.add(bare2!.user, bare2!.aor);
      await lamps.waitForState(bare2!.aor, 'idle');

      const seen = bare2!.events.length;
      await bare1!.dial(bare2!.aor);
      await bare2!.waitForEventType('CALL_INCOMING', 15_000, seen);
      await lamps.waitForState(bare2!.aor, 'ringing');
      expect(await lamps.detail(bare2!.aor)).toBe(`${bare1!.user} is calling`);
      // A ringing colleague offers a pickup.
      expect(
        await lamps.row(bare2!.aor).getByRole('button', { name: 'Pick up', exact: true }).count(),
      ).toBe(1);

      await bare2!.answer();
      await lamps.waitForState(bare2!.aor, 'in-call');
      await bare1!.hangup();
      await lamps.waitForState(bare2!.aor, 'idle');
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });
});

describe('directed pickup', () => {
  // Neither lab phone can finish a Replaces pickup as the caller: baresip 1.0 has no Replaces,
  // and liblinphone 5.1 takes an INVITE that replaces its *outgoing* early dialog as a new
  // ringing call (its replaceOp handles incoming and confirmed calls only). So this shows, on
  // the real wire, that the click sends the caller's phone the INVITE RFC 3891 asks for, naming
  // exactly the caller's early dialog with the ringing colleague (tags from the presence
  // server's dialog-info), and that the phone matched it rather than refusing it.
  it("sends the caller's phone an INVITE with Replaces naming its early dialog with the ringing colleague", async () => {
    const [lin1] = lab.lab.linphones;
    const bare2 = lab.lab.baresips[1]!;
    const alice = await PhonePage.open(await env.browser(440), env.server, WIDE);
    try {
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');
      const lamps = new LampsPage(alice);
      await lamps.add(bare2.user, bare2.aor);
      await lamps.waitForState(bare2.aor, 'idle');

      const seen = bare2.events.length;
      const linSeen = lin1!.events.length;
      await lin1!.dial(bare2.aor);
      await bare2.waitForEventType('CALL_INCOMING', 15_000, seen);
      await lamps.waitForState(bare2.aor, 'ringing');
      expect(await lamps.detail(bare2.aor)).toBe(`${lin1!.user} is calling`);
      await lamps.press(bare2.aor, 'Pick up');
      await lin1!.waitForEvent(
        (e) => e.type === 'incoming' && /alice/.test(e.peer ?? ''),
        15_000,
        linSeen,
      );

      const trace = lin1!.sipTrace().map((t) => ({ dir: t.dir, m: t.message }));
      const original = trace.find(
        (t) => t.dir === 'sent' && t.m.method === 'INVITE' && /bare2/.test(t.m.uri ?? ''),
      )!.m;
      const ringing = trace.find(
        (t) => t.dir === 'received' && t.m.status === 180 && t.m.callId === original.callId,
      )!.m;
      const tag = (header: string | undefined): string => /;tag=([^;>\s]+)/.exec(header ?? '')![1]!;
      const pickup = trace.find(
        (t) => t.dir === 'received' && t.m.method === 'INVITE' && t.m.header('Replaces'),
      )!.m;
      expect(pickup.uri).toMatch(/^sip:lin1@/);
      expect(pickup.header('From')).toContain('sip:alice@lab.test');
      expect(pickup.header('Require')).toBe('replaces');
      // RFC 3891 §3: the tags as the recipient (the caller) sees its dialog.
      expect(pickup.header('Replaces')).toBe(
        `${original.callId};to-tag=${tag(original.header('From'))};from-tag=${tag(ringing.header('To'))};early-only`,
      );
      // The phone matched the dialog: a Replaces it could not match would get 481.
      expect(
        trace.some((t) => t.dir === 'sent' && t.m.callId === pickup.callId && t.m.status === 481),
      ).toBe(false);

      await alice.hangup();
      expect(await alice.waitForEnded()).not.toBeNull();
      // liblinphone dropped its replaced call without a CANCEL: the colleague declines it.
      await bare2.hangup();
      await bare2.waitForEventType('CALL_CLOSED', 15_000, seen);
      await lamps.waitForState(bare2.aor, 'idle');
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });
});

describe('voicemail waiting', () => {
  it('shows the counts of a solicited and an unsolicited NOTIFY in the app and the tray, and clears', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server, WIDE);
    try {
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');
      const count = alice.page.getByTestId('voicemail-count');

      // Solicited: the mailbox state published to the presence server, NOTIFYed to our
      // SUBSCRIBE (in its first NOTIFY, or the next one if the subscription came first).
      expect(await lab.lab.publishMwi({ user: 'alice', newMessages: 3, oldMessages: 1 })).toBe(200);
      await count.filter({ hasText: '3 new' }).waitFor();
      const three = await waitForSummary(alice, (s) => s.voicemailNew === 3);
      expect(three.voicemailWaiting).toBe(true);
      expect(trayState(three)).toBe('voicemail');
      expect(trayTooltip(three)).toContain('3 new voicemails');

      expect(await lab.lab.publishMwi({ user: 'alice', newMessages: 0, oldMessages: 4 })).toBe(200);
      await count.waitFor({ state: 'detached' });
      const none = await waitForSummary(alice, (s) => s.voicemailNew === 0);
      expect(none.voicemailWaiting).toBe(false);
      expect(trayTooltip(none)).not.toContain('voicemail');

      // Unsolicited: out of any dialog, from the PBX's voicemail account.
      const sent = await lab.lab.sendMwiNotify({ to: 'alice', newMessages: 5, oldMessages: 0 });
      expect(sent.status).toBe(200);
      await count.filter({ hasText: '5 new' }).waitFor();
      expect(trayTooltip(await waitForSummary(alice, (s) => s.voicemailNew === 5))).toContain(
        '5 new voicemails',
      );
      await lab.lab.sendMwiNotify({ to: 'alice', newMessages: 0, oldMessages: 5 });
      await count.waitFor({ state: 'detached' });
      expect((await waitForSummary(alice, (s) => s.voicemailNew === 0)).voicemailWaiting).toBe(
        false,
      );
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });
});

describe('presence', () => {
  it('our status is published and seen by a colleague; a contact who sets away shows away', async () => {
    // dave publishes: no earlier page of this file left a publication of dave's on the server
    // (a page closed without quitting keeps its PUBLISH until it expires, and the server then
    // composes every publication of the user into one document).
    const dave = await PhonePage.open(await env.browser(440), env.server, WIDE);
    const bob = await PhonePage.open(await env.browser(660), env.server, WIDE);
    try {
      await registerAll(lab.lab, [dave, 'dave'], [bob, 'bob']);
      const daveLamps = new LampsPage(dave);
      const bobLamps = new LampsPage(bob);
      const daveAor = lab.lab.account('dave').uri;
      const published = lab.lab.kamailio.countInLog(/LAB PRESENCE PUBLISH presence /);
      await bobLamps.add('dave', daveAor);

      // dave's choices reach bob through PUBLISH and the presence server's NOTIFY.
      await daveLamps.setStatus('Away');
      await bobLamps.waitForPresence(daveAor, 'away');
      await daveLamps.setStatus('Do not disturb');
      await bobLamps.waitForPresence(daveAor, 'busy');
      await daveLamps.setStatus('Available');
      await bobLamps.waitForPresence(daveAor, 'available');
      expect(lab.lab.kamailio.countInLog(/LAB PRESENCE PUBLISH presence /)).toBeGreaterThan(
        published,
      );
      expect(await dave.page.getByTestId('publish-notice').count()).toBe(0);

      // A colleague whose own phone publishes "Away".
      const carolAor = lab.lab.account('carol').uri;
      await daveLamps.add('carol', carolAor);
      expect(await lab.lab.publishPresence({ user: 'carol', basic: 'open', note: 'Away' })).toBe(
        200,
      );
      await daveLamps.waitForPresence(carolAor, 'away');

      // The chat list watches the conversations it shows: bob has no lamp for carol, and
      // carol is not a contact of his, yet her row shows her status.
      const bobChat = new ChatPage(bob);
      await bobChat.start('carol');
      await bobChat.back();
      await bob.page
        .getByTestId('chat-row')
        .filter({ hasText: 'carol' })
        .locator('[data-testid="presence-dot"][data-status="away"]')
        .waitFor({ timeout: 20_000 });
      for (const phone of [dave, bob]) {
        expect(phone.errors).toEqual([]);
      }
    } finally {
      await dave.close();
      await bob.close();
    }
  });
});

describe('transfer to a lamp', () => {
  it('blind: the caller ends up talking to the colleague of the lamp', async () => {
    const [bare1] = lab.lab.baresips;
    const alice = await PhonePage.open(await env.browser(440), env.server, WIDE);
    const bob = await PhonePage.open(await env.browser(660), env.server, WIDE);
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);
      const lamps = new LampsPage(alice);
      const bobAor = lab.lab.account('bob').uri;
      await lamps.add('bob', bobAor);
      await lamps.waitForState(bobAor, 'idle');

      const seen = bare1!.events.length;
      await bare1!.dial(lab.lab.account('alice').uri);
      await alice.waitForIncoming();
      await alice.answer();
      await alice.waitForCallStatus('active');
      await bare1!.waitForEventType('CALL_ESTABLISHED', 15_000, seen);

      await lamps.press(bobAor, 'Transfer to bob');
      await bob.waitForIncoming();
      await bob.answer();
      await bob.waitForCallStatus('active');
      expect(await alice.waitForEnded()).toBe('transferred');
      expect((await bob.waitForAudio(undefined, { present: [1000] })).packets).toBeGreaterThan(20);
      await lamps.waitForState(bobAor, 'in-call');
      await bob.hangup();
      await lamps.waitForState(bobAor, 'idle');
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('attended: talks to the colleague first, then connects them with one more click', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server, WIDE);
    const bob = await PhonePage.open(await env.browser(880), env.server, WIDE);
    const carol = await PhonePage.open(await env.browser(660), env.server, WIDE);
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob'], [carol, 'carol']);
      const lamps = new LampsPage(alice);
      const carolAor = lab.lab.account('carol').uri;
      await lamps.add('carol', carolAor);
      await lamps.waitForState(carolAor, 'idle');
      await bob.dial('alice');
      await alice.waitForIncoming();
      await alice.answer();
      await alice.waitForCallStatus('active');

      await lamps.press(carolAor, 'Talk to carol first');
      await carol.waitForIncoming();
      await carol.answer();
      await alice.waitForAudio('carol', { present: [660] });
      await lamps.press(carolAor, 'Complete transfer');
      expect(await alice.waitForEnded(15_000)).toBe('transferred');
      await carol.page.getByTestId('call-party').filter({ hasText: 'bob' }).waitFor();
      await carol.waitForAudio(undefined, { present: [880] });
      await bob.hangup();
      await carol.waitForEnded();
      for (const phone of [alice, bob, carol]) {
        expect(phone.errors).toEqual([]);
      }
    } finally {
      await alice.close();
      await bob.close();
      await carol.close();
    }
  });
});
