// Benchmark for issue 14 (chat), in Debian's Chromium on the loopback lab, each figure with a
// baseline measured side by side in the same run:
//   - send → delivered: the app (click Send → "Delivered" in the thread: stored, sent, 200 OK
//     through Kamailio, state stored and shown) against a bare JsSIP page (ua.sendMessage →
//     'succeeded'), interleaved, to the same receiver (a raw SIP client answering 200 at once);
//   - opening a conversation of 10,000 messages: click → first messages painted, against reading
//     all 10,000 from IndexedDB and rendering them (what a thread without paging does);
//   - the unread count with 100 conversations: a MESSAGE frame arriving → the Chat tab's badge
//     updated, against recounting unread from IndexedDB (reading all 100 conversations).
// Measures only: it asserts nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { startLab, type Lab, type LabAccount } from '../lab/lab';
import { launchPhoneBrowser } from '../support/chromium';
import { SipWsClient } from '../support/sip-ws-client';
import { serveStatic, type StaticServer } from '../support/static-server';
import { TestBridge } from '../support/test-bridge';
import { writeToneWav } from '../support/wav';
import { summarize, table, type Summary } from './stats';

const SENDS = Number(process.env.BENCH_CHAT_SENDS ?? 30);
const THREAD = Number(process.env.BENCH_CHAT_THREAD ?? 10_000);
const OPENS = Number(process.env.BENCH_CHAT_OPENS ?? 7);
const CONVERSATIONS = Number(process.env.BENCH_CHAT_CONVERSATIONS ?? 100);
const UNREAD_SAMPLES = Number(process.env.BENCH_CHAT_UNREAD ?? 20);

/** Probes inside the app page (performance.now() of the page). */
const PROBES = `(() => {
  const bench = { delivered: {}, frames: [], badge: [] };
  window.__chatBench = bench;
  const desc = Object.getOwnPropertyDescriptor(WebSocket.prototype, 'onmessage');
  Object.defineProperty(WebSocket.prototype, 'onmessage', {
    configurable: true,
    get() { return desc.get.call(this); },
    set(fn) {
      desc.set.call(this, (event) => {
        const text = typeof event.data === 'string' ? event.data : '';
        if (text.startsWith('MESSAGE ') && /Content-Type:\\s*text\\/plain/i.test(text)) bench.frames.push(performance.now());
        return fn.call(this, event);
      });
    },
  });
  let badge = '';
  new MutationObserver(() => {
    const t = performance.now();
    for (const el of document.querySelectorAll('[data-testid="chat-message"][data-state="delivered"]')) {
      const text = el.querySelector('.text')?.textContent?.trim() ?? '';
      if (!(text in bench.delivered)) bench.delivered[text] = t;
    }
    const b = document.querySelector('[data-testid="chat-unread-badge"]')?.textContent ?? '';
    if (b !== badge) { badge = b; bench.badge.push({ t, value: b }); }
  }).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
})();`;

interface AppPage {
  page: Page;
  accountId: string;
  close(): Promise<void>;
}

async function appPage(
  browser: Browser,
  server: StaticServer,
  lab: Lab,
  account: LabAccount,
): Promise<AppPage> {
  const context = await browser.newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  const bridge = await TestBridge.create({ appUrl: server.url });
  await bridge.attach(page);
  await page.addInitScript(PROBES);
  const saved = await bridge.seedAccount(
    { label: account.user, websocketUri: lab.wsUrl, sipUri: account.uri },
    account.password,
  );
  await page.goto(server.url);
  await registered(page);
  return {
    page,
    accountId: saved.id,
    close: async () => {
      await context.close();
      await bridge.dispose();
    },
  };
}

async function registered(page: Page): Promise<void> {
  await page
    .locator('[data-testid="registration-status"][data-status="registered"]')
    .waitFor({ timeout: 20_000 });
}

/** A receiver that answers every MESSAGE 200 OK as soon as it arrives. */
async function echoReceiver(lab: Lab, user: string): Promise<SipWsClient> {
  const account = lab.account(user);
  const client = await SipWsClient.connect(lab.wsUrl);
  client.ws.on('message', () => {
    const last = client.received.at(-1);
    if (last && !last.isResponse && last.method === 'MESSAGE') {
      client.reply(last, 200, 'OK');
    }
  });
  const res = await client.register({ user, password: account.password, domain: account.domain });
  if (res.status !== 200) {
    throw new Error(`receiver ${user} not registered: ${res.status}`);
  }
  return client;
}

