// Issue 20, "Recovered call on network switch … during a re-INVITE" (app → baresip through
// Kamailio and rtpengine): the user puts the call on hold, and the moment the hold re-INVITE has
// passed the WebSocket front, the front stalls the flow, so baresip's 200 OK never comes back
// (baresip keeps repeating it and waits for an ACK). JsSIP alone would end the call when the
// keep-alive replaces the dead connection ("Connection Error" from the unanswered re-INVITE);
// the app gives that re-INVITE up, ACKs it over the new flow, and re-INVITEs with an ICE restart
// that carries the hold. The call ends up held, and resumed it plays baresip's tone again.
// And "… while on hold": a call the user held earlier loses its flow; the recovery re-INVITE
// keeps it held (a=sendonly), and resumed it plays baresip's tone again.
import { describe, expect, it } from 'vitest';
import type { WsFrame } from '../lab/ws-front';
import { useLab } from '../support/use-lab';
import { useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const env = useE2eEnv();
const lab = useLab({
  name: 'e2e-call-recovery-reinvite',
  baresip: [{ tone: 1000, autoAnswer: true }],
});

const cseqOf = (text: string): string => /^CSeq:\s*(\d+ \w+)/im.exec(text)?.[1] ?? '';
const ufragOf = (text: string): string => /a=ice-ufrag:(\S+)/.exec(text)?.[1] ?? '';

/** The negotiated direction of the newest call's audio (null until an answer is applied). */
function audioDirection(phone: PhonePage): Promise<string | null> {
  return phone.page.evaluate(() => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed');
    if (!pc || pc.signalingState !== 'stable') {
      return null;
    }
    return (
      pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio')?.currentDirection ?? null
    );
  });
}

/**
 * After a recovery: the call is up and the hold the user asked for is in force (the call view
 * says so, baresip only receives); resumed, the app hears baresip's tone again; hung up.
 */
async function heldThenResumed(phone: PhonePage): Promise<void> {
  await phone.waitForCallStatus('active', 1000);
  await phone.page.getByTestId('hold-state').waitFor();
  await expect.poll(() => audioDirection(phone), { timeout: 10_000 }).toBe('sendonly');
  await phone.waitForAudio(undefined, { flowing: false });
  await phone.page.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect.poll(() => phone.page.getByTestId('hold-state').count()).toBe(0);
  await expect.poll(() => audioDirection(phone), { timeout: 10_000 }).toBe('sendrecv');
  const heard = await phone.waitForAudio(undefined, { present: [1000] });
  expect(heard.packets).toBeGreaterThan(20);
  await phone.hangup();
  expect(await phone.waitForEnded()).toBe('hangup-local');
  expect(phone.errors).toEqual([]);
}

