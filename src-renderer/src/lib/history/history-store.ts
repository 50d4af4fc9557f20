// Owns the call history: entries in IndexedDB (PhoneDb.calls), paging newest first straight from
// the database, and search-as-you-type over an in-memory TextIndex of every entry (loaded once,
// in chunks, then kept in step with every change). Framework-free; the UI state wraps it.
import type { CallSnapshot } from '../phone/types';
import { buildHaystack, TextIndex } from '../search/text-index';
import type { PhoneDb } from './db';
import { entryFromCall, type EntryInfo } from './outcome';
import type { CallQuality, HistoryEntry } from './types';

/** Where a page of history ends; pass it back to get the next (older) page. */
export interface HistoryCursor {
  startedAt: number;
  id: string;
}

/** A page of entries, newest first, and the cursor of the next page (null at the end). */
export interface HistoryPage {
  entries: HistoryEntry[];
  next: HistoryCursor | null;
}

/** A search result: ids newest first, read by position (nothing is copied per row). */
export interface HistoryResults {
  readonly count: number;
  idAt(position: number): string | undefined;
}

/** What changed, for listeners (the UI state drops cached rows on these). */
export type HistoryChange =
  | { kind: 'added'; entry: HistoryEntry }
  | { kind: 'updated'; id: string }
  | { kind: 'removed'; id: string }
  | { kind: 'cleared' }
  | { kind: 'seen' }
  | { kind: 'indexed' };

/** Extra options of a history store. */
export interface HistoryStoreOptions {
  /** A name to find an entry by besides its own (the contact's name for the party). */
  nameFor?: (partyUser: string, partyUri: string) => string | null;
  /** Rows read per chunk while the search index loads. */
  chunkSize?: number;
}

const EMPTY: HistoryResults = { count: 0, idAt: () => undefined };

/** The call history. Create with HistoryStore.open. */
export class HistoryStore {
  readonly #db: PhoneDb;
  readonly #options: HistoryStoreOptions;
  readonly #index = new TextIndex();
  // startedAt of each index slot, ascending (slot order = time order).
  #times: number[] = [];
  #loading: Promise<void> | null = null;
  // Every change and the index load run one after another, so none is lost in between.
  #queue: Promise<unknown> = Promise.resolve();
  #indexed = false;
  #unseenMissed = 0;
  readonly #listeners = new Set<(change: HistoryChange) => void>();

  private constructor(db: PhoneDb, options: HistoryStoreOptions) {
    this.#db = db;
    this.#options = options;
  }

  /** Opens the history on `db` and counts unseen missed calls; the search index loads later. */
  static async open(db: PhoneDb, options: HistoryStoreOptions = {}): Promise<HistoryStore> {
    const store = new HistoryStore(db, options);
    store.#unseenMissed = await db.calls
      .where('outcome')
      .equals('missed')
      .filter((e) => !e.seen)
      .count();
    return store;
  }

  /** Whether the search index has loaded. */
  get indexed(): boolean {
    return this.#indexed;
  }

  /** Number of entries (known once indexed; the database count otherwise). */
  async count(): Promise<number> {
    return this.#indexed ? this.#index.size : this.#db.calls.count();
  }

