// Benchmark for the busy lamps on the wire (issue 15), the built renderer in Debian's Chromium
// against the lab's Kamailio presence server, each page behind its own WebSocket front (the
// "server side": every frame is timestamped where it enters or leaves Kamailio's door).
//   (a) state change on the wire → lamp repainted: a colleague (bob) PUBLISHes dialog state
//       (in a call / free, alternating); the presence server NOTIFYs every watcher. Measured in
//       the page, on its own clock: the NOTIFY's arrival at the page's WebSocket → the lamp's
//       data-state changed → the next animation frame. Side by side in the same run, from the
//       same NOTIFY: a page with 50 lamps, a page with 1 lamp, and a bare DOM update (the same
//       arrival setting one attribute on a bare element, then the next frame) in each page.
//   (b) SUBSCRIBE traffic per hour, accelerated: the server grants 60 s subscriptions
//       (presenceMaxExpires) so refreshes come every minute; every SUBSCRIBE is counted at the
//       fronts and per hour is computed from the measured refresh gaps; at the usual 3600 s it
//       is computed from the app's refresh rule (resubscribe.ts), which the measured gaps check
//       at 60 s. 50 lamps beside 1 lamp.
//   (c) resubscribe burst after a reconnect: the 50-lamp page's connection is dropped; the new
//       SUBSCRIBEs (new dialogs) counted at its front: the most in any 1 s window and how long
//       until all were sent. Baseline: a naive client (raw SIP over WebSocket) that sends the
//       same number of SUBSCRIBEs at once, through its own front.
// Measures only: it asserts nothing. Needs the renderer build (`npm run build`).
// `npm run bench -- lamps`; BENCH_LAMPS_CHANGES (default 40), BENCH_LAMPS_WINDOW_S (default 150).
import { cpus, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { startLab, type Lab, type LabAccount } from '../lab/lab';
import type { WsFront, WsFrame } from '../lab/ws-front';
import { launchPhoneBrowser } from '../support/chromium';
import { PhonePage } from '../support/phone-page';
import { SipUdpClient } from '../support/sip-udp-client';
import { SipWsClient } from '../support/sip-ws-client';
import { serveStatic, type StaticServer } from '../support/static-server';
import { summarize, table, type Summary } from './stats';
import { refreshDelayMs } from '../../src-renderer/src/lib/presence/resubscribe';

const CHANGES = Number(process.env.BENCH_LAMPS_CHANGES ?? 40);
const WINDOW_S = Number(process.env.BENCH_LAMPS_WINDOW_S ?? 150);
const GRANTED_S = 60;
const WIDE = { viewport: { width: 1400, height: 900 } };
const DI = 'urn:ietf:params:xml:ns:dialog-info';

/** Page probes for one watched colleague (`target`), on the page's clock (performance.now()). */
function probes(target: string): string {
  return `(() => {
  const target = ${JSON.stringify(target)};
  const probe = { notifies: [], paints: [], bare: [] };
  window.__lampBench = probe;
  let bare = null;
  const desc = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    get() { return desc.get.call(this); },
    set(fn) {
      desc.set.call(this, (event) => {
        const text = typeof event.data === 'string' ? event.data : '';
        if (text.startsWith('NOTIFY ') && /^Event:\\s*dialog/im.test(text) && text.includes(target)) {
          const t = performance.now();
          probe.notifies.push(t);
          // Baseline: the same arrival as a bare DOM update, painted on the next frame.
          if (!bare) { bare = document.createElement('div'); document.body.append(bare); }
          bare.setAttribute('data-n', String(probe.notifies.length));
          requestAnimationFrame(() => probe.bare.push({ t0: t, t1: performance.now() }));
        }
        return fn.call(this, event);
      });
    },
  });
  new MutationObserver((records) => {
    for (const r of records) {
      const el = r.target;
      if (el instanceof Element && el.getAttribute('data-testid') === 'lamp-row' && el.getAttribute('data-aor') === target) {
        const t = performance.now();
        const state = el.getAttribute('data-state');
        requestAnimationFrame(() => probe.paints.push({ t, painted: performance.now(), state }));
      }
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
})();`;
}

interface Probe {
  notifies: number[];
  paints: { t: number; painted: number; state: string }[];
  bare: { t0: number; t1: number }[];
}

/** One watcher page behind its own front. */
interface Watcher {
  name: string;
  lamps: number;
  phone: PhonePage;
  front: WsFront;
  wire: number[];
  /** NOTIFY arrival → the lamp's data-state changed in the DOM (before any paint). */
  dom: number[];
  bare: number[];
}

async function watcher(
  name: string,
  env: { lab: Lab; browser: Awaited<ReturnType<typeof launchPhoneBrowser>>; server: StaticServer },
  account: LabAccount,
  targets: string[],
  target: string,
): Promise<Watcher> {
  const front = await env.lab.startWsFront({ mode: 'forward' });
  const phone = await PhonePage.open(env.browser, env.server, {
    ...WIDE,
    beforeLoad: async (page, bridge) => {
      await page.addInitScript(probes(target));
      await bridge.settings.update({
        lamps: targets.map((t) => ({ target: t, label: '', accountId: null })),
      });
      await bridge.seedAccount(
        { label: account.user, websocketUri: front.url, sipUri: account.uri },
        account.password,
      );
    },
  });
  await phone.waitForRegistration('registered', 30_000);
  return { name, lamps: targets.length, phone, front, wire: [], dom: [], bare: [] };
}

function lampLocator(page: Page, aor: string, state: string) {
  return page.locator(`[data-testid="lamp-row"][data-aor="${aor}"][data-state="${state}"]`);
}

/** bob's dialog state as a full dialog-info document: one confirmed dialog, or none. */
function dialogInfo(entity: string, version: number, inCall: boolean): string {
  const dialog = inCall
    ? `<dialog id="bench-${version}" call-id="bench-${version}" local-tag="a${version}" remote-tag="b${version}" direction="recipient"><state>confirmed</state></dialog>`
    : '';
  return `<?xml version="1.0"?>\n<dialog-info xmlns="${DI}" version="${version}" state="full" entity="${entity}">${dialog}</dialog-info>\n`;
}

/** PUBLISHes bob's dialog state, modifying one publication (SIP-If-Match) while it lives. */
class DialogPublisher {
  #etag: string | null = null;
  #version = 0;
  constructor(
    readonly client: SipUdpClient,
    readonly account: LabAccount,
  ) {}

  async publish(inCall: boolean): Promise<void> {
    this.#version += 1;
    const send = (etag: string | null) =>
      this.client.requestWithAuth(
        {
          method: 'PUBLISH',
          uri: this.account.uri,
          to: this.account.uri,
          headers: [
            ['Event', 'dialog'],
            ['Expires', '600'],
            ...(etag ? ([['SIP-If-Match', etag]] as [string, string][]) : []),
          ],
          body: dialogInfo(this.account.uri, this.#version, inCall),
          contentType: 'application/dialog-info+xml',
        },
        { user: this.account.user, password: this.account.password },
      );
    let res = await send(this.#etag);
    if (res.status === 412) {
      res = await send(null);
    }
    if (res.status !== 200) {
      throw new Error(`PUBLISH dialog for ${this.account.user}: ${String(res.status)}`);
    }
    this.#etag = res.header('SIP-ETag') ?? null;
  }
}

/** Latency of the last change to `state` in one page: NOTIFY arrival → lamp painted, and bare. */
async function sample(w: Watcher, state: string): Promise<void> {
  const probe = await w.phone.page.evaluate(
    () => (window as unknown as { __lampBench: Probe }).__lampBench,
  );
  const paint = [...probe.paints].reverse().find((p) => p.state === state);
  const notify = paint ? [...probe.notifies].reverse().find((t) => t <= paint.t) : undefined;
  if (paint === undefined || notify === undefined) {
    throw new Error(`${w.name}: no NOTIFY → ${state} repaint recorded`);
  }
  w.wire.push(paint.painted - notify);
  w.dom.push(paint.t - notify);
  const bare = probe.bare.find((b) => b.t0 === notify);
  if (bare) {
    w.bare.push(bare.t1 - bare.t0);
  }
}

const isSubscribe = (f: WsFrame): boolean => f.dir === 'up' && f.text.startsWith('SUBSCRIBE ');

function headerOf(text: string, name: string): string {
  const head = text.split('\r\n\r\n')[0] ?? '';
  return new RegExp(`^${name}[ \\t]*:[ \\t]*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
}

/** New-dialog SUBSCRIBEs (no To tag), first transmission per Call-ID. */
function newDialogTimes(frames: readonly WsFrame[]): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  for (const f of frames) {
    const callId = headerOf(f.text, 'Call-ID');
    if (!isSubscribe(f) || /;\s*tag=/i.test(headerOf(f.text, 'To')) || seen.has(callId)) {
      continue;
    }
    seen.add(callId);
    out.push(f.t);
  }
  return out.sort((a, b) => a - b);
}

function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  let from = 0;
  for (let to = 0; to < times.length; to++) {
    while ((times[to] ?? 0) - (times[from] ?? 0) >= windowMs) {
      from += 1;
    }
    best = Math.max(best, to - from + 1);
  }
  return best;
}

/**
 * SUBSCRIBE traffic of one page up to `toT`: every SUBSCRIBE the server's front saw, grouped by
 * subscription (Call-ID); the gaps between a subscription's SUBSCRIBEs are its measured refresh
 * intervals (an auth retry, milliseconds after its request, is one transaction). Per hour:
 * subscriptions × 3600 s / mean measured gap; and at Expires 3600 from the refresh rule.
 */
function traffic(w: Watcher, toT: number) {
  const frames = w.front.frames.filter((f) => isSubscribe(f) && f.t <= toT);
  const byCall = new Map<string, number[]>();
  for (const f of frames) {
    const id = headerOf(f.text, 'Call-ID');
    byCall.set(id, [...(byCall.get(id) ?? []), f.t]);
  }
  const gaps: number[] = [];
  let refreshes = 0;
  for (const times of byCall.values()) {
    const sent = times.filter((t, i) => i === 0 || t - (times[i - 1] ?? 0) > 2000);
    refreshes += sent.length - 1;
    for (let i = 1; i < sent.length; i++) {
      gaps.push((sent[i] ?? 0) - (sent[i - 1] ?? 0));
    }
  }
  const subscriptions = byCall.size;
  const meanGap = gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length);
  const ruleMean = (e: number): number => {
    let sum = 0;
    for (let i = 0; i < 1000; i++) {
      sum += refreshDelayMs(e, () => (i + 0.5) / 1000);
    }
    return sum / 1000;
  };
  return {
    lamps: w.lamps,
    subscriptions,
    refreshes,
    refreshGap: summarize(gaps),
    perHourMeasured: (subscriptions * 3_600_000) / meanGap,
    perHourRule: {
      expires60: (subscriptions * 3_600_000) / ruleMean(GRANTED_S),
      expires3600: (subscriptions * 3_600_000) / ruleMean(3600),
    },
  };
}

/** The naive baseline: `count` SUBSCRIBEs sent at once by a raw client through its own front. */
async function naiveBurst(lab: Lab, account: LabAccount, targets: string[]) {
  const front = await lab.startWsFront({ mode: 'forward' });
  const client = await SipWsClient.connect(front.url, { aor: account.uri });
  try {
    const started = front.frames.length;
    await Promise.all(
      targets.map((target, i) =>
        client
          .requestWithAuth(
            {
              method: 'SUBSCRIBE',
              uri: target,
              headers: [
                ['Event', i % 2 ? 'presence' : 'dialog'],
                ['Expires', '60'],
                ['Contact', `<sip:${account.user}@${client.viaHost};transport=ws>`],
              ],
            },
            { user: account.user, password: account.password },
            10_000,
          )
          .catch(() => null),
      ),
    );
    const times = newDialogTimes(front.frames.slice(started));
    return { sent: times.length, times };
  } finally {
    await client.close();
    await front.stop();
  }
}

export async function runLampsBench() {
  const lab = await startLab({
    name: 'bench-lamps',
    presence: true,
    rtpengine: false,
    presenceMaxExpires: GRANTED_S,
  });
  const server = await serveStatic();
  const browser = await launchPhoneBrowser();
  const watchers: Watcher[] = [];
  const publisherClient = await SipUdpClient.listen({
    serverHost: lab.kamailio.host,
    serverPort: lab.kamailio.udpPort,
    aor: lab.account('bob').uri,
  });
  try {
    const bob = lab.account('bob');
    const others = Array.from({ length: 49 }, (_, i) => String(401 + i));
    const env = { lab, browser, server };
    watchers.push(
      await watcher('50 lamps', env, lab.account('alice'), ['bob', ...others], bob.uri),
    );
    watchers.push(await watcher('1 lamp', env, lab.account('carol'), ['bob'], bob.uri));
    const publisher = new DialogPublisher(publisherClient, bob);
    await publisher.publish(false);
    for (const w of watchers) {
      await lampLocator(w.phone.page, bob.uri, 'idle').waitFor({ timeout: 60_000 });
    }
    const subscribedAt = performance.timeOrigin + performance.now();

    // (a) Each change reaches both pages from the same NOTIFY burst; then both are sampled.
    for (let i = 0; i < CHANGES; i++) {
      const inCall = i % 2 === 0;
      const state = inCall ? 'in-call' : 'idle';
      await publisher.publish(inCall);
      for (const w of watchers) {
        await lampLocator(w.phone.page, bob.uri, state).waitFor({ timeout: 20_000 });
      }
      for (const w of watchers) {
        await sample(w, state);
      }
    }

    // (b) Refreshes over the accelerated window (the initial SUBSCRIBEs are left out).
    const untilT = subscribedAt + WINDOW_S * 1000;
    await new Promise((r) =>
      setTimeout(r, Math.max(0, untilT - (performance.timeOrigin + performance.now()))),
    );
    const perHour = watchers.map((w) => ({ name: w.name, ...traffic(w, untilT) }));

    // (c) Reconnect of the 50-lamp page.
    const big = watchers[0]!;
    const before = big.front.frames.length;
    const opens = await big.phone.sipOpens();
    big.front.dropClients();
    const expected = perHour[0]!.subscriptions;
    const deadline = Date.now() + 60_000;
    while (
      newDialogTimes(big.front.frames.slice(before)).length < expected &&
      Date.now() < deadline
    ) {
      await new Promise((r) => setTimeout(r, 200));
    }
    const resub = newDialogTimes(big.front.frames.slice(before));
    const reconnected = big.front.frames
      .slice(before)
      .find((f) => f.dir === 'up' && f.text.startsWith('REGISTER '));
    const naiveTargets = Array.from(
      { length: expected },
      (_, i) => `sip:${String(401 + (i % 49))}@${lab.domain}`,
    );
    const naive = await naiveBurst(lab, lab.account('dave'), naiveTargets);
    const burst = [
      {
        client: 'app (token bucket 5 + 5/s)',
        subscribes: resub.length,
        maxIn1s: maxInWindow(resub, 1000),
        spreadS: resub.length ? ((resub.at(-1) ?? 0) - (resub[0] ?? 0)) / 1000 : NaN,
        fromReconnectS:
          reconnected && resub.length ? ((resub.at(-1) ?? 0) - reconnected.t) / 1000 : NaN,
        reopened: (await big.phone.sipOpens()) - opens,
      },
      {
        client: 'naive: all at once',
        subscribes: naive.sent,
        maxIn1s: maxInWindow(naive.times, 1000),
        spreadS: naive.times.length
          ? ((naive.times.at(-1) ?? 0) - (naive.times[0] ?? 0)) / 1000
          : NaN,
        fromReconnectS: NaN,
        reopened: 0,
      },
    ];

    const wire = watchers.map((w) => ({
      name: w.name,
      wire: summarize(w.wire),
      dom: summarize(w.dom),
      bare: summarize(w.bare),
    }));
    printTables(wire, perHour, burst);
    return { wire, perHour, burst, machine: { cpus: cpus().length, loadAverage: loadavg() } };
  } finally {
    for (const w of watchers) {
      await w.phone.close().catch(() => undefined);
    }
    await publisherClient.close();
    await browser.close();
    await server.close();
    await lab.stop();
  }
}

function printTables(
  wire: { name: string; wire: Summary; dom: Summary; bare: Summary }[],
  perHour: (ReturnType<typeof traffic> & { name: string })[],
  burst: {
    client: string;
    subscribes: number;
    maxIn1s: number;
    spreadS: number;
    fromReconnectS: number;
    reopened: number;
  }[],
): void {
  console.log(
    "\n(a) NOTIFY at the page's WebSocket → lamp repainted, ms (frames are ~16.7 ms apart)",
  );
  console.log(
    table(
      ['page', 'what', 'p50', 'p95', 'max', 'n'],
      wire.flatMap((w) => [
        [
          w.name,
          'lamp repainted (next frame)',
          w.wire.p50,
          w.wire.p95,
          w.wire.max,
          String(w.wire.n),
        ],
        [
          w.name,
          'baseline: bare DOM update, next frame',
          w.bare.p50,
          w.bare.p95,
          w.bare.max,
          String(w.bare.n),
        ],
        [
          w.name,
          'lamp state in the DOM (no paint)',
          w.dom.p50,
          w.dom.p95,
          w.dom.max,
          String(w.dom.n),
        ],
      ]),
    ),
  );
  console.log(
    `\n(b) SUBSCRIBE traffic: every SUBSCRIBE at the server's front until ${WINDOW_S} s after start, the server granting ${GRANTED_S} s; per hour from the measured refresh gaps, and from the refresh rule`,
  );
  console.log(
    table(
      [
        'page',
        'subscriptions',
        'refreshes seen',
        'gap p50 s',
        'gap p95 s',
        '/hour measured @60 s',
        '/hour rule @60 s',
        '/hour rule @3600 s',
      ],
      perHour.map((p) => [
        p.name,
        String(p.subscriptions),
        String(p.refreshes),
        p.refreshGap.p50 / 1000,
        p.refreshGap.p95 / 1000,
        p.perHourMeasured,
        p.perHourRule.expires60,
        p.perHourRule.expires3600,
      ]),
    ),
  );
  console.log(
    "\n(c) Resubscribe burst after a reconnect, new-dialog SUBSCRIBEs at the server's front",
  );
  console.log(
    table(
      ['client', 'SUBSCRIBEs', 'most in any 1 s', 'first → last s', 'reconnect → last s'],
      burst.map((b) => [
        b.client,
        String(b.subscribes),
        String(b.maxIn1s),
        b.spreadS,
        b.fromReconnectS,
      ]),
    ),
  );
  console.log(
    `Machine: ${cpus().length} CPUs, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runLampsBench().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
