// Issue 20, the server goes away mid-call: Kamailio is stopped during an established app →
// baresip call (through Kamailio and rtpengine), so the app's WebSocket drops. When Kamailio
// comes back within the bound, the app reconnects, registers again and recovers the call with
// its re-INVITE (an ICE restart, answered), and the audio goes both ways afterwards: the app
// hears baresip's tone and baresip's recording ends with the app's; baresip's BYE then finds
// the app's new flow. When Kamailio stays away past the bound, the call ends with cause
// `connection-lost` and its sentence, in the call view and in the history.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import {
  baresipHeardAtTheEnd,
  markSignalling,
  waitForRecoveryReinvite,
} from '../support/call-recovery-checks';

// Registrations survive a restart (as on a PBX that keeps them in a database): baresip, on UDP,
// does not notice Kamailio went away and is reachable for the next call without registering.
const lab = useLab({
  name: 'e2e-kamailio-restart',
  baresip: [{ tone: 1000, autoAnswer: true }],
  persistLocation: true,
});
const env = useE2eEnv();

/** A page signed in as alice straight to Kamailio (with the probe that reads the history). */
async function openAlice(): Promise<PhonePage> {
  const phone = await PhonePage.open(await env.browser(440), env.server);
  const alice = lab.lab.account('alice');
  await phone.bridge.seedAccount(
    { label: 'alice', websocketUri: lab.lab.wsUrl, sipUri: alice.uri },
    alice.password,
  );
  await phone.installAudioProbe(); // reloads the page with the probe
  await phone.waitForRegistration('registered');
  return phone;
}

/** alice calls baresip, which answers; resolves once the app hears baresip's tone. */
async function callBaresip(phone: PhonePage): Promise<void> {
  await phone.dial(lab.lab.baresips[0]!.user);
  await phone.waitForCallStatus('active');
  await phone.waitForAudio(undefined, { present: [1000] });
}

const reconnectingIn = (phone: PhonePage): ReturnType<PhonePage['page']['locator']> =>
  phone.page.locator('[data-testid="call-trouble"][data-kind="reconnecting"]');

describe('Kamailio restarted mid-call', () => {
  it('recovers the call once Kamailio is back, with audio both ways after it', async () => {
    const { kamailio } = lab.lab;
    const bare = lab.lab.baresips[0]!;
    const phone = await openAlice();
    try {
      const recordingsBefore = bare.recordings().length;
      await callBaresip(phone);
      const mark = await markSignalling(phone);

      await kamailio.stop();
      await reconnectingIn(phone).waitFor({ timeout: 10_000 });
      await expect
        .poll(async () => (await phone.registrationProblem())?.cause ?? '', { timeout: 10_000 })
        .toBe('connection-lost');
      await kamailio.start();

      await phone.waitForRegistration('registered', 30_000);
      await waitForRecoveryReinvite(phone, mark, 20_000);
      const recoveredAt = Date.now();
      await reconnectingIn(phone).waitFor({ state: 'detached', timeout: 10_000 });
      await phone.waitForCallStatus('active', 1000);
      expect((await phone.waitForAudio(undefined, { present: [1000] })).packets).toBeGreaterThan(
        20,
      );
      const sinceRecovery = (Date.now() - recoveredAt) / 1000;
      await bare.hangup();
      expect(await phone.waitForEnded()).toBe('hangup-remote');
      const windows = await baresipHeardAtTheEnd(bare, recordingsBefore, sinceRecovery - 0.3, 440);
      expect(windows, 'windows of 440 Hz baresip heard after the recovery').toBeGreaterThanOrEqual(
        3,
      );
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('ends the call with connection-lost when Kamailio stays away past the bound', async () => {
    const { kamailio } = lab.lab;
    const bare = lab.lab.baresips[0]!;
    const phone = await openAlice();
    try {
      await callBaresip(phone);
      const invites = (await phone.sipSent()).filter((m) => m.text.startsWith('INVITE ')).length;
      await kamailio.stop();
      await reconnectingIn(phone).waitFor({ timeout: 10_000 });
      expect(await phone.waitForEnded(40_000)).toBe('connection-lost');
      expect(await phone.page.getByTestId('call-ended').innerText()).toContain(
        'The connection to the server was lost and the call could not be recovered within 20 s.',
      );
      await expect
        .poll(async () => (await phone.historyEntries()).map((e) => e.endCause), {
          timeout: 10_000,
        })
        .toEqual(['connection-lost']);
      // Nothing could carry a re-INVITE meanwhile, and the phone is free for the next call.
      expect((await phone.sipSent()).filter((m) => m.text.startsWith('INVITE '))).toHaveLength(
        invites,
      );
      await phone.page.getByLabel('Number or address').waitFor({ timeout: 10_000 });
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
      if (!kamailio.running) {
        await kamailio.start();
      }
      // baresip still has the call the app could not hang up (no server carried the BYE).
      await bare.hangup();
    }
  });
});
