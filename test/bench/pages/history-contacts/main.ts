// Test page: opens the real stores on this browser's IndexedDB and exposes a small API on
// window.__harness for the e2e test and the benchmark (seed data, mount views, time things).
import '../../../../src-renderer/src/app.css';
import { flushSync, mount, unmount } from 'svelte';
import { ContactsState } from '../../../../src-renderer/src/lib/contacts/contacts.svelte';
import { ContactsStore } from '../../../../src-renderer/src/lib/contacts/contacts-store';
import type { ContactDraft } from '../../../../src-renderer/src/lib/contacts/types';
import { openPhoneDb, type PhoneDb } from '../../../../src-renderer/src/lib/history/db';
import { HistoryState } from '../../../../src-renderer/src/lib/history/history.svelte';
import { HistoryStore } from '../../../../src-renderer/src/lib/history/history-store';
import type { HistoryEntry } from '../../../../src-renderer/src/lib/history/types';
import ContactsView from '../../../../src-renderer/src/lib/views/ContactsView.svelte';
import HistoryView from '../../../../src-renderer/src/lib/views/HistoryView.svelte';
import { baselines } from './baselines';

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

/** Opens stores and mounts `view`; times until the first rows are painted and search is ready. */
async function open(view: View): Promise<{ firstRowsMs: number; searchReadyMs: number }> {
  close();
  const t0 = performance.now();
  const d = await database();
  const contactStore = view === 'history' ? null : await ContactsStore.open(d);
  const names = contactStore ?? (await ContactsStore.open(d));
  const historyStore =
    view === 'contacts'
      ? null
      : await HistoryStore.open(d, { nameFor: (u, a) => names.nameFor(u, a) });
  historyState = historyStore ? new HistoryState(historyStore, names) : null;
  contactsState = contactStore ? new ContactsState(contactStore) : null;
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
  await started;
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
  const d = await database();
  for (let i = 0; i < entries.length; i += 5000) {
    await d.calls.bulkPut(entries.slice(i, i + 5000));
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

const harness = {
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
