// Issue 6 in the REAL app (the renderer build with the renderer root (PhoneRoot), two instances on the lab, or one
// against baresip): the Sound screen lists Chromium's fake devices and keeps the choices in the
// main-process settings across a reload; the microphone is switched mid-call from the Sound
// screen with no re-INVITE and the far end hears the new one, and the speaker moves the call's
// element at once; an incoming call rings on the ringer device and stops the moment it is answered or
// cancelled; an outgoing call plays ringback until answered; the call view's quality details
// show what the call's getStats says and the no-audio warning comes and goes with baresip's
// audio; the history entry keeps the call's quality summary.
//
// The app exposes no test hooks: PhonePage.installAudioProbe watches the app's `new Audio()`
// elements (a tone player plays a Web Audio destination stream, a call plays a remote track),
// their play/pause times, clicks, and the quality monitor's getStats() reports. "Fake Audio
// Input 2" plays a tone of its own (test/support/device-tones.ts), so a switch can be heard.
import { expect, describe, it } from 'vitest';
import { SettingsStore } from '../../src-main/settings/settings-store';
import { SECOND_MIC_HZ, SECOND_MIC_TONE } from '../support/device-tones';
import { near, signIn, useE2eEnv, connect } from '../support/e2e-env';
import { PhonePage, type AudioElementInfo, type RecordedStats } from '../support/phone-page';
import { expectPanelShows, fromRawStats } from '../support/quality-stats';
import { useLab } from '../support/use-lab';

const lab = useLab({ name: 'e2e-audio-app', baresip: [{ tone: 1000, autoAnswer: true }] });
const env = useE2eEnv();

type Role = 'microphone' | 'speaker' | 'ringer';
const PICKER: Record<Role, string> = {
  microphone: 'microphone-device',
  speaker: 'speaker-device',
  ringer: 'ringer-device',
};

/** A real app instance with the audio probe, signed in and registered as `user`. */
async function openPhone(freq: number, user: string): Promise<PhonePage> {
  const phone = await PhonePage.open(await env.browser(freq), env.server);
  try {
    await phone.page.addInitScript(SECOND_MIC_TONE);
    await phone.installAudioProbe();
    await signIn(phone, lab.lab.account(user));
    await phone.waitForRegistration('registered');
  } catch (error) {
    await phone.close();
    throw error;
  }
  return phone;
}

/**
 * Picks a device by label on the open Sound screen and waits until main's settings hold it (its
 * store takes the value before it writes the file and announces the change); returns its id.
 */
async function choose(phone: PhonePage, role: Role, label: string): Promise<string> {
  await expect.poll(() => phone.deviceOptions(PICKER[role]).then((o) => o.length)).toBe(3);
  const option = (await phone.deviceOptions(PICKER[role])).find((o) => o.text === label);
  expect(option, `${label} in ${role} list`).toBeDefined();
  await phone.page.getByTestId(PICKER[role]).selectOption(option!.value);
  await expect.poll(() => phone.bridge.settings.get().audio[role]?.label).toBe(label);
  return option!.value;
}

/** The one tone player (ringer or call tones) that is playing; fails unless exactly one is. */
async function playingTone(phone: PhonePage): Promise<AudioElementInfo> {
  const playing = async (): Promise<AudioElementInfo[]> =>
    (await phone.audioElements()).filter((e) => e.kind === 'tone' && !e.paused);
  await expect.poll(() => playing().then((p) => p.length)).toBe(1);
  return (await playing())[0]!;
}

/** The call's audio element that is playing (exactly one). */
async function playingCall(phone: PhonePage): Promise<AudioElementInfo> {
  const playing = async (): Promise<AudioElementInfo[]> =>
    (await phone.audioElements()).filter((e) => e.kind === 'call' && !e.paused);
  await expect.poll(() => playing().then((p) => p.length)).toBe(1);
  return (await playing())[0]!;
}

