// Benchmark for issue 17, in Chromium on the recording test page (the real engine and RNNoise).
// Noise suppression, with the noise fixture (espeak-ng speech over sox noise) as microphone:
//   attenuation of noise-only parts and speech level kept, per pass of the looped fixture,
//   for RNNoise and, side by side, Chromium's own noise suppression (getUserMedia
//   noiseSuppression: true) and no suppression; the delay RNNoise adds (sample-accurate
//   cross-correlation against the raw microphone in the same recording); and the renderer's
//   CPU while a loopback call sends the microphone with RNNoise on vs off (interleaved rounds).
// Recording: a loopback call (440 Hz microphone, 1000 Hz far end) recorded for BENCH_REC_S
//   seconds (default 60, real time) as WAV stereo, WebM stereo and not at all (baseline):
//   renderer CPU, JS heap and the main-process writer's CPU and memory; the figures for a
//   10-minute call are the measured rates scaled to 600 s (stated as such in the table).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { launchPhoneBrowser } from '../support/chromium';
import { writeNoiseFixture } from '../support/noise-fixture';
import { openRecordingPage, serveRecordingSite } from '../support/recording-page';
import { measureSuppression, waveLagMs } from '../support/suppression-analysis';
import { readWav, writeToneWav } from '../support/wav';
import { serviceRig, type ServiceRig } from '../unit/recording/support';
import { summarize, table, type Summary } from './stats';

const PASS_S = Number(process.env.BENCH_NS_PASS_S ?? 17);
const PASSES = Number(process.env.BENCH_NS_PASSES ?? 2);
const CPU_ROUND_S = Number(process.env.BENCH_NS_CPU_S ?? 8);
const CPU_ROUNDS = Number(process.env.BENCH_NS_CPU_ROUNDS ?? 4);
const REC_S = Number(process.env.BENCH_REC_S ?? 60);

type Mode = 'rnnoise' | 'chromium' | 'none';

export interface RecordingBenchResult {
  suppression: Record<Mode, { attenuationDb: number[]; speechDeltaDb: number[] }>;
  rnnoiseLatencyMs: number[];
  suppressionCpu: { off: Summary; on: Summary };
  recording: {
    seconds: number;
    rows: Record<'none' | 'wav' | 'webm', RecordingCost>;
  };
  load: number[];
}

interface RecordingCost {
  rendererCpuPct: number;
  heapStartMb: number;
  heapEndMb: number;
  mainCpuPct: number;
  mainRssDeltaMb: number;
  bytesPerMinute: number;
}

/** Renderer process CPU seconds so far (SystemInfo.getProcessInfo, browser-level CDP). */
async function rendererCpu(cdp: CDPSession): Promise<number> {
  const info = (await cdp.send('SystemInfo.getProcessInfo')) as {
    processInfo: { type: string; cpuTime: number }[];
  };
  return info.processInfo.filter((p) => p.type === 'renderer').reduce((a, p) => a + p.cpuTime, 0);
}

