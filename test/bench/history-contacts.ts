// Benchmark of history and contacts at scale (npm run bench:history), in Debian's Chromium on
// the Vite-built test page over real IndexedDB, with 100,000 history entries and 10,000
// contacts: app start (stores, search index), opening the history view (first rows painted),
// search-as-you-type per keystroke (search alone, and until the rows are painted) next to two
// baselines measured in the same run (every row as an object + Array.filter; a Dexie query per
// keystroke), importing a generated 10,000-card .vcf, and the JS heap held. Prints a table with
// p50/p95 and writes bench-results/history-contacts.json. Measures only: it asserts nothing.
import { pathToFileURL } from 'node:url';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { launchPhoneBrowser } from '../support/chromium';
import { serveStatic } from '../support/static-server';
import { buildHistoryContactsPage } from './build-page';

const HISTORY = Number(process.env.BENCH_HISTORY ?? 100_000);
const CONTACTS = Number(process.env.BENCH_CONTACTS ?? 10_000);
const VCARDS = Number(process.env.BENCH_VCARDS ?? 10_000);
const NOW = Date.UTC(2024, 5, 15, 12, 0);
const OPEN_RUNS = 7;
const HISTORY_QUERIES = [
  'müller',
  'anna sch',
  'zoe',
  '0151',
  '+49 30',
  '@pbx',
  'tanaka',
  'jo',
  'xyzzy',
  '030 12',
  'dubois',
  'garcia',
  '王',
  'sharma',
  '089',
  'ingrid berg',
];
const CONTACT_QUERIES = ['schmidt', 'élodie', '+44 20', 'acme', 'pbx.ex', 'ana lu', 'qqq', '33 1'];
const DEXIE_QUERIES = ['müller', '0151', 'xyzzy'];

interface Stat {
  n: number;
  p50: number;
  p95: number;
  max: number;
}

interface OpenTimes {
  /** Fresh page: opening both stores (contacts loaded, missed count), ms. */
  storesMs: number;
  /** Fresh page, no valid snapshot: until the search index has loaded from every row, ms. */
  indexFromRowsMs: number;
  /** Fresh page, snapshot valid: until the search index has loaded from it, ms. */
  indexFromSnapshotMs: number;
  /** Fresh page, view opened at once (index still loading): first rows painted, ms. */
  coldFirstRowsMs: number;
  /** Stores already open: the view opened again and again, first rows painted. */
  warmFirstRows: Stat;
}

function stat(values: readonly number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? NaN;
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), max: sorted.at(-1) ?? NaN };
}

const single = (v: number): Stat => ({ n: 1, p50: v, p95: v, max: v });

async function heapMb(cdp: CDPSession): Promise<number> {
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('HeapProfiler.collectGarbage');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? NaN;
  return used / 1024 / 1024;
}

async function freshPage(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]');
}

async function measureOpen(page: Page, url: string): Promise<OpenTimes> {
  await freshPage(page, url);
  const fromRows = await page.evaluate(() => window.__harness.boot());
  await page.evaluate(() => window.__harness.saveSnapshot());
  await freshPage(page, url);
  const cold = await page.evaluate(() => window.__harness.open('history'));
  await freshPage(page, url);
  const fromSnapshot = await page.evaluate(() => window.__harness.boot());
  const warm: number[] = [];
  for (let i = 0; i < OPEN_RUNS; i++) {
    warm.push((await page.evaluate(() => window.__harness.open('history'))).firstRowsMs);
  }
  if (fromRows.source !== 'rows' || fromSnapshot.source !== 'snapshot') {
    console.warn(`Unexpected index sources: ${fromRows.source}, ${fromSnapshot.source}`);
  }
  return {
    storesMs: fromSnapshot.storesMs,
    indexFromRowsMs: fromRows.indexMs,
    indexFromSnapshotMs: fromSnapshot.indexMs,
    coldFirstRowsMs: cold.firstRowsMs,
    warmFirstRows: stat(warm),
  };
}

async function keystrokes(page: Page, queries: readonly string[], target: 'history' | 'contacts') {
  const search: number[] = [];
  const paint: number[] = [];
  const [input, row] =
    target === 'history'
      ? ['#history-search', 'history-row-0']
      : ['#contacts-search', 'contact-row-0'];
  for (const q of queries) {
    search.push(
      ...(await page.evaluate(([t, query]) => window.__harness.searchOnly(t, query), [
        target,
        q,
      ] as const)),
    );
    paint.push(
      ...(await page.evaluate(([i, r, query]) => window.__harness.typeAndPaint(i, r, query), [
        input,
        row,
        q,
      ] as const)),
    );
  }
  return { searchOnly: stat(search), untilPainted: stat(paint) };
}

async function baselines(page: Page, cdp: CDPSession) {
  const loadAllMs = await page.evaluate(async () => (await window.__harness.baselines()).loadAll());
  const heapAllRows = await heapMb(cdp);
  const naive: number[] = [];
  for (const q of HISTORY_QUERIES) {
    naive.push(
      ...(await page.evaluate(
        async (query) => (await window.__harness.baselines()).naiveType(query).times,
        q,
      )),
    );
  }
  await page.evaluate(async () => (await window.__harness.baselines()).drop());
  const dexie: number[] = [];
  for (const q of DEXIE_QUERIES) {
    dexie.push(
      ...(await page.evaluate(
        async (query) => (await window.__harness.baselines()).dexieType(query),
        q,
      )),
    );
  }
  return {
    naiveFilter: { loadAllMs, heapAllRowsMb: heapAllRows, perKeystroke: stat(naive) },
    dexieQuery: { perKeystroke: stat(dexie), queries: DEXIE_QUERIES },
  };
}

