// Reactive call history for the views: the query and its result (ids only, held raw, never the
// rows), a small cache of the rows the list shows, the missed-call count, and actions. Rows are
// fetched per visible window, so opening the history never loads 100,000 rows into state.
import { createContext } from 'svelte';
import type { CallSnapshot } from '../phone';
import { dialStringOf } from './format';
import type { HistoryResults, HistoryStore } from './history-store';
import type { EntryInfo } from './outcome';
import type { HistoryEntry } from './types';

/** Finds a contact's name for a party (ContactsState and ContactsStore fit). */
export interface NameResolver {
  nameFor(partyUser: string, partyUri: string): string | null;
}

const FIRST_PAGE = 60;
const CACHE_LIMIT = 2000;
const NONE: HistoryResults = { count: 0, idAt: () => undefined };

/** The history as the views see it. */
export class HistoryState {
  readonly #store: HistoryStore;
  readonly #names: NameResolver | null;
  #query = $state('');
  #results = $state.raw<HistoryResults>(NONE);
  #ready = $state(false);
  #missed = $state(0);
  #rowsVersion = $state(0);
  // The rows of the visible window: a plain map, its changes signalled through #rowsVersion.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #rows = new Map<string, HistoryEntry>();
  #head: HistoryEntry[] = [];
  #window: [number, number] = [0, FIRST_PAGE];
  #unsubscribe: () => void;

  constructor(store: HistoryStore, names: NameResolver | null = null) {
    this.#store = store;
    this.#names = names;
    this.#missed = store.missedCount;
    this.#unsubscribe = store.on('changed', (change) => {
      if (change.kind === 'seen' || change.kind === 'updated' || change.kind === 'cleared') {
        this.#rows.clear();
      }
      if (change.kind === 'removed') {
        this.#rows.delete(change.id);
      }
      this.#missed = store.missedCount;
      this.#refresh();
    });
  }

  /** Shows the newest page at once, then loads the search index in the background. */
  async start(): Promise<void> {
    const page = await this.#store.page(FIRST_PAGE);
    this.#head = page.entries;
    this.#remember(page.entries);
    this.#refresh();
    await this.#store.loadIndex();
  }

  /** Stops listening to the store. */
  dispose(): void {
    this.#unsubscribe();
  }

  /** The search text; setting it searches at once. */
  get query(): string {
    return this.#query;
  }
  set query(value: string) {
    this.#query = value;
    this.#refresh();
  }

  /** Whether search covers everything (the index has loaded). */
  get ready(): boolean {
    return this.#ready;
  }

  /** Rows matching the query. */
  get count(): number {
    return this.#results.count;
  }

  /** Unseen missed calls. */
  get missedCount(): number {
    return this.#missed;
  }

  /** The id at a position of the result. */
  idAt(position: number): string | undefined {
    return this.#results.idAt(position);
  }

  /** The row at a position, once loaded (see loadRows); reactive. */
  rowAt(position: number): HistoryEntry | undefined {
    void this.#rowsVersion;
    const id = this.#results.idAt(position);
    return id === undefined ? undefined : this.#rows.get(id);
  }

  /**
   * Fetches rows [from, to) of the result that are not cached yet. The window is remembered:
   * when the result changes (typing, a new call), its rows in that window are fetched again.
   */
  async loadRows(from: number, to: number): Promise<void> {
    this.#window = [from, to];
    const results = this.#results;
    const missing: string[] = [];
    for (let i = Math.max(0, from); i < Math.min(to, results.count); i++) {
      const id = results.idAt(i);
      if (id !== undefined && !this.#rows.has(id)) {
        missing.push(id);
      }
    }
    if (missing.length === 0) {
      return;
    }
    if (this.#rows.size + missing.length > CACHE_LIMIT) {
      this.#rows.clear();
    }
    this.#remember([...(await this.#store.get(missing)).values()]);
  }

  /** The name to show: the contact's, else the caller's display name, else the number or user. */
  nameOf(entry: HistoryEntry): string {
    return (
      this.#names?.nameFor(entry.partyUser, entry.partyUri) ?? entry.partyName ?? entry.partyUser
    );
  }

  /** What to dial to call an entry back. */
  dialStringOf(entry: HistoryEntry): string {
    return dialStringOf(entry);
  }

  /** Records a call that has ended. */
  async record(call: CallSnapshot, info: EntryInfo): Promise<HistoryEntry> {
    return this.#store.addFromCall(call, info);
  }

  /** Marks every missed call seen (the view does this when it is shown). */
  markAllSeen(): Promise<number> {
    return this.#store.markAllSeen();
  }

  /** Deletes one entry. */
  remove(id: string): Promise<void> {
    return this.#store.delete(id);
  }

  /** Puts a deleted entry back (undo), as it was. */
  restore(entry: HistoryEntry): Promise<void> {
    return this.#store.add(entry);
  }

  /** Deletes the whole history. */
  clear(): Promise<void> {
    return this.#store.clear();
  }

  #remember(entries: readonly HistoryEntry[]): void {
    for (const entry of entries) {
      this.#rows.set(entry.id, entry);
    }
    this.#rowsVersion++;
  }

  #refresh(): void {
    this.#ready = this.#store.indexed;
    if (this.#ready) {
      this.#results = this.#store.search(this.#query);
    } else {
      const head = this.#query.trim() === '' ? this.#head : [];
      this.#results = { count: head.length, idAt: (i) => head[i]?.id };
    }
    this.#rowsVersion++;
    void this.loadRows(...this.#window);
  }
}

const [getHistory, setHistory] = createContext<HistoryState>();

/** The HistoryState of the app (set once by the shell with setHistory). */
export { getHistory, setHistory };