/** Taps a tone element until `heard` accepts what it plays (tones have silent periods). */
async function waitForTone(
  phone: PhonePage,
  index: number,
  freqs: number[],
  heard: (t: Awaited<ReturnType<PhonePage['tapAudioElement']>>) => boolean,
  timeoutMs = 15_000,
): Promise<Awaited<ReturnType<PhonePage['tapAudioElement']>>> {
  let last: Awaited<ReturnType<PhonePage['tapAudioElement']>> | undefined;
  const started = Date.now();
  do {
    last = await phone.tapAudioElement(index, 400, freqs);
    if (heard(last)) {
      return last;
    }
  } while (Date.now() - started < timeoutMs);
  throw new Error(`tone element ${index}: never heard what was expected: ${JSON.stringify(last)}`);
}

/** The Call-ID of a SIP message. */
function callIdOf(text: string): string {
  return /^(?:Call-ID|i)[ \t]*:[ \t]*(\S+)/im.exec(text)?.[1] ?? '';
}

/** The first SIP message the page sent or received after `t` (ms, page clock), if any. */
async function firstMessageAfter(phone: PhonePage, t: number): Promise<number> {
  const times = [...(await phone.sipSent()), ...(await phone.sipReceived())]
    .map((m) => m.t)
    .filter((x) => x > t);
  return Math.min(Infinity, ...times);
}

/** Listens to a tone element until it is silent (its source after a stop()). */
// Silent: the element plays nothing any more, or has no source at all (a tone player lets go
// of its stream and suspends its AudioContext when it stops).
async function waitForSilence(phone: PhonePage, index: number): Promise<void> {
  await expect
    .poll(async () => {
      if ((await phone.audioElements())[index]?.kind === 'empty') {
        return 0;
      }
      return (await phone.tapAudioElement(index, 200)).rms;
    })
    .toBeLessThan(0.001);
}

/** The first pause() of element `el` at or after `t` (ms, page clock). */
async function pausedAfter(phone: PhonePage, el: number, t: number): Promise<number | null> {
  const events = await phone.audioElementEvents();
  return events.find((e) => e.el === el && e.op === 'pause' && e.t >= t)?.t ?? null;
}

/** The audio sender of the newest open call: track, its device, signaling state. */
function sender(phone: PhonePage) {
  return phone.page.evaluate(() => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed')!;
    const track = pc.getSenders().find((s) => s.track?.kind === 'audio')?.track ?? null;
    return {
      track: track?.id ?? null,
      device: track?.getSettings().deviceId ?? null,
      live: track?.readyState === 'live',
      signaling: pc.signalingState,
    };
  });
}

/** Starts a call alice → bob and answers it; both active. */
async function connectToBob(alice: PhonePage, bob: PhonePage): Promise<void> {
  await connect(alice, bob, 'bob');
  await bob.waitForCallStatus('active');
}

async function hangUp(caller: PhonePage, callee: PhonePage): Promise<void> {
  await caller.hangup();
  expect(await caller.waitForEnded()).toBe('hangup-local');
  expect(await callee.waitForEnded()).toBe('hangup-remote');
}

