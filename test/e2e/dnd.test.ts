// Do not disturb: with the status-bar toggle on, a call from baresip is declined at once with
// 486 (or the dndResponseCode setting, e.g. 603) without the incoming view ever showing, and
// counts as missed until the badge is clicked; turned off, the next call rings normally.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({ name: 'e2e-dnd', baresip: [{ tone: 1000 }] });
const env = useE2eEnv();

/** baresip calls alice and waits for its call to close; returns CALL_CLOSED's parameter. */
async function callAndWaitClosed(phone: PhonePage): Promise<string> {
  const bare = lab.lab.baresips[0]!;
  const from = bare.events.length;
  await phone.watchForTestId('incoming-view');
  await bare.dial(lab.lab.account('alice').uri);
  const closed = await bare.waitForEventType('CALL_CLOSED', 15_000, from);
  // baresip never got as far as an established call.
  expect(bare.events.slice(from).map((e) => e.type)).not.toContain('CALL_ESTABLISHED');
  expect(await phone.wasShown('incoming-view')).toBe(false);
  return closed.param ?? '';
}

async function toggleDnd(phone: PhonePage, on: boolean): Promise<void> {
  const toggle = phone.page.getByTestId('dnd-toggle');
  await toggle.click();
  await expect.poll(() => toggle.getAttribute('aria-pressed')).toBe(String(on));
  expect(phone.bridge.settings.get().doNotDisturb).toBe(on);
}

describe('do not disturb', () => {
  it('declines with 486 without ringing, counts a missed call, and rings again when off', async () => {
    const bare = lab.lab.baresips[0]!;
    const alice = await PhonePage.open(await env.browser(440), env.server);
    try {
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');
      expect(await alice.page.getByTestId('missed-count').count()).toBe(0);

      await toggleDnd(alice, true);
      // Do-not-disturb has its own sign on the status dot, and its own words.
      const status = alice.page.getByTestId('registration-status');
      expect(await status.getAttribute('data-dot')).toBe('dnd');
      expect(await status.innerText()).toBe('Do not disturb');
      const reason = await callAndWaitClosed(alice);
      expect(reason).toMatch(/^486 Busy Here/);
      const sent = (await alice.sipSent()).map((m) => m.text);
      expect(sent.filter((t) => /^SIP\/2\.0 486 /.test(t))).toHaveLength(1);
      expect(sent.some((t) => /^SIP\/2\.0 180 /.test(t))).toBe(false);

      // One missed call; clicking the badge marks it seen.
      const missed = alice.page.getByTestId('missed-count');
      await expect.poll(() => missed.innerText()).toBe('1 missed');
      await missed.click();
      await expect.poll(() => missed.count()).toBe(0);

      // Off again: the next call rings, is answered and has audio.
      await toggleDnd(alice, false);
      const from = bare.events.length;
      await alice.watchForTestId('incoming-view');
      await bare.dial(lab.lab.account('alice').uri);
      await alice.waitForIncoming();
      expect(await alice.wasShown('incoming-view')).toBe(true); // the watch does see it
      expect(await alice.page.getByTestId('call-party').innerText()).toBe(bare.user);
      await alice.answer();
      await alice.waitForCallStatus('active');
      await bare.waitForEventType('CALL_ESTABLISHED', 10_000, from);
      await alice.waitForAudio(undefined, { present: [1000] });
      await bare.hangup();
      expect(await alice.waitForEnded()).toBe('hangup-remote');
      expect(await missed.count()).toBe(0);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });

  it('declines with the configured code (603)', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    try {
      await alice.bridge.settings.update({ dndResponseCode: 603 });
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');
      await toggleDnd(alice, true);

      const reason = await callAndWaitClosed(alice);
      expect(reason).toMatch(/^603 Decline/);
      const sent = (await alice.sipSent()).map((m) => m.text);
      expect(sent.filter((t) => /^SIP\/2\.0 603 /.test(t))).toHaveLength(1);
      expect(sent.some((t) => /^SIP\/2\.0 486 /.test(t))).toBe(false);
      await expect.poll(() => alice.page.getByTestId('missed-count').innerText()).toBe('1 missed');
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });
});
