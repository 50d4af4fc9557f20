// Benchmark for issue 20: time from the network's return to registered, for the app and for a
// plain JsSIP UA in its default configuration, side by side in the same run on the loopback lab.
// Each party talks to Kamailio through its own WebSocket front. A run: both fronts go down
// (every connection dropped, new ones refused) for OUTAGE_MS, as a Wi-Fi or VPN switch does;
// then both come back at the same moment and both windows hear `online`, as the OS tells them.
// Measured: front back → the registrar's 200 OK to a REGISTER passes the party's front.
// Then, beside it (healing-midcall.ts): the time to find a half-open connection, and the gap in
// received audio when the connection under a call to baresip is replaced mid-call.
// The gap across a real address change (the browser in a network namespace) is its own entry,
// healing-netns.ts (`npm run bench healing-netns`).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { startLab, type Lab, type LabAccount } from '../lab/lab';
import type { WsFront, WsFrame } from '../lab/ws-front';
import { launchPhoneBrowser } from '../support/chromium';
import { serveStatic, type StaticServer } from '../support/static-server';
import { TestBridge } from '../support/test-bridge';
import { buildBaseline } from './call-setup';
import {
  appMidcallParty,
  baselineMidcallParty,
  halfOpenRun,
  renderMidcall,
  summarizeHalfOpen,
  summarizeSwitch,
  switchRun,
  type HalfOpenResult,
  type MidcallParty,
  type SwitchResult,
  type SwitchSample,
} from './healing-midcall';
import { summarize, table, type Summary } from './stats';

const RUNS = Number(process.env.BENCH_HEAL_RUNS ?? 10);
/** Mid-call switches per party. */
const MIDCALL_RUNS = Number(process.env.BENCH_HEAL_MIDCALL_RUNS ?? 10);
/** Half-open detections (each lasts the detection cap: the baseline never finds one). */
const HALF_OPEN_RUNS = Number(process.env.BENCH_HEAL_HALF_OPEN_RUNS ?? 6);
/** How long the network stays away in each run. */
const OUTAGE_MS = Number(process.env.BENCH_HEAL_OUTAGE_MS ?? 5000);
/** Longest wait for a party to register again (JsSIP's own backoff goes up to 30 s). */
const CAP_MS = 60_000;

interface Party {
  page: Page;
  front: WsFront;
  close(): Promise<void>;
}

const isRegisterOk = (f: WsFrame): boolean =>
  f.dir === 'down' && /^SIP\/2\.0 200 [^]*?\r\nCSeq:\s*\d+ REGISTER\r\n/i.test(f.text);

async function appParty(
  browser: Browser,
  server: StaticServer,
  lab: Lab,
  account: LabAccount,
): Promise<Party> {
  const front = await lab.startWsFront({ mode: 'forward' });
  const context = await browser.newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  const bridge = await TestBridge.create({ appUrl: server.url });
  await bridge.attach(page);
  await bridge.seedAccount(
    { label: account.user, websocketUri: front.url, sipUri: account.uri },
    account.password,
  );
  await page.goto(server.url);
  await page
    .locator('[data-testid="registration-status"][data-status="registered"]')
    .waitFor({ timeout: 20_000 });
  return { page, front, close: () => closeParty(context, front, bridge) };
}

async function baselineParty(
  browser: Browser,
  baselineUrl: string,
  lab: Lab,
  account: LabAccount,
): Promise<Party> {
  const front = await lab.startWsFront({ mode: 'forward' });
  const context = await browser.newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  const query = new URLSearchParams({
    ws: front.url,
    uri: account.uri,
    password: account.password,
    target: account.uri,
  });
  await page.goto(`${baselineUrl}?${query.toString()}`);
  await page.locator('#status', { hasText: 'registered' }).waitFor({ timeout: 20_000 });
  return { page, front, close: () => closeParty(context, front, null) };
}

async function closeParty(
  context: BrowserContext,
  front: WsFront,
  bridge: TestBridge | null,
): Promise<void> {
  await context.close();
  await bridge?.dispose();
  await front.stop();
}

/** One outage for every party at once; the time each took from the return to registered. */
async function outage(parties: Party[]): Promise<number[]> {
  await Promise.all(parties.map((p) => p.front.setMode('down')));
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
  const from = parties.map((p) => p.front.frames.length);
  const back = performance.timeOrigin + performance.now();
  await Promise.all(parties.map((p) => p.front.setMode('forward')));
  await Promise.all(
    parties.map((p) => p.page.evaluate(() => window.dispatchEvent(new Event('online')))),
  );
  return Promise.all(
    parties.map(async (p, i) => {
      const ok = await p.front.waitForFrame(isRegisterOk, CAP_MS, from[i]);
      return ok.t - back;
    }),
  );
}

