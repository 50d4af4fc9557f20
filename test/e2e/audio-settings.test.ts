// Issue 6 in Chromium with its fake devices, no lab: the sound settings list the fake
// microphones and outputs, remember a choice across a reload, route the ringer to its own
// output (sinkId) where it really produces the ringtone, stop it at once, meter a tone-file
// microphone, and show "you are muted" when the user talks into a muted microphone.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { launchPhoneBrowser } from '../support/chromium';
import { serveStatic, type StaticServer } from '../support/static-server';
import { writeToneWav } from '../support/wav';
import { buildTestPage } from './pages/build-page';
import type { Tap } from './pages/audio/harness';

let dir: string;
let server: StaticServer;
let browser: Browser;
let page: Page;
let errors: string[];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'audio-settings-'));
  await buildTestPage('audio', join(dir, 'page'));
  server = await serveStatic(join(dir, 'page'));
  const wav = join(dir, 'tone.wav');
  writeToneWav(wav, { freq: 440, seconds: 10, amplitude: 0.5 });
  browser = await launchPhoneBrowser({ microphoneWav: wav });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  const context = await browser.newContext({ permissions: ['microphone'] });
  page = await context.newPage();
  errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(server.url);
  await page.getByTestId('audio-settings').waitFor();
});
afterEach(async () => {
  expect(errors).toEqual([]);
  await page.context().close();
});

async function options(testId: string): Promise<{ value: string; text: string }[]> {
  return page
    .getByTestId(testId)
    .locator('option')
    .evaluateAll((els) =>
      els.map((e) => ({ value: (e as HTMLOptionElement).value, text: e.textContent ?? '' })),
    );
}

/** Listens for `ms` to what a tone player (the ringer or the call tones) produces. */
function tap(player: 'ringer' | 'callTones', ms: number): Promise<Tap> {
  return page.evaluate(
    ({ player, ms }) => window.__audio.tap(window.__audio[player].outputStream!, ms),
    { player, ms },
  );
}

/** Listens to a tone player, window after window, until `heard` accepts what it plays. */
async function tapUntil(player: 'ringer' | 'callTones', heard: (t: Tap) => boolean): Promise<Tap> {
  let last: Tap | undefined;
  await expect
    .poll(
      async () => {
        last = await tap(player, 300);
        return heard(last);
      },
      { timeout: 15_000 },
    )
    .toBe(true);
  return last!;
}