async function appSend(page: Page, text: string): Promise<number> {
  await page.getByTestId('chat-composer').fill(text);
  const started = await page.evaluate(() => {
    const t = performance.now();
    (document.querySelector('[data-testid="chat-send"]') as HTMLButtonElement).click();
    return t;
  });
  const handle = await page.waitForFunction(
    (t) =>
      (window as unknown as { __chatBench: { delivered: Record<string, number> } }).__chatBench
        .delivered[t],
    text,
    { timeout: 30_000, polling: 2 },
  );
  return ((await handle.jsonValue()) as number) - started;
}

/** Seeds conversations (and messages) into the app's IndexedDB with the raw API, as rows. */
async function seed(
  page: Page,
  accountId: string,
  conversations: number,
  messagesInFirst: number,
): Promise<void> {
  await page.evaluate(
    async ({ accountId, conversations, messagesInFirst }) => {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const open = indexedDB.open('open-softphone');
        open.onsuccess = () => ok(open.result);
        open.onerror = () => fail(new Error(String(open.error)));
      });
      const tx = db.transaction(['conversations', 'messages'], 'readwrite');
      const start = Date.UTC(2025, 0, 1);
      for (let c = 0; c < conversations; c += 1) {
        const peer = `sip:p${c}@lab.test`;
        const id = `${accountId}|${peer}`;
        const count = c === 0 ? messagesInFirst : 3;
        for (let m = 0; m < count; m += 1) {
          const at = start + c * 1000 + m;
          tx.objectStore('messages').put({
            id: `${at.toString(36).padStart(9, '0')}${String(m).padStart(6, '0')}`,
            conversationId: id,
            at,
            direction: m % 2 ? 'out' : 'in',
            text: `Message ${m} of ${count}: lorem ipsum dolor sit amet https://example.com/${m}`,
            state: m % 2 ? 'delivered' : 'received',
            reason: null,
            code: 200,
            removed: 0,
            callId: null,
            attempts: m % 2,
            doneAt: null,
            queuedAt: null,
          });
        }
        tx.objectStore('conversations').put({
          id,
          accountId,
          peer,
          peerUser: `p${c}`,
          peerName: null,
          // The big thread is the newest, so it is the first row of the list.
          lastAt: c === 0 ? start + 1e9 : start + c * 1000 + count,
          lastText: `Message ${count - 1}`,
          lastDirection: 'in',
          lastState: 'received',
          unread: 0,
          draft: '',
        });
      }
      await new Promise<void>((ok, fail) => {
        tx.oncomplete = () => ok();
        tx.onerror = () => fail(new Error(String(tx.error)));
      });
      db.close();
    },
    { accountId, conversations, messagesInFirst },
  );
}

/** Cold open: reload, Chat tab, open the 10,000-message conversation; click → first paint. */
async function openThread(page: Page): Promise<number> {
  await page.reload();
  await registered(page);
  await page.getByRole('tab', { name: /^Chat/ }).click();
  const row = page.getByTestId('chat-row').filter({ hasText: 'p0@lab.test' });
  await row.waitFor();
  return page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        const option = document
          .querySelector('[data-testid="chat-row"][data-conversation$="|sip:p0@lab.test"]')!
          .closest('[role="option"]')!;
        const started = performance.now();
        new MutationObserver((_, observer) => {
          if (document.querySelector('[data-testid="chat-message"]')) {
            observer.disconnect();
            // (No named inner functions in page code: tsx's keepNames would wrap them.)
            requestAnimationFrame(() =>
              requestAnimationFrame(() => resolve(performance.now() - started)),
            );
          }
        }).observe(document.body, { subtree: true, childList: true });
        option.dispatchEvent(new MouseEvent('dblclick', { bubbles: true }));
      }),
  );
}

