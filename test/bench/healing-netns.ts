// Benchmark for issue 20, beside healing.ts: the gap in received audio across a mid-call network
// switch that moves the caller's address, for the app and for a plain JsSIP UA with its defaults,
// in the same run. The caller's Chromium runs inside a network namespace the bench creates
// (test/lab/netns.ts: a veth pair on a private /24, no route off the machine, destroyed with the
// lab), so its only network is that link; on the root end of it sit the renderer build, the
// baseline page and a WebSocket front to the lab's Kamailio. The callee is bob, the app in a
// Chromium of the root namespace, so the media runs app ↔ app (or JsSIP ↔ app) over the link, as
// in test/e2e/netns-call.test.ts (the namespace cannot reach rtpengine, which listens on
// loopback). A run: a fresh caller page calls bob, audio flows, then the caller's address changes
// (a new one is added, the old one removed: its sockets, signalling and media, lose their network)
// and the window hears `online`. Measured in the caller's page, from 20 ms samples of the
// inbound-rtp statistics: the longest time without a new RTP packet, from just before the change
// until two seconds of audio (100 packets) after it. A run that has not received those within
// CAP_MS of the change is "not recovered" (JsSIP never re-INVITEs, so its media stays on the
// removed address).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startLab, type Lab, type LabAccount } from '../lab/lab';
import type { LabNetns } from '../lab/netns';
import { waitFor } from '../lab/process';
import { startWsFront, type WsFront, type WsFrame } from '../lab/ws-front';
import { CHROMIUM, launchPhoneBrowser, phoneBrowserArgs } from '../support/chromium';
import { PhonePage } from '../support/phone-page';
import { RENDERER_DIR, serveStatic, type StaticServer } from '../support/static-server';
import { buildBaseline } from './call-setup';
import { audioFlows, isInviteOk, isRegisterOk, WATCH, watch } from './healing-midcall';
import { summarize, table, type Summary } from './stats';

/** Address switches with the app as the caller. */
const APP_RUNS = Number(process.env.BENCH_HEAL_NETNS_RUNS ?? 10);
/** Address switches with JsSIP's defaults as the caller (each lasts the cap when it never recovers). */
const BASELINE_RUNS = Number(process.env.BENCH_HEAL_NETNS_BASELINE_RUNS ?? 3);
/** How long after the change a caller may take to receive two seconds of audio again. */
export const NETNS_CAP_MS = Number(process.env.BENCH_HEAL_NETNS_CAP_MS ?? 30_000);

/** What the caller's side of the link holds. */
interface CallerSide {
  ns: LabNetns;
  browser: Browser;
  app: StaticServer;
  baseline: StaticServer;
  front: WsFront;
}

/** A caller page in the namespace, registered through the front. */
interface Caller {
  page: Page;
  /** Calls bob. */
  dial(): Promise<void>;
  /** Resolves once the call is up on the caller's side (after bob answered). */
  established(): Promise<void>;
  close(): Promise<void>;
}

async function appCaller(side: CallerSide, account: LabAccount): Promise<Caller> {
  const phone = await PhonePage.open(side.browser, side.app);
  try {
    await phone.page.addInitScript(WATCH);
    await phone.bridge.seedAccount(
      { label: account.user, websocketUri: side.front.url, sipUri: account.uri },
      account.password,
    );
    await phone.page.reload();
    await phone.waitForRegistration('registered');
  } catch (error) {
    await phone.close();
    throw error;
  }
  return {
    page: phone.page,
    dial: () => phone.dial('bob'),
    established: () => phone.waitForCallStatus('active'),
    close: () => phone.close(),
  };
}

async function baselineCaller(
  side: CallerSide,
  account: LabAccount,
  target: string,
): Promise<Caller> {
  const context: BrowserContext = await side.browser.newContext({ permissions: ['microphone'] });
  try {
    await context.addInitScript({ content: 'globalThis.__name ??= (target) => target;' });
    const page = await context.newPage();
    await page.addInitScript(WATCH);
    const query = new URLSearchParams({
      ws: side.front.url,
      uri: account.uri,
      password: account.password,
      target,
    });
    await page.goto(`${side.baseline.url}?${query.toString()}`);
    await page.locator('#status', { hasText: 'registered' }).waitFor({ timeout: 20_000 });
    const busy = (): Promise<boolean> =>
      page.evaluate(() => (window as unknown as { __busy: () => boolean }).__busy());
    return {
      page,
      dial: () => page.locator('#call').click(),
      established: async () => {
        await waitFor(busy, { timeoutMs: 20_000, what: 'the baseline call' });
      },
      close: () => context.close(),
    };
  } catch (error) {
    await context.close();
    throw error;
  }
}

