// Issue 12 §3: when the phone window's page dies during a call (a crash, a hang killed by main,
// a kill), the reloaded page writes the call to the history as interrupted, registers again and
// shows main's restart notice on whatever screen is open.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { connect, signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({ name: 'e2e-renderer-restart', rtpengine: false });
const env = useE2eEnv();

describe('a page lost during a call', () => {
  it('records the call as interrupted after the reload, and shows the restart notice', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await signIn(alice, lab.lab.account('alice'));
      await signIn(bob, lab.lab.account('bob'));
      await alice.waitForRegistration('registered');
      await bob.waitForRegistration('registered');
      await alice.installAudioProbe();
      await connect(alice, bob, 'bob');
      await alice.waitForCallStatus('active');

      // The page goes away with the call up (no BYE, no history entry written by the call).
      await alice.page.reload();
      await alice.waitForRegistration('registered');
      await alice.bridge.emit(alice.page, 'app/renderer-restarted', {
        reason: 'crashed',
        message:
          'The phone window stopped unexpectedly and was restarted. The call with bob was lost; call back if you need to.',
        at: Date.now(),
        lostCall: { state: 'in-call', party: 'bob' },
      });
      await expect
        .poll(() => alice.page.getByTestId('app-notice').innerText())
        .toContain('The call with bob was lost');

      // (The probe installed above reads the history; it stays installed across reloads.)
      await expect
        .poll(async () =>
          (await alice.historyEntries()).map((e) => [e.partyUser, e.direction, e.endCause]),
        )
        .toEqual([['bob', 'outgoing', 'interrupted']]);
      // The far end is still in the call it never heard the end of; it hangs up by itself.
      await bob.hangup();
      await bob.waitForEnded();
      await alice.page.getByRole('button', { name: 'Dismiss' }).click();
      expect(await alice.page.getByTestId('app-notice').count()).toBe(0);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
