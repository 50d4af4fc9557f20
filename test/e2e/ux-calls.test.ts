// Issue 18 on the lab with real calls: keys that must not drop a call (Enter after dialling or
// answering, Space, Escape) and the deliberate Ctrl+Shift+H; the "call ended" banner that goes
// by itself; several lines with a third call ringing during a conference ("Hold conference and
// answer"); a conference of three where one party is hung up and the others stay, then
// "End conference" for all; a double click on Call places one call.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { useE2eEnv, registerAll } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({ name: 'e2e-ux-calls', rtpengine: false });
const env = useE2eEnv();

async function byes(phone: PhonePage): Promise<number> {
  return (await phone.sipSent()).filter((m) => m.text.startsWith('BYE ')).length;
}

describe('calls are not dropped by accident', () => {
  it('Enter, Space and Escape after dialling or answering keep the call; Ctrl+Shift+H ends it', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);
      const field = alice.page.getByLabel('Number or address');
      await field.fill('bob');
      await field.press('Enter');
      await bob.waitForIncoming();
      // bob answers with Enter (the focus starts on Answer), then presses it again.
      await bob.page.keyboard.press('Enter');
      await alice.waitForCallStatus('active');
      await bob.waitForCallStatus('active');
      for (const phone of [alice, bob]) {
        for (const key of ['Enter', ' ', 'Escape', 'Enter']) {
          await phone.page.keyboard.press(key);
        }
      }
      // Still up on both sides, and nobody sent a BYE.
      await alice.waitForCallStatus('active');
      await bob.waitForCallStatus('active');
      expect(await byes(alice)).toBe(0);
      expect(await byes(bob)).toBe(0);

      await alice.page.keyboard.press('Control+Shift+H');
      expect(await alice.waitForEnded()).toBe('hangup-local');
      expect(await bob.waitForEnded()).toBe('hangup-remote');
      // The "call ended" banner goes by itself.
      await alice.page.getByTestId('call-ended').waitFor({ state: 'detached', timeout: 20_000 });
      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});

describe('placing a call', () => {
  it('Call twice in a row (a double click, Enter pressed twice) places one call', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);
      await alice.page.getByLabel('Number or address').fill('bob');
      // The second submit comes while the first is still being placed (its microphone check).
      await alice.page.getByRole('button', { name: 'Call', exact: true }).evaluate((button) => {
        const form = (button as HTMLButtonElement).form!;
        form.requestSubmit();
        form.requestSubmit();
      });
      await bob.waitForIncoming();
      await alice.waitForCallStatus('ringing');
      const invites = (await alice.sipSent()).filter((m) => m.text.startsWith('INVITE '));
      const callIds = new Set(invites.map((m) => /^Call-ID:\s*(\S+)/im.exec(m.text)?.[1]));
      expect(callIds.size).toBe(1);
      expect(await alice.page.locator('#dial-notice').count()).toBe(0);
      expect(await bob.page.getByTestId('incoming-view').count()).toBe(1);
      await alice.page.getByRole('button', { name: 'Hang up' }).click();
      expect(await alice.waitForEnded()).toBe('canceled-local');
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});

describe('several lines and the conference', () => {
  it('answers a third call during a conference, merges three, hangs up one, ends for all', async () => {
    const browser = await env.browser(440);
    const [alice, bob, carol, dave] = [
      await PhonePage.open(browser, env.server),
      await PhonePage.open(browser, env.server),
      await PhonePage.open(browser, env.server),
      await PhonePage.open(browser, env.server),
    ];
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob'], [carol, 'carol'], [dave, 'dave']);
      await alice.dial('bob');
      await bob.waitForIncoming();
      await bob.answer();
      await alice.waitForCallStatus('active');

      await carol.dial('alice');
      const waiting = alice.page.getByTestId('call-waiting');
      await waiting.getByRole('button', { name: 'Hold bob and answer' }).click();
      await carol.waitForCallStatus('active');
      const lines = alice.page.getByTestId('line');
      await expect
        .poll(() => lines.filter({ hasText: 'carol' }).innerText(), { timeout: 10_000 })
        .toContain('Active');
      await alice.page.getByRole('button', { name: 'Merge', exact: true }).click();
      const conference = alice.page.getByTestId('conference-view');
      await conference.getByText('In a conference with 2 parties').waitFor();

      // A third call rings during the conference: the button says what happens.
      await dave.dial('alice');
      await waiting.getByRole('button', { name: 'Hold conference and answer' }).click();
      await dave.waitForCallStatus('active');
      await expect.poll(() => lines.count()).toBe(3);
      await expect
        .poll(() => lines.allInnerTexts(), { timeout: 10_000 })
        .toEqual([
          expect.stringContaining('On hold'),
          expect.stringContaining('On hold'),
          expect.stringContaining('Active'),
        ]);
      await expect
        .poll(() => bob.page.getByTestId('hold-state').textContent(), { timeout: 10_000 })
        .toBe('alice put you on hold');

      // Merge all three; every party has its own controls.
      await alice.page.getByRole('button', { name: 'Merge', exact: true }).click();
      await conference.getByText('In a conference with 3 parties').waitFor({ timeout: 10_000 });
      expect(
        await conference.getByTestId('conference-party').locator('.name').allInnerTexts(),
      ).toEqual(['bob', 'carol', 'dave']);
      await expect
        .poll(() => bob.page.getByTestId('hold-state').count(), { timeout: 10_000 })
        .toBe(0);

      // Hang up one party: the other two stay in the conference.
      await conference.getByRole('button', { name: 'Hang up carol' }).click();
      expect(await carol.waitForEnded()).toBe('hangup-remote');
      await conference.getByText('In a conference with 2 parties').waitFor({ timeout: 10_000 });
      await bob.waitForCallStatus('active');
      await dave.waitForCallStatus('active');

      // End conference: everyone's call ends.
      await conference.getByRole('button', { name: 'End conference' }).click();
      expect(await bob.waitForEnded()).toBe('hangup-remote');
      expect(await dave.waitForEnded()).toBe('hangup-remote');
      await alice.page.getByTestId('conference-view').waitFor({ state: 'detached' });
      expect(await lines.count()).toBe(0);
      for (const phone of [alice, bob, carol, dave]) {
        expect(phone.errors).toEqual([]);
      }
    } finally {
      for (const phone of [alice, bob, carol, dave]) {
        await phone.close();
      }
    }
  });
});
