// Benchmark for issue 20, beside healing.ts: (a) time to find a half-open connection and be
// registered again over a new one, and (b) the gap in received audio when the connection under a
// call is replaced mid-call; each for the app and for a plain JsSIP UA with its defaults, in the
// same run on the loopback lab, each behind its own WebSocket front.
// (a) A run: both fronts stall (existing flows pass nothing either way; new connections work).
//     Measured: stall → the registrar's 200 OK to a REGISTER on a new flow passes the front.
//     A party that has not done so DETECT_CAP_MS after the stall is "not detected".
// (b) A run: the party calls baresip (its 1000 Hz tone, through Kamailio and rtpengine), audio
//     flows, then its front drops every connection (as a network switch does) and the window
//     hears `online`. Measured in the page, from 20 ms samples of the inbound-rtp statistics: the
//     longest time without a new RTP packet from just before the drop until two seconds of audio
//     after the party is registered again (and, for the app, its ICE-restart re-INVITE answered).
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Lab, LabAccount } from '../lab/lab';
import type { Baresip } from '../lab/baresip';
import { waitFor } from '../lab/process';
import type { WsFront, WsFrame } from '../lab/ws-front';
import { PhonePage } from '../support/phone-page';
import type { StaticServer } from '../support/static-server';
import { summarize, table, type Summary } from './stats';

/** How long a party may take to find a half-open flow before it counts as "not detected". */
export const DETECT_CAP_MS = Number(process.env.BENCH_HEAL_DETECT_CAP_MS ?? 40_000);

/** The registrar's 200 OK to a REGISTER, on its way down to the party. */
export const isRegisterOk = (f: WsFrame): boolean =>
  f.dir === 'down' && /^SIP\/2\.0 200 [^]*?\r\nCSeq:\s*\d+ REGISTER\r\n/i.test(f.text);

/** A 200 OK to an INVITE, on its way down to the party. */
export const isInviteOk = (f: WsFrame): boolean =>
  f.dir === 'down' && /^SIP\/2\.0 200 [^]*?\r\nCSeq:\s*\d+ INVITE\r\n/i.test(f.text);

// Page side: keeps every peer connection (unless the app's test instrumentation already does)
// and samples the newest one's inbound audio statistics every 20 ms while a watch runs.
export const WATCH = `(() => {
  if (!window.__pcs) {
    const pcs = [];
    window.__pcs = pcs;
    const Native = window.RTCPeerConnection;
    window.RTCPeerConnection = class extends Native {
      constructor(...args) { super(...args); pcs.push(this); }
    };
  }
  const newest = () => [...window.__pcs].reverse().find((p) => p.connectionState !== 'closed');
  const packets = async () => {
    const pc = newest();
    if (!pc) return 0;
    let n = 0;
    (await pc.getStats()).forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') n = Number(r.packetsReceived);
    });
    return n;
  };
  let watching = null;
  window.__gapWatch = {
    packets,
    start() {
      const samples = [];
      const timer = setInterval(() => {
        const t = performance.now();
        void packets().then((n) => samples.push({ t, n }));
      }, 20);
      watching = { samples, timer };
    },
    samples() { return watching ? watching.samples.length : 0; },
    last() { return watching && watching.samples.length ? watching.samples.at(-1).n : 0; },
    stop() {
      clearInterval(watching.timer);
      const s = watching.samples.sort((a, b) => a.t - b.t);
      watching = null;
      let gap = 0;
      let lastMove = s[0].t;
      for (let i = 1; i < s.length; i += 1) {
        if (s[i].n > s[i - 1].n) { gap = Math.max(gap, s[i].t - lastMove); lastMove = s[i].t; }
      }
      gap = Math.max(gap, s.at(-1).t - lastMove);
      return { gapMs: gap, packets: s.at(-1).n - s[0].n, samples: s.length };
    },
  };
})();`;

/** The page's watch (`window.__gapWatch`, installed by {@link WATCH}). */
export interface GapWatch {
  packets(): Promise<number>;
  start(): void;
  samples(): number;
  last(): number;
  stop(): { gapMs: number; packets: number; samples: number };
}

/** Calls the page's watch (page side: `window.__gapWatch`). */
export function watch<K extends keyof GapWatch>(
  page: Page,
  method: K,
): Promise<Awaited<ReturnType<GapWatch[K]>>> {
  return page.evaluate<Awaited<ReturnType<GapWatch[K]>>>(`window.__gapWatch.${method}()`);
}

