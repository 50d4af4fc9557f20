// JsSIP's session, MESSAGE and subscription code is a chunk of its own (phone/jssip-deferred.ts,
// issue 19). When it cannot load (a damaged install), the phone still registers: registering
// never needs it. A call to it is refused (400, answered by the engine's socket when JsSIP
// throws) instead of being left unanswered, the dialer says why a call cannot be placed, and
// the page throws nothing uncaught.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({ name: 'e2e-jssip-sessions-missing', rtpengine: false });
const env = useE2eEnv();

describe("without JsSIP's sessions chunk", () => {
  it('registers, refuses a call to it, and says why a call cannot be placed', async () => {
    const front = await lab.lab.startWsFront({ mode: 'forward' });
    const alice = await PhonePage.open(await env.browser(440), env.server, {
      beforeLoad: async (page) => {
        await page.route(/\/jssip-sessions-[\w-]+\.js$/, (route) => route.abort());
      },
    });
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await signIn(alice, lab.lab.account('alice'), undefined, front.url);
      await signIn(bob, lab.lab.account('bob'));
      await alice.waitForRegistration('registered');
      await bob.waitForRegistration('registered');

      await bob.dial('alice');
      await front.waitForFrame((f) => f.dir === 'up' && /^SIP\/2\.0 400 /.test(f.text));
      expect(await bob.waitForEnded()).not.toBeNull();
      expect(await alice.page.getByTestId('incoming-view').count()).toBe(0);

      // Placing a call says why in the dialer instead of a call that ends at once.
      await alice.dial('bob');
      await expect
        .poll(() => alice.page.locator('#dial-notice').innerText())
        .toMatch(
          /^Calls, chat and presence are unavailable: the app could not load their code \(.+\)\. Try again/,
        );
      expect(await alice.page.getByTestId('call-view').count()).toBe(0);
      await expect
        .poll(() => alice.page.getByTestId('registration-status').getAttribute('data-status'))
        .toBe('registered');
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.context.close();
      await bob.context.close();
      await front.stop();
    }
  });
});
