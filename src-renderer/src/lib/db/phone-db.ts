// Owns the renderer's IndexedDB database (through Dexie): its tables, versioned schema and the
// migrations between versions. Stores and tests open it through openPhoneDb.
import Dexie, { type DexieOptions, type EntityTable, type Transaction } from 'dexie';
import { normalizeNumber, numberKey } from '../contacts/normalize';
import type { Contact } from '../contacts/types';
import type { HistoryEntry } from '../history/types';
import type { BlockedPeer, ChatMessage, Conversation } from '../messaging/types';

/** The database name used by the app. */
export const DB_NAME = 'open-softphone';

/** The current schema version. */
export const SCHEMA_VERSION = 3;

/**
 * Version 1: history by time (the compound index gives stable paging among equal times),
 * contacts by name. Numbers were stored as { label, value }, calls had no partyKey.
 */
export const STORES_V1 = {
  calls: '&id, startedAt, [startedAt+id]',
  contacts: '&id, name',
} as const;

/**
 * Version 2: calls get a `partyKey` index (the party's number key, for "calls with this
 * contact"); contact numbers get their `normalized` form; `unseenMissed` lists the ids of missed
 * calls not yet seen, so the badge count is one cheap count() instead of a scan of every miss;
 * `meta` holds change counters and `snapshots` the saved search index (see IndexSnapshot).
 */
export const STORES_V2 = {
  calls: '&id, startedAt, [startedAt+id], partyKey',
  contacts: '&id, name',
  unseenMissed: '&id',
  meta: '&id',
  snapshots: '&id',
} as const;

/**
 * Version 3 (chat, issue 14): `conversations` per account and peer (last message, unread count,
 * draft), newest first by `lastAt`; `messages` paged per conversation in time order through
 * `[conversationId+at+id]` (ids are time-ordered, so equal times keep their order), and found by
 * `state` (the outbox reloads queued and in-flight messages); `blocked` senders, refused with 603.
 * Nothing existing changes shape: the upgrade only creates the three tables.
 */
export const STORES_V3 = {
  ...STORES_V2,
  conversations: '&id, lastAt',
  messages: '&id, [conversationId+at+id], state',
  blocked: '&id',
} as const;

/** Counters bumped by every change of a table, in the same transaction ('calls', 'contacts'). */
export interface Generation {
  id: 'calls' | 'contacts';
  generation: number;
}

/**
 * The history's search index as last saved: valid while the calls and contacts generations
 * still match (then opening the history reads one record instead of every call).
 */
export interface IndexSnapshot {
  id: 'history-index';
  format: 1;
  callsGeneration: number;
  contactsGeneration: number;
  ids: string[];
  times: number[];
  hays: string[];
}

/** The app's database. */
export class PhoneDb extends Dexie {
  calls!: EntityTable<HistoryEntry, 'id'>;
  contacts!: EntityTable<Contact, 'id'>;
  unseenMissed!: EntityTable<{ id: string }, 'id'>;
  meta!: EntityTable<Generation, 'id'>;
  snapshots!: EntityTable<IndexSnapshot, 'id'>;
  conversations!: EntityTable<Conversation, 'id'>;
  messages!: EntityTable<ChatMessage, 'id'>;
  blocked!: EntityTable<BlockedPeer, 'id'>;

  /** `options.indexedDB`/`IDBKeyRange` let tests pass fake-indexeddb. */
  constructor(name: string = DB_NAME, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores(STORES_V1);
    this.version(2).stores(STORES_V2).upgrade(upgradeToV2);
    this.version(3).stores(STORES_V3);
  }
}

/** The current generation of a table (0 when it never changed). */
export async function generationOf(db: PhoneDb, id: Generation['id']): Promise<number> {
  return (await db.meta.get(id))?.generation ?? 0;
}

/** Bumps a table's generation; call inside the transaction that changes the table. */
export async function bumpGeneration(db: PhoneDb, id: Generation['id']): Promise<void> {
  await db.meta.put({ id, generation: (await generationOf(db, id)) + 1 });
}

/** Opens (creating or migrating as needed) the database. */
export async function openPhoneDb(
  name: string = DB_NAME,
  options?: DexieOptions,
): Promise<PhoneDb> {
  const db = new PhoneDb(name, options);
  await db.open();
  return db;
}

interface V1Call {
  id?: unknown;
  partyUser?: unknown;
  partyKey?: unknown;
  outcome?: unknown;
  seen?: unknown;
}

interface V1Number {
  label?: unknown;
  value?: unknown;
  normalized?: unknown;
}

/** v1 → v2: fill calls' partyKey, the unseen missed calls and contact numbers' normalized form. */
export async function upgradeToV2(tx: Transaction): Promise<void> {
  const unseen: { id: string }[] = [];
  await tx
    .table('calls')
    .toCollection()
    .modify((call: V1Call) => {
      call.partyKey = numberKey(typeof call.partyUser === 'string' ? call.partyUser : '');
      if (call.outcome === 'missed' && call.seen !== true && typeof call.id === 'string') {
        unseen.push({ id: call.id });
      }
    });
  await tx.table('unseenMissed').bulkPut(unseen);
  await tx
    .table('contacts')
    .toCollection()
    .modify((contact: { numbers?: unknown }) => {
      const numbers = Array.isArray(contact.numbers) ? (contact.numbers as V1Number[]) : [];
      contact.numbers = numbers.map((n) => {
        const value = typeof n.value === 'string' ? n.value : '';
        const label = typeof n.label === 'string' ? n.label : 'other';
        return { label, value, normalized: normalizeNumber(value) };
      });
    });
}