async function vcardImport(page: Page) {
  const parseMs: number[] = [];
  for (let i = 0; i < 3; i++) {
    parseMs.push(await page.evaluate((n) => window.__harness.parseGenerated(n), VCARDS));
  }
  const stored = await page.evaluate((n) => window.__harness.importGenerated(n), VCARDS);
  return { parseOnly: stat(parseMs), parseAndStore: stored };
}

function row(name: string, s: Stat, note = ''): string {
  const f = (v: number): string => (Number.isFinite(v) ? v.toFixed(1) : '—').padStart(9);
  return `${name.padEnd(54)}${f(s.p50)}${f(s.p95)}${f(s.max)}${String(s.n).padStart(6)}  ${note}`;
}

type Results = Awaited<ReturnType<typeof run>>;

function printTable(r: Results): void {
  const { open: o, history: h, contacts: c, baseline: b, vcard: v, heapMb: m } = r;
  console.log(
    `\n${r.data.history.toLocaleString('en')} history entries, ${r.data.contacts.toLocaleString('en')} contacts; times in ms`,
  );
  console.log(
    `${''.padEnd(54)}${'p50'.padStart(9)}${'p95'.padStart(9)}${'max'.padStart(9)}${'n'.padStart(6)}`,
  );
  console.log(row('app start: open stores (contacts, missed count)', single(o.storesMs)));
  console.log(
    row(
      'app start: search index from every row',
      single(o.indexFromRowsMs),
      'first start after changes',
    ),
  );
  console.log(
    row('app start: search index from its snapshot', single(o.indexFromSnapshotMs), 'usual start'),
  );
  console.log(
    row(
      'open history at start: first rows painted',
      single(o.coldFirstRowsMs),
      'index still loading',
    ),
  );
  console.log(row('open history view: first rows painted', o.warmFirstRows));
  console.log(row('history keystroke: search + state update', h.searchOnly, 'target p95 ≤ 16'));
  console.log(row('history keystroke: until rows painted', h.untilPainted, 'includes ≥ 1 frame'));
  console.log(
    row(
      '  baseline: all rows as objects + Array.filter',
      b.naiveFilter.perKeystroke,
      `loading them: ${b.naiveFilter.loadAllMs.toFixed(0)} ms`,
    ),
  );
  console.log(row('  baseline: Dexie query per keystroke (first 60)', b.dexieQuery.perKeystroke));
  console.log(row('contacts keystroke: search + state update', c.searchOnly));
  console.log(row('contacts keystroke: until rows painted', c.untilPainted));
  console.log(row(`vCard parse only (${r.data.vcards.toLocaleString('en')} cards)`, v.parseOnly));
  console.log(
    row(
      'vCard import: parse + store + reindex',
      single(v.parseAndStore.ms),
      `${(v.parseAndStore.bytes / 1e6).toFixed(1)} MB, ${v.parseAndStore.added} added`,
    ),
  );
  console.log(
    `\nJS heap after GC, MB: empty page ${m.empty.toFixed(1)}; history + contacts open, index loaded ${m.open.toFixed(1)}; baseline with all rows as objects ${b.naiveFilter.heapAllRowsMb.toFixed(1)}`,
  );
  console.log(
    `Machine: ${r.machine.cpus} CPUs, load average ${r.machine.loadAverage.map((l) => l.toFixed(1)).join(' ')} (other work shares these CPUs)`,
  );
}

async function run(page: Page, url: string, cdp: () => Promise<CDPSession>) {
  await freshPage(page, url);
  console.log(`Seeding ${HISTORY} history entries and ${CONTACTS} contacts…`);
  const seedMs = await page.evaluate(([hn, cn]) => window.__harness.seedGenerated(hn, cn), [
    HISTORY,
    CONTACTS,
  ] as const);
  const open = await measureOpen(page, url);
  // A fresh page for memory: nothing of the seeding or earlier runs left in the heap.
  await freshPage(page, url);
  const session = await cdp();
  await session.send('Performance.enable');
  const empty = await heapMb(session);
  await page.evaluate(() => window.__harness.open('both'));
  const opened = await heapMb(session);
  const history = await keystrokes(page, HISTORY_QUERIES, 'history');
  const contacts = await keystrokes(page, CONTACT_QUERIES, 'contacts');
  const baseline = await baselines(page, session);
  const vcard = await vcardImport(page);
  return {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, loadAverage: loadavg() },
    data: { history: HISTORY, contacts: CONTACTS, vcards: VCARDS, seedMs },
    open,
    history,
    contacts,
    baseline,
    vcard,
    heapMb: { empty, open: opened },
  };
}

/** Runs the history/contacts benchmark in Chromium; prints the table and returns the figures. */
export async function runHistoryContactsBench(): Promise<Record<string, unknown>> {
  const built = await buildHistoryContactsPage();
  const server = await serveStatic(built.dir);
  const browser = await launchPhoneBrowser();
  try {
    const context = await browser.newContext({
      locale: 'en-GB',
      timezoneId: 'UTC',
      viewport: { width: 1280, height: 800 },
    });
    const page = await context.newPage();
    const results = await run(page, `${server.url}?db=bench&now=${NOW}`, () =>
      context.newCDPSession(page),
    );
    printTable(results);
    return { chromium: browser.version(), ...results };
  } finally {
    await browser.close();
    await server.close();
    await built.remove();
  }
}

// `npm run bench:history` runs this file alone.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const results = await runHistoryContactsBench();
  const out = resolve(import.meta.dirname, '../../bench-results/history-contacts.json');
  await mkdir(resolve(out, '..'), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`Written to ${out}`);
}