/** The baseline in the same page: read every message of the thread and render them all. */
async function loadAllThread(page: Page, accountId: string): Promise<number> {
  return page.evaluate(
    (id) =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now();
        const open = indexedDB.open('open-softphone');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const db = open.result;
          const index = db
            .transaction('messages')
            .objectStore('messages')
            .index('[conversationId+at+id]');
          const range = IDBKeyRange.bound([id, -Infinity, ''], [id, Infinity, '\uffff']);
          const req = index.getAll(range);
          req.onsuccess = () => {
            const list = document.createElement('ol');
            for (const m of req.result as { text: string }[]) {
              const li = document.createElement('li');
              li.textContent = m.text;
              list.append(li);
            }
            document.body.append(list);
            requestAnimationFrame(() =>
              requestAnimationFrame(() => {
                const t = performance.now() - started;
                list.remove();
                db.close();
                resolve(t);
              }),
            );
          };
          req.onerror = () => reject(new Error(String(req.error)));
        };
      }),
    `${accountId}|sip:p0@lab.test`,
  );
}

async function unreadUpdate(
  page: Page,
  sender: SipWsClient,
  lab: Lab,
  user: string,
  i: number,
): Promise<number> {
  const before = await page.evaluate(() => {
    const b = (window as unknown as { __chatBench: { frames: number[]; badge: unknown[] } })
      .__chatBench;
    return { frames: b.frames.length, badge: b.badge.length };
  });
  const account = lab.account('erin');
  const res = await sender.requestWithAuth(
    {
      method: 'MESSAGE',
      uri: lab.account(user).uri,
      from: account.uri,
      body: `unread ${i}`,
      contentType: 'text/plain;charset=UTF-8',
    },
    { user: 'erin', password: account.password },
  );
  if (res.status !== 200) {
    throw new Error(`MESSAGE not taken: ${res.status}`);
  }
  const handle = await page.waitForFunction(
    (n) => {
      const b = (window as unknown as { __chatBench: { frames: number[]; badge: { t: number }[] } })
        .__chatBench;
      const frame = b.frames[n.frames];
      const badge = b.badge[n.badge];
      return frame !== undefined && badge !== undefined ? badge.t - frame : null;
    },
    before,
    { timeout: 20_000, polling: 2 },
  );
  return (await handle.jsonValue()) as number;
}

async function recountUnread(page: Page): Promise<number> {
  return page.evaluate(
    () =>
      new Promise<number>((resolve, reject) => {
        const started = performance.now();
        const open = indexedDB.open('open-softphone');
        open.onerror = () => reject(new Error(String(open.error)));
        open.onsuccess = () => {
          const db = open.result;
          const req = db.transaction('conversations').objectStore('conversations').getAll();
          req.onsuccess = () => {
            let total = 0;
            for (const c of req.result as { unread: number }[]) {
              total += c.unread;
            }
            const t = performance.now() - started;
            db.close();
            // The sum is the point of the baseline; keep it observable.
            document.body.dataset.recount = String(total);
            resolve(t);
          };
          req.onerror = () => reject(new Error(String(req.error)));
        };
      }),
  );
}

export interface ChatBenchResult {
  sendToDelivered: { app: Summary; baseline: Summary };
  openThread: { messages: number; app: Summary; baseline: Summary };
  unreadUpdate: { conversations: number; app: Summary; baseline: Summary };
}

