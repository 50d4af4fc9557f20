// Issue 13: interop with a second independent SIP stack, Debian's linphonec (liblinphone 5.1),
// through Kamailio and rtpengine, beside the baresip suites: calls both ways with audio both
// ways (linphone's recording holds the app's tone); hold and resume from either side in calls
// either side offered, every re-INVITE taken (none refused, no wedged call); RFC 4733 DTMF that
// arrives once per key (linphone answers telephone-event at 48 and 8 kHz); SIP INFO DTMF both
// ways; blind transfers both ways and an attended transfer.
import { statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { dominantFrequency, readWav, rms, sliceSeconds, waitFor, type Linphone } from '../lab';
import { near, signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { useLab } from '../support/use-lab';

const lab = useLab({
  name: 'e2e-app-to-linphone',
  linphone: [
    { tone: 1200 }, // lin1: answers by hand
    { tone: 1500, autoAnswer: true }, // lin2
    { tone: 1800, autoAnswer: true, dtmf: 'sip-info' }, // lin3
  ],
});
const env = useE2eEnv();

function linphones(): [Linphone, Linphone, Linphone] {
  const [a, b, c] = lab.lab.linphones;
  if (!a || !b || !c) {
    throw new Error('three linphonec phones expected');
  }
  return [a, b, c];
}

afterEach(() => {
  for (const phone of lab.lab.linphones) {
    phone.hangupAll();
  }
});

async function alicePhone(dtmfMode: 'rfc4733' | 'info' = 'rfc4733'): Promise<PhonePage> {
  const alice = await PhonePage.open(await env.browser(440), env.server);
  const account = lab.lab.account('alice');
  if (dtmfMode === 'info') {
    await alice.bridge.seedAccount(
      { label: 'INFO', websocketUri: account.wsUrl, sipUri: account.uri, dtmfMode: 'info' },
      account.password,
    );
    await alice.page.reload();
  } else {
    await signIn(alice, account);
  }
  await alice.waitForRegistration('registered');
  return alice;
}

/**
 * The recording of the call `phone` is in now, once it holds `seconds` of audio: a file that was
 * not there before the call (`known`), as linphone opens one when a call's audio starts.
 */
async function recordingOf(
  phone: Linphone,
  known: readonly string[],
  seconds: number,
): Promise<string> {
  return waitFor(
    () =>
      phone
        .recordings()
        .find((f) => !known.includes(f) && statSync(f).size > 44 + seconds * 48000 * 2),
    { what: `${phone.user} recording ${seconds} s of the call`, timeoutMs: 15_000 },
  );
}

/**
 * The frequency linphone heard in a recording, between 0.5 s and `untilSec` (linphone completes
 * the WAV header when the call ends: read it only after its 'ended' event).
 */
function linphoneHeard(file: string, untilSec: number): number {
  const wav = readWav(file);
  const steady = sliceSeconds(wav.samples, wav.sampleRate, 0.5, untilSec);
  expect(rms(steady)).toBeGreaterThan(0.02);
  return dominantFrequency(steady, wav.sampleRate);
}

/**
 * Every key typed on the keyboard with the call's keypad open, each once the call view shows
 * the previous one was taken (as a user types them; they then queue in the DTMF sender).
 */
async function press(phone: PhonePage, keys: string): Promise<void> {
  await phone.page.getByRole('button', { name: 'Keypad', exact: true }).click();
  const shown = phone.page.getByTestId('dtmf-sent');
  let typed = '';
  for (const key of keys) {
    await phone.page.locator('body').press(key);
    typed += key;
    await expect.poll(() => shown.innerText()).toBe(typed);
  }
}

/**
 * linphone's re-INVITEs were all taken (none refused: no 488 for a payload type the browser would
 * not apply, no 500 from a wedged peer connection), and no call ended because a hold failed.
 */
async function expectNoWedge(phone: PhonePage): Promise<void> {
  const sent = await phone.sipSent();
  const refused = sent.filter((m) => /^SIP\/2\.0 [3-6]\d\d [\s\S]*CSeq: \d+ INVITE/.test(m.text));
  expect(refused.map((m) => m.text.split('\r\n')[0])).toEqual([]);
  expect(sent.filter((m) => /^BYE [\s\S]*Hold Failed/.test(m.text))).toEqual([]);
}

/** The app calls `phone`, which rings and is answered by hand; resolves once the call is active. */
async function callAnsweredBy(app: PhonePage, phone: Linphone): Promise<void> {
  const from = phone.events.length;
  await app.dial(phone.user);
  await phone.waitForEventType('incoming', 10_000, from);
  phone.answer();
  await app.waitForCallStatus('active');
}

/**
 * linphone puts the call on hold and resumes it (its re-INVITEs, sendonly then sendrecv); the app
 * shows who holds whom, and the other side's tone comes back.
 */
async function heldAndResumedBy(phone: Linphone, app: PhonePage, tone: number): Promise<void> {
  const from = phone.events.length;
  phone.hold();
  await phone.waitForEventType('paused', 10_000, from);
  await expect
    .poll(() => app.page.getByTestId('hold-state').innerText(), { timeout: 10_000 })
    .toMatch(/put you on hold/);
  const resumed = phone.events.length;
  phone.resume();
  await phone.waitForEventType('streams-running', 10_000, resumed);
  await expect.poll(() => app.page.getByTestId('hold-state').count()).toBe(0);
  await app.waitForAudio(undefined, { present: [tone] });
}

/**
 * The app puts the call on hold and resumes it (re-INVITEs toward linphone): linphone reports
 * being paused, the app shows it holds, and after resuming the other side's tone comes back.
 */
async function holdsAndResumes(app: PhonePage, phone: Linphone, tone: number): Promise<void> {
  const from = phone.events.length;
  await app.page.getByRole('button', { name: 'Hold', exact: true }).click();
  await phone.waitForEventType('paused-by-remote', 10_000, from);
  await expect.poll(() => app.page.getByTestId('hold-state').innerText()).toMatch(/On hold/);
  const resumed = phone.events.length;
  await app.page.getByRole('button', { name: 'Resume', exact: true }).click();
  await phone.waitForEventType('streams-running', 10_000, resumed);
  await expect.poll(() => app.page.getByTestId('hold-state').count()).toBe(0);
  await app.waitForAudio(undefined, { present: [tone] });
}

describe('app ↔ linphonec', () => {
  it('calls linphone with audio both ways; holds and is held (re-INVITEs both ways)', async () => {
    const [lin1] = linphones();
    const alice = await alicePhone();
    try {
      const known = lin1.recordings();
      await callAnsweredBy(alice, lin1);
      await alice.waitForAudio(undefined, { present: [1200] });
      // Two seconds of the app's tone recorded before anything is held.
      const recording = await recordingOf(lin1, known, 2);

      // The app holds and resumes; linphone holds and resumes; the app holds again.
      await holdsAndResumes(alice, lin1, 1200);
      await heldAndResumedBy(lin1, alice, 1200);
      await holdsAndResumes(alice, lin1, 1200);
      await expectNoWedge(alice);

      const e = lin1.events.length;
      lin1.hangup();
      expect(await alice.waitForEnded()).toBe('hangup-remote');
      await lin1.waitForEventType('ended', 10_000, e);
      expect(near(linphoneHeard(recording, 2), 440, 20)).toBe(true);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });

  it('answers linphone with audio both ways; held and holding in the call linphone offered', async () => {
    const [lin1] = linphones();
    const alice = await alicePhone();
    try {
      const c = lin1.events.length;
      const known = lin1.recordings();
      await lin1.dial(lab.lab.account('alice').uri);
      await alice.waitForIncoming();
      expect(await alice.page.getByTestId('call-party').innerText()).toBe(lin1.user);
      await alice.answer();
      await alice.waitForCallStatus('active');
      await alice.waitForAudio(undefined, { present: [1200] });
      const recording = await recordingOf(lin1, known, 2);

      // linphone's own payload types (opus 96, telephone-event 99/100/101) through its re-INVITEs.
      await heldAndResumedBy(lin1, alice, 1200);
      await holdsAndResumes(alice, lin1, 1200);
      await expectNoWedge(alice);

      await alice.hangup();
      await lin1.waitForEventType('ended', 10_000, c);
      expect(near(linphoneHeard(recording, 2), 440, 20)).toBe(true);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });

  it('sends RFC 4733 key presses that linphone gets exactly once each', async () => {
    const [, lin2] = linphones();
    const alice = await alicePhone();
    try {
      await alice.dial(lin2.user);
      await alice.waitForCallStatus('active');
      const from = lin2.events.length;
      await press(alice, '123#9*0');
      // Three end packets per key used to reach linphone as three key presses.
      await expect.poll(() => lin2.receivedDtmf(from), { timeout: 15_000 }).toBe('123#9*0');
      expect((await alice.sipSent()).filter((m) => m.text.startsWith('INFO '))).toEqual([]);
      // linphone answered telephone-event at both clocks (the case Chromium gets wrong).
      const answer = (await alice.sipReceived())
        .map((m) => m.text)
        .find((t) => /^SIP\/2\.0 200/.test(t) && /CSeq: \d+ INVITE/.test(t));
      expect(answer).toMatch(/telephone-event\/48000/);
      expect(answer).toMatch(/telephone-event\/8000/);
      await alice.hangup();
      await alice.waitForEnded();
    } finally {
      await alice.close();
    }
  });

  it('sends and receives SIP INFO key presses', async () => {
    const [, , lin3] = linphones();
    const alice = await alicePhone('info');
    try {
      await alice.dial(lin3.user);
      await alice.waitForCallStatus('active');
      const from = lin3.events.length;
      await press(alice, '42#7');
      await expect.poll(() => lin3.receivedDtmf(from), { timeout: 15_000 }).toBe('42#7');
      expect((await alice.sipSent()).filter((m) => m.text.startsWith('INFO '))).toHaveLength(4);

      lin3.sendDtmf('90*');
      const infoOk = async (): Promise<number> =>
        (await alice.sipSent()).filter((m) => /^SIP\/2\.0 200[\s\S]*CSeq: \d+ INFO/.test(m.text))
          .length;
      await expect.poll(infoOk, { timeout: 10_000 }).toBe(3);
      const signals = (await alice.sipReceived())
        .map((m) => m.text)
        .filter((t) => t.startsWith('INFO '))
        .map((t) => /Signal=\s*(\S)/.exec(t)?.[1]);
      expect(signals.join('')).toBe('90*');
      await alice.hangup();
      await alice.waitForEnded();
    } finally {
      await alice.close();
    }
  });

  it('blind-transfers linphone to another linphone', async () => {
    const [lin1, lin2] = linphones();
    const alice = await alicePhone();
    try {
      const m2 = lin2.events.length;
      await callAnsweredBy(alice, lin1);
      await alice.page.getByRole('button', { name: 'Transfer', exact: true }).click();
      await alice.page.getByLabel(/^Transfer .* to$/).fill(lin2.user);
      await alice.page.getByRole('button', { name: 'Transfer now', exact: true }).click();
      expect(await alice.waitForEnded(20_000)).toBe('transferred');
      const incoming = await lin2.waitForEventType('incoming', 15_000, m2);
      expect(incoming.peer).toContain(lin1.user);
      await lin2.waitForEventType('streams-running', 10_000, m2);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });

  it('is blind-transferred by linphone and calls the target', async () => {
    const [lin1, lin2] = linphones();
    const alice = await alicePhone();
    try {
      const m2 = lin2.events.length;
      await lin1.dial(lab.lab.account('alice').uri);
      await alice.waitForIncoming();
      await alice.answer();
      await alice.waitForCallStatus('active');
      lin1.transfer(lin2.aor);
      await lin2.waitForEventType('streams-running', 15_000, m2);
      await expect
        .poll(() => alice.page.getByTestId('call-party').innerText(), { timeout: 10_000 })
        .toBe(lin2.user);
      await alice.waitForAudio(undefined, { present: [1500] });
      await alice.hangup();
      await lin2.waitForEventType('ended', 10_000, m2);
      await expectNoWedge(alice);
    } finally {
      await alice.close();
    }
  });

  it('consults a linphone, then connects the held linphone with it', async () => {
    const [lin1, lin2] = linphones();
    const alice = await alicePhone();
    try {
      const m1 = lin1.events.length;
      const m2 = lin2.events.length;
      await callAnsweredBy(alice, lin1);
      await alice.page.getByRole('button', { name: 'Transfer', exact: true }).click();
      await alice.page.getByLabel(/^Transfer .* to$/).fill(lin2.user);
      await alice.page.getByRole('button', { name: 'Talk first', exact: true }).click();
      await lin1.waitForEventType('paused-by-remote', 10_000, m1);
      await lin2.waitForEventType('streams-running', 15_000, m2);
      await alice.waitForAudio(undefined, { present: [1500] });
      const t1 = lin1.events.length;
      await alice.page.getByRole('button', { name: 'Complete transfer', exact: true }).click();
      expect(await alice.waitForEnded(20_000)).toBe('transferred');
      // lin1 now talks to lin2 (its INVITE with Replaces took over alice's call with lin2).
      const joined = await lin1.waitForEvent(
        (e) => e.type === 'streams-running' && (e.peer ?? '').includes(lin2.user),
        15_000,
        t1,
      );
      expect(joined.peer).toContain(lin2.user);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });
});