describe('call recovery during a re-INVITE', () => {
  it('recovers a call whose hold was answered over a flow that died, held, with audio after resume', async () => {
    const bare = lab.lab.baresips[0]!;
    const front = await lab.lab.startWsFront({ mode: 'forward' });
    const phone = await PhonePage.open(await env.browser(440), env.server);
    try {
      const alice = lab.lab.account('alice');
      await phone.bridge.seedAccount(
        { label: 'alice', websocketUri: front.url, sipUri: alice.uri, keepAliveS: 5 },
        alice.password,
      );
      await phone.page.reload();
      await phone.waitForRegistration('registered');
      await phone.dial(bare.user);
      await phone.waitForCallStatus('active');
      await phone.waitForAudio(undefined, { present: [1000] });
      const firstInvite = front.frames.find((f) => f.dir === 'up' && f.text.startsWith('INVITE '));

      // The hold re-INVITE passes the front; right after it, the flow stalls both ways.
      const holdSent = front.waitForFrame(
        (f) => f.dir === 'up' && f.text.startsWith('INVITE ') && /a=sendonly/.test(f.text),
        10_000,
        front.frames.length,
      );
      const stalled = holdSent.then(() => front.setMode('stall'));
      await phone.page.getByRole('button', { name: 'Hold', exact: true }).click();
      const hold = await holdSent;
      await stalled;
      expect(hold.dropped).toBeUndefined();
      // baresip answered it; the answer stops at the front.
      const lostAnswer = await front.waitForFrame(
        (f) =>
          f.dir === 'down' &&
          f.client === hold.client &&
          f.dropped === true &&
          f.text.startsWith('SIP/2.0 200') &&
          cseqOf(f.text) === cseqOf(hold.text),
      );
      expect(lostAnswer.text).toMatch(/a=recvonly/);

      const reconnecting = phone.page.locator(
        '[data-testid="call-trouble"][data-kind="reconnecting"]',
      );
      await reconnecting.waitFor({ timeout: 30_000 });
      await phone.waitForRegistration('registered', 30_000);
      // Over the new flow: the ACK of the given-up hold, then the recovery re-INVITE.
      const newFlow = (f: WsFrame): boolean => f.dir === 'up' && f.client > hold.client;
      const recovery = await front.waitForFrame(
        (f) => newFlow(f) && f.text.startsWith('INVITE '),
        20_000,
      );
      const ack = front.frames.find(
        (f) =>
          newFlow(f) &&
          f.text.startsWith('ACK ') &&
          cseqOf(f.text) === `${cseqOf(hold.text).split(' ')[0]} ACK`,
      );
      expect(ack).toBeDefined();
      expect(front.frames.indexOf(ack!)).toBeLessThan(front.frames.indexOf(recovery));
      // It carries the hold, with an ICE restart (new credentials).
      expect(recovery.text).toMatch(/a=sendonly/);
      expect(ufragOf(recovery.text)).not.toBe('');
      expect(ufragOf(recovery.text)).not.toBe(ufragOf(firstInvite?.text ?? ''));
      await front.waitForFrame(
        (f) =>
          f.dir === 'down' &&
          f.client === recovery.client &&
          f.text.startsWith('SIP/2.0 200') &&
          cseqOf(f.text) === cseqOf(recovery.text),
        20_000,
      );
      await reconnecting.waitFor({ state: 'detached', timeout: 10_000 });
      await heldThenResumed(phone);
    } finally {
      await phone.close();
      await front.stop();
    }
  });

  it('recovers a call that was on hold when its flow failed, still held, with audio after resume', async () => {
    const bare = lab.lab.baresips[0]!;
    const front = await lab.lab.startWsFront({ mode: 'forward' });
    const phone = await PhonePage.open(await env.browser(440), env.server);
    try {
      const alice = lab.lab.account('alice');
      await phone.bridge.seedAccount(
        { label: 'alice', websocketUri: front.url, sipUri: alice.uri, keepAliveS: 5 },
        alice.password,
      );
      await phone.page.reload();
      await phone.waitForRegistration('registered');
      await phone.dial(bare.user);
      await phone.waitForCallStatus('active');
      await phone.waitForAudio(undefined, { present: [1000] });
      await phone.page.getByRole('button', { name: 'Hold', exact: true }).click();
      await phone.page.getByTestId('hold-state').waitFor();
      await expect.poll(() => audioDirection(phone), { timeout: 10_000 }).toBe('sendonly');
      const held = front.frames
        .filter((f) => f.dir === 'up' && f.text.startsWith('INVITE '))
        .at(-1)!;
      expect(held.text).toMatch(/a=sendonly/);

      await front.setMode('stall');
      const reconnecting = phone.page.locator(
        '[data-testid="call-trouble"][data-kind="reconnecting"]',
      );
      await reconnecting.waitFor({ timeout: 30_000 });
      await phone.waitForRegistration('registered', 30_000);
      // The recovery re-INVITE over the new flow keeps the call held, with an ICE restart.
      const recovery = await front.waitForFrame(
        (f) => f.dir === 'up' && f.client > held.client && f.text.startsWith('INVITE '),
        20_000,
      );
      expect(recovery.text).toMatch(/a=sendonly/);
      expect(ufragOf(recovery.text)).not.toBe('');
      expect(ufragOf(recovery.text)).not.toBe(ufragOf(held.text));
      await reconnecting.waitFor({ state: 'detached', timeout: 20_000 });
      await heldThenResumed(phone);
    } finally {
      await phone.close();
      await front.stop();
    }
  });
});
