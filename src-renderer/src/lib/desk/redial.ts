// Owns what "redial" calls: the newest outgoing call in the history, on the account it went out
// on. Answered or not, the last number the user dialled is the one a redial button means.
// Pure; the caller reads the history page and places the call through the dialer (so the
// account's dial rules apply exactly once, as for any call back from the history).
import { dialStringOf } from '../history/format';
import type { HistoryEntry, HistoryPage } from '../history/types';

/** What a redial calls. */
export interface RedialTarget {
  dial: string;
  accountId: string;
}

/** How many of the newest history entries are searched for the last outgoing call. */
export const REDIAL_SEARCH = 100;

/** The newest outgoing entry among `entries` (newest first), or null. */
export function findRedial(entries: readonly HistoryEntry[]): RedialTarget | null {
  const last = entries.find((e) => e.direction === 'outgoing');
  return last ? { dial: dialStringOf(last), accountId: last.accountId } : null;
}

/** The history's newest page, as HistoryStore.page gives it. */
export type ReadPage = (limit: number) => Promise<HistoryPage>;

/** Reads the newest history entries and finds the last outgoing call. */
export async function lastDialled(read: ReadPage | null): Promise<RedialTarget | null> {
  if (!read) {
    return null;
  }
  const page = await read(REDIAL_SEARCH);
  return findRedial(page.entries);
}
