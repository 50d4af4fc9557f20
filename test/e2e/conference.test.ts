// A local three-way conference: alice (the app, 440 Hz) calls baresip bare1 (1000 Hz), adds a
// call to bob (another app, 880 Hz) and merges. Each party must hear the other two: bob's
// remote audio holds 440 and 1000, baresip's recording 440 and 880, and alice hears 1000 on
// one line and 880 on the other. When bob hangs up, alice and bare1 keep talking without
// bob's tone. Split undoes a merge: the current line stays, the other one goes on hold.
//
// baresip 1.0's sndfile stops writing what the phone hears once a re-INVITE changes the
// stream direction (its player restarts; RTP still arrives, its status shows the receive
// rate), so the recording is checked in a conference where bare1 is the added call and was
// never held.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { useE2eEnv, registerAll, connect } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { readWav, sliceSeconds, toneAmplitude } from '../support/wav';
import { waitFor } from '../lab/process';
import type { Baresip } from '../lab/baresip';

const lab = useLab({ name: 'e2e-conference', baresip: [{ tone: 1000, autoAnswer: true }] });
const env = useE2eEnv();

/**
 * Amplitude above which a tone is in baresip's recording. The browsers' audio processing
 * leaves a 0.5 full-scale microphone tone at about 0.05 by the time it reaches baresip, and
 * bob's tone relayed through alice's mix at about the same.
 */
const HEARD = 0.02;
/** Amplitude below which it is not (an absent tone measures about 0). */
const NOT_HEARD = 0.005;

/** Amplitudes of 440 and 880 Hz in 1 s windows of a recording, every 0.5 s. */
function windows(path: string): { start: number; a440: number; a880: number }[] {
  const wav = readWav(path);
  const out: { start: number; a440: number; a880: number }[] = [];
  for (let start = 0; start + 1 <= wav.durationSec; start += 0.5) {
    const part = sliceSeconds(wav.samples, wav.sampleRate, start, start + 1);
    out.push({
      start,
      a440: toneAmplitude(part, wav.sampleRate, 440),
      a880: toneAmplitude(part, wav.sampleRate, 880),
    });
  }
  return out;
}

/** The recording of what baresip heard in the call that just closed. */
async function lastHeard(bare: Baresip, before: number): Promise<string> {
  return waitFor(
    () => {
      const files = bare.heardRecordings();
      return files.length > before ? files.at(-1) : undefined;
    },
    { timeoutMs: 20_000, what: 'baresip recording' },
  );
}

/** alice adds a call to bob, who answers; `held` (the first call) goes on hold. */
async function addCall(alice: PhonePage, bob: PhonePage, held: string): Promise<void> {
  await alice.page.getByRole('button', { name: 'Add call', exact: true }).click();
  const field = alice.page.getByLabel('Call another number (this call goes on hold)');
  await field.fill('bob');
  await field.press('Enter');
  await bob.waitForIncoming();
  await bob.answer();
  await bob.waitForCallStatus('active');
  await expect.poll(() => alice.page.getByTestId('line').count()).toBe(2);
  const lines = alice.page.getByTestId('line');
  await expect
    .poll(() => lines.filter({ hasText: 'bob' }).innerText(), { timeout: 10_000 })
    .toContain('Active');
  await expect.poll(() => lines.filter({ hasText: held }).innerText()).toContain('On hold');
}

async function merge(alice: PhonePage): Promise<void> {
  await alice.page.getByRole('button', { name: 'Merge', exact: true }).click();
  const lines = alice.page.getByTestId('line');
  await expect
    .poll(() => lines.allInnerTexts(), { timeout: 10_000 })
    .toEqual([expect.stringContaining('In conference'), expect.stringContaining('In conference')]);
  await alice.page.getByText('In a conference with 2 parties').waitFor();
}

