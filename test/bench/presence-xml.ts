// Benchmark for the presence bodies (issue 15): time from a dialog-info NOTIFY body to a lamp
// state, for 1 lamp and for a burst of 50 lamps (one NOTIFY each, as after a reconnect), in
// Debian's Chromium and in Node. Side by side in the same run and the same page, interleaved:
//   reader     this app's reader (src-renderer/src/lib/xml + presence/dialog-info.ts)
//   domparser  Chromium's DOMParser + namespace-aware DOM queries (Chromium only)
//   regex      a naive regular-expression scraper (no namespaces, no entities, no limits)
// All three feed the same reducer and lamp derivation, so the difference is parsing alone.
// Also: hostile bodies (the reader refuses them; DOMParser parses or errors), and the
// subscription policy's numbers for 50 lamps (computed from the policy, not measured).
// Measures only: it asserts nothing. `npm run bench -- presence-xml` (needs no app build).
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchPhoneBrowser } from '../support/chromium';
import { serveStatic } from '../support/static-server';
import { buildTestPage } from './build-page';
import { summarize, table, type Summary } from './stats';
import { measure, ringingBody, type Method } from './pages/presence-xml/workload';
import { refreshDelayMs } from '../../src-renderer/src/lib/presence/resubscribe';
import {
  DEFAULT_RESUBSCRIBE_RATE,
  planSpread,
} from '../../src-renderer/src/lib/presence/resubscribe-queue';

const ROUNDS = Number(process.env.BENCH_PRESENCE_ROUNDS ?? 10);
const SAMPLES_PER_ROUND = 20;
const SCENARIOS = [
  { lamps: 1, reps: 200 },
  { lamps: 50, reps: 4 },
] as const;

interface Row {
  env: 'chromium' | 'node';
  method: Method;
  lamps: number;
  /** ms per handling of all `lamps` bodies */
  time: Summary;
}

async function chromiumRows(page: Page): Promise<Row[]> {
  const samples = new Map<string, number[]>();
  const methods: Method[] = ['reader', 'domparser', 'regex'];
  for (let round = 0; round < ROUNDS; round++) {
    for (const { lamps, reps } of SCENARIOS) {
      for (const method of round % 2 ? [...methods].reverse() : methods) {
        const got = await page.evaluate(
          ([m, l, s, r]) => window.__presenceBench.measure(m, l, s, r),
          [method, lamps, SAMPLES_PER_ROUND, reps] as const,
        );
        const key = `${method}/${lamps}`;
        samples.set(key, [...(samples.get(key) ?? []), ...got]);
      }
    }
  }
  return [...samples].map(([key, values]) => {
    const [method, lamps] = key.split('/') as [Method, string];
    return { env: 'chromium', method, lamps: Number(lamps), time: summarize(values) };
  });
}

function nodeRows(): Row[] {
  const rows: Row[] = [];
  for (const { lamps, reps } of SCENARIOS) {
    const bodies = Array.from({ length: lamps }, (_, i) => ringingBody(i));
    const values: Record<'reader' | 'regex', number[]> = { reader: [], regex: [] };
    for (let round = 0; round < ROUNDS; round++) {
      for (const method of round % 2
        ? (['regex', 'reader'] as const)
        : (['reader', 'regex'] as const)) {
        values[method].push(...measure(method, bodies, SAMPLES_PER_ROUND, reps));
      }
    }
    for (const method of ['reader', 'regex'] as const) {
      rows.push({ env: 'node', method, lamps, time: summarize(values[method]) });
    }
  }
  return rows;
}

const DI = 'urn:ietf:params:xml:ns:dialog-info';
const HOSTILE: Record<string, string> = {
  'billion laughs (9 levels)': `<!DOCTYPE l [<!ENTITY a "lol">${Array.from({ length: 8 }, (_, i) => `<!ENTITY ${String.fromCharCode(98 + i)} "${`&${String.fromCharCode(97 + i)};`.repeat(10)}">`).join('')}]><dialog-info xmlns="${DI}" version="1" state="full" entity="sip:b@x"><dialog id="&i;"><state>early</state></dialog></dialog-info>`,
  '60 kB body (under the limit)': ringingBody(0).replace(
    '<dialog ',
    `<!--${'x'.repeat(60_000)}--><dialog `,
  ),
  '1 MB body': ringingBody(0).replace('<dialog ', `<!--${'x'.repeat(1 << 20)}--><dialog `),
  '1 MB of nesting': `<dialog-info xmlns="${DI}">${'<a>'.repeat(170_000)}${'</a>'.repeat(170_000)}</dialog-info>`,
};

