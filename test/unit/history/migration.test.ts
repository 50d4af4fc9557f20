// Schema migration v1 → v2 on a database created with raw IndexedDB in the v1 shape (calls
// without partyKey, contact numbers without their normalized form), as an older app left it.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openPhoneDb, SCHEMA_VERSION } from '../../../src-renderer/src/lib/db/phone-db';

// Dexie stores version n as IndexedDB version n * 10.
const V1_IDB_VERSION = 10;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

/** Creates the v1 database by hand, with rows shaped as v1 wrote them. */
async function createV1(factory: IDBFactory): Promise<void> {
  const open = factory.open('legacy', V1_IDB_VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    const calls = db.createObjectStore('calls', { keyPath: 'id' });
    calls.createIndex('startedAt', 'startedAt');
    calls.createIndex('[startedAt+id]', ['startedAt', 'id']);
    const contacts = db.createObjectStore('contacts', { keyPath: 'id' });
    contacts.createIndex('name', 'name');
  };
  const db = await request(open);
  const tx = db.transaction(['calls', 'contacts'], 'readwrite');
  const calls = tx.objectStore('calls');
  calls.put({
    id: 'c1',
    startedAt: 1,
    partyUser: '+49 30 1234567',
    outcome: 'missed',
    seen: false,
  });
  calls.put({ id: 'c2', startedAt: 2, partyUser: 'alice', outcome: 'answered', seen: true });
  calls.put({ id: 'c3', startedAt: 3, partyUser: '0301234567', outcome: 'answered', seen: true });
  tx.objectStore('contacts').put({
    id: 'k1',
    name: 'Müller',
    numbers: [{ label: 'work', value: '030 1234567' }, { value: '*97' }],
    sipAddresses: [],
    favourite: false,
    createdAt: 1,
    updatedAt: 1,
  });
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
  });
  db.close();
}

describe('PhoneDb migrations', () => {
  it('upgrades a v1 database: partyKey (and its index), unseen missed calls, normalized numbers', async () => {
    const factory = new IDBFactory();
    await createV1(factory);
    const db = await openPhoneDb('legacy', { indexedDB: factory, IDBKeyRange });
    expect(db.verno).toBe(SCHEMA_VERSION);

    const byKey = await db.calls.where('partyKey').equals('301234567').primaryKeys();
    expect(byKey.sort()).toEqual(['c1', 'c3']);
    expect((await db.calls.get('c2'))?.partyKey).toBe('');
    expect(await db.unseenMissed.toCollection().primaryKeys()).toEqual(['c1']);

    expect((await db.contacts.get('k1'))?.numbers).toEqual([
      { label: 'work', value: '030 1234567', normalized: '0301234567' },
      { label: 'other', value: '*97', normalized: '*97' },
    ]);
    db.close();
  });

  it('a fresh database starts at the current version with both tables empty', async () => {
    const db = await openPhoneDb('fresh', { indexedDB: new IDBFactory(), IDBKeyRange });
    expect(db.verno).toBe(SCHEMA_VERSION);
    expect(await db.calls.count()).toBe(0);
    expect(await db.contacts.count()).toBe(0);
    expect(await db.unseenMissed.count()).toBe(0);
    expect(await db.meta.count()).toBe(0);
    expect(await db.snapshots.count()).toBe(0);
    db.close();
  });
});
