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

async function packetsIn(phone: PhonePage, ms: number): Promise<number> {
  const before = (await phone.inboundAudio(50)).packetsReceived;
  await phone.page.waitForTimeout(ms);
  return (await phone.inboundAudio(50)).packetsReceived - before;
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
      expect(await packetsIn(alice, 600)).toBeGreaterThan(20);

      await alice.page.getByRole('button', { name: 'Hold', exact: true }).click();
      await alice.page.getByTestId('hold-state').waitFor();
      expect(await alice.page.getByTestId('hold-state').innerText()).toMatch(/On hold/);
      await alice.page.waitForTimeout(300); // the re-INVITE settles
      expect(await packetsIn(alice, 800)).toBeLessThan(3);
      // What the app sends while holding is silence (the microphone track is disabled).
      expect(await alice.outboundLevel()).toBe(0);

      await alice.page.getByRole('button', { name: 'Resume', exact: true }).click();
      await expect.poll(() => alice.page.getByTestId('hold-state').count()).toBe(0);
      expect(await packetsIn(alice, 800)).toBeGreaterThan(20);
      await expect.poll(() => alice.outboundLevel()).toBeGreaterThan(0.05);
      const heard = await alice.inboundAudio(800);
      expect(near(heard.frequency, 1000)).toBe(true);
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
      expect(near((await bob.inboundAudio(800)).frequency, 440)).toBe(true);

      await alice.page.getByRole('button', { name: 'Hold', exact: true }).click();
      await bob.page.getByTestId('hold-state').waitFor();
      expect(await bob.page.getByTestId('hold-state').innerText()).toBe('alice put you on hold');
      await expect
        .poll(async () => (await bob.inboundAudio(600)).peakOverMedianDb, { timeout: 5000 })
        .toBeLessThan(10);

      await alice.page.getByRole('button', { name: 'Resume', exact: true }).click();
      await expect.poll(() => bob.page.getByTestId('hold-state').count()).toBe(0);
      await expect
        .poll(async () => near((await bob.inboundAudio(600)).frequency, 440), { timeout: 5000 })
        .toBe(true);

      // Mute: bob hears silence from alice until she unmutes.
      await alice.page.getByRole('button', { name: 'Mute', exact: true }).click();
      expect(await alice.page.getByText('Your microphone is muted.').count()).toBe(1);
      await expect
        .poll(async () => (await bob.inboundAudio(600)).peakOverMedianDb, { timeout: 5000 })
        .toBeLessThan(10);
      expect(near((await alice.inboundAudio(600)).frequency, 880)).toBe(true); // alice still hears bob
      await alice.page.getByRole('button', { name: 'Unmute', exact: true }).click();
      await expect
        .poll(async () => near((await bob.inboundAudio(600)).frequency, 440), { timeout: 5000 })
        .toBe(true);

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
