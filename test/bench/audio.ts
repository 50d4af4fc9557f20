// Benchmark for issue 6: audio latency through the lab on loopback, and call quality.
// Latency: a WAV of 1 kHz bursts (irregular gaps) is the caller's fake microphone; an
// AudioWorklet timestamps burst onsets in the sender's microphone track and in the receiver's
// remote track (epoch clock shared by the pages of one browser); onsets are paired into one
// delay per burst. Measured side by side, interleaved, for each jitterBufferTarget:
//   baseline   raw RTCPeerConnection pair, no SIP, no app code (same browsers, same tap)
//   app ↔ app  two instances of the real renderer build calling through Kamailio
//   app ↔ baresip  round trip: the app calls a baresip that echoes (rtpengine in the path)
// Quality: a clean 20 s call app ↔ app and app ↔ baresip; MOS and concealment from getStats.
// Microphone switch: how long a mid-call switch interrupts the far end's audio, against windows
// of the same call without a switch (pages/audio/mic-switch.ts).
// BENCH_AUDIO_PARTS=latency,quality,switch picks parts (default: all).
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startLab, type Lab } from '../lab/lab';
import type { LabProcess } from '../lab/process';
import { launchPhoneBrowser } from '../support/chromium';
import { PhonePage } from '../support/phone-page';
import { RENDERER_DIR, serveStatic, type StaticServer } from '../support/static-server';
import { writeToneWav } from '../support/wav';
import {
  codecLabel,
  computeQuality,
  type StatsInput,
} from '../../src-renderer/src/lib/audio/quality';
import { closePair, connectPair, PEER_SCRIPT } from './pages/audio/baseline';
import { measureMicSwitch, renderMicSwitch, type MicSwitchResult } from './pages/audio/mic-switch';
import { startEchoPhone } from './pages/audio/echo-phone';
import { matchOnsets, writeIrregularBursts } from './pages/audio/onsets';
import {
  aggregate,
  renderAudioBench,
  type AudioBenchResult,
  type LatencySample,
  type QualityRun,
  type Setup,
} from './pages/audio/report';
import { prepareBenchSite, TAP_SCRIPT, type TapOnsets } from './pages/audio/tap';

const MEASURE_MS = Number(process.env.BENCH_AUDIO_MS ?? 12_000);
const ROUNDS = Number(process.env.BENCH_AUDIO_ROUNDS ?? 2);
const QUALITY_S = Number(process.env.BENCH_AUDIO_QUALITY_S ?? 20);
const SWITCH_ROUNDS = Number(process.env.BENCH_AUDIO_SWITCH_ROUNDS ?? 12);
const PARTS = new Set((process.env.BENCH_AUDIO_PARTS ?? 'latency,quality,switch').split(','));
const SETTLE_MS = 3000;
const TARGETS: (number | null)[] = [null, 0, 50, 150];
/** Bursts are ≥ 410 ms apart, so a delay up to 400 ms pairs unambiguously. */
const MAX_DELAY_MS = 400;
const THRESHOLD = 0.05;
const QUIET_MS = 40;

interface Rig {
  lab: Lab;
  echo: LabProcess;
  server: StaticServer;
  browsers: Browser[];
  alice: PhonePage;
  bob: PhonePage;
  carol: PhonePage;
  baseSender: Page;
  baseReceiver: Page;
}

async function appPhone(
  browser: Browser,
  server: StaticServer,
  lab: Lab,
  user: string,
  opts: { probe?: boolean } = {},
): Promise<PhonePage> {
  const phone = await PhonePage.open(browser, server);
  const account = lab.account(user);
  await phone.bridge.seedAccount(
    { label: user, websocketUri: account.wsUrl, sipUri: account.uri },
    account.password,
  );
  if (opts.probe) {
    await phone.installAudioProbe(); // (reloads the page)
  } else {
    await phone.page.reload();
  }
  await phone.waitForRegistration('registered');
  await phone.page.evaluate(TAP_SCRIPT);
  return phone;
}

async function blankPage(browser: Browser, server: StaticServer): Promise<Page> {
  const context = await browser.newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  await page.goto(`${server.url}blank.html`);
  await page.evaluate(PEER_SCRIPT);
  await page.evaluate(TAP_SCRIPT);
  return page;
}

