// Issue 5: hold/resume and mute, with audio checked. Against baresip (through rtpengine): on
// hold the app stops receiving baresip's audio and sends only silence; resumed, both flow
// again. Between two apps: the held party sees who holds whom and hears
// silence; mute silences the user's voice at the other end until unmuted.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { near, signIn, useE2eEnv, registerAll, connect } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({ name: 'e2e-hold-mute', baresip: [{ tone: 1000, autoAnswer: true }] });
const env = useE2eEnv();

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

describe('hold and resume', () => {
  it('stops and restarts audio both ways with baresip', async () => {
    const bare = lab.lab.baresips[0]!;
    const alice = await PhonePage.open(await env.browser(440), env.server);
    try {
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');
      await alice.dial(bare.user);
      await alice.waitForCallStatus('active');
      await alice.waitForAudio(undefined, { present: [1000] });
      expect(await audioDirection(alice)).toBe('sendrecv');

      await alice.page.getByRole('button', { name: 'Hold', exact: true }).click();
      await alice.page.getByTestId('hold-state').waitFor();
      expect(await alice.page.getByTestId('hold-state').innerText()).toMatch(/On hold/);
      // The hold re-INVITE is answered: baresip now only receives.
      await expect.poll(() => audioDirection(alice)).toBe('sendonly');
      // Nothing arrives from baresip any more (RTP stops, once what was in flight is in).
      await alice.waitForAudio(undefined, { flowing: false });
      // What the app sends while holding is silence (the microphone track is disabled).
      await expect.poll(() => alice.outboundLevel()).toBe(0);

      await alice.page.getByRole('button', { name: 'Resume', exact: true }).click();
      await expect.poll(() => alice.page.getByTestId('hold-state').count()).toBe(0);
      await expect.poll(() => audioDirection(alice)).toBe('sendrecv');
      const heard = await alice.waitForAudio(undefined, { present: [1000] });
      expect(heard.packets).toBeGreaterThan(20);
      await expect.poll(() => alice.outboundLevel()).toBeGreaterThan(0.05);
      await alice.hangup();
      await alice.waitForEnded();
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });

  it('shows the held party who holds whom, plays silence to it, and resumes', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);
      await connect(alice, bob, 'bob');
      await bob.waitForAudio('alice', { present: [440] });

      await alice.page.getByRole('button', { name: 'Hold', exact: true }).click();
      await bob.page.getByTestId('hold-state').waitFor();
      expect(await bob.page.getByTestId('hold-state').innerText()).toBe('alice put you on hold');
      await expect
        .poll(async () => (await bob.inboundAudio(600)).peakOverMedianDb)
        .toBeLessThan(10);

      await alice.page.getByRole('button', { name: 'Resume', exact: true }).click();
      await expect.poll(() => bob.page.getByTestId('hold-state').count()).toBe(0);
      await expect.poll(async () => near((await bob.inboundAudio(600)).frequency, 440)).toBe(true);

      // Mute: bob hears silence from alice until she unmutes.
      await alice.page.getByRole('button', { name: 'Mute', exact: true }).click();
      expect(await alice.page.getByText('Your microphone is muted.').count()).toBe(1);
      await expect
        .poll(async () => (await bob.inboundAudio(600)).peakOverMedianDb)
        .toBeLessThan(10);
      await alice.waitForAudio('bob', { present: [880] }); // alice still hears bob
      await alice.page.getByRole('button', { name: 'Unmute', exact: true }).click();
      await expect.poll(async () => near((await bob.inboundAudio(600)).frequency, 440)).toBe(true);

      // Keyboard: H holds, H resumes.
      await alice.page.locator('body').press('h');
      await bob.page.getByTestId('hold-state').waitFor();
      await alice.page.locator('body').press('h');
      await expect.poll(() => bob.page.getByTestId('hold-state').count()).toBe(0);

      await bob.hangup();
      await alice.waitForEnded();
      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
