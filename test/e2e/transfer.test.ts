// Issue 5: transfers. Blind: the app sends baresip (a classic phone) to a third party, who ends
// up talking to it; a transfer to nobody fails and leaves the call intact. Attended: the app
// consults a third party first, then connects the held party with it (REFER with Replaces).
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { near, signIn, useE2eEnv, registerAll, connect } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({ name: 'e2e-transfer', baresip: [{ tone: 1000, autoAnswer: true }] });
const env = useE2eEnv();

async function openTransfer(phone: PhonePage, target: string): Promise<void> {
  await phone.page.getByRole('button', { name: 'Transfer', exact: true }).click();
  await phone.page.getByLabel(/^Transfer .* to$/).fill(target);
}

describe('transfer', () => {
  it('blind-transfers baresip to a third party who then talks to it', async () => {
    const bare = lab.lab.baresips[0]!;
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);
      await alice.dial(bare.user);
      await alice.waitForCallStatus('active');

      await openTransfer(alice, 'bob');
      await alice.page.getByRole('button', { name: 'Transfer now', exact: true }).click();
      await bob.waitForIncoming();
      expect(await bob.page.getByTestId('call-party').innerText()).toBe(bare.user);
      await bob.answer();
      await bob.waitForCallStatus('active');
      expect(await alice.waitForEnded()).toBe('transferred');
      expect((await bob.waitForAudio(undefined, { present: [1000] })).packets).toBeGreaterThan(20);
      await bob.hangup();
      await bob.waitForEnded();
      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('keeps the call when the transfer target cannot be reached', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);
      await connect(alice, bob, 'bob');

      // nobody is registered as "nobody": bob's phone is asked to call it and fails (404).
      await openTransfer(alice, 'nobody');
      await alice.page.getByRole('button', { name: 'Transfer now', exact: true }).click();
      await expect
        .poll(() => alice.page.getByTestId('transfer-state').innerText(), { timeout: 15_000 })
        .toMatch(/could not be reached/);
      await alice.waitForCallStatus('active');
      await alice.waitForAudio('bob', { present: [880] });
      await alice.hangup();
      await bob.waitForEnded();
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('consults a third party, then connects the held party with it', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    const carol = await PhonePage.open(await env.browser(660), env.server);
    try {
      for (const [phone, user] of [
        [alice, 'alice'],
        [bob, 'bob'],
        [carol, 'carol'],
      ] as const) {
        await signIn(phone, lab.lab.account(user));
        await phone.waitForRegistration('registered');
      }
      await connect(alice, bob, 'bob');

      await openTransfer(alice, 'carol');
      await alice.page.getByRole('button', { name: 'Talk first', exact: true }).click();
      await bob.page.getByTestId('hold-state').waitFor();
      await carol.waitForIncoming();
      await carol.answer();
      await alice.waitForCallStatus('active');
      await alice.waitForAudio('carol', { present: [660] });

      await alice.page.getByRole('button', { name: 'Complete transfer', exact: true }).click();
      expect(await alice.waitForEnded(15_000)).toBe('transferred');
      // Bob and carol now talk to each other: each hears the other's tone.
      await expect
        .poll(async () => near((await carol.inboundAudio(800)).frequency, 880), { timeout: 10_000 })
        .toBe(true);
      await expect
        .poll(async () => near((await bob.inboundAudio(800)).frequency, 660), { timeout: 10_000 })
        .toBe(true);
      expect(await carol.page.getByTestId('call-party').innerText()).toBe('bob');
      await expect.poll(() => alice.page.locator('[data-testid="call-view"]').count()).toBe(0);
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