async function setUp(dir: string): Promise<Rig> {
  writeIrregularBursts(join(dir, 'bursts.wav'), {
    freq: 1000,
    burstMs: 60,
    minGapMs: 350,
    maxGapMs: 650,
    count: 40,
  });
  writeToneWav(join(dir, 'silence.wav'), { freq: 440, seconds: 2, amplitude: 0 });
  writeToneWav(join(dir, 'tone.wav'), { freq: 440, seconds: 10, amplitude: 0.3 });
  prepareBenchSite(RENDERER_DIR, join(dir, 'site'));
  const lab = await startLab({
    name: 'bench-audio',
    accounts: ['alice', 'bob', 'carol', 'echo'],
    baresip: [{ tone: 1000, autoAnswer: true }],
  });
  const echo = await startEchoPhone(lab, lab.account('echo'));
  const server = await serveStatic(join(dir, 'site'));
  const browsers = await Promise.all(
    ['bursts', 'silence', 'tone'].map((name) =>
      launchPhoneBrowser({ microphoneWav: join(dir, `${name}.wav`) }),
    ),
  );
  const [bursts, silence, tone] = browsers as [Browser, Browser, Browser];
  return {
    lab,
    echo,
    server,
    browsers,
    alice: await appPhone(bursts, server, lab, 'alice'),
    bob: await appPhone(silence, server, lab, 'bob', { probe: true }),
    carol: await appPhone(tone, server, lab, 'carol'),
    baseSender: await blankPage(bursts, server),
    baseReceiver: await blankPage(silence, server),
  };
}

type TapApi = {
  start(kinds: string[], threshold: number, quietMs: number): Promise<void>;
  stop(): Promise<TapOnsets>;
  setJitterBufferTarget(ms: number | null): void;
  inbound(): Promise<Record<string, number> | null>;
  report(): Promise<unknown[]>;
};

/** Times the bursts from `sender`'s microphone to `receiver`'s remote track. */
async function measure(
  sender: Page,
  receiver: Page,
  setup: Setup,
  target: number | null,
): Promise<LatencySample> {
  await receiver.evaluate(
    (ms) => (window as unknown as { __tap: TapApi }).__tap.setJitterBufferTarget(ms),
    target,
  );
  await receiver.waitForTimeout(SETTLE_MS);
  const same = sender === receiver;
  const kinds = same ? ['local', 'remote'] : ['local'];
  await sender.evaluate(
    (a) => (window as unknown as { __tap: TapApi }).__tap.start(a.kinds, a.th, a.q),
    { kinds, th: THRESHOLD, q: QUIET_MS },
  );
  if (!same) {
    await receiver.evaluate(
      ([th, q]) => (window as unknown as { __tap: TapApi }).__tap.start(['remote'], th!, q!),
      [THRESHOLD, QUIET_MS],
    );
  }
  const before = await receiver.evaluate(() =>
    (window as unknown as { __tap: TapApi }).__tap.inbound(),
  );
  await receiver.waitForTimeout(MEASURE_MS);
  const after = await receiver.evaluate(() =>
    (window as unknown as { __tap: TapApi }).__tap.inbound(),
  );
  const sent = await sender.evaluate(() => (window as unknown as { __tap: TapApi }).__tap.stop());
  const got = same
    ? sent
    : await receiver.evaluate(() => (window as unknown as { __tap: TapApi }).__tap.stop());
  const jb = before && after ? jitterBufferMs(before, after) : null;
  return {
    setup,
    jitterBufferTarget: target,
    delays: matchOnsets(sent.local, got.remote, MAX_DELAY_MS),
    sent: sent.local.length,
    jitterBufferMs: jb,
  };
}

function jitterBufferMs(a: Record<string, number>, b: Record<string, number>): number | null {
  const emitted = (b.jitterBufferEmittedCount ?? 0) - (a.jitterBufferEmittedCount ?? 0);
  return emitted > 0
    ? (((b.jitterBufferDelay ?? 0) - (a.jitterBufferDelay ?? 0)) / emitted) * 1000
    : null;
}

/** Places a call from the app `caller` to `target` and waits until `callee` (if an app) answered. */
async function appCall(caller: PhonePage, target: string, callee: PhonePage | null): Promise<void> {
  await caller.dial(target);
  if (callee) {
    await callee.waitForIncoming();
    await callee.answer();
  }
  await caller.waitForCallStatus('active');
}

async function hangUp(caller: PhonePage, ...others: PhonePage[]): Promise<void> {
  await caller.hangup();
  for (const phone of [caller, ...others]) {
    await phone.page.getByTestId('call-view').waitFor({ state: 'detached', timeout: 15_000 });
  }
}

/** One measurement per setup for `target`; the order of the setups rotates with the round. */
async function latencyRound(
  rig: Rig,
  target: number | null,
  round: number,
  log: (l: string) => void,
): Promise<LatencySample[]> {
  const runs: (() => Promise<LatencySample>)[] = [
    async () => {
      await connectPair(rig.baseSender, rig.baseReceiver);
      const sample = await measure(rig.baseSender, rig.baseReceiver, 'baseline', target);
      await closePair(rig.baseSender, rig.baseReceiver);
      return sample;
    },
    async () => {
      await appCall(rig.alice, 'bob', rig.bob);
      const sample = await measure(rig.alice.page, rig.bob.page, 'app-app', target);
      await hangUp(rig.alice, rig.bob);
      return sample;
    },
    async () => {
      await appCall(rig.alice, 'echo', null);
      const sample = await measure(rig.alice.page, rig.alice.page, 'app-baresip', target);
      await hangUp(rig.alice);
      return sample;
    },
  ];
  const samples: LatencySample[] = [];
  for (let i = 0; i < runs.length; i += 1) {
    const sample = await runs[(i + round) % runs.length]!();
    const p50 = [...sample.delays].sort((a, b) => a - b)[Math.floor(sample.delays.length / 2)];
    log(
      `  round ${round + 1}, target ${target ?? 'default'}, ${sample.setup}: p50 ${p50?.toFixed(1) ?? '–'} ms, ${sample.delays.length}/${sample.sent} bursts`,
    );
    samples.push(sample);
  }
  return samples;
}

