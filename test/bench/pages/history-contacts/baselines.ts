// Baselines measured in the same run as our search, on the same data: (a) every row held as an
// object and filtered per keystroke with toLowerCase().includes (no accent folding, no digit
// normalisation: cheaper than what we do), and (b) a Dexie query per keystroke that walks the
// time index newest first and stops after one screenful of matches.
import type { PhoneDb } from '../../../../src-renderer/src/lib/db/phone-db';
import type { HistoryEntry } from '../../../../src-renderer/src/lib/history/types';

let rows: HistoryEntry[] | null = null;

function naiveMatch(e: HistoryEntry, q: string): boolean {
  return (
    (e.partyName ?? '').toLowerCase().includes(q) ||
    e.partyUser.toLowerCase().includes(q) ||
    e.partyUri.toLowerCase().includes(q)
  );
}

/** The baseline operations, on `db`. */
export function baselines(db: PhoneDb) {
  return {
    /** Loads every row into memory (what the naive baseline needs); ms. */
    async loadAll(): Promise<number> {
      const t0 = performance.now();
      rows = await db.calls.orderBy('startedAt').reverse().toArray();
      return performance.now() - t0;
    },
    /** Drops the rows loaded by loadAll. */
    drop(): void {
      rows = null;
    },
    /** Per keystroke: Array.filter over all rows; ms each (and the last result's size). */
    naiveType(text: string): { times: number[]; count: number } {
      const all = rows ?? [];
      const times: number[] = [];
      let count = 0;
      for (let i = 1; i <= text.length; i++) {
        const q = text.slice(0, i).toLowerCase();
        const t0 = performance.now();
        count = all.filter((e) => naiveMatch(e, q)).length;
        times.push(performance.now() - t0);
      }
      return { times, count };
    },
    /** Per keystroke: a Dexie query for the first 60 matches, newest first; ms each. */
    async dexieType(text: string): Promise<number[]> {
      const times: number[] = [];
      for (let i = 1; i <= text.length; i++) {
        const q = text.slice(0, i).toLowerCase();
        const t0 = performance.now();
        await db.calls
          .orderBy('startedAt')
          .reverse()
          .filter((e) => naiveMatch(e, q))
          .limit(60)
          .toArray();
        times.push(performance.now() - t0);
      }
      return times;
    },
  };
}
