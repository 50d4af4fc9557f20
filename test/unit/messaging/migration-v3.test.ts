// Schema migration v2 → v3 (chat) on a database created with raw IndexedDB in the v2 shape, as
// the previous release left it: history, contacts, unseen missed calls, counters and the index
// snapshot survive untouched, and the three chat tables exist with working indexes.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openPhoneDb, SCHEMA_VERSION } from '../../../src-renderer/src/lib/db/phone-db';
import { ChatStore } from '../../../src-renderer/src/lib/messaging/chat-store';
import type { ChatMessage } from '../../../src-renderer/src/lib/messaging/types';

// Dexie stores version n as IndexedDB version n * 10.
const V2_IDB_VERSION = 20;

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

async function createV2(factory: IDBFactory): Promise<void> {
  const open = factory.open('v2', V2_IDB_VERSION);
  open.onupgradeneeded = () => {
    const db = open.result;
    const calls = db.createObjectStore('calls', { keyPath: 'id' });
    calls.createIndex('startedAt', 'startedAt');
    calls.createIndex('[startedAt+id]', ['startedAt', 'id']);
    calls.createIndex('partyKey', 'partyKey');
    db.createObjectStore('contacts', { keyPath: 'id' }).createIndex('name', 'name');
    db.createObjectStore('unseenMissed', { keyPath: 'id' });
    db.createObjectStore('meta', { keyPath: 'id' });
    db.createObjectStore('snapshots', { keyPath: 'id' });
  };
  const db = await request(open);
  const tx = db.transaction(
    ['calls', 'contacts', 'unseenMissed', 'meta', 'snapshots'],
    'readwrite',
  );
  tx.objectStore('calls').put({
    id: 'c1',
    startedAt: 5,
    partyUser: '1001',
    partyKey: '1001',
    outcome: 'missed',
    seen: false,
  });
  tx.objectStore('contacts').put({ id: 'k1', name: 'Ada', numbers: [], sipAddresses: ['ada@x'] });
  tx.objectStore('unseenMissed').put({ id: 'c1' });
  tx.objectStore('meta').put({ id: 'calls', generation: 7 });
  tx.objectStore('snapshots').put({ id: 'history-index', format: 1, ids: ['c1'] });
  await new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('transaction failed'));
  });
  db.close();
}

describe('PhoneDb v2 → v3 (chat)', () => {
  it('keeps every v2 row and adds conversations, messages and blocked with their indexes', async () => {
    const factory = new IDBFactory();
    await createV2(factory);
    const db = await openPhoneDb('v2', { indexedDB: factory, IDBKeyRange });
    expect(SCHEMA_VERSION).toBe(3);
    expect(db.verno).toBe(3);

    expect(await db.calls.where('partyKey').equals('1001').primaryKeys()).toEqual(['c1']);
    expect((await db.contacts.get('k1'))?.name).toBe('Ada');
    expect(await db.unseenMissed.toCollection().primaryKeys()).toEqual(['c1']);
    expect(await db.meta.get('calls')).toEqual({ id: 'calls', generation: 7 });
    expect((await db.snapshots.get('history-index'))?.ids).toEqual(['c1']);
    expect(await db.conversations.count()).toBe(0);
    expect(await db.messages.count()).toBe(0);
    expect(await db.blocked.count()).toBe(0);

    const store = await ChatStore.open(db);
    const conversation = await store.ensureConversation('acc-1', 'sip:bob@x', 'bob', 10);
    const message = (id: string, at: number, state: ChatMessage['state']): ChatMessage => ({
      id,
      conversationId: conversation.id,
      at,
      direction: 'out',
      text: id,
      state,
      reason: null,
      code: null,
      removed: 0,
      callId: null,
      attempts: 0,
      doneAt: null,
      queuedAt: at,
    });
    await store.addMessage(message('b', 20, 'delivered'), { unread: false });
    await store.addMessage(message('a', 20, 'queued'), { unread: false });
    await store.addMessage(message('c', 10, 'sending'), { unread: false });
    // [conversationId+at+id]: by time, equal times by id.
    expect((await store.page(conversation.id, 10)).messages.map((m) => m.id)).toEqual([
      'c',
      'a',
      'b',
    ]);
    expect((await store.unfinished()).map((m) => m.id)).toEqual(['c', 'a']);
    await store.block('acc-1', 'sip:bob@x', 30);
    expect(store.isBlocked('acc-1', 'sip:bob@x')).toBe(true);
    expect((await ChatStore.open(db)).isBlocked('acc-1', 'sip:bob@x')).toBe(true);
    db.close();
  });
});
