// Issue 7: call history. Every kind of call made in the lab leaves an entry with the right
// outcome (outgoing, incoming, missed, declined, failed, transferred); the entries survive a
// reload; the missed count shows in the app and the tray until the history is seen.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { signIn, useE2eEnv, connect } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({ name: 'e2e-history', rtpengine: false });
const env = useE2eEnv();

/** An answered call: both sides in it (the talk time shown is whatever it lasted). */
async function talk(caller: PhonePage, callee: PhonePage, calleeUser: string): Promise<void> {
  await connect(caller, callee, calleeUser);
  await callee.waitForCallStatus('active');
}

/** The accessible labels of the history rows, newest first. */
/** The accessible name of every row of the history list (what it shows). */
async function rows(phone: PhonePage): Promise<string[]> {
  const snapshot = await phone.page.getByRole('listbox', { name: 'Calls' }).ariaSnapshot();
  return [...snapshot.matchAll(/- option "([^"]*)"/g)].map((m) => m[1] ?? '');
}

describe('call history', () => {
  it('records every kind of call, keeps it across a reload, and clears the missed count when seen', async () => {
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

      // 1. outgoing, answered
      await talk(alice, bob, 'bob');
      await alice.hangup();
      await bob.waitForEnded();
      // 2. incoming, answered
      await talk(bob, alice, 'alice');
      await bob.hangup();
      await alice.waitForEnded();
      // 3. missed: carol gives up before alice answers
      await carol.dial('alice');
      await alice.waitForIncoming();
      await carol.hangup();
      expect(await alice.waitForEnded()).toBe('canceled-remote');
      await expect.poll(() => alice.page.getByTestId('missed-count').innerText()).toBe('1 missed');
      // 4. incoming, declined
      await bob.dial('alice');
      await alice.waitForIncoming();
      await alice.decline();
      await bob.waitForEnded();
      // 5. outgoing, failed: nobody is registered as dave
      await alice.dial('dave');
      expect(await alice.waitForEnded()).toBe('not-found');
      // 6. outgoing, transferred: alice sends bob to carol
      await talk(alice, bob, 'bob');
      await alice.page.getByRole('button', { name: 'Transfer', exact: true }).click();
      await alice.page.getByLabel(/^Transfer .* to$/).fill('carol');
      await alice.page.getByRole('button', { name: 'Transfer now', exact: true }).click();
      await carol.waitForIncoming();
      await carol.answer();
      expect(await alice.waitForEnded()).toBe('transferred');
      await carol.hangup();
      await bob.waitForEnded();

      // The tray was told about the missed call and the recent numbers.
      await expect.poll(() => alice.bridge.shell.summaries.at(-1)?.missedCount).toBe(1);
      expect(alice.bridge.shell.summaries.at(-1)?.recentNumbers.map((r) => r.dial)).toEqual([
        'sip:bob@lab.test',
        'sip:dave@lab.test',
        'sip:carol@lab.test',
      ]);

      // After a reload the history is still there, newest first.
      await alice.page.reload();
      await alice.waitForRegistration('registered');
      await expect.poll(() => alice.page.getByTestId('missed-count').count()).toBe(1);
      await alice.page.getByRole('tab', { name: /Recent/ }).click();
      await expect.poll(() => alice.page.getByTestId('history-status').innerText()).toBe('6 calls');
      // The list fills the window: a collapsed (virtualized) list would show no rows at all.
      const box = await alice.page.getByRole('listbox', { name: 'Calls' }).boundingBox();
      expect(box?.height ?? 0).toBeGreaterThan(200);
      const labels = await rows(alice);
      // Each row reads "name what happened · account time"; the account is checked once here.
      const parsed = labels.map((l) =>
        /^(\S+) ((?:Outgoing|Incoming|Missed).*) · alice@lab\.test \d.*$/.exec(l),
      );
      expect(parsed.every((m) => m !== null)).toBe(true);
      expect(parsed.map((m) => `${m?.[2] ?? ''}, ${m?.[1] ?? ''}`)).toEqual([
        expect.stringMatching(/^Outgoing, transferred, 0:0\d, bob$/),
        // Dave is not registered: Kamailio answers 404, and the row says why it failed.
        'Outgoing, failed, number not found, dave',
        'Incoming, declined, bob',
        'Missed call, carol',
        expect.stringMatching(/^Incoming, 0:0\d, bob$/),
        expect.stringMatching(/^Outgoing, 0:0\d, bob$/),
      ]);

      // Seen: the badge goes, in the app and in the tray.
      await expect.poll(() => alice.page.getByTestId('missed-count').count()).toBe(0);
      await expect.poll(() => alice.bridge.shell.summaries.at(-1)?.missedCount).toBe(0);

      // Call back from the history with the keyboard: the missed call from carol.
      await alice.page.getByRole('listbox', { name: 'Calls' }).focus();
      for (let i = 0; i < 3; i += 1) {
        await alice.page.keyboard.press('ArrowDown');
      }
      await alice.page.keyboard.press('Enter');
      await carol.waitForIncoming();
      expect(await alice.page.getByTestId('call-party').innerText()).toBe('carol');
      await alice.hangup();
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
