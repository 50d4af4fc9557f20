// Owns the renderer's IndexedDB database (through Dexie): its tables, versioned schema and the
// migrations between versions. Stores and tests open it through openPhoneDb.
import Dexie, { type DexieOptions, type EntityTable, type Transaction } from 'dexie';
import { normalizeNumber, numberKey } from '../contacts/normalize';
import type { Contact } from '../contacts/types';
import type { HistoryEntry } from './types';

/** The database name used by the app. */
export const DB_NAME = 'open-softphone';

/** The current schema version. */
export const SCHEMA_VERSION = 2;

/**
 * Version 1: history by time (the compound index gives stable paging among equal times),
 * contacts by name. Numbers were stored as { label, value }, calls had no partyKey.
 */
export const STORES_V1 = {
  calls: '&id, startedAt, [startedAt+id]',
  contacts: '&id, name',
} as const;

/**
 * Version 2: calls get `partyKey` (the party's number key, for "calls with this contact") and
 * `outcome` (missed-call count) indexes; contact numbers get their `normalized` form.
 */
export const STORES_V2 = {
  calls: '&id, startedAt, [startedAt+id], partyKey, outcome',
  contacts: '&id, name',
} as const;

/** The app's database. */
export class PhoneDb extends Dexie {
  calls!: EntityTable<HistoryEntry, 'id'>;
  contacts!: EntityTable<Contact, 'id'>;

  /** `options.indexedDB`/`IDBKeyRange` let tests pass fake-indexeddb. */
  constructor(name: string = DB_NAME, options?: DexieOptions) {
    super(name, options);
    this.version(1).stores(STORES_V1);
    this.version(2).stores(STORES_V2).upgrade(upgradeToV2);
  }
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

interface V1Number {
  label?: unknown;
  value?: unknown;
  normalized?: unknown;
}

/** v1 → v2: fill calls' partyKey and contact numbers' normalized form on existing rows. */
export async function upgradeToV2(tx: Transaction): Promise<void> {
  await tx
    .table('calls')
    .toCollection()
    .modify((call: { partyUser?: unknown; partyKey?: unknown }) => {
      call.partyKey = numberKey(typeof call.partyUser === 'string' ? call.partyUser : '');
    });
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
