// Issue 3, test 2: the app calls baresip (a plain RTP phone) through Kamailio and rtpengine;
// baresip answers; the app hears baresip's tone and baresip's recording holds the app's tone.
// Then baresip calls the app and the app answers.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { near, signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { dominantFrequency, readWav, rms, windowsWithTone } from '../support/wav';
import { waitFor } from '../lab/process';

const lab = useLab({ name: 'e2e-app-to-baresip', baresip: [{ tone: 1000, autoAnswer: true }] });
const env = useE2eEnv();

describe('app ↔ baresip through rtpengine', () => {
  it('calls baresip, both hear each other, and answers a call from baresip', async () => {
    const bare = lab.lab.baresips[0]!;
    const phone = await PhonePage.open(await env.browser(440), env.server);
    try {
      await signIn(phone, lab.lab.account('alice'));
      await phone.waitForRegistration('registered');

      // The app calls baresip, which answers by itself.
      const before = bare.recordings().length;
      await phone.dial(bare.user);
      await phone.waitForCallStatus('active');
      const heard = await phone.waitForAudio(undefined, { present: [1000] });
      expect(heard.packets).toBeGreaterThan(20);
      await phone.hangup();
      expect(await phone.waitForEnded()).toBe('hangup-local');

      await bare.waitForEventType('CALL_CLOSED', 10_000);
      const recordings = await waitFor(
        () => {
          const files = bare.heardRecordings();
          return files.length > 0 && bare.recordings().length > before ? files : undefined;
        },
        { timeoutMs: 20_000, what: 'baresip recording' },
      );
      const wav = readWav(recordings.at(-1)!);
      expect(rms(wav.samples)).toBeGreaterThan(0.02);
      const freq = dominantFrequency(wav.samples, wav.sampleRate);
      expect(near(freq, 440), `baresip heard ${freq} Hz`).toBe(true);
      // At least 0.3 s of clear tone (counted per 100 ms window, so a concealed packet on a
      // loaded machine does not count against it).
      expect(windowsWithTone(wav.samples, wav.sampleRate, 440, 0.05)).toBeGreaterThanOrEqual(3);

      // baresip calls the app; the user answers.
      await bare.dial(lab.lab.account('alice').uri);
      await phone.waitForIncoming();
      expect(await phone.page.getByTestId('call-party').innerText()).toBe(bare.user);
      await phone.answer();
      await phone.waitForCallStatus('active');
      expect((await phone.waitForAudio(undefined, { present: [1000] })).packets).toBeGreaterThan(
        20,
      );
      await bare.hangup();
      expect(await phone.waitForEnded()).toBe('hangup-remote');
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
