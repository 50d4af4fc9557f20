// Opens what the phone remembers (call history and contacts in IndexedDB) and keeps the two
// in step: history rows are named from contacts, and the search index follows contact edits.
import { ContactsState } from '../contacts/contacts.svelte';
import { ContactsStore } from '../contacts/contacts-store';
import { openPhoneDb } from '../db/phone-db';
import { dialStringOf } from '../history/format';
import { HistoryState } from '../history/history.svelte';
import { HistoryStore } from '../history/history-store';
import type { RecentNumber } from '@shared/ipc-contract';

export interface Memory {
  history: HistoryState;
  contacts: ContactsState;
  historyStore: HistoryStore;
  /** The last few distinct parties, newest first, for the tray's "call back" menu. */
  recentNumbers(limit?: number): Promise<RecentNumber[]>;
}

/** Opens the database, both stores and their UI states; the search index loads in the background. */
export async function openMemory(): Promise<Memory> {
  const db = await openPhoneDb();
  const contactsStore = await ContactsStore.open(db);
  const historyStore = await HistoryStore.open(db, {
    nameFor: (user, uri) => contactsStore.nameFor(user, uri),
  });
  const contacts = new ContactsState(contactsStore);
  const history = new HistoryState(historyStore, contacts);
  let reindex: ReturnType<typeof setTimeout> | null = null;
  contactsStore.on('changed', () => {
    // A renamed contact must be findable in the history by its new name.
    if (reindex) {
      clearTimeout(reindex);
    }
    reindex = setTimeout(() => void historyStore.reindex(), 500);
  });
  void history.start();
  return {
    history,
    contacts,
    historyStore,
    recentNumbers: async (limit = 5) => {
      const page = await historyStore.page(50);
      const seen = new Set<string>();
      const recent: RecentNumber[] = [];
      for (const entry of page.entries) {
        const dial = dialStringOf(entry);
        if (seen.has(dial) || recent.length >= limit) {
          continue;
        }
        seen.add(dial);
        recent.push({
          display:
            contactsStore.nameFor(entry.partyUser, entry.partyUri) ??
            entry.partyName ??
            entry.partyUser,
          dial,
        });
      }
      return recent;
    },
  };
}
