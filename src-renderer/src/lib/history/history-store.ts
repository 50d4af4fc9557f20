// Owns the call history: entries in IndexedDB (PhoneDb.calls), paging newest first straight from
// the database, the unseen-missed count, and search-as-you-type over an in-memory index of every
// entry (HistoryIndex: loaded once from a snapshot or the rows, kept in step with every change,
// saved again a moment after changes). Framework-free; the UI state wraps it.
import type { CallSnapshot } from '../phone';
import { bumpGeneration, type PhoneDb } from '../db/phone-db';
import { TypedEmitter } from '../emitter';
import { HistoryIndex, type IndexSource } from './history-index';
import { entryFromCall, type EntryInfo } from './outcome';
import type {
  CallQuality,
  HistoryChange,
  HistoryCursor,
  HistoryEntry,
  HistoryPage,
  HistoryResults,
} from './types';

export type { HistoryChange, HistoryCursor, HistoryPage, HistoryResults } from './types';

/** Extra options of a history store. */
export interface HistoryStoreOptions {
  /** A name to find an entry by besides its own (the contact's name for the party). */
  nameFor?: (partyUser: string, partyUri: string) => string | null;
  /** Rows read per chunk while the search index loads from the rows. */
  chunkSize?: number;
  /** How long after a change the index snapshot is saved, ms (default 3000). */
  snapshotDelayMs?: number;
}

const EMPTY: HistoryResults = { count: 0, idAt: () => undefined };

function isUnseenMiss(entry: HistoryEntry): boolean {
  return entry.outcome === 'missed' && !entry.seen;
}

/** The call history. Create with HistoryStore.open. */
/** What a history store reports. */
export interface HistoryStoreEvents {
  /** An entry was added, updated, removed, seen, or the history cleared. */
  changed: HistoryChange;
}

export class HistoryStore extends TypedEmitter<HistoryStoreEvents> {
  readonly #db: PhoneDb;
  readonly #options: HistoryStoreOptions;
  readonly #index: HistoryIndex;
  #source: IndexSource | null = null;
  #saveTimer: ReturnType<typeof setTimeout> | null = null;
  #loading: Promise<void> | null = null;
  // Every change and the index load run one after another, so none is lost in between.
  #queue: Promise<unknown> = Promise.resolve();
  #indexed = false;
  #unseenMissed = 0;

  private constructor(db: PhoneDb, options: HistoryStoreOptions) {
    super();
    this.#db = db;
    this.#options = options;
    // Small chunks: between them the page stays responsive (first rows, typing) while it loads.
    this.#index = new HistoryIndex(db, options.nameFor, options.chunkSize ?? 2_000);
  }

  /** Opens the history on `db` and counts unseen missed calls; the search index loads later. */
  static async open(db: PhoneDb, options: HistoryStoreOptions = {}): Promise<HistoryStore> {
    const store = new HistoryStore(db, options);
    store.#unseenMissed = await db.unseenMissed.count();
    return store;
  }

  /** Where the search index came from ('snapshot' or 'rows'), null before it has loaded. */
  get indexSource(): IndexSource | null {
    return this.#source;
  }

  /** Whether the search index has loaded. */
  get indexed(): boolean {
    return this.#indexed;
  }

  /** Number of entries (from the index once loaded; the database count otherwise). */
  async count(): Promise<number> {
    return this.#indexed ? this.#index.size : this.#db.calls.count();
  }