/** Waits until `count` more RTP packets arrived than now (the audio flows). */
export async function audioFlows(page: Page, count: number, timeoutMs = 15_000): Promise<void> {
  const from = await watch(page, 'packets');
  await waitFor(async () => (await watch(page, 'packets')) >= from + count, {
    timeoutMs,
    what: `${count} RTP packets`,
  });
}

/** What one party needs for the benchmarks here. */
export interface MidcallParty {
  label: string;
  page: Page;
  front: WsFront;
  /** Calls baresip and resolves once the call is up. */
  call(bare: Baresip): Promise<void>;
  /** Whether the call is still up. */
  inCall(): Promise<boolean>;
  hangup(): Promise<void>;
  close(): Promise<void>;
}

/** The app, through its real renderer build and the test bridge; the account's defaults. */
export async function appMidcallParty(
  browser: Browser,
  server: StaticServer,
  lab: Lab,
  account: LabAccount,
): Promise<MidcallParty> {
  const front = await lab.startWsFront({ mode: 'forward' });
  const phone = await PhonePage.open(browser, server);
  await phone.page.addInitScript(WATCH);
  await phone.bridge.seedAccount(
    { label: account.user, websocketUri: front.url, sipUri: account.uri },
    account.password,
  );
  await phone.page.reload();
  await phone.waitForRegistration('registered');
  const view = phone.page.getByTestId('call-view');
  return {
    label: 'the app',
    page: phone.page,
    front,
    call: async (bare) => {
      await phone.dial(bare.user);
      await phone.waitForCallStatus('active');
    },
    inCall: async () => (await view.getAttribute('data-status')) === 'active',
    hangup: async () => {
      await phone.hangup();
      await phone.waitForEnded();
    },
    close: async () => {
      await phone.close();
      await front.stop();
    },
  };
}

/** A plain JsSIP UA in its default configuration (test/bench/pages/baseline). */
export async function baselineMidcallParty(
  browser: Browser,
  baselineUrl: string,
  lab: Lab,
  account: LabAccount,
  target: string,
): Promise<MidcallParty> {
  const front = await lab.startWsFront({ mode: 'forward' });
  const context: BrowserContext = await browser.newContext({ permissions: ['microphone'] });
  await context.addInitScript({ content: 'globalThis.__name ??= (target) => target;' });
  const page = await context.newPage();
  await page.addInitScript(WATCH);
  const query = new URLSearchParams({
    ws: front.url,
    uri: account.uri,
    password: account.password,
    target,
  });
  await page.goto(`${baselineUrl}?${query.toString()}`);
  await page.locator('#status', { hasText: 'registered' }).waitFor({ timeout: 20_000 });
  const busy = (): Promise<boolean> =>
    page.evaluate(() => (window as unknown as { __busy: () => boolean }).__busy());
  return {
    label: 'JsSIP defaults',
    page,
    front,
    call: async () => {
      await page.locator('#call').click();
      await waitFor(busy, { timeoutMs: 20_000, what: 'the baseline call' });
    },
    inCall: busy,
    hangup: async () => {
      await page.locator('#hangup').click();
      await waitFor(async () => !(await busy()), {
        timeoutMs: 10_000,
        what: 'the baseline hang-up',
      });
    },
    close: async () => {
      await context.close();
      await front.stop();
    },
  };
}

/** Half-open detection: every party's flow stalls at once; ms to registered on a new flow, or null. */
export async function halfOpenRun(parties: { front: WsFront }[]): Promise<(number | null)[]> {
  const from = parties.map((p) => p.front.frames.length);
  const lastClient = parties.map((p) => p.front.connectionCount);
  await Promise.all(parties.map((p) => p.front.setMode('stall')));
  const stalled = performance.timeOrigin + performance.now();
  const results = await Promise.all(
    parties.map(async (p, i) => {
      try {
        const ok = await p.front.waitForFrame(
          (f) => isRegisterOk(f) && f.client > lastClient[i]!,
          DETECT_CAP_MS,
          from[i],
        );
        return ok.t - stalled;
      } catch {
        return null;
      }
    }),
  );
  // Back to normal; a party that never noticed gets its old flow back.
  await Promise.all(parties.map((p) => p.front.setMode('forward')));
  return results;
}