/** Runs the benchmark; prints the tables and returns the figures. */
export async function runChatBench(
  log: (line: string) => void = console.log,
): Promise<ChatBenchResult> {
  const lab = await startLab({
    name: 'bench-chat',
    rtpengine: false,
    accounts: ['alice', 'bob', 'carol', 'dave', 'erin'],
  });
  const dir = await mkdtemp(join(tmpdir(), 'bench-chat-'));
  const wav = join(dir, 'tone.wav');
  writeToneWav(wav, { freq: 440, seconds: 2 });
  const browser = await launchPhoneBrowser({ microphoneWav: wav });
  const appServer = await serveStatic();
  await build({
    root: resolve(import.meta.dirname, 'pages/chat-baseline'),
    logLevel: 'warn',
    build: { outDir: join(dir, 'baseline'), emptyOutDir: true },
  });
  const baselineServer = await serveStatic(join(dir, 'baseline'));
  const closers: (() => Promise<unknown>)[] = [];
  try {
    const receiver = await echoReceiver(lab, 'dave');
    closers.push(() => receiver.close());

    // 1. send → delivered, interleaved.
    const alice = await appPage(browser, appServer, lab, lab.account('alice'));
    closers.push(alice.close);
    await alice.page.getByRole('tab', { name: /^Chat/ }).click();
    await alice.page.getByLabel('Number or address to message').fill('dave');
    await alice.page.getByRole('button', { name: 'Start', exact: true }).click();
    await alice.page.getByTestId('chat-composer').waitFor();
    const baseContext = await browser.newContext();
    closers.push(() => baseContext.close());
    const base = await baseContext.newPage();
    const carol = lab.account('carol');
    await base.goto(
      `${baselineServer.url}?${new URLSearchParams({ ws: lab.wsUrl, uri: carol.uri, password: carol.password }).toString()}`,
    );
    await base.locator('#status', { hasText: 'registered' }).waitFor({ timeout: 20_000 });
    const app: number[] = [];
    const baseline: number[] = [];
    for (let i = 0; i < SENDS + 2; i += 1) {
      const a = await appSend(alice.page, `bench ${i} ✓`);
      const b = await base.evaluate(
        ([target, text]) =>
          (window as unknown as { __send(t: string, x: string): Promise<number> }).__send(
            target!,
            text!,
          ),
        [lab.account('dave').uri, `bench ${i} ✓`],
      );
      // The first two of each warm up (JIT, the first 407 challenge, the first IndexedDB writes).
      if (i >= 2) {
        app.push(a);
        baseline.push(b);
      }
    }
    log(
      `  send → delivered: app p50 ${summarize(app).p50.toFixed(1)} ms, bare JsSIP p50 ${summarize(baseline).p50.toFixed(1)} ms`,
    );

    // 2. a conversation of 10,000 messages; 3. the unread count over 100 conversations.
    const bob = await appPage(browser, appServer, lab, lab.account('bob'));
    closers.push(bob.close);
    await seed(bob.page, bob.accountId, CONVERSATIONS, THREAD);
    const opens: number[] = [];
    const loads: number[] = [];
    for (let i = 0; i < OPENS; i += 1) {
      opens.push(await openThread(bob.page));
      loads.push(await loadAllThread(bob.page, bob.accountId));
    }
    log(
      `  open ${THREAD} messages: app p50 ${summarize(opens).p50.toFixed(1)} ms, load-all p50 ${summarize(loads).p50.toFixed(1)} ms`,
    );

    await bob.page.getByRole('button', { name: 'Back to conversations' }).click();
    const sender = await SipWsClient.connect(lab.wsUrl);
    closers.push(() => sender.close());
    const unread: number[] = [];
    const recount: number[] = [];
    for (let i = 0; i < UNREAD_SAMPLES + 2; i += 1) {
      const u = await unreadUpdate(bob.page, sender, lab, 'bob', i);
      const r = await recountUnread(bob.page);
      if (i >= 2) {
        unread.push(u);
        recount.push(r);
      }
    }
    const result: ChatBenchResult = {
      sendToDelivered: { app: summarize(app), baseline: summarize(baseline) },
      openThread: { messages: THREAD, app: summarize(opens), baseline: summarize(loads) },
      unreadUpdate: {
        conversations: CONVERSATIONS,
        app: summarize(unread),
        baseline: summarize(recount),
      },
    };
    log(renderChat(result));
    return result;
  } finally {
    for (const close of closers.reverse()) {
      await close().catch(() => {});
    }
    await browser.close();
    await appServer.close();
    await baselineServer.close();
    await lab.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

export function renderChat(r: ChatBenchResult): string {
  const row = (label: string, app: Summary, base: string, b: Summary): (string | number)[] => [
    label,
    String(app.n),
    app.p50,
    app.p95,
    base,
    b.p50,
    b.p95,
  ];
  return [
    'Chat on loopback (ms), app and baseline measured side by side in the same run.',
    table(
      ['metric', 'n', 'app p50', 'app p95', 'baseline', 'base p50', 'base p95'],
      [
        row(
          'click Send → "Delivered" shown (200 via Kamailio)',
          r.sendToDelivered.app,
          'bare JsSIP sendMessage → succeeded',
          r.sendToDelivered.baseline,
        ),
        row(
          `open a conversation of ${r.openThread.messages.toLocaleString('en')} messages → first paint`,
          r.openThread.app,
          'read all from IndexedDB + render all',
          r.openThread.baseline,
        ),
        row(
          `MESSAGE frame in → unread badge updated (${r.unreadUpdate.conversations} conversations)`,
          r.unreadUpdate.app,
          'recount unread from IndexedDB',
          r.unreadUpdate.baseline,
        ),
      ],
    ),
  ].join('\n');
}