async function hostileRows(page: Page) {
  const rows: Array<{
    body: string;
    reader: number;
    domparser: number;
    readerLamp: string;
    domLamp: string;
  }> = [];
  for (const [name, body] of Object.entries(HOSTILE)) {
    const time = (m: Method) =>
      page.evaluate(([mm, b]) => window.__presenceBench.once(mm, b, 5), [m, body] as const);
    const lamp = (m: Method) =>
      page.evaluate(([mm, b]) => window.__presenceBench.lamp(mm, b), [m, body] as const);
    rows.push({
      body: name,
      reader: await time('reader'),
      domparser: await time('domparser'),
      readerLamp: await lamp('reader'),
      domLamp: await lamp('domparser'),
    });
  }
  return rows;
}

/** SUBSCRIBE requests per hour for 50 lamps and the reconnect burst, from the policy. */
function policyNumbers() {
  const lamps = 50;
  const mean = (expiresS: number): number => {
    const n = 1000;
    let sum = 0;
    for (let i = 0; i < n; i++) {
      sum += refreshDelayMs(expiresS, () => (i + 0.5) / n);
    }
    return sum / n;
  };
  const perHour = (expiresS: number): number => (lamps * 3_600_000) / mean(expiresS);
  const spread = planSpread(lamps, DEFAULT_RESUBSCRIBE_RATE);
  return {
    lamps,
    subscribesPerHour: { expires600: perHour(600), expires3600: perHour(3600) },
    reconnect: {
      rate: DEFAULT_RESUBSCRIBE_RATE,
      largestBurst: spread.filter((t) => t === 0).length,
      allSubscribedAfterMs: spread.at(-1) ?? 0,
    },
  };
}

const us = (ms: number): string => (ms * 1000).toFixed(1);

function printTable(rows: Row[]): void {
  console.log(
    '\nNOTIFY body → lamp state; per NOTIFY for 1 lamp (µs), per burst for 50 lamps (ms)',
  );
  console.log(
    table(
      ['environment', 'method', 'lamps', 'p50', 'p95', 'unit', 'n'],
      rows.map((r) =>
        r.lamps === 1
          ? [r.env, r.method, '1', us(r.time.p50), us(r.time.p95), 'µs', r.time.n]
          : [r.env, r.method, String(r.lamps), r.time.p50, r.time.p95, 'ms', r.time.n],
      ),
    ),
  );
}

export async function runPresenceXmlBench() {
  const built = await buildTestPage(resolve(import.meta.dirname, 'pages/presence-xml'));
  const server = await serveStatic(built.dir);
  const browser = await launchPhoneBrowser();
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForSelector('html[data-ready="true"]');
    const agree = await page.evaluate(
      (b) =>
        (['reader', 'domparser', 'regex'] as const).map((m) => window.__presenceBench.lamp(m, b)),
      ringingBody(3),
    );
    const rows = [...(await chromiumRows(page)), ...nodeRows()];
    const hostile = await hostileRows(page);
    const policy = policyNumbers();
    printTable(rows);
    console.log('\nHostile bodies in Chromium (ms per body, and the lamp each method ends with)');
    console.log(
      table(
        ['body', 'reader ms', 'reader lamp', 'DOMParser ms', 'DOMParser lamp'],
        hostile.map((h) => [h.body, h.reader, h.readerLamp, h.domparser, h.domLamp]),
      ),
    );
    console.log(
      `\nPolicy for ${policy.lamps} lamps (computed): ${policy.subscribesPerHour.expires3600.toFixed(0)} SUBSCRIBE/hour at Expires 3600, ` +
        `${policy.subscribesPerHour.expires600.toFixed(0)} at 600; after a reconnect ${policy.reconnect.largestBurst} at once, ` +
        `then ${policy.reconnect.rate.ratePerSecond}/s, all within ${(policy.reconnect.allSubscribedAfterMs / 1000).toFixed(1)} s.`,
    );
    console.log(`Methods agree on a ringing NOTIFY: ${agree.join(', ')}`);
    console.log(
      `Machine: ${cpus().length} CPUs, load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    return {
      rows,
      hostile,
      policy,
      agree,
      machine: { cpus: cpus().length, loadAverage: loadavg() },
    };
  } finally {
    await browser.close();
    await server.close();
    await built.remove();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  runPresenceXmlBench().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
