// Issue 20, "a ghost call (peer frozen with SIGSTOP) ends with the reason": an app → baresip call
// through Kamailio and rtpengine whose far end freezes. rtpengine keeps answering ICE, so the
// connection looks fine; only the audio and the dialog's signalling stop. The call view warns,
// then the call ends with "connection lost" (in the call view and in the history), although
// the BYE to the frozen phone is never answered.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({ name: 'e2e-ghost-call', baresip: [{ tone: 880, autoAnswer: true }] });
const env = useE2eEnv();

describe('ghost call', () => {
  it('warns, then ends a call whose far end froze, with the reason in the view and the history', async () => {
    const bare = lab.lab.baresips[0]!;
    const phone = await PhonePage.open(await env.browser(440), env.server);
    try {
      const alice = lab.lab.account('alice');
      await phone.bridge.seedAccount(
        { label: 'alice', websocketUri: lab.lab.wsUrl, sipUri: alice.uri },
        alice.password,
      );
      await phone.installAudioProbe(); // reloads the page with the probe that reads the history
      await phone.waitForRegistration('registered');
      await phone.dial(bare.user);
      await phone.waitForCallStatus('active');
      await phone.waitForAudio(undefined, { present: [880] });

      bare.process.freeze();
      const trouble = phone.page.locator('[data-testid="call-trouble"][data-kind="silent"]');
      await trouble.waitFor({ timeout: 60_000 });
      expect(await trouble.innerText()).toMatch(/Nothing has come from the other side/);

      expect(await phone.waitForEnded(60_000)).toBe('connection-lost');
      expect(await phone.page.getByTestId('call-ended').innerText()).toMatch(
        /nothing came from the other side for \d+ s, neither audio nor signalling/,
      );
      // The far end is still frozen: the BYE went out and nobody answered it.
      const byes = (await phone.sipSent()).filter((m) => m.text.startsWith('BYE '));
      expect(byes).toHaveLength(1);
      await expect
        .poll(async () => (await phone.historyEntries()).map((e) => e.endCause), {
          timeout: 10_000,
        })
        .toEqual(['connection-lost']);
      // The phone is free for the next call at once.
      await phone.page.getByLabel('Number or address').waitFor({ timeout: 10_000 });
      expect(phone.errors).toEqual([]);
    } finally {
      bare.process.thaw();
      await phone.close();
    }
  });
});