/** What one mid-call network switch did to a party's audio. */
export interface SwitchSample {
  gapMs: number;
  /** The call was still up two seconds of audio after the party registered again. */
  kept: boolean;
  /** The party re-INVITEd the call over the new connection (answered 200). */
  reinvited: boolean;
}

/** One call to baresip whose connection is replaced mid-call. */
export async function switchRun(party: MidcallParty, bare: Baresip): Promise<SwitchSample> {
  const { page, front } = party;
  await party.call(bare);
  await audioFlows(page, 100);
  await watch(page, 'start');
  await waitFor(async () => (await watch(page, 'samples')) >= 25, {
    timeoutMs: 5000,
    what: 'samples before the switch',
  });
  const from = front.frames.length;
  const lastClient = front.connectionCount;
  front.dropClients();
  await page.evaluate(() => window.dispatchEvent(new Event('online')));
  await front.waitForFrame((f) => isRegisterOk(f) && f.client > lastClient, 60_000, from);
  const reinvited = await front
    .waitForFrame((f) => isInviteOk(f) && f.client > lastClient, 10_000, from)
    .then(
      () => true,
      () => false,
    );
  let kept = await party.inCall();
  if (kept) {
    await audioFlows(page, 100).catch(() => undefined);
    kept = await party.inCall();
  }
  const { gapMs } = await watch(page, 'stop');
  if (kept) {
    await party.hangup();
  }
  return { gapMs, kept, reinvited };
}

export interface HalfOpenResult {
  runs: number;
  capMs: number;
  app: Summary;
  appMissed: number;
  baseline: Summary;
  baselineMissed: number;
}

export interface SwitchResult {
  runs: number;
  app: Summary;
  appKept: number;
  appReinvited: number;
  baseline: Summary;
  baselineKept: number;
  baselineReinvited: number;
}

export function summarizeHalfOpen(app: (number | null)[], base: (number | null)[]): HalfOpenResult {
  const found = (xs: (number | null)[]): number[] => xs.filter((x): x is number => x !== null);
  return {
    runs: app.length,
    capMs: DETECT_CAP_MS,
    app: summarize(found(app)),
    appMissed: app.length - found(app).length,
    baseline: summarize(found(base)),
    baselineMissed: base.length - found(base).length,
  };
}

export function summarizeSwitch(app: SwitchSample[], base: SwitchSample[]): SwitchResult {
  return {
    runs: app.length,
    app: summarize(app.map((s) => s.gapMs)),
    appKept: app.filter((s) => s.kept).length,
    appReinvited: app.filter((s) => s.reinvited).length,
    baseline: summarize(base.map((s) => s.gapMs)),
    baselineKept: base.filter((s) => s.kept).length,
    baselineReinvited: base.filter((s) => s.reinvited).length,
  };
}

/** Both results as tables (ms). */
export function renderMidcall(h: HalfOpenResult, s: SwitchResult): string {
  const detected = (label: string, sum: Summary): (string | number)[] =>
    sum.n === 0
      ? [label, `0/${h.runs}`, `not detected within ${h.capMs / 1000} s`, '', '']
      : [label, `${sum.n}/${h.runs}`, sum.p50, sum.p95, sum.max];
  const gap = (
    label: string,
    sum: Summary,
    kept: number,
    reinvited: number,
  ): (string | number)[] => [
    label,
    String(sum.n),
    sum.p50,
    sum.p95,
    sum.max,
    `${kept}/${s.runs}`,
    `${reinvited}/${s.runs}`,
  ];
  return [
    `half-open connection (flow stalls) → registered on a new flow (ms, ${h.runs} runs, cap ${h.capMs / 1000} s)`,
    table(
      ['', 'found', 'p50', 'p95', 'max'],
      [detected('app', h.app), detected('JsSIP defaults', h.baseline)],
    ),
    '',
    `connection replaced mid-call: longest time without an RTP packet (ms, ${s.runs} runs)`,
    table(
      ['', 'n', 'p50', 'p95', 'max', 'call kept', 're-INVITEd'],
      [
        gap('app', s.app, s.appKept, s.appReinvited),
        gap('JsSIP defaults', s.baseline, s.baselineKept, s.baselineReinvited),
      ],
    ),
  ].join('\n');
}
