// Test page: opens the real stores on this browser's IndexedDB and exposes a small API on
// window.__harness for the e2e test and the benchmark (seed data, mount views, time things).
import '../../../../src-renderer/src/app.css';
import { flushSync, mount, unmount } from 'svelte';
import { ContactsState } from '../../../../src-renderer/src/lib/contacts/contacts.svelte';
import { ContactsStore } from '../../../../src-renderer/src/lib/contacts/contacts-store';
import type { ContactDraft } from '../../../../src-renderer/src/lib/contacts/types';
import { parseVCards } from '../../../../src-renderer/src/lib/contacts/vcard';
import { openPhoneDb, type PhoneDb } from '../../../../src-renderer/src/lib/db/phone-db';
import { HistoryState } from '../../../../src-renderer/src/lib/history/history.svelte';
import { HistoryStore } from '../../../../src-renderer/src/lib/history/history-store';
import type { HistoryEntry } from '../../../../src-renderer/src/lib/history/types';
import ContactsView from '../../../../src-renderer/src/lib/views/ContactsView.svelte';
import HistoryView from '../../../../src-renderer/src/lib/views/HistoryView.svelte';
import { baselines } from './baselines';
import { makeContacts, makeHistory, makeVCardFile } from './data';

type View = 'history' | 'contacts' | 'both';

let db: PhoneDb | null = null;
let mounted: ReturnType<typeof mount>[] = [];
let historyState: HistoryState | null = null;
let contactsState: ContactsState | null = null;
const calls: { dial: string; accountId?: string }[] = [];
let seenCount = 0;
const fixedNow = Number(new URLSearchParams(location.search).get('now') ?? Date.now());

async function database(): Promise<PhoneDb> {
  db ??= await openPhoneDb(new URLSearchParams(location.search).get('db') ?? 'harness');
  return db;
}

/** A new pane of the side-by-side layout. */
function pane(): HTMLElement {
  const app = document.getElementById('app') as HTMLElement;
  const div = document.createElement('div');
  div.className = 'pane';
  app.append(div);
  return div;
}

function waitForRows(selector: string): Promise<void> {
  return new Promise((resolve) => {
    const check = (): void => {
      if (document.querySelector(selector)) {
        // One more frame: the rows are in the DOM; the next frame has painted them.
        requestAnimationFrame(() => resolve());
      } else {
        requestAnimationFrame(check);
      }
    };
    check();
  });
}

interface Stores {
  contacts: ContactsStore;
  history: HistoryStore;
  /** Resolves when the history's search index has loaded. */
  indexed: Promise<void>;
}

let stores: Stores | null = null;

async function openStores(): Promise<Stores> {
  const d = await database();
  const contacts = await ContactsStore.open(d);
  const history = await HistoryStore.open(d, { nameFor: (u, a) => contacts.nameFor(u, a) });
  stores = { contacts, history, indexed: history.loadIndex() };
  return stores;
}

/** What the app does at start: opens both stores and starts loading the search index. */
async function boot(): Promise<{ storesMs: number; indexMs: Promise<number> }> {
  const t0 = performance.now();
  const s = await openStores();
  const storesMs = performance.now() - t0;
  return { storesMs, indexMs: s.indexed.then(() => performance.now() - t0) };
}

/** Forgets the stores, as a fresh app start would (the next open boots again). */
function shutdown(): void {
  close();
  stores = null;
}

/**
 * Mounts `view` on the booted stores (booting first if needed): ms until its first rows are
 * painted, and until the history search is ready (0 when it already was).
 */
async function open(view: View): Promise<{ firstRowsMs: number; searchReadyMs: number }> {
  close();
  const s = stores ?? (await openStores());
  const t0 = performance.now();
  historyState = view === 'contacts' ? null : new HistoryState(s.history, s.contacts);
  contactsState = view === 'history' ? null : new ContactsState(s.contacts);
  const started = historyState?.start();
  const onCall = (dial: string, accountId?: string): void => {
    calls.push({ dial, ...(accountId ? { accountId } : {}) });
  };
  if (historyState) {
    const props = { history: historyState, onCall, onSeen: () => seenCount++, now: () => fixedNow };
    mounted.push(mount(HistoryView, { target: pane(), props }));
  }
  if (contactsState) {
    mounted.push(
      mount(ContactsView, { target: pane(), props: { contacts: contactsState, onCall } }),
    );
  }
  await waitForRows(view === 'contacts' ? '#contact-row-0 .name' : '#history-row-0 .name');
  const firstRowsMs = performance.now() - t0;
  await Promise.all([started, s.indexed]);
  return { firstRowsMs, searchReadyMs: performance.now() - t0 };
}

function close(): void {
  for (const component of mounted) {
    void unmount(component);
  }
  mounted = [];
  document.getElementById('app')?.replaceChildren();
  historyState?.dispose();
  contactsState?.dispose();
  historyState = null;
  contactsState = null;
}

