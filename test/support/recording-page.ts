// Opens the recording test page (test/e2e/pages/recording) in Chromium with the app's CSP as a
// response header, and connects its recorder port to a REAL main-process RecordingService in
// this Node process (chunks travel as base64 through a Playwright binding, as Electron IPC
// would carry them as bytes). Also: decoding with Debian's ffmpeg, and per-window tone checks.
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { buildCsp } from '../../src-main/security/csp';
import type { RecordingService } from '../../src-main/recording/recording-service';
import type { RecordingStartRequest } from '../../src-main/shared/ipc-contract';
import { buildTestPage, type BuiltPage } from '../bench/build-page';
import { serveStatic, type StaticServer } from './static-server';
import { readWav, sliceSeconds, toneAmplitude, type Wav } from './wav';
import '../e2e/pages/recording/harness';

export interface RecordingSite {
  page: BuiltPage;
  server: StaticServer;
  close(): Promise<void>;
}

/** Builds the page and serves it with the production CSP header (no SIP servers configured). */
export async function serveRecordingSite(): Promise<RecordingSite> {
  const page = await buildTestPage(resolve(import.meta.dirname, '../e2e/pages/recording'));
  const server = await serveStatic(page.dir, { 'content-security-policy': buildCsp([]) });
  return {
    page,
    server,
    close: async () => {
      await server.close();
      await page.remove();
    },
  };
}

/** A page whose recorder writes through `service`; `service` may be swapped between tests. */
export async function openRecordingPage(
  browser: Browser,
  site: RecordingSite,
  service: () => RecordingService,
  beforeLoad: (page: Page) => Promise<void> = async () => {},
): Promise<Page> {
  const context = await browser.newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  await beforeLoad(page);
  await page.exposeFunction('__recordingPort', async (method: string, payload: unknown) => {
    const writer = service();
    switch (method) {
      case 'start':
        return writer.start(payload as RecordingStartRequest);
      case 'chunk': {
        const { id, seq, data } = payload as { id: string; seq: number; data: string };
        await writer.append(id, seq, new Uint8Array(Buffer.from(data, 'base64')));
        return null;
      }
      case 'pause':
        return writer.pause(payload as string);
      case 'resume':
        return writer.resume(payload as string);
      case 'stop':
        return writer.stop(payload as string);
      default:
        throw new Error(`unknown port method ${method}`);
    }
  });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    // Failed loads are reported with their URL below (the browser's own favicon probe is not ours).
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) {
      errors.push(m.text());
    }
  });
  page.on('response', (r) => {
    if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) {
      errors.push(`${r.status()} ${r.url()}`);
    }
  });
  await page.goto(site.server.url);
  await page.waitForFunction(() => window.__rec !== undefined);
  (page as Page & { errors?: string[] }).errors = errors;
  return page;
}

/** Decodes any audio file to 48 kHz WAV with ffmpeg (Debian's); the decoded file. */
export function decodeWithFfmpeg(input: string, channels: 1 | 2): Wav {
  const out = `${input}.decoded.wav`;
  execFileSync('ffmpeg', [
    '-hide_banner',
    '-loglevel',
    'error',
    '-y',
    '-i',
    input,
    '-ar',
    '48000',
    '-ac',
    String(channels),
    '-c:a',
    'pcm_s16le',
    out,
  ]);
  return readWav(out);
}

/** Amplitude of `freq` in [from, to) seconds of `samples` (Goertzel). */
export function toneIn(wav: Wav, channel: number, freq: number, from: number, to: number): number {
  const samples = wav.channelData[channel] ?? wav.samples;
  return toneAmplitude(sliceSeconds(samples, wav.sampleRate, from, to), wav.sampleRate, freq);
}

/** The amplitude of `freq` in each `step`-second window of a channel. */
export function toneProfile(wav: Wav, channel: number, freq: number, step = 0.25): number[] {
  const windows = Math.floor(wav.durationSec / step);
  return Array.from({ length: windows }, (_, i) =>
    toneIn(wav, channel, freq, i * step, (i + 1) * step),
  );
}

export { join };