async function heapMb(page: Page): Promise<number> {
  const session = await page.context().newCDPSession(page);
  await session.send('HeapProfiler.collectGarbage');
  await session.send('Performance.enable');
  const { metrics } = await session.send('Performance.getMetrics');
  await session.detach();
  return (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 1024 / 1024;
}

/** Records `seconds` of a stereo WAV with `local` left and `remote` right. */
async function recordPair(
  page: Page,
  local: string,
  remote: string,
  seconds: number,
): Promise<string> {
  const started = await page.evaluate(
    (ids) => window.__rec.record({ format: 'wav', channels: 'stereo', chunkMs: 1000, ...ids }),
    { local, remote },
  );
  await page.evaluate((n) => window.__rec.waitChunks(n), seconds);
  await page.evaluate(() => window.__rec.stop());
  return started.path;
}

async function suppressionFigures(page: Page, result: RecordingBenchResult): Promise<void> {
  const mic = await page.evaluate(() => window.__rec.microphone());
  const chromium = await page.evaluate(() => window.__rec.microphone(true));
  await page.evaluate((id) => window.__rec.loopback(id), mic);
  const rnnoise = (await page.evaluate(() => window.__rec.suppress(true)))!;
  const others: [Mode, string][] = [
    ['rnnoise', rnnoise],
    ['chromium', chromium],
    ['none', mic],
  ];
  for (let pass = 0; pass < PASSES; pass += 1) {
    for (const [mode, other] of others) {
      const wav = readWav(await recordPair(page, mic, other, PASS_S));
      const [raw, out] = wav.channelData as [Float32Array, Float32Array];
      const skip = wav.sampleRate;
      const f = measureSuppression(raw.subarray(skip), out.subarray(skip), wav.sampleRate);
      result.suppression[mode].attenuationDb.push(f.attenuationDb);
      result.suppression[mode].speechDeltaDb.push(f.speechDeltaDb);
      if (mode === 'rnnoise') {
        result.rnnoiseLatencyMs.push(waveLagMs(raw, out, wav.sampleRate, 150));
      }
    }
  }
  await page.evaluate(() => window.__rec.reset());
}

/** Renderer CPU % while a loopback call sends the microphone, RNNoise off and on, interleaved. */
async function suppressionCpu(
  page: Page,
  cdp: CDPSession,
  result: RecordingBenchResult,
): Promise<void> {
  const mic = await page.evaluate(() => window.__rec.microphone());
  await page.evaluate((id) => window.__rec.loopback(id), mic);
  const off: number[] = [];
  const on: number[] = [];
  for (let round = 0; round < CPU_ROUNDS * 2; round += 1) {
    const enabled = round % 2 === 1;
    await page.evaluate((v) => window.__rec.suppress(v), enabled);
    const cpu0 = await rendererCpu(cdp);
    const t0 = performance.now();
    await page.waitForTimeout(CPU_ROUND_S * 1000);
    const pct = (((await rendererCpu(cdp)) - cpu0) / ((performance.now() - t0) / 1000)) * 100;
    (enabled ? on : off).push(pct);
  }
  result.suppressionCpu = { off: summarize(off), on: summarize(on) };
  await page.evaluate(() => window.__rec.reset());
}

/** One recording (or none) of a loopback call for REC_S seconds; its costs. */
async function recordingCost(
  page: Page,
  cdp: CDPSession,
  format: 'none' | 'wav' | 'webm',
): Promise<RecordingCost> {
  const { mic, remote } = await page.evaluate(async () => {
    const mic = await window.__rec.microphone();
    const far = await window.__rec.tone(1000);
    return { mic, remote: await window.__rec.loopback(far) };
  });
  const heapStartMb = await heapMb(page);
  const cpu0 = await rendererCpu(cdp);
  const main0 = process.cpuUsage();
  const rss0 = process.memoryUsage().rss;
  const t0 = performance.now();
  let bytes = 0;
  if (format === 'none') {
    await page.waitForTimeout(REC_S * 1000);
  } else {
    await page.evaluate(
      (a) =>
        window.__rec.record({
          format: a.format,
          channels: 'stereo',
          chunkMs: 1000,
          local: a.mic,
          remote: a.remote,
        }),
      { format, mic, remote },
    );
    await page.evaluate((n) => window.__rec.waitChunks(n), REC_S);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = ((await rendererCpu(cdp)) - cpu0) / seconds;
  const main = process.cpuUsage(main0);
  const rssDelta = (process.memoryUsage().rss - rss0) / 1024 / 1024;
  const heapEndMb = await heapMb(page);
  if (format !== 'none') {
    bytes = (await page.evaluate(() => window.__rec.stop()))?.bytes ?? 0;
  }
  await page.evaluate(() => window.__rec.reset());
  return {
    rendererCpuPct: cpu * 100,
    heapStartMb,
    heapEndMb,
    mainCpuPct: ((main.user + main.system) / 1e6 / seconds) * 100,
    mainRssDeltaMb: rssDelta,
    bytesPerMinute: (bytes / seconds) * 60,
  };
}

function emptyResult(): RecordingBenchResult {
  const figures = () => ({ attenuationDb: [] as number[], speechDeltaDb: [] as number[] });
  const cost: RecordingCost = {
    rendererCpuPct: 0,
    heapStartMb: 0,
    heapEndMb: 0,
    mainCpuPct: 0,
    mainRssDeltaMb: 0,
    bytesPerMinute: 0,
  };
  return {
    suppression: { rnnoise: figures(), chromium: figures(), none: figures() },
    rnnoiseLatencyMs: [],
    suppressionCpu: { off: summarize([]), on: summarize([]) },
    recording: { seconds: REC_S, rows: { none: cost, wav: cost, webm: cost } },
    load: [],
  };
}

function render(result: RecordingBenchResult): string {
  const median = (xs: number[]): number => summarize(xs).p50;
  const ns = table(
    ['noise suppression', 'noise attenuation dB (p50)', 'speech level change dB (p50)', 'passes'],
    (['rnnoise', 'chromium', 'none'] as const).map((m) => [
      m === 'chromium' ? 'Chromium built-in' : m === 'none' ? 'off (baseline)' : 'RNNoise',
      median(result.suppression[m].attenuationDb),
      median(result.suppression[m].speechDeltaDb),
      result.suppression[m].attenuationDb.length,
    ]),
  );
  const lat = summarize(result.rnnoiseLatencyMs);
  const cpu = table(
    ['renderer CPU % (loopback call)', 'p50', 'p95', 'rounds'],
    [
      [
        'RNNoise off (baseline)',
        result.suppressionCpu.off.p50,
        result.suppressionCpu.off.p95,
        result.suppressionCpu.off.n,
      ],
      [
        'RNNoise on',
        result.suppressionCpu.on.p50,
        result.suppressionCpu.on.p95,
        result.suppressionCpu.on.n,
      ],
    ],
  );
  const scale = 600 / result.recording.seconds;
  const rec = table(
    [
      `recording (${result.recording.seconds} s measured, real time)`,
      'renderer CPU %',
      'JS heap MB start → end',
      'writer CPU %',
      'writer RSS Δ MB',
      'MB per 10 min (scaled)',
    ],
    (['none', 'wav', 'webm'] as const).map((f) => {
      const r = result.recording.rows[f];
      return [
        f === 'none'
          ? 'not recording (baseline)'
          : f === 'wav'
            ? 'WAV stereo 48 kHz'
            : 'WebM Opus stereo',
        r.rendererCpuPct,
        `${r.heapStartMb.toFixed(1)} → ${r.heapEndMb.toFixed(1)}`,
        r.mainCpuPct,
        r.mainRssDeltaMb,
        (r.bytesPerMinute * 10) / 1024 / 1024,
      ];
    }),
  );
  return [
    ns,
    `RNNoise added delay (ms, sample-accurate, per pass): p50 ${lat.p50.toFixed(1)}, p95 ${lat.p95.toFixed(1)}`,
    cpu,
    rec,
    `(10-minute figures: rates measured over ${result.recording.seconds} s, sizes × ${scale.toFixed(0)})`,
  ].join('\n\n');
}

export async function runRecordingBench(): Promise<RecordingBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-recording-'));
  const site = await serveRecordingSite();
  const browsers: Browser[] = [];
  const result = emptyResult();
  try {
    const writer: ServiceRig = serviceRig({ root: dir });
    writeToneWav(join(dir, 'mic-440.wav'), { freq: 440, seconds: 10, amplitude: 0.4 });
    const noisy = await launchPhoneBrowser({ microphoneWav: writeNoiseFixture(dir) });
    browsers.push(noisy);
    const tone = await launchPhoneBrowser({ microphoneWav: join(dir, 'mic-440.wav') });
    browsers.push(tone);
    const page = await openRecordingPage(noisy, site, () => writer.service);
    const cdp = await noisy.newBrowserCDPSession();
    await suppressionFigures(page, result);
    result.load.push(loadavg()[0] ?? 0);
    await suppressionCpu(page, cdp, result);
    result.load.push(loadavg()[0] ?? 0);
    const recPage = await openRecordingPage(tone, site, () => writer.service);
    const recCdp = await tone.newBrowserCDPSession();
    for (const format of ['none', 'wav', 'webm'] as const) {
      result.recording.rows[format] = await recordingCost(recPage, recCdp, format);
      result.load.push(loadavg()[0] ?? 0);
    }
    console.log(render(result));
    console.log(`load average during the run: ${result.load.map((l) => l.toFixed(1)).join(', ')}`);
    return result;
  } finally {
    for (const browser of browsers) {
      await browser.close();
    }
    await site.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