/** Types `text` into a search field one character at a time; ms per keystroke (search + DOM). */
function typeInto(selector: string, text: string): number[] {
  const input = document.querySelector<HTMLInputElement>(selector);
  if (!input) {
    throw new Error(`no ${selector}`);
  }
  const times: number[] = [];
  input.value = '';
  input.dispatchEvent(new Event('input', { bubbles: true }));
  flushSync();
  for (const ch of text) {
    const t0 = performance.now();
    input.value += ch;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    times.push(performance.now() - t0);
  }
  return times;
}

async function seedHistory(entries: HistoryEntry[]): Promise<void> {
  const store = await HistoryStore.open(await database());
  for (let i = 0; i < entries.length; i += 5000) {
    await store.addMany(entries.slice(i, i + 5000));
  }
}

async function seedContacts(drafts: ContactDraft[]): Promise<void> {
  const store = await ContactsStore.open(await database());
  await store.importDrafts(drafts);
}

/** Per keystroke: only the search and the state update (no DOM flush); ms each. */
function searchOnly(target: 'history' | 'contacts', text: string): number[] {
  const state = target === 'history' ? historyState : contactsState;
  if (!state) {
    throw new Error(`${target} is not open`);
  }
  const times: number[] = [];
  state.query = '';
  for (let i = 1; i <= text.length; i++) {
    const t0 = performance.now();
    state.query = text.slice(0, i);
    times.push(performance.now() - t0);
  }
  flushSync();
  return times;
}

/** Types `text` one character at a time; ms from each keystroke until its first rows are painted. */
async function typeAndPaint(selector: string, rowId: string, text: string): Promise<number[]> {
  const input = document.querySelector<HTMLInputElement>(selector);
  if (!input) {
    throw new Error(`no ${selector}`);
  }
  input.value = '';
  input.dispatchEvent(new Event('input', { bubbles: true }));
  const times: number[] = [];
  for (const ch of text) {
    const t0 = performance.now();
    input.value += ch;
    input.dispatchEvent(new Event('input', { bubbles: true }));
    flushSync();
    // No row 0 means nothing matched: one painted frame is the whole answer.
    await (document.getElementById(rowId)
      ? waitForRows(`#${rowId} .name`)
      : new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    times.push(performance.now() - t0);
  }
  return times;
}

/** Fills the database with generated history and contacts; ms. */
async function seedGenerated(history: number, contacts: number): Promise<number> {
  const t0 = performance.now();
  await seedHistory(makeHistory(history, fixedNow));
  await seedContacts(makeContacts(contacts));
  return performance.now() - t0;
}

/** Imports a generated .vcf of `n` cards (as file bytes), parse included; ms and counts. */
async function importGenerated(
  n: number,
): Promise<{ ms: number; bytes: number; added: number; skipped: number }> {
  const bytes = new TextEncoder().encode(makeVCardFile(n));
  const state = contactsState ?? new ContactsState(await ContactsStore.open(await database()));
  const t0 = performance.now();
  const report = await state.importVCard(bytes);
  return {
    ms: performance.now() - t0,
    bytes: bytes.length,
    added: report.added,
    skipped: report.skipped.length,
  };
}

/** Parses a generated .vcf of `n` cards without storing; ms. */
function parseGenerated(n: number): number {
  const bytes = new TextEncoder().encode(makeVCardFile(n));
  const t0 = performance.now();
  parseVCards(bytes);
  return performance.now() - t0;
}

const harness = {
  /** Boots; resolves with the stores' time and, once loaded, the index time and source. */
  async boot(): Promise<{ storesMs: number; indexMs: number; source: string | null }> {
    const { storesMs, indexMs } = await boot();
    return { storesMs, indexMs: await indexMs, source: stores?.history.indexSource ?? null };
  },
  /** Saves the history index snapshot now. */
  async saveSnapshot(): Promise<void> {
    await stores?.history.saveSnapshot();
  },
  shutdown,
  /** Adds entries through the running app's history store (as calls ending would). */
  async addEntries(entries: HistoryEntry[]): Promise<void> {
    await (stores ?? (await openStores())).history.addMany(entries);
  },
  async unseenMissedInDb(): Promise<number> {
    const d = await database();
    const rows = await d.calls.filter((e) => e.outcome === 'missed' && !e.seen).count();
    return rows + (await d.unseenMissed.count());
  },
  typeAndPaint,
  seedGenerated,
  importGenerated,
  parseGenerated,
  searchOnly,
  open,
  close,
  typeInto,
  seedHistory,
  seedContacts,
  calls,
  get seenCount(): number {
    return seenCount;
  },
  get history(): HistoryState | null {
    return historyState;
  },
  get contacts(): ContactsState | null {
    return contactsState;
  },
  async counts(): Promise<{ calls: number; contacts: number }> {
    const d = await database();
    return { calls: await d.calls.count(), contacts: await d.contacts.count() };
  },
  async importVCard(text: string): Promise<{ ms: number; added: number; skipped: number }> {
    const state = contactsState ?? new ContactsState(await ContactsStore.open(await database()));
    const t0 = performance.now();
    const report = await state.importVCard(text);
    return { ms: performance.now() - t0, added: report.added, skipped: report.skipped.length };
  },
  baselines: async () => baselines(await database()),
};

declare global {
  interface Window {
    __harness: typeof harness;
  }
}

window.__harness = harness;
document.documentElement.dataset.ready = 'true';