/** Collects one report a second for QUALITY_S seconds on `phone` and sums the call up. */
async function qualityRun(phone: PhonePage, call: QualityRun['call']): Promise<QualityRun> {
  await phone.page.waitForTimeout(2000);
  const reports: StatsInput[] = [];
  for (let i = 0; i <= QUALITY_S; i += 1) {
    if (i > 0) {
      await phone.page.waitForTimeout(1000);
    }
    reports.push(
      await phone.page.evaluate(() => (window as unknown as { __tap: TapApi }).__tap.report()),
    );
  }
  const intervals = reports.slice(1).map((r, i) => computeQuality(reports[i]!, r));
  const whole = computeQuality(reports[0]!, reports.at(-1)!);
  const mos = intervals.map((f) => f.mos).filter((m): m is number => m !== null);
  return {
    call,
    seconds: QUALITY_S,
    codec: codecLabel(whole.codec),
    mosAvg: mos.length ? mos.reduce((a, b) => a + b, 0) / mos.length : null,
    mosMin: mos.length ? Math.min(...mos) : null,
    concealedPct: whole.concealedPct,
    jitterBufferMs: whole.jitterBufferMs,
    lossPct: whole.lossPct,
    jitterMs: Math.max(...intervals.map((f) => f.jitterMs ?? 0)),
    rttMs: whole.rttMs,
  };
}

async function qualityRuns(rig: Rig): Promise<QualityRun[]> {
  await appCall(rig.carol, 'bob', rig.bob);
  const appApp = await qualityRun(rig.bob, 'app-app');
  await hangUp(rig.carol, rig.bob);
  await appCall(rig.carol, rig.lab.baresips[0]!.user, null);
  const appBaresip = await qualityRun(rig.carol, 'app-baresip');
  await hangUp(rig.carol);
  return [appApp, appBaresip];
}

/** carol (a steady tone) calls bob and switches microphone back and forth from the Sound screen. */
async function micSwitchRun(rig: Rig, log: (l: string) => void): Promise<MicSwitchResult> {
  await appCall(rig.carol, 'bob', rig.bob);
  await rig.carol.openSound();
  for (;;) {
    if ((await rig.carol.deviceOptions('microphone-device')).length >= 3) {
      break;
    }
    await rig.carol.page.waitForTimeout(50);
  }
  const result = await measureMicSwitch(rig.carol, rig.bob, SWITCH_ROUNDS, log);
  await rig.carol.closeSound();
  await hangUp(rig.carol, rig.bob);
  return result;
}

async function tearDown(rig: Partial<Rig>): Promise<void> {
  for (const phone of [rig.alice, rig.bob, rig.carol]) {
    await phone?.close().catch(() => {});
  }
  for (const browser of rig.browsers ?? []) {
    await browser.close().catch(() => {});
  }
  await rig.server?.close();
  await rig.echo?.stop();
  await rig.lab?.stop();
}

/** Runs the benchmark; prints the tables and returns the figures. */
export async function runAudioBench(
  log: (line: string) => void = console.log,
): Promise<AudioBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-audio-'));
  const start = loadavg();
  let rig: Rig | undefined;
  try {
    rig = await setUp(dir);
    const samples: LatencySample[] = [];
    for (let round = 0; PARTS.has('latency') && round < ROUNDS; round += 1) {
      for (const target of TARGETS) {
        samples.push(...(await latencyRound(rig, target, round, log)));
      }
    }
    const quality = PARTS.has('quality') ? await qualityRuns(rig) : [];
    const micSwitch = PARTS.has('switch') ? await micSwitchRun(rig, log) : null;
    const result: AudioBenchResult = {
      rounds: ROUNDS,
      measureMs: MEASURE_MS,
      loadAverage: { start, end: loadavg() },
      latency: aggregate(samples),
      quality,
      micSwitch,
    };
    log(renderAudioBench(result, TARGETS));
    if (micSwitch) {
      log(`\n${renderMicSwitch(micSwitch)}`);
    }
    return result;
  } finally {
    await tearDown(rig ?? {});
    rmSync(dir, { recursive: true, force: true });
  }
}
