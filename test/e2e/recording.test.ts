// Issue 17 in Chromium: the REAL recording engine (CallRecorder, the consent announcement) on
// real media, writing through the REAL main-process RecordingService. The fake microphone
// plays 440 Hz; the other side is a real received WebRTC track (a call on loopback). Proves:
// a stereo WAV holds us on the left and them on the right, with their audio arriving late and
// our microphone switched mid-recording; a WebM (Opus) mix decodes with ffmpeg, also when cut
// off mid-stream (a crash); pausing leaves out what was said meanwhile; a full disk stops the
// recording with main's sentence while the call goes on and the file stays valid; the consent
// notice is what the other side hears while it plays, then the microphone is back, with no
// renegotiation.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRecordingHandlers } from '../../src-main/recording/recording-handlers';
import type { RecordingService } from '../../src-main/recording/recording-service';
import { launchPhoneBrowser } from '../support/chromium';
import {
  decodeWithFfmpeg,
  openRecordingPage,
  serveRecordingSite,
  toneIn,
  toneProfile,
  type RecordingSite,
} from '../support/recording-page';
import { TestBridge } from '../support/test-bridge';
import { readWav, writeToneWav } from '../support/wav';
import { serviceRig, type ServiceRig } from '../unit/recording/support';

const dir = mkdtempSync(join(tmpdir(), 'e2e-recording-'));
let site: RecordingSite;
let browser: Browser;
let page: Page;
let rig: ServiceRig;
const mounts: string[] = [];