describe('audio in the real app', () => {
  it('Sound screen: lists the fake devices; microphone, speaker and ringer choices persist in main (id and label) and survive a reload', async () => {
    const alice = await openPhone(440, 'alice');
    try {
      await alice.openSound();
      await expect
        .poll(() => alice.deviceOptions('microphone-device').then((o) => o.length))
        .toBe(3);
      const mics = await alice.deviceOptions('microphone-device');
      expect(mics.map((o) => o.text)).toEqual([
        'System default (Fake Default Audio Input)',
        'Fake Audio Input 1',
        'Fake Audio Input 2',
      ]);
      const outputs = await alice.deviceOptions('speaker-device');
      expect(outputs.map((o) => o.text)).toEqual([
        'System default (Fake Default Audio Output)',
        'Fake Audio Output 1',
        'Fake Audio Output 2',
      ]);
      expect(await alice.deviceOptions('ringer-device')).toEqual(outputs);
      // The values are Chromium's own device ids.
      const real = await alice.page.evaluate(async () =>
        (await navigator.mediaDevices.enumerateDevices())
          .filter((d) => d.deviceId !== 'default' && d.kind.startsWith('audio'))
          .map((d) => `${d.kind}:${d.deviceId}`),
      );
      expect(real.sort()).toEqual(
        [
          ...mics.slice(1).map((o) => `audioinput:${o.value}`),
          ...outputs.slice(1).map((o) => `audiooutput:${o.value}`),
        ].sort(),
      );
      // Nothing chosen yet: system default everywhere.
      expect(alice.bridge.settings.get().audio).toMatchObject({
        microphone: null,
        speaker: null,
        ringer: null,
      });

      const mic = await choose(alice, 'microphone', 'Fake Audio Input 2');
      const speaker = await choose(alice, 'speaker', 'Fake Audio Output 1');
      const ringer = await choose(alice, 'ringer', 'Fake Audio Output 2');
      const chosen: Record<string, unknown> = {
        microphone: { id: mic, label: 'Fake Audio Input 2' },
        speaker: { id: speaker, label: 'Fake Audio Output 1' },
        ringer: { id: ringer, label: 'Fake Audio Output 2' },
      };
      // Drag the ring-volume slider with the mouse: it is saved on release.
      const slider = alice.page.locator('#ring-volume');
      // The window is tray-sized: the settings scroll to the slider first.
      await slider.scrollIntoViewIfNeeded();
      const box = (await slider.boundingBox())!;
      await alice.page.mouse.move(box.x + box.width - 2, box.y + box.height / 2);
      await alice.page.mouse.down();
      await alice.page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 5 });
      await alice.page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 5 });
      await alice.page.mouse.up();
      const pct = Number(await slider.inputValue());
      expect(pct).toBeGreaterThan(10);
      expect(pct).toBeLessThan(50);
      chosen.ringVolume = pct / 100;
      await expect.poll(() => alice.bridge.settings.get().audio.ringVolume).toBe(pct / 100);
      expect(alice.bridge.settings.get().audio).toMatchObject(chosen);
      // On disk, as the main process reads it at its next start.
      await expect
        .poll(async () => {
          const disk = new SettingsStore(alice.bridge.dir);
          await disk.load();
          return disk.get().audio;
        })
        .toMatchObject(chosen);

      await alice.page.reload();
      await alice.waitForRegistration('registered');
      await alice.openSound();
      await expect.poll(() => alice.page.getByTestId('microphone-device').inputValue()).toBe(mic);
      expect(await alice.page.getByTestId('speaker-device').inputValue()).toBe(speaker);
      expect(await alice.page.getByTestId('ringer-device').inputValue()).toBe(ringer);
      expect(Number(await slider.inputValue())).toBe(pct);
      expect(
        await alice.page.getByTestId('microphone-device').locator('option:checked').innerText(),
      ).toBe('Fake Audio Input 2');
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });

  it('keeps the ringer choice when the echo of the speaker save comes after the reply to the ringer save', async () => {
    const alice = await openPhone(440, 'alice');
    try {
      await alice.openSound();
      const echoes = alice.bridge.holdSettingsEvents();
      const speaker = await choose(alice, 'speaker', 'Fake Audio Output 1');
      const ringer = await choose(alice, 'ringer', 'Fake Audio Output 2');
      // Main has written and announced both saves (their echoes held). The speaker's echo (no
      // ringer in it) comes now, and the ringtone is changed before the ringer's echo: the save
      // must still carry the ringer.
      await expect.poll(() => echoes.held()).toBe(2);
      await echoes.next();
      await alice.page.locator('#ringtone').selectOption('classic');
      await expect.poll(() => alice.bridge.settings.get().audio.ringtone).toBe('classic');
      await echoes.release();
      expect(alice.bridge.settings.get().audio).toMatchObject({
        speaker: { id: speaker, label: 'Fake Audio Output 1' },
        ringer: { id: ringer, label: 'Fake Audio Output 2' },
      });
      expect(await alice.page.getByTestId('ringer-device').inputValue()).toBe(ringer);
      expect(await alice.page.getByTestId('speaker-device').inputValue()).toBe(speaker);
    } finally {
      await alice.close();
    }
  });

  it('switches the microphone mid-call from the Sound screen with no re-INVITE, bob hearing the new one; the speaker moves the call element at once', async () => {
    const alice = await openPhone(440, 'alice');
    const bob = await openPhone(880, 'bob');
    try {
      await connectToBob(alice, bob);
      await bob.waitForAudio(undefined, { present: [440], absent: [SECOND_MIC_HZ] });
      const before = await sender(alice);
      expect(before.live).toBe(true);

      // The Sound screen opens over the call, which goes on.
      await alice.openSound();
      await expect
        .poll(() => alice.deviceOptions('microphone-device').then((o) => o.length))
        .toBe(3);
      const second = (await alice.deviceOptions('microphone-device')).find(
        (o) => o.text === 'Fake Audio Input 2',
      )!;
      expect(before.device).not.toBe(second.value);

      // (How long the switch interrupts bob's audio is measured by npm run bench, not here.)
      const switchedAt = await alice.page.evaluate(() => performance.now());
      await alice.page.getByTestId('microphone-device').selectOption(second.value);
      await expect.poll(() => sender(alice).then((s) => s.device)).toBe(second.value);

      const after = await sender(alice);
      expect(after.track).not.toBe(before.track);
      expect(after.live).toBe(true);
      expect(after.signaling).toBe('stable');
      expect(alice.bridge.settings.get().audio.microphone).toEqual({
        id: second.value,
        label: 'Fake Audio Input 2',
      });
      // Audio goes on at bob, and it is the new microphone's ("Fake Audio Input 2" plays its
      // own tone in these tests).
      await bob.waitForAudio(undefined, { present: [SECOND_MIC_HZ], absent: [440] });

      // No renegotiation: alice sent only the initial INVITE (and its authenticated retry),
      // nothing with the dialog's To tag, no UPDATE, nothing at all of the kind after the switch.
      const sent = await alice.sipSent();
      const offers = sent.filter((m) => /^(INVITE|UPDATE) /.test(m.text));
      expect(offers.filter((m) => m.t >= switchedAt)).toEqual([]);
      expect(offers.length).toBeGreaterThanOrEqual(1);
      expect(offers.every((m) => m.text.startsWith('INVITE '))).toBe(true);
      expect(offers.filter((m) => /^(To|t)\s*:[^\r\n]*;tag=/im.test(m.text))).toEqual([]);
      expect(
        new Set(offers.map((m) => /^(?:Call-ID|i)\s*:\s*(\S+)/im.exec(m.text)?.[1])).size,
      ).toBe(1);

      // The call goes on under the Sound screen: bob still hears alice's new microphone.
      expect(await alice.page.getByTestId('audio-settings').count()).toBe(1);
      await bob.waitForAudio(undefined, { present: [SECOND_MIC_HZ] });

      // Speaker: the call's element moves to the chosen output at once.
      const call = await playingCall(alice);
      expect(call.sinkId).toBe('');
      const output2 = (await alice.deviceOptions('speaker-device')).find(
        (o) => o.text === 'Fake Audio Output 2',
      )!;
      await alice.page.getByTestId('speaker-device').selectOption(output2.value);
      await expect
        .poll(async () => (await alice.audioElements())[call.index]!.sinkId)
        .toBe(output2.value);
      expect((await alice.audioElements())[call.index]!.paused).toBe(false);

      await alice.closeSound();
      await alice.waitForCallStatus('active');
      await bob.waitForCallStatus('active');
      await alice.waitForAudio(undefined, { present: [880] });
      await hangUp(alice, bob);
      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('rings on the ringer device with sound, stops the moment the caller cancels and the moment it is answered; the call plays on the speaker', async () => {
    const alice = await openPhone(440, 'alice');
    const bob = await openPhone(880, 'bob');
    try {
      await bob.openSound();
      const speaker = await choose(bob, 'speaker', 'Fake Audio Output 1');
      const ringerId = await choose(bob, 'ringer', 'Fake Audio Output 2');
      await bob.page.locator('#ringtone').selectOption('classic');
      await expect.poll(() => bob.bridge.settings.get().audio.ringtone).toBe('classic');
      await bob.closeSound();
      const classic = (t: { rms: number; dbfs: Record<number, number> }): boolean =>
        t.rms > 0.02 && (t.dbfs[440] ?? -300) > -50 && (t.dbfs[480] ?? -300) > -50;

      // Call 1: rings on the ringer device, then the caller cancels.
      await alice.dial('bob');
      await bob.waitForIncoming();
      const ringer = await playingTone(bob);
      await expect
        .poll(async () => (await bob.audioElements())[ringer.index]!.sinkId)
        .toBe(ringerId);
      await waitForTone(bob, ringer.index, [440, 480], classic);
      await alice.hangup();
      await bob.page.getByTestId('incoming-view').waitFor({ state: 'detached' });
      expect((await bob.audioElements())[ringer.index]!.paused).toBe(true);
      const cancel = (await bob.sipReceived()).find((m) => m.text.startsWith('CANCEL '));
      expect(cancel).toBeDefined();
      const stoppedOnCancel = await pausedAfter(bob, ringer.index, cancel!.t);
      expect(stoppedOnCancel).not.toBeNull();
      // At once: while the CANCEL itself was handled, before the page took in or sent anything
      // after it but its own answers to it (an order of events, whatever the machine's load).
      const answers = (await bob.sipSent()).filter(
        (m) =>
          m.t >= cancel!.t &&
          /^SIP\/2\.0 (200|487) /.test(m.text) &&
          m.text.includes(callIdOf(cancel!.text)),
      );
      const afterAnswers = Math.max(cancel!.t, ...answers.map((m) => m.t));
      expect(stoppedOnCancel!).toBeLessThan(await firstMessageAfter(bob, afterAnswers));
      await waitForSilence(bob, ringer.index);
      expect((await bob.audioElements()).filter((e) => e.kind === 'tone' && !e.paused)).toEqual([]);
      await alice.waitForEnded();

      // Call 2: rings again on the same player, then bob answers.
      await alice.dial('bob');
      await bob.waitForIncoming();
      const again = await playingTone(bob);
      expect(again.index).toBe(ringer.index);
      expect(again.sinkId).toBe(ringerId);
      await waitForTone(bob, ringer.index, [440, 480], classic);
      await bob.answer();
      // Checked right after the click: already stopped.
      expect((await bob.audioElements())[ringer.index]!.paused).toBe(true);
      const click = (await bob.clickTimes()).at(-1)!;
      expect(click.text).toContain('Answer');
      const stoppedOnAnswer = await pausedAfter(bob, ringer.index, click.t);
      expect(stoppedOnAnswer).not.toBeNull();
      // Already while answering: before the 200 OK left (strictly; 'active' comes after it).
      // The 200 OK leaves only after getUserMedia, the answer SDP and ICE, so wait for it.
      const okAfterClick = async (): Promise<{ t: number } | undefined> =>
        (await bob.sipSent()).find(
          (m) =>
            m.t >= click.t &&
            /^SIP\/2\.0 200 /.test(m.text) &&
            /^CSeq:\s*\d+ INVITE/im.test(m.text),
        );
      await expect.poll(okAfterClick).toBeDefined();
      const ok = await okAfterClick();
      expect(stoppedOnAnswer!).toBeLessThan(ok!.t);
      expect(stoppedOnAnswer!).toBeLessThan(await firstMessageAfter(bob, click.t));

      await bob.waitForCallStatus('active');
      await alice.waitForCallStatus('active');
      // The call plays on the speaker choice; the ringer stays on its own device, silent.
      const call = await playingCall(bob);
      await expect.poll(async () => (await bob.audioElements())[call.index]!.sinkId).toBe(speaker);
      expect(speaker).not.toBe(ringerId);
      expect((await bob.audioElements())[ringer.index]).toMatchObject({
        sinkId: ringerId,
        paused: true,
      });
      expect((await bob.audioElements()).filter((e) => e.kind === 'tone' && !e.paused)).toEqual([]);
      await bob.waitForAudio(undefined, { present: [440] });
      await hangUp(alice, bob);
      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('plays local ringback on the speaker while the outgoing call rings (180, no early media) and stops it on answer', async () => {
    const alice = await openPhone(440, 'alice');
    const bob = await openPhone(880, 'bob');
    try {
      await alice.openSound();
      const speaker = await choose(alice, 'speaker', 'Fake Audio Output 2');
      await alice.closeSound();

      await alice.dial('bob');
      await bob.waitForIncoming();
      await alice.waitForCallStatus('ringing');
      const ringing = (await alice.sipReceived()).find((m) => /^SIP\/2\.0 180 /.test(m.text));
      expect(ringing).toBeDefined();
      expect(ringing!.text).toMatch(/Content-Length:\s*0\r\n/i);
      // One tone player plays, on the call output, ETSI ringback (425 Hz, 1 s on / 4 s off).
      const tone = await playingTone(alice);
      await expect
        .poll(async () => (await alice.audioElements())[tone.index]!.sinkId)
        .toBe(speaker);
      const heard = await waitForTone(
        alice,
        tone.index,
        [425],
        (t) => t.rms > 0.01 && Math.abs(t.frequency - 425) < 8 && (t.dbfs[425] ?? -300) > -50,
      );
      expect(near(heard.frequency, 425, 8)).toBe(true);

      await bob.answer();
      await alice.waitForCallStatus('active');
      expect((await alice.audioElements())[tone.index]!.paused).toBe(true);
      const ok = (await alice.sipReceived()).find(
        (m) => /^SIP\/2\.0 200 /.test(m.text) && /^CSeq:\s*\d+ INVITE/im.test(m.text),
      );
      expect(ok).toBeDefined();
      // It played until the 200 OK (no pause since it started) and was stopped by the time the
      // call showed as active (checked above).
      const events = (await alice.audioElementEvents()).filter((e) => e.el === tone.index);
      const started = events.filter((e) => e.op === 'play' && e.t < ok!.t).at(-1);
      expect(started).toBeDefined();
      const stopped = events.find((e) => e.op === 'pause' && e.t > started!.t);
      expect(stopped).toBeDefined();
      expect(stopped!.t).toBeGreaterThanOrEqual(ok!.t);
      await waitForSilence(alice, tone.index);
      expect((await alice.audioElements()).filter((e) => e.kind === 'tone' && !e.paused)).toEqual(
        [],
      );
      // The call itself plays on the same speaker.
      const call = await playingCall(alice);
      await expect
        .poll(async () => (await alice.audioElements())[call.index]!.sinkId)
        .toBe(speaker);
      await alice.waitForAudio(undefined, { present: [880] });
      await hangUp(alice, bob);
      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it("shows in the call view's quality details what the call's getStats says, and warns while baresip sends nothing", async () => {
    const bare = lab.lab.baresips[0]!;
    const alice = await openPhone(440, 'alice');
    try {
      await alice.recordStats(true);
      await alice.dial(bare.user);
      await alice.waitForCallStatus('active');
      await alice.page.getByTestId('call-audio').waitFor();
      const indicator = alice.page.getByTestId('quality-indicator');
      await expect
        .poll(() => indicator.getAttribute('aria-label'))
        .toMatch(/^Call quality: (excellent|good) \(MOS 4\.\d\)$/);

      const toggle = alice.page.getByRole('button', { name: 'Show call quality details' });
      await toggle.click();
      const rows = alice.page.locator('[data-testid="quality-panel"] tr');
      await expect.poll(() => rows.count()).toBe(12);
      // Two more monitor polls with the panel open, then freeze the monitor's getStats.
      const opened = await alice.page.evaluate(() => performance.now());
      await expect
        .poll(async () => (await alice.recordedStats()).filter((r) => r.t > opened).length)
        .toBeGreaterThanOrEqual(2);
      await alice.freezeStats(true);
      let seen: { key: string | null; value: string | null; text: string }[];
      let reports: RecordedStats[];
      try {
        await expect.poll(() => alice.statsInFlight()).toBe(0);
        [seen, reports] = await Promise.all([
          rows.evaluateAll((trs) =>
            trs.map((tr) => ({
              key: tr.getAttribute('data-field'),
              value: tr.getAttribute('data-value'),
              text: tr.querySelector('td')?.textContent ?? '',
            })),
          ),
          alice.recordedStats(),
        ]);
      } finally {
        await alice.freezeStats(false);
      }
      const pcs = new Set(reports.map((r) => r.pc));
      expect(pcs.size, 'only the call was polled').toBe(1);
      const row = (key: string) => seen.find((r) => r.key === key)!;
      // The pair of reports the panel shows: the last one with the packet count on screen and
      // the one before it (a report can land in the log a moment before the panel redraws).
      const inbound = (r: RecordedStats) =>
        r.records.find((x) => x['type'] === 'inbound-rtp' && x['kind'] === 'audio');
      const shown = Number(row('packetsReceived').value);
      const at = reports.findLastIndex((r) => Number(inbound(r)?.['packetsReceived']) === shown);
      expect(at, 'the report on screen was recorded').toBeGreaterThan(0);
      const expected = fromRawStats(reports[at - 1]!.records, reports[at]!.records);
      expectPanelShows(seen, expected);
      expect(row('packetsReceived').text).toBe(String(expected.packetsReceived));
      // Audio flowed: at least a second of 20 ms packets.
      expect(expected.packetsReceived).toBeGreaterThanOrEqual(50);
      expect(Number(row('mos').value)).toBeGreaterThanOrEqual(4);

      // Close the details: the warning then shows in the strip.
      await toggle.click();
      await rows.first().waitFor({ state: 'detached' });
      const warning = alice.page.getByTestId('audio-warning');
      expect(await warning.count()).toBe(0);
      process.kill(bare.process.pid, 'SIGSTOP');
      try {
        await warning.waitFor();
        expect(await warning.getAttribute('data-kind')).toBe('no-audio');
        expect(await warning.innerText()).toBe(
          'No sound has arrived from the other side for 3 seconds. The connection may be interrupted.',
        );
        expect(await indicator.getAttribute('aria-label')).toBe('Call quality: no audio');
      } finally {
        process.kill(bare.process.pid, 'SIGCONT');
      }
      await warning.waitFor({ state: 'detached' });
      await expect.poll(() => indicator.getAttribute('aria-label')).toMatch(/\(MOS \d\.\d\)$/);
      await alice.waitForCallStatus('active');
      await alice.hangup();
      expect(await alice.waitForEnded()).toBe('hangup-local');
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });

  it("keeps the call's quality summary in the history entry of both sides", async () => {
    const alice = await openPhone(440, 'alice');
    const bob = await openPhone(880, 'bob');
    try {
      await connectToBob(alice, bob);
      await alice.waitForAudio(undefined, { present: [880] });
      await bob.waitForAudio(undefined, { present: [440] });
      for (const phone of [alice, bob]) {
        await expect
          .poll(() => phone.page.getByTestId('quality-indicator').getAttribute('aria-label'))
          .toMatch(/\(MOS \d\.\d\)$/);
      }
      await hangUp(alice, bob);

      for (const [phone, party, direction] of [
        [alice, 'bob', 'outgoing'],
        [bob, 'alice', 'incoming'],
      ] as const) {
        await expect
          .poll(async () => (await phone.historyEntries()).filter((e) => e.quality).length)
          .toBe(1);
        const entry = (await phone.historyEntries()).find((e) => e.quality)!;
        expect(entry).toMatchObject({ partyUser: party, direction, outcome: 'answered' });
        const q = entry.quality as Record<string, number | string | null>;
        expect(Object.keys(q).sort()).toEqual([
          'codec',
          'concealedPct',
          'jitterMs',
          'lossPct',
          'mos',
          'rttMs',
        ]);
        expect(q.codec).toMatch(/^opus\//);
        expect(q.mos).toBeGreaterThanOrEqual(3.5);
        expect(q.mos).toBeLessThanOrEqual(4.5);
        expect(q.lossPct).toBeGreaterThanOrEqual(0);
        expect(q.lossPct).toBeLessThan(1);
        expect(q.jitterMs).toBeGreaterThanOrEqual(0);
        expect(q.rttMs).toBeGreaterThanOrEqual(0);
        expect(q.concealedPct).toBeGreaterThanOrEqual(0);
        expect(q.concealedPct).toBeLessThan(20);
      }
      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