  /** Unseen missed calls (the badge and tray number). */
  get missedCount(): number {
    return this.#unseenMissed;
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
      const db = this.#db;
      const previous = await db.calls.get(entry.id);
      await db.transaction('rw', db.calls, db.unseenMissed, db.meta, async () => {
        await db.calls.put(entry);
        await (isUnseenMiss(entry)
          ? db.unseenMissed.put({ id: entry.id })
          : db.unseenMissed.delete(entry.id));
        await bumpGeneration(db, 'calls');
      });
      if (previous) {
        this.#forget(previous);
      }
      this.#remember(entry);
      this.#changed({ kind: 'added', entry });
    });
  }

  /** Stores many entries in one transaction (imports, seeding); the index is rebuilt if loaded. */
  addMany(entries: readonly HistoryEntry[]): Promise<void> {
    return this.#serially(async () => {
      const db = this.#db;
      await db.transaction('rw', db.calls, db.unseenMissed, db.meta, async () => {
        await db.calls.bulkPut([...entries]);
        await db.unseenMissed.bulkPut(entries.filter(isUnseenMiss).map((e) => ({ id: e.id })));
        await bumpGeneration(db, 'calls');
      });
      this.#unseenMissed = await db.unseenMissed.count();
      if (this.#indexed) {
        await this.#load(true);
      } else {
        this.#emit({ kind: 'indexed' });
      }
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
    return this.#indexed ? this.#index.search(query) : EMPTY;
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
      const db = this.#db;
      await db.transaction('rw', db.calls, db.unseenMissed, db.meta, async () => {
        await db.calls.delete(id);
        await db.unseenMissed.delete(id);
        await bumpGeneration(db, 'calls');
      });
      this.#forget(entry);
      this.#changed({ kind: 'removed', id });
    });
  }

  /** Deletes every entry. */
  clear(): Promise<void> {
    return this.#serially(async () => {
      const db = this.#db;
      await db.transaction('rw', db.calls, db.unseenMissed, db.meta, async () => {
        await db.calls.clear();
        await db.unseenMissed.clear();
        await bumpGeneration(db, 'calls');
      });
      this.#index.clear();
      this.#unseenMissed = 0;
      this.#changed({ kind: 'cleared' });
    });
  }

  /** Marks every missed call seen; returns how many were unseen. */
  markAllSeen(): Promise<number> {
    return this.#serially(async () => {
      const db = this.#db;
      const changed = await db.transaction('rw', db.calls, db.unseenMissed, async () => {
        const ids = await db.unseenMissed.toCollection().primaryKeys();
        await db.unseenMissed.clear();
        return ids.length === 0 ? 0 : db.calls.where('id').anyOf(ids).modify({ seen: true });
      });
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

  /**
   * Rebuilds the index from the rows (after contacts changed, so that their names are found);
   * the snapshot is saved again afterwards.
   */
  reindex(): Promise<void> {
    this.#loading = this.#serially(() => this.#load(true));
    return this.#loading;
  }

  /** Saves the index snapshot now (it is also saved a moment after each change). */
  saveSnapshot(): Promise<void> {
    this.#cancelSave();
    return this.#serially(() => (this.#indexed ? this.#index.save() : Promise.resolve()));
  }

  /** Stops a pending snapshot save (when the app closes the store). */
  dispose(): void {
    this.#cancelSave();
  }

  async #load(fresh = false): Promise<void> {
    this.#source = await this.#index.load(fresh);
    this.#indexed = true;
    this.#emit({ kind: 'indexed' });
    if (this.#source === 'rows') {
      this.#scheduleSave(0);
    }
  }

  #changed(change: HistoryChange): void {
    this.#emit(change);
    if (this.#indexed) {
      this.#scheduleSave(this.#options.snapshotDelayMs ?? 3000);
    }
  }

  #scheduleSave(delayMs: number): void {
    this.#cancelSave();
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = null;
      void this.saveSnapshot().catch(() => undefined);
    }, delayMs);
  }

  #cancelSave(): void {
    if (this.#saveTimer !== null) {
      clearTimeout(this.#saveTimer);
      this.#saveTimer = null;
    }
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }

  #remember(entry: HistoryEntry): void {
    if (isUnseenMiss(entry)) {
      this.#unseenMissed++;
    }
    if (this.#indexed) {
      this.#index.insert(entry);
    }
  }

  #forget(entry: HistoryEntry): void {
    if (isUnseenMiss(entry)) {
      this.#unseenMissed = Math.max(0, this.#unseenMissed - 1);
    }
    if (this.#indexed) {
      this.#index.remove(entry.id);
    }
  }

  #emit(change: HistoryChange): void {
    this.emit('changed', change);
  }
}