beforeAll(async () => {
  writeToneWav(join(dir, 'mic-440.wav'), { freq: 440, seconds: 10, amplitude: 0.4 });
  site = await serveRecordingSite();
  browser = await launchPhoneBrowser({ microphoneWav: join(dir, 'mic-440.wav') });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
  for (const mount of mounts) {
    execFileSync('umount', [mount]);
  }
  rmSync(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await page?.evaluate(() => window.__rec.reset());
  await page?.context().close();
  rmSync(rig.root, { recursive: true, force: true });
});

async function open(folder?: string): Promise<void> {
  rig = serviceRig({ root: dir, ...(folder ? { folder } : {}) });
  page = await openRecordingPage(browser, site, (): RecordingService => rig.service);
}

/** The fake microphone and a received 1000 Hz track (the other side, over WebRTC). */
async function callWithTone(): Promise<{ mic: string; far: string; remote: string }> {
  return page.evaluate(async () => {
    const mic = await window.__rec.microphone();
    const far = await window.__rec.tone(1000);
    return { mic, far, remote: await window.__rec.loopback(far) };
  });
}

describe('recording a call', () => {
  it('stereo WAV: us left, them right; their audio arrives late; our microphone is switched mid-recording', async () => {
    await open();
    const { mic, remote } = await callWithTone();
    const started = await page.evaluate(
      (local) =>
        window.__rec.record({
          format: 'wav',
          channels: 'stereo',
          chunkMs: 500,
          local,
          remote: null,
        }),
      mic,
    );
    expect(started.fileName).toBe('outgoing Bob Example.wav');
    await page.evaluate(() => window.__rec.waitChunks(1));
    await page.evaluate((id) => window.__rec.setRemote(id), remote);
    await page.evaluate(() => window.__rec.waitChunks(2));
    const other = await page.evaluate(() => window.__rec.tone(660));
    await page.evaluate((id) => window.__rec.setLocal(id), other);
    await page.evaluate(() => window.__rec.waitChunks(3));
    const entry = await page.evaluate(() => window.__rec.stop());
    expect(entry).toMatchObject({ state: 'done', format: 'wav', exists: true });

    const wav = readWav(started.path);
    expect(wav).toMatchObject({ sampleRate: 48000, channels: 2 });
    expect(wav.durationSec).toBeGreaterThanOrEqual(3);
    const end = wav.durationSec;
    // Left: the microphone (440 Hz), then the new one (660 Hz).
    expect(toneIn(wav, 0, 440, 0.05, 0.45)).toBeGreaterThan(0.2);
    expect(toneIn(wav, 0, 660, end - 0.5, end)).toBeGreaterThan(0.2);
    expect(toneIn(wav, 0, 440, end - 0.5, end)).toBeLessThan(0.02);
    // Right: silence until the remote stream came, then the other side's 1000 Hz.
    expect(toneIn(wav, 1, 1000, 0.05, 0.45)).toBeLessThan(0.01);
    expect(toneIn(wav, 1, 1000, end - 0.5, end)).toBeGreaterThan(0.1);
    expect(toneIn(wav, 1, 440, end - 0.5, end)).toBeLessThan(0.02);
    expect(await page.evaluate(() => window.__rec.renegotiated())).toBe(false);
  });

  it('WebM (Opus) mono mix decodes with ffmpeg, and still decodes when cut off mid-stream', async () => {
    await open();
    const { mic, remote } = await callWithTone();
    const started = await page.evaluate(
      (ids) => window.__rec.record({ format: 'webm', channels: 'mono', chunkMs: 500, ...ids }),
      { local: mic, remote },
    );
    expect(started.fileName).toBe('outgoing Bob Example.webm');
    await page.evaluate(() => window.__rec.waitChunks(6));
    // A copy as a crash would leave it: everything main had written, cut in the middle of a
    // cluster (no last chunk, no cues, unknown duration).
    const partial = join(rig.root, 'partial.webm');
    const bytes = readFileSync(started.path);
    writeFileSync(partial, bytes.subarray(0, Math.floor(bytes.length * 0.8) - 7));
    await page.evaluate(() => window.__rec.stop());

    const whole = decodeWithFfmpeg(started.path, 1);
    expect(whole.durationSec).toBeGreaterThan(2.5);
    const mid = whole.durationSec / 2;
    expect(toneIn(whole, 0, 440, mid - 0.5, mid + 0.5)).toBeGreaterThan(0.1);
    expect(toneIn(whole, 0, 1000, mid - 0.5, mid + 0.5)).toBeGreaterThan(0.05);
    const cut = decodeWithFfmpeg(partial, 1);
    expect(cut.durationSec).toBeGreaterThan(1.5);
    expect(toneIn(cut, 0, 440, 0.5, 1.5)).toBeGreaterThan(0.1);
  });

  it('pausing leaves out what was sent meanwhile', async () => {
    await open();
    const { mic, remote } = await callWithTone();
    await page.evaluate(
      (ids) => window.__rec.record({ format: 'wav', channels: 'stereo', chunkMs: 250, ...ids }),
      { local: mic, remote },
    );
    await page.evaluate(() => window.__rec.waitChunks(2));
    await page.evaluate(() => window.__rec.pause());
    expect(await page.evaluate(() => window.__rec.state())).toBe('paused');
    // While paused, "we" say 2000 Hz for a while (the tone's own audio clock measures it).
    await page.evaluate(async () => {
      const id = await window.__rec.tone(2000);
      window.__rec.setLocal(id);
      const ctx = new AudioContext();
      const start = ctx.currentTime;
      await new Promise<void>((resolve) => {
        const check = (): void =>
          ctx.currentTime - start > 0.75 ? resolve() : void setTimeout(check, 20);
        check();
      });
      await ctx.close();
    });
    await page.evaluate((id) => window.__rec.setLocal(id), mic);
    await page.evaluate(() => window.__rec.resume());
    await page.evaluate(() => window.__rec.waitChunks(2));
    const entry = await page.evaluate(() => window.__rec.stop());
    const wav = readWav(entry!.path);
    const leaked = Math.max(...toneProfile(wav, 0, 2000, 0.05));
    expect(leaked).toBeLessThan(0.02);
    // Our microphone is there before the pause and after the resume. Measured per window: one
    // Goertzel over the whole file would also measure the phase jump at the splice (and any
    // underrun on a loaded machine), not whether the tone was recorded.
    const mic440 = toneProfile(wav, 0, 440, 0.1);
    const half = Math.floor(mic440.length / 2);
    expect(Math.max(...mic440.slice(0, half))).toBeGreaterThan(0.2);
    expect(Math.max(...mic440.slice(half))).toBeGreaterThan(0.2);
  });

  it('a full disk stops the recording with main’s sentence; the call goes on; the file stays a valid WAV', async () => {
    const folder = join(dir, 'tiny-disk');
    mkdirSync(folder);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=128k', 'tmpfs', folder]);
    mounts.push(folder);
    await open(folder);
    const { mic, far, remote } = await callWithTone();
    const started = await page.evaluate(
      (ids) => window.__rec.record({ format: 'wav', channels: 'stereo', chunkMs: 250, ...ids }),
      { local: mic, remote },
    );
    await page.waitForFunction(() => window.__rec.state() === 'failed', null, { timeout: 20_000 });
    expect(await page.evaluate(() => window.__rec.error())).toMatch(
      /disk with the recordings folder .* is full, so recording stopped\. The call goes on/,
    );
    expect(rig.failures).toHaveLength(1);
    // The call: still sending what it sent, not renegotiated.
    expect(await page.evaluate(() => window.__rec.sending())).toBe(far);
    expect(await page.evaluate(() => window.__rec.renegotiated())).toBe(false);
    const wav = readWav(started.path);
    expect(readFileSync(started.path).readUInt32LE(40)).toBe(statSync(started.path).size - 44);
    expect(wav.durationSec).toBeGreaterThan(0.3);
    expect(toneIn(wav, 0, 440, 0.1, 0.3)).toBeGreaterThan(0.2);
    expect(await page.evaluate(() => window.__rec.stop())).toMatchObject({ state: 'failed' });
  });
});

describe('through the app bridge', () => {
  it('the app’s port sends chunks as bytes through the real router and schemas', async () => {
    rig = serviceRig({ root: dir });
    const bridge = await TestBridge.create({
      appUrl: site.server.url,
      dir: join(rig.root, 'bridge'),
      recordings: (settings) =>
        createRecordingHandlers({
          service: rig.service,
          settings,
          desktop: {
            chooseFolder: async () => null,
            chooseAudioFile: async () => null,
            reveal: () => {},
            removeFile: async () => {},
          },
          defaultFolder: () => rig.folder,
          forbidden: [],
          platform: process.platform,
        }),
    });
    page = await openRecordingPage(
      browser,
      site,
      () => rig.service,
      (p) => bridge.attach(p),
    );
    const mic = await page.evaluate(() => window.__rec.microphone());
    const started = await page.evaluate(
      (local) =>
        window.__rec.record({
          format: 'wav',
          channels: 'mono',
          chunkMs: 250,
          local,
          remote: null,
          via: 'bridge',
        }),
      mic,
    );
    await page.evaluate(() => window.__rec.waitChunks(3));
    const entry = await page.evaluate(() => window.__rec.stop());
    expect(entry).toMatchObject({ id: started.id, state: 'done', format: 'wav' });
    const wav = readWav(started.path);
    expect(wav.channels).toBe(1);
    expect(wav.durationSec).toBeGreaterThanOrEqual(0.75);
    expect(toneIn(wav, 0, 440, 0.1, 0.7)).toBeGreaterThan(0.2);
  });
});

describe('consent announcement', () => {
  it('the built-in notice decodes: a chime and ~2 s of speech', async () => {
    await open();
    const notice = await page.evaluate(() => window.__rec.builtInNotice());
    expect(notice.seconds).toBeGreaterThan(2.4);
    expect(notice.seconds).toBeLessThan(3.5);
    expect(notice.rms).toBeGreaterThan(0.05);
  });

  it('is what the other side hears while it plays (built-in, then a user file), then the microphone is back', async () => {
    await open();
    const user = join(dir, 'user-notice.wav');
    writeToneWav(user, { freq: 1500, seconds: 1.2, amplitude: 0.5 });
    const file = readFileSync(user).toString('base64');
    const { mic, received } = await page.evaluate(async () => {
      const mic = await window.__rec.microphone();
      return { mic, received: await window.__rec.loopback(mic) };
    });
    // Record the far end (right) and what we send (left, following the announcement's track).
    const started = await page.evaluate(
      (ids) => window.__rec.record({ format: 'wav', channels: 'stereo', chunkMs: 250, ...ids }),
      { local: mic, remote: received },
    );
    await page.evaluate(() => window.__rec.waitChunks(2));
    const builtIn = await page.evaluate(() => window.__rec.announce(null));
    expect(builtIn.seconds).toBeGreaterThan(2);
    expect(await page.evaluate(() => window.__rec.sending())).not.toBe(mic);
    await page.evaluate(() => window.__rec.announced());
    expect(await page.evaluate(() => window.__rec.sending())).toBe(mic);
    await page.evaluate((f) => window.__rec.announce(f), file);
    await page.evaluate(() => window.__rec.announced());
    await page.evaluate(() => window.__rec.waitChunks(4));
    await page.evaluate(() => window.__rec.stop());
    expect(await page.evaluate(() => window.__rec.sending())).toBe(mic);
    expect(await page.evaluate(() => window.__rec.renegotiated())).toBe(false);

    const wav = readWav(started.path);
    const far = 1;
    // The far end heard the built-in chime (880 Hz), then the user's 1500 Hz, in that order,
    // over the microphone's 440 Hz; at the end only the microphone.
    const chime = toneProfile(wav, far, 880, 0.1);
    const userTone = toneProfile(wav, far, 1500, 0.1);
    const chimeAt = chime.findIndex((a) => a > 0.05);
    const userAt = userTone.findIndex((a) => a > 0.1);
    expect(chimeAt).toBeGreaterThan(0);
    expect(userAt).toBeGreaterThan(chimeAt);
    const end = wav.durationSec;
    expect(toneIn(wav, far, 1500, end - 0.4, end)).toBeLessThan(0.01);
    expect(toneIn(wav, far, 440, end - 0.4, end)).toBeGreaterThan(0.1);
    // The recording's own side (left) holds the notice too: the consent is on record.
    expect(Math.max(...toneProfile(wav, 0, 1500, 0.1))).toBeGreaterThan(0.1);
  });
});