describe('sound settings with Chromium fake devices', () => {
  it('lists the fake microphones and outputs with "System default" first', async () => {
    await expect.poll(() => options('microphone-device').then((o) => o.length)).toBe(3);
    const mics = await options('microphone-device');
    expect(mics.map((o) => o.text)).toEqual([
      'System default (Fake Default Audio Input)',
      'Fake Audio Input 1',
      'Fake Audio Input 2',
    ]);
    const outputs = await options('speaker-device');
    expect(outputs.map((o) => o.text)).toEqual([
      'System default (Fake Default Audio Output)',
      'Fake Audio Output 1',
      'Fake Audio Output 2',
    ]);
    expect(await options('ringer-device')).toEqual(outputs);
    // The ids are Chromium's real device ids.
    const real = await page.evaluate(async () =>
      (await navigator.mediaDevices.enumerateDevices())
        .filter((d) => d.kind === 'audiooutput' && d.deviceId !== 'default')
        .map((d) => d.deviceId),
    );
    expect(outputs.slice(1).map((o) => o.value)).toEqual(real);
  });

  it('remembers the chosen devices by id and label across a reload', async () => {
    await expect.poll(() => options('ringer-device').then((o) => o.length)).toBe(3);
    const outputs = await options('ringer-device');
    const mics = await options('microphone-device');
    await page.getByTestId('ringer-device').selectOption({ label: 'Fake Audio Output 2' });
    await page.getByTestId('microphone-device').selectOption({ label: 'Fake Audio Input 1' });
    await expect.poll(() => page.evaluate(() => window.__audio.saves.length)).toBe(2);
    const saved = await page.evaluate(() => window.__audio.saves.at(-1));
    expect(saved?.ringer).toEqual({ id: outputs[2]!.value, label: 'Fake Audio Output 2' });
    expect(saved?.microphone).toEqual({ id: mics[1]!.value, label: 'Fake Audio Input 1' });
    expect(saved?.speaker).toBeNull();

    await page.reload();
    await expect.poll(() => page.getByTestId('ringer-device').inputValue()).toBe(outputs[2]!.value);
    expect(await page.getByTestId('microphone-device').inputValue()).toBe(mics[1]!.value);
    expect(await page.getByTestId('speaker-device').inputValue()).toBe('');
  });

  it('rings on its own output device, with sound, and stops at once', async () => {
    await expect.poll(() => options('ringer-device').then((o) => o.length)).toBe(3);
    const outputs = await options('ringer-device');
    await page.getByTestId('speaker-device').selectOption({ label: 'Fake Audio Output 2' });
    await page.getByTestId('ringer-device').selectOption({ label: 'Fake Audio Output 1' });
    await page.locator('#ringtone').selectOption('classic');

    await page.evaluate(() =>
      window.__audio.audio.syncCalls([
        {
          status: 'incoming',
          direction: 'incoming',
          earlyMedia: false,
          hold: { local: false, remote: false },
        },
      ]),
    );
    const ringing = await page.evaluate(() => {
      const h = window.__audio;
      const element = h.ringer.element as HTMLAudioElement;
      return { state: h.ringer.state, paused: element.paused };
    });
    expect(ringing.state).toEqual({ playing: 'classic', sinkId: outputs[1]!.value, volume: 0.8 });
    expect(ringing.paused).toBe(false);
    // The element is routed to the ringer device once setSinkId() has resolved.
    await expect
      .poll(() => page.evaluate(() => (window.__audio.ringer.element as HTMLAudioElement).sinkId))
      .toBe(outputs[1]!.value);
    // The classic ring is 440 + 480 Hz; listened to until it is heard (it starts after a short
    // lead-in, and rings in bursts).
    const heard = await tapUntil('ringer', (t) => t.rms > 0.05);
    expect(Math.min(...[440, 480].map((f) => Math.abs(heard.frequency - f)))).toBeLessThan(12);

    // Stopped at once: the state and the element in the same turn as the call state change,
    // and from then on the ringer's output is silent.
    const stopped = await page.evaluate(() => {
      const h = window.__audio;
      h.audio.syncCalls([
        {
          status: 'answering',
          direction: 'incoming',
          earlyMedia: false,
          hold: { local: false, remote: false },
        },
      ]);
      return { state: h.ringer.state, paused: (h.ringer.element as HTMLAudioElement).paused };
    });
    expect(stopped.state.playing).toBeNull();
    expect(stopped.paused).toBe(true);
    // Its output goes silent (listened to until it is: on a loaded machine the audio pipeline
    // may still deliver a few milliseconds rendered before stop()).
    await expect.poll(async () => (await tap('ringer', 200)).rms).toBeLessThan(0.001);
  });

  it('plays call waiting, not the ringtone, in the call output during a call', async () => {
    await expect.poll(() => options('speaker-device').then((o) => o.length)).toBe(3);
    const outputs = await options('speaker-device');
    await page.getByTestId('speaker-device').selectOption({ label: 'Fake Audio Output 2' });
    const state = await page.evaluate(() => {
      const h = window.__audio;
      const hold = { local: false, remote: false };
      h.audio.syncCalls([
        { status: 'active', direction: 'outgoing', earlyMedia: false, hold },
        { status: 'incoming', direction: 'incoming', earlyMedia: false, hold },
      ]);
      return { ringer: h.ringer.state.playing, tone: h.callTones.state };
    });
    expect(state.ringer).toBeNull();
    expect(state.tone).toMatchObject({ playing: 'call-waiting', sinkId: outputs[2]!.value });
    // The call-waiting beep (440 Hz) is heard in the call output.
    const heard = await tapUntil('callTones', (t) => t.rms > 0.01);
    expect(Math.abs(heard.frequency - 440)).toBeLessThan(12);
    await page.evaluate(() => window.__audio.audio.syncCalls([]));
  });

  it('meters the microphone (a 440 Hz tone file) in the settings', async () => {
    const meter = page
      .getByTestId('audio-settings')
      .getByRole('meter', { name: 'Microphone level' });
    await expect
      .poll(async () => Number(await meter.getAttribute('aria-valuenow')))
      .toBeGreaterThan(40);
    expect(await meter.getAttribute('aria-valuetext')).toMatch(/^-\d+ dB$/);
    // The bar shows the value: it starts at the meter's left edge and fills its share of the
    // width (it is scaled, not resized; read with the value in one go, as the settings' meter
    // moves 10 times a second).
    const bar = await meter.evaluate((el) => {
      const outer = el.getBoundingClientRect();
      const fill = el.firstElementChild!.getBoundingClientRect();
      return {
        value: Number(el.getAttribute('aria-valuenow')),
        share: (100 * fill.width) / outer.width,
        offset: fill.left - outer.left,
      };
    });
    expect(bar.value).toBeGreaterThan(40);
    expect(Math.abs(bar.share - bar.value)).toBeLessThan(1);
    expect(Math.abs(bar.offset)).toBeLessThan(0.5);
  });

  it('shows "you are muted" when the user talks into a muted microphone, and hides it on unmute', async () => {
    await page.evaluate(async () => {
      const h = window.__audio;
      const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      const track = stream.getAudioTracks()[0]!;
      (window as unknown as { __track: MediaStreamTrack }).__track = track;
      h.audio.watchCallMicrophone(track, () => !track.enabled);
      h.showCall('test-call');
    });
    const hint = page.getByTestId('muted-hint');
    const callMeter = page.getByRole('meter', { name: 'Your microphone level' });
    await expect
      .poll(async () => Number(await callMeter.getAttribute('aria-valuenow')))
      .toBeGreaterThan(40);
    expect(await hint.count()).toBe(0);

    // Mute: the call's track is disabled (it sends silence), the meter listens to a clone.
    await page.evaluate(() => {
      (window as unknown as { __track: MediaStreamTrack }).__track.enabled = false;
    });
    await hint.waitFor();
    expect(await hint.innerText()).toBe('You are muted. Unmute to be heard.');
    expect(Number(await callMeter.getAttribute('aria-valuenow'))).toBeGreaterThan(40);

    await page.evaluate(() => {
      (window as unknown as { __track: MediaStreamTrack }).__track.enabled = true;
    });
    await hint.waitFor({ state: 'detached' });
    // Stopping the meter stops its clone but never the call's own track.
    const states = await page.evaluate(() => {
      const track = (window as unknown as { __track: MediaStreamTrack }).__track;
      window.__audio.audio.watchCallMicrophone(null);
      return track.readyState;
    });
    expect(states).toBe('live');
  });
});