/** bob, the app in the root namespace, registered straight to Kamailio. */
async function callee(browser: Browser, server: StaticServer, lab: Lab): Promise<PhonePage> {
  const account = lab.account('bob');
  const bob = await PhonePage.open(browser, server);
  try {
    await bob.bridge.seedAccount(
      { label: 'bob', websocketUri: account.wsUrl, sipUri: account.uri },
      account.password,
    );
    await bob.page.reload();
    await bob.waitForRegistration('registered');
  } catch (error) {
    await bob.close();
    throw error;
  }
  return bob;
}

/** What one address change did to a caller's audio. */
export interface NetnsSwitchSample {
  /** Longest time without an RTP packet (ms); null when not recovered within the cap. */
  gapMs: number | null;
  /** The caller's re-INVITE over a new connection was answered 200. */
  reinvited: boolean;
  /** Change → the registrar's 200 OK over a new connection (ms); null when none came. */
  registeredMs: number | null;
  /** Change → the 200 OK to the re-INVITE over a new connection (ms); null when none came. */
  reinviteAnsweredMs: number | null;
}

/** The host part of the caller's next address (3, 4, … 254, then 3 again; .1 is the root end). */
let nextHost = 3;

/** One call from a fresh caller to bob, whose caller's address changes mid-call. */
async function switchRun(
  side: CallerSide,
  makeCaller: () => Promise<Caller>,
  bob: PhonePage,
): Promise<NetnsSwitchSample> {
  const caller = await makeCaller();
  let sample: NetnsSwitchSample;
  try {
    sample = await measureSwitch(side, caller, bob);
  } catch (error) {
    await endRun(side, caller, bob).catch(() => undefined); // the first error says why
    throw error;
  }
  await endRun(side, caller, bob);
  return sample;
}

/** The call, the address change, and what the caller's page received across it. */
async function measureSwitch(
  side: CallerSide,
  caller: Caller,
  bob: PhonePage,
): Promise<NetnsSwitchSample> {
  const { page } = caller;
  await caller.dial();
  await bob.waitForIncoming();
  await bob.answer();
  await bob.waitForCallStatus('active');
  await caller.established();
  await audioFlows(page, 100);
  await watch(page, 'start');
  await waitFor(async () => (await watch(page, 'samples')) >= 25, {
    timeoutMs: 5000,
    what: 'samples before the switch',
  });
  const from = side.front.frames.length;
  const lastClient = side.front.connectionCount;
  side.ns.setNsAddress(nextHost);
  const changed = performance.timeOrigin + performance.now();
  nextHost = nextHost >= 254 ? 3 : nextHost + 1;
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  const recovered = await audioFlows(page, 100, NETNS_CAP_MS).then(
    () => true,
    () => false,
  );
  const { gapMs } = await watch(page, 'stop');
  const after = (ok: (f: WsFrame) => boolean): number | null => {
    const frame = side.front.frames.slice(from).find((f) => ok(f) && f.client > lastClient);
    return frame === undefined ? null : frame.t - changed;
  };
  const reinviteAnsweredMs = after(isInviteOk);
  return {
    gapMs: recovered ? gapMs : null,
    reinvited: reinviteAnsweredMs !== null,
    registeredMs: after(isRegisterOk),
    reinviteAnsweredMs,
  };
}

/**
 * bob hangs up (his BYE reaches a caller that moved its flow; one that did not is gone), the
 * caller's page closes, and bob is back at the dial field before the next run.
 */
async function endRun(side: CallerSide, caller: Caller, bob: PhonePage): Promise<void> {
  const hangUp = bob.page.getByRole('button', { name: 'Hang up', exact: true });
  if (await hangUp.isVisible()) {
    await hangUp.click();
  }
  await caller.close();
  side.front.dropClients(); // flows from a removed address would otherwise linger
  await bob.page.getByLabel('Number or address').waitFor({ timeout: 30_000 });
}

/** One party's figures: the gaps of the runs that recovered, and how many did. */
export interface NetnsPartyResult {
  runs: number;
  recovered: number;
  reinvited: number;
  gap: Summary;
  /** Change → registered again over a new connection, for the runs where it happened. */
  registered: Summary;
  /** Change → the re-INVITE over the new connection answered, for the runs where it happened. */
  reinviteAnswered: Summary;
}

export interface NetnsSwitchResult {
  capMs: number;
  app: NetnsPartyResult;
  baseline: NetnsPartyResult;
}

function summarizeParty(samples: NetnsSwitchSample[]): NetnsPartyResult {
  const present = (xs: (number | null)[]): number[] => xs.filter((x): x is number => x !== null);
  const gaps = present(samples.map((s) => s.gapMs));
  return {
    runs: samples.length,
    recovered: gaps.length,
    reinvited: samples.filter((s) => s.reinvited).length,
    gap: summarize(gaps),
    registered: summarize(present(samples.map((s) => s.registeredMs))),
    reinviteAnswered: summarize(present(samples.map((s) => s.reinviteAnsweredMs))),
  };
}

