// Reactive home of what the phone remembers: call history and contacts (one IndexedDB, opened
// by memory.ts, whose code loads only when the database opens), why they are unavailable when
// the database cannot open, the missed-call count, and the one name shown for a party
// everywhere: the contact's first, then the name the call carries, then the number.
import type { RecentNumber } from '@shared/ipc-contract';
import type { ContactsState } from '../contacts/contacts.svelte';
import type { HistoryState } from '../history/history.svelte';
import type { HistoryStore } from '../history/history-store';
import { createLogger } from '../logger';
import type { CallParty } from '../phone';
import type { Memory } from './memory';

const log = createLogger('memory');

export class MemoryState {
  #memory = $state.raw<Memory | null>(null);
  #problem = $state<string | null>(null);
  #opened: () => void = () => {};
  /** Settles once open() has: the database is open, or its problem is known. */
  readonly #settled = new Promise<void>((resolve) => (this.#opened = resolve));

  /** Call history, once the database is open. */
  get history(): HistoryState | null {
    return this.#memory?.history ?? null;
  }
  /** Contacts, once the database is open. */
  get contacts(): ContactsState | null {
    return this.#memory?.contacts ?? null;
  }
  /** The history's store (change notifications), once open. */
  get historyStore(): HistoryStore | null {
    return this.#memory?.historyStore ?? null;
  }
  /** Why history and contacts are unavailable, when they are. */
  get problem(): string | null {
    return this.#problem;
  }
  /** Missed calls not seen yet. */
  get missedCount(): number {
    return this.#memory?.history.missedCount ?? 0;
  }

  /** The name to show for a party: the contact's, else the one the call carries, else the number. */
  nameOf(party: CallParty): string {
    return this.contacts?.nameFor(party.user, party.uri) ?? party.name ?? party.user;
  }

  /** Opens the database; a failure is kept as the problem to show, never thrown. */
  async open(): Promise<void> {
    try {
      // Dexie, the stores and their search indexes are a chunk of their own, loaded here.
      const { openMemory } = await import('./memory');
      this.#memory = await openMemory();
    } catch (error: unknown) {
      this.#problem = `Call history and contacts are unavailable: ${error instanceof Error ? error.message : String(error)}`;
      log.warn(this.#problem);
    } finally {
      this.#opened();
    }
  }

  /**
   * The call history once the database has opened: at once when it is open, null when it cannot
   * open or has not opened within `boundMs` (the phone opens it after its first registration).
   */
  async historyWhenOpen(boundMs: number): Promise<HistoryState | null> {
    if (!this.history && !this.#problem) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, boundMs)));
      await Promise.race([this.#settled, bound]);
      clearTimeout(timer);
    }
    return this.history;
  }

  /** The last few distinct parties, newest first (the tray's "call back" menu). */
  async recentNumbers(limit = 5): Promise<RecentNumber[]> {
    return (await this.#memory?.recentNumbers(limit)) ?? [];
  }

  /** The user has seen the missed calls. */
  async markMissedSeen(): Promise<void> {
    await this.#memory?.history.markAllSeen();
  }
}