describe('local conference', () => {
  it('merges bare1 and bob, keeps bare1 when bob hangs up, and splits', async () => {
    const bare = lab.lab.baresips[0]!;
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);

      // alice ↔ bare1, then alice adds bob (bare1 goes on hold) and merges.
      await alice.dial(bare.user);
      await alice.waitForCallStatus('active');
      await alice.waitForAudio('bare1', { present: [1000] });
      await addCall(alice, bob, 'bare1');
      await alice.waitForAudio('bare1', { absent: [1000], flowing: false });
      await merge(alice);

      // bob hears alice and bare1; alice hears bare1 on one line and bob on the other.
      await bob.waitForAudio('alice', { present: [440, 1000] });
      await alice.waitForAudio('bare1', { present: [1000], absent: [880] });
      await alice.waitForAudio('bob', { present: [880], absent: [1000] });

      // bob hangs up: the conference ends and alice keeps talking with bare1.
      await bob.hangup();
      expect(await bob.waitForEnded()).toBe('hangup-local');
      await expect.poll(() => alice.page.getByTestId('line').count()).toBe(0);
      expect(await alice.page.getByTestId('call-party').innerText()).toBe('bare1');
      await alice.waitForCallStatus('active');
      expect(await alice.page.getByTestId('hold-state').count()).toBe(0);
      await alice.waitForAudio('bare1', { present: [1000] });

      // Split: a new call to bob, merged, then split. bob's line (the current one) stays,
      // bare1's is held, and bob no longer hears bare1.
      await addCall(alice, bob, 'bare1');
      await merge(alice);
      await bob.waitForAudio('alice', { present: [440, 1000] });
      await alice.page.getByRole('button', { name: 'Split', exact: true }).click();
      const lines = alice.page.getByTestId('line');
      await expect
        .poll(() => lines.filter({ hasText: 'bare1' }).innerText(), { timeout: 10_000 })
        .toContain('On hold');
      await expect.poll(() => lines.filter({ hasText: 'bob' }).innerText()).toContain('Active');
      expect(await lines.filter({ hasText: 'bob' }).getAttribute('aria-current')).toBe('true');
      expect(await alice.page.getByText('In a conference with 2 parties').count()).toBe(0);
      expect(await alice.page.getByRole('button', { name: 'Merge', exact: true }).count()).toBe(1);
      expect(await alice.page.getByTestId('call-party').innerText()).toBe('bob');
      await bob.waitForAudio('alice', { present: [440], absent: [1000] });
      await alice.waitForAudio('bob', { present: [880] });
      await alice.waitForAudio('bare1', { absent: [1000], flowing: false });
      expect(await bob.page.getByTestId('hold-state').count()).toBe(0);

      await bob.hangup();
      expect(await bob.waitForEnded()).toBe('hangup-local');
      await expect
        .poll(() => alice.page.getByTestId('call-party').innerText(), { timeout: 10_000 })
        .toBe('bare1');
      await alice.hangup();
      expect(await alice.waitForEnded()).toBe('hangup-local');

      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('sends bare1 the mix of alice and bob, and only alice once bob has left', async () => {
    const bare = lab.lab.baresips[0]!;
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);

      // alice ↔ bob, then alice adds bare1 (bob goes on hold) and merges.
      await connect(alice, bob, 'bob');
      await alice.waitForAudio('bob', { present: [880] });
      const recordingsBefore = bare.heardRecordings().length;
      const eventsBefore = bare.events.length;
      await alice.page.getByRole('button', { name: 'Add call', exact: true }).click();
      const field = alice.page.getByLabel('Call another number (this call goes on hold)');
      await field.fill(bare.user);
      await field.press('Enter');
      await bare.waitForEventType('CALL_ESTABLISHED', 10_000, eventsBefore);
      await expect.poll(() => alice.page.getByTestId('line').count()).toBe(2);
      await alice.waitForCallStatus('active');
      await alice.waitForAudio('bare1', { present: [1000] });
      await merge(alice);
      await bob.waitForAudio('alice', { present: [440, 1000] });
      await alice.waitForAudio('bare1', { present: [1000] });
      await alice.waitForAudio('bob', { present: [880] });

      // bob hangs up; alice and bare1 talk on (listened to for 3 s, which also leaves baresip
      // 3 s of recording after bob left).
      await bob.hangup();
      expect(await bob.waitForEnded()).toBe('hangup-local');
      await expect.poll(() => alice.page.getByTestId('line').count()).toBe(0);
      await alice.waitForAudio('bare1', { present: [1000], ms: 3000 });
      await alice.hangup();
      expect(await alice.waitForEnded()).toBe('hangup-local');
      await bare.waitForEventType('CALL_CLOSED', 10_000, eventsBefore);

      // baresip heard alice and bob together while merged, and only alice at the end.
      const heard = windows(await lastHeard(bare, recordingsBefore));
      const merged = heard.filter((w) => w.a440 > HEARD && w.a880 > HEARD);
      expect(merged.length, `baresip windows: ${JSON.stringify(heard)}`).toBeGreaterThanOrEqual(2);
      const end = heard.slice(-4, -1);
      expect(end.length).toBe(3);
      for (const w of end) {
        expect(w.a440, `end of baresip's recording: ${JSON.stringify(end)}`).toBeGreaterThan(HEARD);
        expect(w.a880, `end of baresip's recording: ${JSON.stringify(end)}`).toBeLessThan(
          NOT_HEARD,
        );
      }
      expect(end[0]!.start).toBeGreaterThan(merged.at(-1)!.start);

      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