export interface HealingResult {
  runs: number;
  outageMs: number;
  app: Summary;
  baseline: Summary;
  halfOpen: HalfOpenResult;
  midcallSwitch: SwitchResult;
}

/** Runs the benchmark; prints the table and returns the figures. */
export async function runHealingBench(
  log: (line: string) => void = console.log,
): Promise<HealingResult> {
  const lab = await startLab({
    name: 'bench-healing',
    baresip: [
      { tone: 1000, autoAnswer: true },
      { tone: 1000, autoAnswer: true },
    ],
  });
  const dir = await mkdtemp(join(tmpdir(), 'bench-healing-'));
  const browser = await launchPhoneBrowser();
  const appServer = await serveStatic();
  await buildBaseline(join(dir, 'baseline'));
  const baselineServer = await serveStatic(join(dir, 'baseline'));
  const parties: Party[] = [];
  const midcall: MidcallParty[] = [];
  try {
    const app = await appParty(browser, appServer, lab, lab.account('alice'));
    parties.push(app);
    const base = await baselineParty(browser, baselineServer.url, lab, lab.account('carol'));
    parties.push(base);
    const appMs: number[] = [];
    const baseMs: number[] = [];
    for (let i = 0; i < RUNS; i += 1) {
      const [a, b] = await outage([app, base]);
      appMs.push(a!);
      baseMs.push(b!);
      log(
        `  outage ${i + 1}/${RUNS}: app ${a!.toFixed(0)} ms, JsSIP default ${b!.toFixed(0)} ms to registered`,
      );
    }
    const appMid = await appMidcallParty(browser, appServer, lab, lab.account('bob'));
    midcall.push(appMid);
    const [bareApp, bareBase] = lab.baresips;
    const baseMid = await baselineMidcallParty(
      browser,
      baselineServer.url,
      lab,
      lab.account('dave'),
      bareBase!.aor,
    );
    midcall.push(baseMid);
    const appFound: (number | null)[] = [];
    const baseFound: (number | null)[] = [];
    for (let i = 0; i < HALF_OPEN_RUNS; i += 1) {
      const [a, b] = await halfOpenRun([appMid, baseMid]);
      appFound.push(a ?? null);
      baseFound.push(b ?? null);
      const say = (x: number | null | undefined): string =>
        x == null ? 'not detected' : `${x.toFixed(0)} ms`;
      log(`  half-open ${i + 1}/${HALF_OPEN_RUNS}: app ${say(a)}, JsSIP default ${say(b)}`);
      await appMid.page
        .locator('[data-testid="registration-status"][data-status="registered"]')
        .waitFor({ timeout: 60_000 });
    }
    const appGaps: SwitchSample[] = [];
    const baseGaps: SwitchSample[] = [];
    for (let i = 0; i < MIDCALL_RUNS; i += 1) {
      const a = await switchRun(appMid, bareApp!);
      const b = await switchRun(baseMid, bareBase!);
      appGaps.push(a);
      baseGaps.push(b);
      const say = (x: SwitchSample): string =>
        `${x.gapMs.toFixed(0)} ms${x.kept ? '' : ', call lost'}${x.reinvited ? ', re-INVITEd' : ''}`;
      log(`  switch ${i + 1}/${MIDCALL_RUNS}: app ${say(a)}; JsSIP default ${say(b)}`);
    }
    const result: HealingResult = {
      runs: RUNS,
      outageMs: OUTAGE_MS,
      app: summarize(appMs),
      baseline: summarize(baseMs),
      halfOpen: summarizeHalfOpen(appFound, baseFound),
      midcallSwitch: summarizeSwitch(appGaps, baseGaps),
    };
    log(renderHealing(result));
    log('');
    log(renderMidcall(result.halfOpen, result.midcallSwitch));
    return result;
  } finally {
    for (const party of [...parties, ...midcall]) {
      await party.close().catch(() => {});
    }
    await browser.close();
    await appServer.close();
    await baselineServer.close();
    await lab.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The result as a table (ms). */
export function renderHealing(r: HealingResult): string {
  const row = (label: string, s: Summary): (string | number)[] => [
    label,
    String(s.n),
    s.p50,
    s.p95,
    s.max,
  ];
  return [
    `network back → registered, after a ${r.outageMs / 1000} s outage (ms, ${r.runs} runs)`,
    table(['', 'n', 'p50', 'p95', 'max'], [row('app', r.app), row('JsSIP defaults', r.baseline)]),
  ].join('\n');
}
