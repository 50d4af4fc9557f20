// Owns the history's in-memory search index: one haystack per entry in time order, loaded from
// a saved snapshot when it is still valid (one record) or else from every call row in chunks,
// kept in step with changes, and saved again as a snapshot. Used by HistoryStore only.
import { buildHaystack, TextIndex } from '../search/text-index';
import { generationOf, type IndexSnapshot, type PhoneDb } from '../db/phone-db';
import type { HistoryEntry, HistoryResults } from './types';

const SNAPSHOT_ID = 'history-index';

/** Where the index came from on its last load. */
export type IndexSource = 'snapshot' | 'rows';

/** The history's search index. */
export class HistoryIndex {
  readonly #db: PhoneDb;
  readonly #nameFor: ((user: string, uri: string) => string | null) | undefined;
  readonly #chunk: number;
  readonly #index = new TextIndex();
  // startedAt of each slot, ascending (slot order = time order).
  #times: number[] = [];
  // The contacts generation the haystacks' contact names were resolved at.
  #contactsGeneration = 0;

  constructor(
    db: PhoneDb,
    nameFor: ((user: string, uri: string) => string | null) | undefined,
    chunk: number,
  ) {
    this.#db = db;
    this.#nameFor = nameFor;
    this.#chunk = chunk;
  }

  /** Number of entries. */
  get size(): number {
    return this.#index.size;
  }

  /** Loads from the snapshot when it matches the database, else from the rows (`fresh`: always). */
  async load(fresh = false): Promise<IndexSource> {
    const [calls, contacts] = await Promise.all([
      generationOf(this.#db, 'calls'),
      generationOf(this.#db, 'contacts'),
    ]);
    this.#contactsGeneration = contacts;
    const snapshot = fresh ? undefined : await this.#db.snapshots.get(SNAPSHOT_ID);
    if (snapshot && isValid(snapshot, calls, contacts)) {
      this.#index.reset(snapshot.ids, snapshot.hays);
      this.#times = snapshot.times;
      return 'snapshot';
    }
    await this.#loadRows();
    return 'rows';
  }

  /** Saves the index as the snapshot for the current calls generation. */
  async save(): Promise<void> {
    const db = this.#db;
    const ids: string[] = [];
    const hays: string[] = [];
    for (let slot = 0; slot < this.#index.size; slot++) {
      ids.push(this.#index.keyAt(slot) ?? '');
      hays.push(this.#index.hayAt(slot) ?? '');
    }
    await db.transaction('rw', db.meta, db.snapshots, async () => {
      await db.snapshots.put({
        id: SNAPSHOT_ID,
        format: 1,
        callsGeneration: await generationOf(db, 'calls'),
        contactsGeneration: this.#contactsGeneration,
        ids,
        times: [...this.#times],
        hays,
      });
    });
  }

  /** Entries matching `query`, newest first. */
  search(query: string): HistoryResults {
    const index = this.#index;
    const slots = index.search(query);
    if (slots === null) {
      const size = index.size;
      return { count: size, idAt: (i) => (i < size ? index.keyAt(size - 1 - i) : undefined) };
    }
    const n = slots.length;
    return { count: n, idAt: (i) => (i < n ? index.keyAt(slots[n - 1 - i] ?? -1) : undefined) };
  }

  /** Adds an entry at its place in time. */
  insert(entry: HistoryEntry): void {
    let slot = this.#times.length;
    while (slot > 0 && (this.#times[slot - 1] ?? 0) > entry.startedAt) {
      slot--;
    }
    this.#times.splice(slot, 0, entry.startedAt);
    this.#index.insert(entry.id, this.#haystack(entry), slot);
  }

  /** Removes an entry. */
  remove(id: string): void {
    const slot = this.#index.slotOf(id);
    if (slot >= 0) {
      this.#times.splice(slot, 1);
      this.#index.remove(id);
    }
  }

  /** Empties the index. */
  clear(): void {
    this.#index.reset([], []);
    this.#times = [];
  }

  async #loadRows(): Promise<void> {
    const keys: string[] = [];
    const hays: string[] = [];
    const times: number[] = [];
    let after: [number, string] = [-Infinity, ''];
    for (;;) {
      const rows = await this.#db.calls
        .where('[startedAt+id]')
        .above(after)
        .limit(this.#chunk)
        .toArray();
      for (const row of rows) {
        keys.push(row.id);
        hays.push(this.#haystack(row));
        times.push(row.startedAt);
      }
      const last = rows.at(-1);
      if (!last || rows.length < this.#chunk) {
        break;
      }
      after = [last.startedAt, last.id];
    }
    this.#index.reset(keys, hays);
    this.#times = times;
  }

  #haystack(entry: HistoryEntry): string {
    const contactName = this.#nameFor?.(entry.partyUser, entry.partyUri) ?? null;
    // The address without its scheme holds the user part too; the user's digits are the number.
    const address = entry.partyUri.replace(/^sips?:/i, '');
    return buildHaystack([entry.partyName, contactName, address], [entry.partyUser]);
  }
}

function isValid(s: IndexSnapshot, calls: number, contacts: number): boolean {
  return (
    s.format === 1 &&
    s.callsGeneration === calls &&
    s.contactsGeneration === contacts &&
    s.ids.length === s.hays.length &&
    s.ids.length === s.times.length
  );
}
