// Call waiting between three instances of the app (each with its own microphone tone):
// a second call during a call shows the call-waiting banner, not the full incoming view;
// answering it holds the first call before the new one is answered; the lines panel switches
// between the calls (holding one, resuming the other), with the audio checked at every step.
// A waiting call can also be declined or ignored (it keeps ringing for the caller).
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { signIn, useE2eEnv, connect } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({ name: 'e2e-call-waiting', rtpengine: false });
const env = useE2eEnv();

async function openPhones(): Promise<{ alice: PhonePage; bob: PhonePage; carol: PhonePage }> {
  const alice = await PhonePage.open(await env.browser(440), env.server);
  const bob = await PhonePage.open(await env.browser(880), env.server);
  const carol = await PhonePage.open(await env.browser(660), env.server);
  await signIn(alice, lab.lab.account('alice'));
  await signIn(bob, lab.lab.account('bob'));
  await signIn(carol, lab.lab.account('carol'));
  await alice.waitForRegistration('registered');
  await bob.waitForRegistration('registered');
  await carol.waitForRegistration('registered');
  return { alice, bob, carol };
}

async function aliceCallsBob(alice: PhonePage, bob: PhonePage): Promise<void> {
  await connect(alice, bob, 'bob');
  await bob.waitForCallStatus('active');
  await alice.waitForAudio('bob', { present: [880] });
}

/** The SIP messages a page sent, as text. */
async function sent(phone: PhonePage): Promise<string[]> {
  return (await phone.sipSent()).map((m) => m.text);
}

function callIdOf(text: string): string {
  return /^Call-ID:\s*(\S+)/im.exec(text)?.[1] ?? '';
}

