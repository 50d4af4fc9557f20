// Benchmark for issue 3: call set-up latencies of the app against a plain JsSIP UA in its
// default configuration, measured side by side in the same run on the loopback lab:
//   click → INVITE sent, INVITE received → incoming-call UI shown,
//   answer click → 200 OK sent, answer click → first remote audio (see below),
//   and click → INVITE with a STUN server configured that never answers. The calls also run
//   with the app at one end only (a bare page calling the app, the app calling a bare page):
//   here both ends share two cores, so app → app counts each end's work against the other's
//   figures too, which two machines would not (the issue 19 budgets take the one-sided pairs).
// First audio is when the first remote audio reached the callee's track (the receiver's
// synchronization source, stamped off the page's main thread), not when a getStats() poll saw
// a packet: Chromium answers getStats() from a report up to 50 ms old.
// "Sent" is when the page hands the message to its WebSocket, on the page's own clock, the
// clock of the click (the WebSocket front in front of Kamailio then confirms it went out).
// Timestamps of two processes are never subtracted: a page's clock and this process's drifted
// apart by up to ~130 ms within one run here (a click → INVITE of 869 ms under a 1000 ms cap).
import { createSocket } from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { startLab, type Lab, type LabAccount } from '../lab/lab';
import type { WsFront } from '../lab/ws-front';
import { launchPhoneBrowser } from '../support/chromium';
import { serveStatic, type StaticServer } from '../support/static-server';
import { TestBridge } from '../support/test-bridge';
import { writeToneWav } from '../support/wav';
import { summarize, table, type Summary } from './stats';

const CALLS = Number(process.env.BENCH_CALLS ?? 20);
const STUN_CALLS_BASELINE = Number(process.env.BENCH_STUN_BASELINE_CALLS ?? 3);
const CAP_MS = 1000;