  /** Unseen missed calls (the badge and tray number). */
  get missedCount(): number {
    return this.#unseenMissed;
  }

  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: (change: HistoryChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Loads the search index (once; later calls wait for the same load). */
  loadIndex(): Promise<void> {
    this.#loading ??= this.#serially(() => this.#load());
    return this.#loading;
  }

  /** Records a call that has ended. */
  async addFromCall(call: CallSnapshot, info: EntryInfo): Promise<HistoryEntry> {
    const entry = entryFromCall(call, info);
    await this.add(entry);
    return entry;
  }

  /** Stores an entry (replacing one with the same id). */
  add(entry: HistoryEntry): Promise<void> {
    return this.#serially(async () => {
      const previous = await this.#db.calls.get(entry.id);
      await this.#db.calls.put(entry);
      if (previous) {
        this.#forget(previous);
      }
      this.#remember(entry);
      this.#emit({ kind: 'added', entry });
    });
  }

  /** Entries newest first, `limit` at a time, straight from the database. */
  async page(limit: number, before?: HistoryCursor): Promise<HistoryPage> {
    const range = before
      ? this.#db.calls.where('[startedAt+id]').below([before.startedAt, before.id])
      : this.#db.calls.orderBy('[startedAt+id]');
    const entries = await range.reverse().limit(limit).toArray();
    const last = entries.at(-1);
    const next =
      last && entries.length === limit ? { startedAt: last.startedAt, id: last.id } : null;
    return { entries, next };
  }

  /** Entries whose party has this number key (see HistoryEntry.partyKey), newest first. */
  async forParty(partyKey: string): Promise<HistoryEntry[]> {
    if (partyKey === '') {
      return [];
    }
    const rows = await this.#db.calls.where('partyKey').equals(partyKey).toArray();
    return rows.sort((a, b) => b.startedAt - a.startedAt);
  }

  /**
   * Entries matching `query` (name, number or address; case- and diacritic-insensitive; digits
   * ignore separators), newest first. Synchronous; empty until the index has loaded.
   */
  search(query: string): HistoryResults {
    if (!this.#indexed) {
      return EMPTY;
    }
    const index = this.#index;
    const slots = index.search(query);
    if (slots === null) {
      const size = index.size;
      return { count: size, idAt: (i) => (i < size ? index.keyAt(size - 1 - i) : undefined) };
    }
    const n = slots.length;
    return { count: n, idAt: (i) => (i < n ? index.keyAt(slots[n - 1 - i] ?? -1) : undefined) };
  }

  /** Full entries for `ids` (missing ones are left out). */
  async get(ids: readonly string[]): Promise<Map<string, HistoryEntry>> {
    const rows = await this.#db.calls.bulkGet([...ids]);
    const found = new Map<string, HistoryEntry>();
    for (const row of rows) {
      if (row) {
        found.set(row.id, row);
      }
    }
    return found;
  }

  /** Deletes one entry. */
  delete(id: string): Promise<void> {
    return this.#serially(async () => {
      const entry = await this.#db.calls.get(id);
      if (!entry) {
        return;
      }
      await this.#db.calls.delete(id);
      this.#forget(entry);
      this.#emit({ kind: 'removed', id });
    });
  }

  /** Deletes every entry. */
  clear(): Promise<void> {
    return this.#serially(async () => {
      await this.#db.calls.clear();
      this.#index.reset([], []);
      this.#times = [];
      this.#unseenMissed = 0;
      this.#emit({ kind: 'cleared' });
    });
  }

  /** Marks every missed call seen; returns how many were unseen. */
  markAllSeen(): Promise<number> {
    return this.#serially(async () => {
      const changed = await this.#db.calls
        .where('outcome')
        .equals('missed')
        .filter((e) => !e.seen)
        .modify({ seen: true });
      this.#unseenMissed = 0;
      if (changed > 0) {
        this.#emit({ kind: 'seen' });
      }
      return changed;
    });
  }

  /** Attaches quality figures to an entry (measured after the call ended). */
  async setQuality(id: string, quality: CallQuality): Promise<void> {
    if ((await this.#db.calls.update(id, { quality })) > 0) {
      this.#emit({ kind: 'updated', id });
    }
  }

  /** Rebuilds the haystacks (after contacts changed, so contact names are found). */
  reindex(): Promise<void> {
    this.#loading = this.#serially(() => this.#load());
    return this.#loading;
  }

  async #load(): Promise<void> {
    const keys: string[] = [];
    const hays: string[] = [];
    const times: number[] = [];
    const chunk = this.#options.chunkSize ?? 10_000;
    let after: [number, string] = [-Infinity, ''];
    for (;;) {
      const rows = await this.#db.calls.where('[startedAt+id]').above(after).limit(chunk).toArray();
      for (const row of rows) {
        keys.push(row.id);
        hays.push(this.#haystack(row));
        times.push(row.startedAt);
      }
      const last = rows.at(-1);
      if (!last || rows.length < chunk) {
        break;
      }
      after = [last.startedAt, last.id];
    }
    this.#index.reset(keys, hays);
    this.#times = times;
    this.#indexed = true;
    this.#emit({ kind: 'indexed' });
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #haystack(entry: HistoryEntry): string {
    const contactName = this.#options.nameFor?.(entry.partyUser, entry.partyUri) ?? null;
    return buildHaystack([entry.partyName, contactName, entry.partyUser, entry.partyUri]);
  }

  #remember(entry: HistoryEntry): void {
    if (entry.outcome === 'missed' && !entry.seen) {
      this.#unseenMissed++;
    }
    if (!this.#indexed) {
      return;
    }
    let slot = this.#times.length;
    while (slot > 0 && (this.#times[slot - 1] ?? 0) > entry.startedAt) {
      slot--;
    }
    this.#times.splice(slot, 0, entry.startedAt);
    this.#index.insert(entry.id, this.#haystack(entry), slot);
  }

  #forget(entry: HistoryEntry): void {
    if (entry.outcome === 'missed' && !entry.seen) {
      this.#unseenMissed = Math.max(0, this.#unseenMissed - 1);
    }
    const slot = this.#indexed ? this.#index.slotOf(entry.id) : -1;
    if (slot >= 0) {
      this.#times.splice(slot, 1);
      this.#index.remove(entry.id);
    }
  }

  #emit(change: HistoryChange): void {
    for (const listener of this.#listeners) {
      listener(change);
    }
  }
}