/** Starts the lab, the namespace and the browsers; runs the switches; prints the table. */
export async function runNetnsSwitchBench(
  log: (line: string) => void = console.log,
): Promise<NetnsSwitchResult> {
  const lab = await startLab({ name: 'bench-healing-netns', rtpengine: false });
  const dir = await mkdtemp(join(tmpdir(), 'bench-healing-netns-'));
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const ns = lab.createNetns({ prefix: 'heal' }); // destroyed with the lab
    await buildBaseline(join(dir, 'baseline'));
    const app = await serveStatic(RENDERER_DIR, {}, ns.hostAddress);
    closers.push(() => app.close());
    const baseline = await serveStatic(join(dir, 'baseline'), {}, ns.hostAddress);
    closers.push(() => baseline.close());
    const front = await startWsFront({ upstreamUrl: lab.wsUrl, host: ns.hostAddress });
    closers.push(() => front.stop());
    // Both pages come from a private address, not the loopback: secure contexts by flag, as
    // the app's own page is.
    const origins = [app.url, baseline.url].map((u) => new URL(u).origin).join(',');
    const browser = await chromium.launch({
      executablePath: ns.writeWrapper(join(lab.logDir, 'chromium-in-netns'), CHROMIUM),
      headless: true,
      args: phoneBrowserArgs({
        extraArgs: [`--unsafely-treat-insecure-origin-as-secure=${origins}`],
      }),
    });
    closers.push(() => browser.close());
    const rootBrowser = await launchPhoneBrowser();
    closers.push(() => rootBrowser.close());
    const rootServer = await serveStatic();
    closers.push(() => rootServer.close());
    const bob = await callee(rootBrowser, rootServer, lab);
    closers.push(() => bob.close());
    const side: CallerSide = { ns, browser, app, baseline, front };
    const ms = (x: number | null): string => (x === null ? 'never' : `${x.toFixed(0)} ms`);
    const say = (s: NetnsSwitchSample): string =>
      `${s.gapMs === null ? `not recovered within ${NETNS_CAP_MS / 1000} s` : `gap ${ms(s.gapMs)}`}` +
      ` (registered again: ${ms(s.registeredMs)}, re-INVITE answered: ${ms(s.reinviteAnsweredMs)})`;
    const appSamples: NetnsSwitchSample[] = [];
    for (let i = 0; i < APP_RUNS; i += 1) {
      const s = await switchRun(side, () => appCaller(side, lab.account('alice')), bob);
      appSamples.push(s);
      log(`  address change ${i + 1}/${APP_RUNS}: app ${say(s)}`);
    }
    const baseSamples: NetnsSwitchSample[] = [];
    for (let i = 0; i < BASELINE_RUNS; i += 1) {
      const s = await switchRun(
        side,
        () => baselineCaller(side, lab.account('carol'), lab.account('bob').uri),
        bob,
      );
      baseSamples.push(s);
      log(`  address change ${i + 1}/${BASELINE_RUNS}: JsSIP default ${say(s)}`);
    }
    const result: NetnsSwitchResult = {
      capMs: NETNS_CAP_MS,
      app: summarizeParty(appSamples),
      baseline: summarizeParty(baseSamples),
    };
    log(renderNetnsSwitch(result));
    return result;
  } finally {
    for (const close of closers.reverse()) {
      await close().catch(() => undefined);
    }
    await lab.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The result as a table (ms). */
export function renderNetnsSwitch(r: NetnsSwitchResult): string {
  const row = (label: string, p: NetnsPartyResult): (string | number)[] => [
    label,
    `${p.recovered}/${p.runs}`,
    ...(p.recovered === 0
      ? [`not recovered within ${r.capMs / 1000} s`, '', '']
      : [p.gap.p50, p.gap.p95, p.gap.max]),
    `${p.reinvited}/${p.runs}`,
  ];
  const steps = (label: string, p: NetnsPartyResult): (string | number)[] => [
    label,
    `${p.registered.n}/${p.runs}`,
    p.registered.p50,
    p.registered.p95,
    `${p.reinviteAnswered.n}/${p.runs}`,
    p.reinviteAnswered.p50,
    p.reinviteAnswered.p95,
  ];
  return [
    `caller's address changes mid-call (network namespace): longest time without an RTP packet (ms, cap ${r.capMs / 1000} s)`,
    table(
      ['', 'recovered', 'p50', 'p95', 'max', 're-INVITEd'],
      [row('app', r.app), row('JsSIP defaults', r.baseline)],
    ),
    '',
    'where the time goes: change → over a new connection (ms)',
    table(
      ['', 'registered n', 'p50', 'p95', 're-INVITE answered n', 'p50', 'p95'],
      [steps('app', r.app), steps('JsSIP defaults', r.baseline)],
    ),
  ].join('\n');
}
