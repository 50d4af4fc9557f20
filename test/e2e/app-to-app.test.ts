// Issue 3, test 1: two instances of the real renderer build, in two Chromium instances with
// different microphone tones, register to Kamailio over WebSocket, call each other and answer;
// audio flows both ways (packets, level and the right tone at each end); either side hangs up.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { useE2eEnv, registerAll, connect } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({ name: 'e2e-app-to-app', rtpengine: false });
const env = useE2eEnv();

describe('app ↔ app over Kamailio', () => {
  it('registers, calls, answers, hears the other tone both ways, and hangs up from either side', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);

      // Call 1: alice calls bob, bob answers, bob hangs up.
      await alice.dial('bob');
      await bob.waitForIncoming();
      expect(await bob.page.getByTestId('call-party').innerText()).toBe('alice');
      await bob.answer();
      await alice.waitForCallStatus('active');
      await bob.waitForCallStatus('active');

      // Each hears the other's tone (RTP flowing, the tone 20 dB over the noise floor, the
      // own tone absent), listened to until it is so.
      const atAlice = await alice.waitForAudio('bob', { present: [880], absent: [440] });
      const atBob = await bob.waitForAudio('alice', { present: [440], absent: [880] });
      expect(atAlice.packets).toBeGreaterThan(20);
      expect(atBob.packets).toBeGreaterThan(20);

      await bob.hangup();
      expect(await bob.waitForEnded()).toBe('hangup-local');
      expect(await alice.waitForEnded()).toBe('hangup-remote');

      // Call 2: bob calls alice, alice answers, the caller (bob) hangs up... from alice's side this time.
      await connect(bob, alice, 'alice');
      await alice.waitForCallStatus('active');
      expect((await bob.waitForAudio('alice', { present: [440] })).packets).toBeGreaterThan(20);
      await alice.hangup();
      expect(await alice.waitForEnded()).toBe('hangup-local');
      expect(await bob.waitForEnded()).toBe('hangup-remote');

      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
