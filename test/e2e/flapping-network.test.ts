// Issue 20, "a flapping network (down/up 10×) produces at most N REGISTERs and ends
// registered": the lab's WsFront goes down (every connection dropped, new ones refused) and
// comes back ten times; each time it comes back the window hears `online`, as it does when the
// OS network returns, and the network drops again as soon as the phone sends its REGISTER.
// Kamailio counts the REGISTERs it received: at most two per return (the challenged one and
// the one with credentials), so a PBX with fail2ban never sees a storm; the phone ends registered.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({ name: 'e2e-flapping-network', rtpengine: false });
const env = useE2eEnv();

const FLAPS = 10;

describe('flapping network', () => {
  it(`goes down and up ${FLAPS} times, sends a bounded number of REGISTERs and ends registered`, async () => {
    const front = await lab.lab.startWsFront({ mode: 'forward' });
    const phone = await PhonePage.open(await env.browser(440), env.server);
    try {
      const alice = lab.lab.account('alice');
      await phone.bridge.seedAccount(
        { label: 'alice', websocketUri: front.url, sipUri: alice.uri },
        alice.password,
      );
      await phone.page.reload();
      await phone.waitForRegistration('registered');
      const before = lab.lab.kamailio.registerCount('alice');
      const isRegister = (f: { dir: string; text: string }): boolean =>
        f.dir === 'up' && f.text.startsWith('REGISTER ');

      for (let flap = 0; flap < FLAPS; flap += 1) {
        await front.setMode('down');
        await phone.waitForRegistration('failed', 30_000);
        const from = front.frames.length;
        await front.setMode('forward');
        await phone.page.evaluate(() => window.dispatchEvent(new Event('online')));
        // The phone is back on the network and registering: the network drops again now.
        await front.waitForFrame(isRegister, 30_000, from);
      }
      await phone.waitForRegistration('registered', 30_000);

      const registers = lab.lab.kamailio.registerCount('alice') - before;
      expect(registers).toBeGreaterThanOrEqual(1);
      expect(registers).toBeLessThanOrEqual(2 * (FLAPS + 1));
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
      await front.stop();
    }
  });
});
