// Issue 5: early media. A phone that answers with 183 Session Progress and plays audio before
// it picks up (SIPp streaming a PCMU tone through rtpengine) is heard while the call still
// rings; the call becomes active on the 200 OK.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { startEarlyMediaPhone, type EarlyMediaPhone } from '../lab/sipp';

const lab = useLab({ name: 'e2e-early-media', accounts: ['alice', 'bob', 'early1'] });
const env = useE2eEnv();
let early: EarlyMediaPhone;

beforeAll(async () => {
  const account = lab.lab.account('early1');
  early = await startEarlyMediaPhone({
    user: account.user,
    password: account.password,
    domain: account.domain,
    kamailioUdpPort: lab.lab.kamailio.udpPort,
    logDir: lab.lab.logDir,
    tone: 1000,
    // Long enough to be heard while ringing on a loaded machine; the test waits for the tone,
    // then for the answer, so this is no timing assertion.
    earlyMs: 12_000,
  });
});
afterAll(async () => {
  await early?.stop();
});

describe('early media', () => {
  it('plays the far end’s early media while ringing, then connects on answer', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    try {
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');
      await alice.dial('early1');
      await alice.waitForCallStatus('ringing');
      await expect
        .poll(() => alice.page.getByTestId('call-status').innerText())
        .toMatch(/plays a message/);
      const heard = await alice.waitForAudio(undefined, { present: [1000] });
      expect(heard.packets).toBeGreaterThan(20);
      expect(await alice.page.getByTestId('call-view').getAttribute('data-status')).toBe('ringing');

      await alice.waitForCallStatus('active');
      await alice.hangup();
      await alice.waitForEnded();
      expect(early.messages()).toMatch(/183 Session Progress/);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });
});
