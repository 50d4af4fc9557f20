// Issue 3, test 1: two instances of the real renderer build, in two Chromium instances with
// different microphone tones, register to Kamailio over WebSocket, call each other and answer;
// audio flows both ways (packets, level and the right tone at each end); either side hangs up.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { near, useE2eEnv, registerAll, connect } from '../support/e2e-env';
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

      const atAlice = await alice.inboundAudio();
      const atBob = await bob.inboundAudio();
      expect(atAlice.packetsReceived).toBeGreaterThan(20);
      expect(atBob.packetsReceived).toBeGreaterThan(20);
      expect(atAlice.audioLevel).toBeGreaterThan(0.01);
      expect(atBob.audioLevel).toBeGreaterThan(0.01);
      expect(near(atAlice.frequency, 880), `alice hears ${atAlice.frequency} Hz`).toBe(true);
      expect(near(atBob.frequency, 440), `bob hears ${atBob.frequency} Hz`).toBe(true);
      expect(atAlice.peakOverMedianDb).toBeGreaterThan(20);

      await bob.hangup();
      expect(await bob.waitForEnded()).toBe('hangup-local');
      expect(await alice.waitForEnded()).toBe('hangup-remote');

      // Call 2: bob calls alice, alice answers, the caller (bob) hangs up... from alice's side this time.
      await connect(bob, alice, 'alice');
      await alice.waitForCallStatus('active');
      expect((await bob.inboundAudio(800)).packetsReceived).toBeGreaterThan(10);
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
