// Issue 17, noise suppression in Chromium: the fake microphone plays the fixture built here
// (espeak-ng speech over pink/brown noise and hum, via sox); a call on loopback sends it.
// Turning RNNoise on swaps the sending track with replaceTrack (no renegotiation) for the
// suppressor's output; what the far end receives then keeps the speech level and is much
// quieter where there is only noise. A microphone switch keeps the same sending track; off
// puts the microphone back. The page is served with the app's CSP header (wasm-unsafe-eval),
// and RNNoise sits in a chunk of its own that the page's entry does not contain.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchPhoneBrowser } from '../support/chromium';
import { writeNoiseFixture } from '../support/noise-fixture';
import {
  openRecordingPage,
  serveRecordingSite,
  type RecordingSite,
} from '../support/recording-page';
import { measureSuppression } from '../support/suppression-analysis';
import { readWav } from '../support/wav';
import { serviceRig, type ServiceRig } from '../unit/recording/support';

const dir = mkdtempSync(join(tmpdir(), 'e2e-noise-'));
let site: RecordingSite;
let browser: Browser;
let page: Page;
let rig: ServiceRig;

beforeAll(async () => {
  const fixture = writeNoiseFixture(dir);
  site = await serveRecordingSite();
  browser = await launchPhoneBrowser({ microphoneWav: fixture });
  rig = serviceRig({ root: dir });
  page = await openRecordingPage(browser, site, () => rig.service);
});
afterAll(async () => {
  await page?.evaluate(() => window.__rec.reset());
  await browser?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('noise suppression (RNNoise)', () => {
  it('is loaded on demand: the page entry does not hold RNNoise, a chunk of its own does', () => {
    const assets = join(site.page.dir, 'assets');
    const files = readdirSync(assets).filter((f) => f.endsWith('.js'));
    const html = readFileSync(join(site.page.dir, 'index.html'), 'utf8');
    const entry = files.find((f) => html.includes(f));
    expect(entry).toBeDefined();
    // "\0asm" + version 1, base64-encoded: the start of an inlined WebAssembly module.
    const holdsWasm = (f: string): boolean =>
      readFileSync(join(assets, f), 'utf8').includes('AGFzbQEAAAA');
    expect(holdsWasm(entry!)).toBe(false);
    expect(files.filter(holdsWasm).length).toBeGreaterThanOrEqual(1);
  });

  it('on mid-call: far end keeps the speech and loses the noise; no renegotiation; off restores the microphone', async () => {
    const { mic, received } = await page.evaluate(async () => {
      const mic = await window.__rec.microphone();
      return { mic, received: await window.__rec.loopback(mic) };
    });
    const sent = await page.evaluate(() => window.__rec.suppress(true));
    expect(sent).not.toBeNull();
    expect(sent).not.toBe(mic);
    expect(await page.evaluate(() => window.__rec.sending())).toBe(sent);
    const started = await page.evaluate(
      (ids) => window.__rec.record({ format: 'wav', channels: 'stereo', chunkMs: 1000, ...ids }),
      { local: mic, remote: received },
    );
    // More than one pass of the looped 16 s fixture's noise and speech parts.
    await page.evaluate(() => window.__rec.waitChunks(14));
    await page.evaluate(() => window.__rec.stop());
    const wav = readWav(started.path);
    const [raw, far] = wav.channelData as [Float32Array, Float32Array];
    // The first second is left out: RNNoise adapts to the noise first.
    const skip = wav.sampleRate;
    const figures = measureSuppression(raw.subarray(skip), far.subarray(skip), wav.sampleRate);
    console.log('noise suppression at the far end', figures);
    expect(figures.noiseWindows).toBeGreaterThan(100);
    expect(figures.speechWindows).toBeGreaterThan(100);
    expect(figures.attenuationDb).toBeGreaterThan(12);
    expect(figures.speechDeltaDb).toBeGreaterThan(-6);
    expect(figures.speechDeltaDb).toBeLessThan(3);

    // A microphone switch feeds the same suppressor: the sending track does not change.
    const other = await page.evaluate(() => window.__rec.tone(300));
    await page.evaluate((id) => window.__rec.suppressMicrophone(id), other);
    expect(await page.evaluate(() => window.__rec.sending())).toBe(sent);
    await page.evaluate((id) => window.__rec.suppressMicrophone(id), mic);
    expect(await page.evaluate(() => window.__rec.suppress(false))).toBe(mic);
    expect(await page.evaluate(() => window.__rec.sending())).toBe(mic);
    expect(await page.evaluate(() => window.__rec.renegotiated())).toBe(false);
    expect((page as Page & { errors?: string[] }).errors).toEqual([]);
  });
});