describe('call waiting', () => {
  it('answers a second call (holding the first), switches lines, and hangs up each', async () => {
    const { alice, bob, carol } = await openPhones();
    try {
      await aliceCallsBob(alice, bob);
      await alice.watchForTestId('incoming-view');

      // carol calls alice during the call: the banner, not the incoming view.
      await carol.dial('alice');
      const banner = alice.page.getByTestId('call-waiting');
      await banner.waitFor();
      expect(await banner.innerText()).toContain('carol is calling');
      await carol.waitForCallStatus('ringing');
      expect(await alice.wasShown('incoming-view')).toBe(false);
      expect(await alice.page.getByTestId('call-party').innerText()).toBe('bob');
      await alice.waitForCallStatus('active');
      // The call with bob goes on meanwhile.
      await alice.waitForAudio('bob', { present: [880] });
      await bob.waitForAudio('alice', { present: [440] });

      // Answer says it holds bob first; then carol is answered and becomes the current line.
      await banner.getByRole('button', { name: 'Hold bob and answer', exact: true }).click();
      await expect
        .poll(() => alice.page.getByTestId('call-party').innerText(), { timeout: 15_000 })
        .toBe('carol');
      await alice.waitForCallStatus('active');
      await carol.waitForCallStatus('active');
      await expect.poll(() => banner.count()).toBe(0);
      await expect
        .poll(() => bob.page.getByTestId('hold-state').textContent(), { timeout: 10_000 })
        .toBe('alice put you on hold');
      const texts = await sent(alice);
      const holdIndex = texts.findIndex(
        (t) => /^INVITE /.test(t) && /^To:.*sip:bob@/im.test(t) && /a=sendonly/.test(t),
      );
      const answerIndex = texts.findIndex(
        (t) =>
          /^SIP\/2\.0 200 /.test(t) &&
          /^CSeq:\s*\d+ INVITE/im.test(t) &&
          /^From:.*sip:carol@/im.test(t),
      );
      expect(holdIndex, 'alice sent a hold re-INVITE to bob').toBeGreaterThanOrEqual(0);
      expect(answerIndex, 'alice answered carol').toBeGreaterThan(holdIndex);

      // bob's audio stops reaching alice and alice's voice no longer reaches bob; carol and
      // alice hear each other.
      await alice.waitForAudio('bob', { absent: [880], flowing: false });
      await bob.waitForAudio('alice', { absent: [440] });
      await alice.waitForAudio('carol', { present: [660] });
      await carol.waitForAudio('alice', { present: [440] });

      // The lines panel lists both calls.
      const lines = alice.page.getByTestId('line');
      await expect.poll(() => lines.count()).toBe(2);
      const bobLine = lines.filter({ hasText: 'bob' });
      const carolLine = lines.filter({ hasText: 'carol' });
      await expect.poll(() => bobLine.innerText()).toContain('On hold');
      await expect.poll(() => carolLine.innerText()).toContain('Active');
      await expect.poll(() => carolLine.getAttribute('aria-current')).toBe('true');

      // Switching to bob's line holds carol and resumes bob.
      await bobLine.click();
      await expect
        .poll(() => carol.page.getByTestId('hold-state').textContent(), { timeout: 10_000 })
        .toBe('alice put you on hold');
      await expect
        .poll(() => bob.page.getByTestId('hold-state').count(), { timeout: 10_000 })
        .toBe(0);
      await expect.poll(() => bobLine.innerText()).toContain('Active');
      await expect.poll(() => bobLine.getAttribute('aria-current')).toBe('true');
      await expect.poll(() => carolLine.innerText()).toContain('On hold');
      expect(await alice.page.getByTestId('call-party').innerText()).toBe('bob');
      await alice.waitForAudio('bob', { present: [880] });
      await bob.waitForAudio('alice', { present: [440] });
      await alice.waitForAudio('carol', { absent: [660], flowing: false });
      await carol.waitForAudio('alice', { absent: [440] });

      // Hanging up bob leaves carol, still held, as the only line.
      await alice.hangup();
      expect(await bob.waitForEnded()).toBe('hangup-remote');
      await expect
        .poll(() => alice.page.getByTestId('call-party').innerText(), { timeout: 10_000 })
        .toBe('carol');
      await expect.poll(() => lines.count()).toBe(0);
      expect(await alice.page.getByTestId('hold-state').textContent()).toBe(
        'On hold — they hear nothing',
      );
      await carol.waitForCallStatus('active');

      // Resume carol: both hear each other again; then hang up.
      await alice.page.getByRole('button', { name: 'Resume', exact: true }).click();
      await expect
        .poll(() => carol.page.getByTestId('hold-state').count(), { timeout: 10_000 })
        .toBe(0);
      await alice.waitForAudio('carol', { present: [660] });
      await carol.waitForAudio('alice', { present: [440] });
      await alice.hangup();
      expect(await alice.waitForEnded()).toBe('hangup-local');
      expect(await carol.waitForEnded()).toBe('hangup-remote');

      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
      expect(carol.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
      await carol.close();
    }
  });

  it('declines a waiting call, and ignores one that keeps ringing for the caller', async () => {
    const { alice, bob, carol } = await openPhones();
    try {
      await aliceCallsBob(alice, bob);
      const banner = alice.page.getByTestId('call-waiting');

      // Decline: carol's call ends as busy, alice's call with bob is untouched.
      await carol.dial('alice');
      await banner.waitFor();
      await banner.getByRole('button', { name: 'Decline', exact: true }).click();
      expect(await carol.waitForEnded()).toBe('busy');
      await expect.poll(() => banner.count()).toBe(0);
      expect(
        (await sent(alice)).some(
          (t) => /^SIP\/2\.0 486 /.test(t) && /^From:.*sip:carol@/im.test(t),
        ),
      ).toBe(true);
      expect(await alice.page.getByTestId('call-party').innerText()).toBe('bob');
      await expect.poll(() => bob.page.getByTestId('hold-state').count()).toBe(0);
      await alice.waitForAudio('bob', { present: [880] });
      await bob.waitForAudio('alice', { present: [440] });

      // Ignore: the banner shrinks to a chip, and the call keeps ringing at carol.
      await carol.dial('alice');
      await banner.waitFor();
      await carol.waitForCallStatus('ringing');
      await banner.getByRole('button', { name: 'Ignore', exact: true }).click();
      await expect.poll(() => banner.count()).toBe(0);
      const chip = alice.page.getByRole('button', { name: '1 call waiting', exact: true });
      await chip.waitFor();
      const ringing = [...(await sent(alice))]
        .reverse()
        .find((t) => /^SIP\/2\.0 180 /.test(t) && /^From:.*sip:carol@/im.test(t));
      expect(ringing).toBeDefined();
      const carolCallId = callIdOf(ringing ?? '');
      const finals = async (): Promise<string[]> =>
        (await sent(alice))
          .filter((t) => /^SIP\/2\.0 [2-6]\d\d /.test(t) && callIdOf(t) === carolCallId)
          .map(
            (t) =>
              /^SIP\/2\.0 (\d+) [^\r\n]*[\s\S]*?^CSeq:\s*\d+ (\w+)/im.exec(t)?.slice(1).join(' ') ??
              t,
          );
      // Ignoring answers nothing and rejects nothing: the call still rings at carol.
      await carol.waitForCallStatus('ringing');
      await chip.waitFor();
      expect(await finals()).toEqual([]);
      expect(await alice.page.getByTestId('call-party').innerText()).toBe('bob');
      await expect.poll(() => bob.page.getByTestId('hold-state').count()).toBe(0);

      // carol gives up: the chip goes and the call counts as missed. That nothing answered or
      // rejected the ignored call in the meantime is bounded by this event rather than by a
      // period of watching: carol's own CANCEL is what ends it (her side says so), and alice's
      // only final answers on the call are the ones to that CANCEL (200, then 487 to the INVITE).
      await carol.hangup();
      expect(await carol.waitForEnded()).toBe('canceled-local');
      await expect.poll(finals).toEqual(['200 CANCEL', '487 INVITE']);
      await expect.poll(() => chip.count()).toBe(0);
      await expect.poll(() => alice.page.getByTestId('missed-count').innerText()).toBe('1 missed');
      await alice.hangup();
      expect(await bob.waitForEnded()).toBe('hangup-remote');

      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
      expect(carol.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
      await carol.close();
    }
  });
});