/** Timestamps recorded inside a page, epoch ms (performance.timeOrigin + now()). */
const PAGE_PROBES = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const bench = { clicks: [], invites: [], shown: [], sent: [] };
  window.__bench = bench;
  // What the page hands to its WebSocket, on the page's own clock ("sent" above).
  const send = WebSocket.prototype.send;
  WebSocket.prototype.send = function (data) {
    const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
    const cseq = /\\r\\nCSeq:\\s*\\d+\\s+(\\w+)/i.exec(text);
    bench.sent.push({ t: now(), line: text.slice(0, text.indexOf('\\r\\n')), method: cseq ? cseq[1].toUpperCase() : '' });
    return send.call(this, data);
  };
  document.addEventListener('click', (e) => {
    const el = e.target instanceof Element ? e.target.closest('button') : null;
    bench.clicks.push({ t: now(), label: el ? el.textContent.trim() : '' });
  }, true);
  const desc = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    get() { return desc.get.call(this); },
    set(fn) {
      desc.set.call(this, (event) => {
        const text = typeof event.data === 'string' ? event.data : new TextDecoder().decode(event.data);
        if (text.startsWith('INVITE ')) bench.invites.push(now());
        return fn.call(this, event);
      });
    },
  });
  const Original = window.RTCPeerConnection;
  const pcs = [];
  window.__pcs = pcs;
  function Instrumented(...args) { const pc = new Original(...args); pcs.push(pc); return pc; }
  Instrumented.prototype = Original.prototype;
  Object.setPrototypeOf(Instrumented, Original);
  window.RTCPeerConnection = Instrumented;
  let visible = false;
  const check = () => {
    const el = document.querySelector('[data-testid="incoming-view"], #incoming:not([hidden])');
    if (el && !visible) {
      visible = true;
      requestAnimationFrame(() => bench.shown.push(now()));
    } else if (!el) {
      visible = false;
    }
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true });
  // The first audio a receiver delivered to its track: getSynchronizationSources() lists the
  // source once audio from it has been delivered, stamped with that time (epoch ms, the clock of
  // 'since'). Read every few ms, the stamp is the first packet's or, after a long task, a later
  // one's (20 ms each).
  window.__firstAudioAfter = (since) => new Promise((resolve) => {
    const poll = () => {
      const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed');
      const receiver = pc ? pc.getReceivers().find((r) => r.track && r.track.kind === 'audio') : null;
      const source = receiver ? receiver.getSynchronizationSources()[0] : undefined;
      if (source && source.timestamp >= since) { resolve(source.timestamp - since); return; }
      setTimeout(poll, 1);
    };
    poll();
  });
})();`;

interface Party {
  page: Page;
  front: WsFront;
  call(): Promise<void>;
  answer(): Promise<void>;
  hangup(): Promise<void>;
  busy(): Promise<boolean>;
  close(): Promise<void>;
}

interface Sample {
  clickToInvite: number;
  inviteToIncomingUi: number;
  answerTo200: number;
  answerToAudio: number;
}

/** When the page handed a matching SIP message to its WebSocket, the first after `since`. */
async function sentAt(page: Page, since: number, line: RegExp, method: string): Promise<number> {
  const sent = await page.evaluate(
    () =>
      (window as unknown as { __bench: { sent: { t: number; line: string; method: string }[] } })
        .__bench.sent,
  );
  const hit = sent.find((m) => m.t >= since && line.test(m.line) && m.method === method);
  if (!hit) {
    throw new Error(`the page sent no ${method} matching ${String(line)}`);
  }
  return hit.t;
}

async function lastClick(page: Page, label: string): Promise<number> {
  const clicks = await page.evaluate(
    () =>
      (window as unknown as { __bench: { clicks: { t: number; label: string }[] } }).__bench.clicks,
  );
  const click = [...clicks].reverse().find((c) => c.label === label);
  if (!click) {
    throw new Error(`no click on ${label}`);
  }
  return click.t;
}

async function appParty(
  browser: Browser,
  server: StaticServer,
  lab: Lab,
  account: LabAccount,
  target: string,
  iceServers: string[],
): Promise<Party> {
  const front = await lab.startWsFront({ mode: 'forward' });
  const context = await browser.newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  const bridge = await TestBridge.create({ appUrl: server.url });
  // Main's side over a loopback socket, not Playwright's binding: Electron's IPC is not charged
  // the binding's round trip while the page loads (TestBridge.attach).
  await bridge.attach(page, 'main', { transport: 'socket' });
  await page.addInitScript(PAGE_PROBES);
  await bridge.seedAccount(
    {
      label: account.user,
      websocketUri: front.url,
      sipUri: account.uri,
      iceServers: iceServers.length ? [{ urls: iceServers }] : [],
      iceGatheringCapMs: CAP_MS,
    },
    account.password,
  );
  await page.goto(server.url);
  await page
    .locator('[data-testid="registration-status"][data-status="registered"]')
    .waitFor({ timeout: 20_000 });
  return {
    page,
    front,
    call: async () => {
      await page.getByLabel('Number or address').fill(target);
      await page.getByRole('button', { name: 'Call', exact: true }).click();
    },
    answer: () => page.getByRole('button', { name: 'Answer' }).click(),
    hangup: () => page.getByRole('button', { name: 'Hang up' }).click(),
    busy: async () =>
      (await page.locator('[data-testid="call-view"], [data-testid="incoming-view"]').count()) > 0,
    close: async () => {
      await context.close();
      await bridge.dispose();
      await front.stop();
    },
  };
}

async function baselineParty(
  browser: Browser,
  baselineUrl: string,
  lab: Lab,
  account: LabAccount,
  target: string,
  stun: string | null,
): Promise<Party> {
  const front = await lab.startWsFront({ mode: 'forward' });
  const context = await browser.newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  await page.addInitScript(PAGE_PROBES);
  const query = new URLSearchParams({
    ws: front.url,
    uri: account.uri,
    password: account.password,
    target,
  });
  if (stun) {
    query.set('stun', stun);
  }
  await page.goto(`${baselineUrl}?${query.toString()}`);
  await page.locator('#status', { hasText: 'registered' }).waitFor({ timeout: 20_000 });
  return {
    page,
    front,
    call: () => page.click('#call'),
    answer: () => page.click('#answer'),
    hangup: () => page.click('#hangup'),
    busy: () => page.evaluate(() => (window as unknown as { __busy: () => boolean }).__busy()),
    close: async () => {
      await context.close();
      await front.stop();
    },
  };
}

async function waitIdle(...parties: Party[]): Promise<void> {
  const deadline = Date.now() + 15_000;
  for (const party of parties) {
    while (await party.busy()) {
      if (Date.now() > deadline) {
        throw new Error('call did not end');
      }
      await party.page.waitForTimeout(20);
    }
  }
}

/** One full call: caller clicks, callee sees it and answers, audio flows, caller hangs up. */
async function measureCall(
  caller: Party,
  callee: Party,
  callLabel: string,
  answerLabel: string,
): Promise<Sample> {
  const upFrom = caller.front.frames.length;
  const calleeUpFrom = callee.front.frames.length;
  const invitesBefore = await callee.page.evaluate(
    () => (window as unknown as { __bench: { invites: number[] } }).__bench.invites.length,
  );
  await caller.call();
  await caller.front.waitForFrame(
    (f) => f.dir === 'up' && f.text.startsWith('INVITE '),
    60_000,
    upFrom,
  );
  const clickAt = await lastClick(caller.page, callLabel);
  const inviteAt = await sentAt(caller.page, clickAt, /^INVITE /, 'INVITE');
  const shown = await callee.page.waitForFunction(
    (n) => {
      const b = (window as unknown as { __bench: { invites: number[]; shown: number[] } }).__bench;
      return b.invites.length > n &&
        b.shown.length > 0 &&
        b.shown[b.shown.length - 1]! > b.invites[n]!
        ? [b.invites[n]!, b.shown[b.shown.length - 1]!]
        : null;
    },
    invitesBefore,
    { timeout: 20_000, polling: 5 },
  );
  const [invitedAt, shownAt] = (await shown.jsonValue()) as [number, number];
  await callee.answer();
  const answerAt = await lastClick(callee.page, answerLabel);
  const audio = callee.page.evaluate(
    (since) =>
      (window as unknown as { __firstAudioAfter(s: number): Promise<number> }).__firstAudioAfter(
        since,
      ),
    answerAt,
  );
  await callee.front.waitForFrame(
    (f) =>
      f.dir === 'up' && f.text.startsWith('SIP/2.0 200') && /CSeq:\s*\d+\s+INVITE/i.test(f.text),
    20_000,
    calleeUpFrom,
  );
  const okAt = await sentAt(callee.page, answerAt, /^SIP\/2\.0 200 /, 'INVITE');
  const answerToAudio = await audio;
  await caller.hangup();
  await waitIdle(caller, callee);
  return {
    clickToInvite: inviteAt - clickAt,
    inviteToIncomingUi: shownAt - invitedAt,
    answerTo200: okAt - answerAt,
    answerToAudio,
  };
}

async function measureInviteOnly(
  caller: Party,
  callLabel: string,
  timeoutMs: number,
): Promise<number> {
  const upFrom = caller.front.frames.length;
  await caller.call();
  await caller.front.waitForFrame(
    (f) => f.dir === 'up' && f.text.startsWith('INVITE '),
    timeoutMs,
    upFrom,
  );
  const clickAt = await lastClick(caller.page, callLabel);
  const inviteAt = await sentAt(caller.page, clickAt, /^INVITE /, 'INVITE');
  await caller.hangup();
  await waitIdle(caller);
  return inviteAt - clickAt;
}

/** Builds the bare-JsSIP baseline page into `outDir`. */
export async function buildBaseline(outDir: string): Promise<void> {
  await build({
    root: resolve(import.meta.dirname, 'pages/baseline'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}

export interface CallSetupResult {
  calls: number;
  app: Record<keyof Sample, Summary> & { clickToInviteSilentStun: Summary };
  baseline: Record<keyof Sample, Summary> & { clickToInviteSilentStun: Summary };
  /** INVITE received → incoming UI shown in the app when a bare JsSIP page calls it. */
  appCalledByBare?: Summary;
  /** The calls with the app at one end only: a bare page calls it, it calls a bare page. */
  oneSided?: Record<'calledByBare' | 'callingBare', Record<keyof Sample, Summary>>;
  capMs: number;
}

function collect(samples: Sample[]): Record<keyof Sample, Summary> {
  return {
    clickToInvite: summarize(samples.map((s) => s.clickToInvite)),
    inviteToIncomingUi: summarize(samples.map((s) => s.inviteToIncomingUi)),
    answerTo200: summarize(samples.map((s) => s.answerTo200)),
    answerToAudio: summarize(samples.map((s) => s.answerToAudio)),
  };
}

export interface CallSetupOptions {
  /** Calls per side (default BENCH_CALLS or 20). */
  calls?: number;
  /** Also measure click → INVITE with a silent STUN server (default true). */
  silentStun?: boolean;
}

/** Runs the benchmark; prints the table and returns the figures. */
export async function runCallSetupBench(
  log: (line: string) => void = console.log,
  opts: CallSetupOptions = {},
): Promise<CallSetupResult> {
  const calls = opts.calls ?? CALLS;
  const lab = await startLab({
    name: 'bench-call-setup',
    rtpengine: false,
    accounts: ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace'],
  });
  const dir = await mkdtemp(join(tmpdir(), 'bench-call-setup-'));
  const silentStun = createSocket('udp4');
  await new Promise<void>((r) => silentStun.bind(0, '127.0.0.1', r));
  const stunUrl = `stun:127.0.0.1:${silentStun.address().port}`;
  const wav = join(dir, 'tone.wav');
  writeToneWav(wav, { freq: 440, seconds: 10 });
  const browser = await launchPhoneBrowser({ microphoneWav: wav });
  const appServer = await serveStatic();
  await buildBaseline(join(dir, 'baseline'));
  const baselineServer = await serveStatic(join(dir, 'baseline'));
  const parties: Party[] = [];
  try {
    const alice = lab.account('alice');
    const bob = lab.account('bob');
    const carol = lab.account('carol');
    const dave = lab.account('dave');
    const appCaller = await appParty(browser, appServer, lab, alice, 'bob', []);
    const appCallee = await appParty(browser, appServer, lab, bob, 'alice', []);
    const baseCaller = await baselineParty(browser, baselineServer.url, lab, carol, dave.uri, null);
    const baseCallee = await baselineParty(browser, baselineServer.url, lab, dave, carol.uri, null);
    // The app called by a bare page too: its INVITE → view without another copy of the app on
    // the same cores, still busy with its side of the call while the INVITE is handled.
    const bareToApp = await baselineParty(
      browser,
      baselineServer.url,
      lab,
      lab.account('erin'),
      bob.uri,
      null,
    );
    // And the app calling a bare page: the caller's share of answer → first audio.
    const appToBare = await appParty(browser, appServer, lab, lab.account('frank'), 'grace', []);
    const bareCallee = await baselineParty(
      browser,
      baselineServer.url,
      lab,
      lab.account('grace'),
      lab.account('frank').uri,
      null,
    );
    parties.push(appCaller, appCallee, baseCaller, baseCallee, bareToApp, appToBare, bareCallee);

    const app: Sample[] = [];
    const base: Sample[] = [];
    const calledByBare: Sample[] = [];
    const callingBare: Sample[] = [];
    for (let i = 0; i < calls; i += 1) {
      // Interleave so all see the same machine conditions.
      app.push(await measureCall(appCaller, appCallee, 'Call', 'Answer'));
      calledByBare.push(await measureCall(bareToApp, appCallee, 'Call', 'Answer'));
      callingBare.push(await measureCall(appToBare, bareCallee, 'Call', 'Answer'));
      base.push(await measureCall(baseCaller, baseCallee, 'Call', 'Answer'));
      log(
        `  call ${i + 1}/${calls}: app ${line(app.at(-1)!)}; JsSIP default ${line(base.at(-1)!)}; ` +
          `app called by JsSIP ${line(calledByBare.at(-1)!)}; app calling JsSIP ${line(callingBare.at(-1)!)}`,
      );
    }

    const stun = opts.silentStun === false ? null : await measureSilentStun();
    const result: CallSetupResult = {
      calls,
      capMs: CAP_MS,
      app: { ...collect(app), clickToInviteSilentStun: summarize(stun?.app ?? []) },
      baseline: { ...collect(base), clickToInviteSilentStun: summarize(stun?.base ?? []) },
      appCalledByBare: summarize(calledByBare.map((s) => s.inviteToIncomingUi)),
      oneSided: { calledByBare: collect(calledByBare), callingBare: collect(callingBare) },
    };
    log(renderCallSetup(result));
    return result;

    async function measureSilentStun(): Promise<{ app: number[]; base: number[] }> {
      const stunCaller = await appParty(browser, appServer, lab, lab.account('alice'), 'bob', [
        stunUrl,
      ]);
      const stunBase = await baselineParty(
        browser,
        baselineServer.url,
        lab,
        lab.account('carol'),
        dave.uri,
        stunUrl,
      );
      parties.push(stunCaller, stunBase);
      const appStun: number[] = [];
      for (let i = 0; i < calls; i += 1) {
        appStun.push(await measureInviteOnly(stunCaller, 'Call', 10_000));
      }
      const baseStun: number[] = [];
      for (let i = 0; i < STUN_CALLS_BASELINE; i += 1) {
        baseStun.push(await measureInviteOnly(stunBase, 'Call', 90_000));
        log(`  silent STUN, JsSIP default: ${baseStun.at(-1)!.toFixed(0)} ms to INVITE`);
      }
      return { app: appStun, base: baseStun };
    }
  } finally {
    for (const party of parties) {
      await party.close().catch(() => {});
    }
    await browser.close();
    await appServer.close();
    await baselineServer.close();
    silentStun.close();
    await lab.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

const LABELS: [keyof CallSetupResult['app'], string][] = [
  ['clickToInvite', 'click → INVITE sent'],
  ['inviteToIncomingUi', 'INVITE received → incoming UI shown'],
  ['answerTo200', 'answer click → 200 OK sent'],
  ['answerToAudio', 'answer click → first remote audio'],
  ['clickToInviteSilentStun', 'click → INVITE, STUN configured but silent'],
];

export function renderCallSetup(r: CallSetupResult): string {
  const rows = LABELS.map(([key, label]) => {
    const a = r.app[key];
    const b = r.baseline[key];
    return [label, a.n, a.p50, a.p95, b.n, b.p50, b.p95, `${(b.p50 / a.p50).toFixed(1)}×`];
  });
  return [
    `Call set-up on loopback (ms). App: ICE policy, cap ${r.capMs} ms. Baseline: plain JsSIP UA, default configuration.`,
    table(
      [
        'metric',
        'app n',
        'app p50',
        'app p95',
        'JsSIP n',
        'JsSIP p50',
        'JsSIP p95',
        'speed-up p50',
      ],
      rows,
    ),
    r.appCalledByBare
      ? `INVITE received → incoming UI shown, the app called by a bare JsSIP page: n ${r.appCalledByBare.n}, p50 ${r.appCalledByBare.p50.toFixed(1)}, p95 ${r.appCalledByBare.p95.toFixed(1)}`
      : '',
    ...(r.oneSided
      ? ([
          ['the app called by a bare JsSIP page', r.oneSided.calledByBare],
          ['the app calling a bare JsSIP page', r.oneSided.callingBare],
        ] as const)
      : []
    ).map(
      ([who, o]) =>
        `${who} (p50 / p95, ms): click → INVITE ${pair(o.clickToInvite)}, INVITE → incoming UI ${pair(o.inviteToIncomingUi)}, answer → 200 OK ${pair(o.answerTo200)}, answer → first audio ${pair(o.answerToAudio)}`,
    ),
  ]
    .filter(Boolean)
    .join('\n');
}

function pair(s: Summary): string {
  return `${s.p50.toFixed(1)} / ${s.p95.toFixed(1)}`;
}

/** One call's four figures, for the progress log. */
function line(s: Sample): string {
  return [s.clickToInvite, s.inviteToIncomingUi, s.answerTo200, s.answerToAudio]
    .map((v) => v.toFixed(1))
    .join(' / ');
}
