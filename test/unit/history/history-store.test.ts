// The history store on fake-indexeddb: recording calls, paging, search, delete/clear, the
// missed-call count and persistence across a reopen (a "reload").
import { IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { ContactsStore } from '../../../src-renderer/src/lib/contacts/contacts-store';
import { openPhoneDb } from '../../../src-renderer/src/lib/db/phone-db';
import {
  HistoryStore,
  type HistoryChange,
  type HistoryResults,
} from '../../../src-renderer/src/lib/history/history-store';
import { endedCall, entry, freshDb } from './fake-db';

function ids(results: HistoryResults): string[] {
  return Array.from({ length: results.count }, (_, i) => results.idAt(i) ?? '?');
}

async function seeded(n: number): Promise<HistoryStore> {
  const { db } = await freshDb();
  await db.calls.bulkPut(
    Array.from({ length: n }, (_, i) =>
      entry(`e${i}`, { startedAt: 1000 + i, partyName: `Person ${i}`, partyUser: `${2000 + i}` }),
    ),
  );
  return HistoryStore.open(db, { chunkSize: 7 });
}

describe('HistoryStore', () => {
  it('records calls from snapshots and counts unseen missed calls until marked seen', async () => {
    const { db } = await freshDb();
    const store = await HistoryStore.open(db);
    await store.loadIndex();
    const changes: HistoryChange['kind'][] = [];
    store.on('changed', (c) => changes.push(c.kind));
    await store.addFromCall(endedCall({ id: 'm1' }), { accountLabel: 'Office' });
    await store.addFromCall(endedCall({ id: 'm2', createdAt: 2e12 }), { accountLabel: 'Office' });
    await store.addFromCall(endedCall({ id: 'a1', answeredAt: 1 }), { accountLabel: 'Office' });
    expect(store.missedCount).toBe(2);
    expect(await store.markAllSeen()).toBe(2);
    expect(store.missedCount).toBe(0);
    expect(await store.markAllSeen()).toBe(0);
    expect(changes).toEqual(['added', 'added', 'added', 'seen']);
    const reopened = await HistoryStore.open(db);
    expect(reopened.missedCount).toBe(0);
  });

  it('persists across a reopen of the database (a reload of the app)', async () => {
    const { db, factory } = await freshDb();
    const store = await HistoryStore.open(db);
    await store.addFromCall(endedCall({ id: 'm1' }), { accountLabel: 'Office' });
    db.close();
    const again = await openPhoneDb('test', { indexedDB: factory, IDBKeyRange });
    const reopened = await HistoryStore.open(again);
    expect(reopened.missedCount).toBe(1);
    const page = await reopened.page(10);
    expect(page.entries.map((e) => [e.id, e.outcome, e.accountLabel])).toEqual([
      ['m1', 'missed', 'Office'],
    ]);
  });

  it('pages newest first with a cursor, stable among equal start times', async () => {
    const { db } = await freshDb();
    await db.calls.bulkPut([
      entry('x', { startedAt: 5 }),
      entry('a', { startedAt: 5 }),
      entry('m', { startedAt: 9 }),
      entry('z', { startedAt: 1 }),
    ]);
    const store = await HistoryStore.open(db);
    const first = await store.page(2);
    expect(first.entries.map((e) => e.id)).toEqual(['m', 'x']);
    const second = await store.page(2, first.next ?? undefined);
    expect(second.entries.map((e) => e.id)).toEqual(['a', 'z']);
    expect(second.next).toEqual({ startedAt: 1, id: 'z' });
    expect(await store.page(2, second.next ?? undefined)).toEqual({ entries: [], next: null });
  });

  it('loads the index in chunks and lists everything newest first', async () => {
    const store = await seeded(30);
    expect(store.search('').count).toBe(0);
    await store.loadIndex();
    const all = ids(store.search(''));
    expect(all).toHaveLength(30);
    expect(all.slice(0, 3)).toEqual(['e29', 'e28', 'e27']);
    expect(await store.count()).toBe(30);
  });

  it('searches name, number and address, newest first, and finds contact names via nameFor', async () => {
    const { db } = await freshDb();
    await db.calls.bulkPut([
      entry('1', {
        startedAt: 1,
        partyName: 'Zoë Ünal',
        partyUser: 'zoe',
        partyUri: 'sip:zoe@ex.org',
      }),
      entry('2', { startedAt: 2, partyUser: '+49 30 1234567', partyUri: 'sip:+49301234567@pbx' }),
      entry('3', { startedAt: 3, partyUser: '0301234567', partyUri: 'sip:0301234567@pbx' }),
    ]);
    const nameFor = (user: string) => (user === '0301234567' ? 'Dr. Müller' : null);
    const store = await HistoryStore.open(db, { nameFor });
    await store.loadIndex();
    expect(ids(store.search('ZOE UN'))).toEqual(['1']);
    expect(ids(store.search('30-123 45'))).toEqual(['3', '2']);
    expect(ids(store.search('@ex.org'))).toEqual(['1']);
    expect(ids(store.search('muller'))).toEqual(['3']);
    expect(ids(store.search('nobody'))).toEqual([]);
  });

  it('keeps the index in step with adds (in time order), deletes and clear', async () => {
    const store = await seeded(5);
    await store.loadIndex();
    await store.add(entry('late', { startedAt: 1002.5, partyName: 'Inserted' }));
    expect(ids(store.search('')).slice(0, 4)).toEqual(['e4', 'e3', 'late', 'e2']);
    expect(ids(store.search('inserted'))).toEqual(['late']);
    await store.delete('e3');
    await store.delete('missing');
    expect(ids(store.search(''))).toEqual(['e4', 'late', 'e2', 'e1', 'e0']);
    expect((await store.get(['e3', 'e4'])).has('e3')).toBe(false);
    await store.clear();
    expect(store.search('').count).toBe(0);
    expect(await store.count()).toBe(0);
  });

  it('adds many entries at once, with their unseen misses, and reindexes', async () => {
    const store = await seeded(2);
    await store.loadIndex();
    await store.addMany([
      entry('m1', { startedAt: 5000, outcome: 'missed', seen: false, partyName: 'Bulk' }),
      entry('m2', { startedAt: 5001, outcome: 'missed', seen: true }),
    ]);
    expect(store.missedCount).toBe(1);
    expect(ids(store.search(''))).toEqual(['m2', 'm1', 'e1', 'e0']);
    expect(ids(store.search('bulk'))).toEqual(['m1']);
    expect(await store.markAllSeen()).toBe(1);
    expect((await store.get(['m1'])).get('m1')?.seen).toBe(true);
  });

  it('replacing an entry with the same id does not duplicate it nor double-count a miss', async () => {
    const store = await seeded(0);
    await store.loadIndex();
    await store.add(entry('r', { outcome: 'missed', seen: false }));
    await store.add(entry('r', { outcome: 'missed', seen: false, partyName: 'Again' }));
    expect(ids(store.search(''))).toEqual(['r']);
    expect(store.missedCount).toBe(1);
  });

  it('changes made while the index loads are not lost', async () => {
    const store = await seeded(50);
    const loading = store.loadIndex();
    const adding = store.add(entry('new', { startedAt: 5000 }));
    const deleting = store.delete('e0');
    await Promise.all([loading, adding, deleting]);
    const all = ids(store.search(''));
    expect(all[0]).toBe('new');
    expect(all).not.toContain('e0');
    expect(all).toHaveLength(50);
  });

  it('saves the index as a snapshot and reopens from it while calls and contacts are unchanged', async () => {
    const { db } = await freshDb();
    await db.calls.bulkPut([
      entry('a', { startedAt: 1, partyName: 'Anna' }),
      entry('b', { startedAt: 2 }),
    ]);
    const first = await HistoryStore.open(db, { snapshotDelayMs: 0 });
    await first.loadIndex();
    expect(first.indexSource).toBe('rows');
    await first.saveSnapshot();
    first.dispose();

    // A row removed behind the store's back (no generation bump) is still listed: the snapshot was read.
    await db.calls.delete('b');
    const second = await HistoryStore.open(db);
    await second.loadIndex();
    expect(second.indexSource).toBe('snapshot');
    expect(ids(second.search(''))).toEqual(['b', 'a']);
    expect(ids(second.search('anna'))).toEqual(['a']);

    // A change through the store bumps the generation: the old snapshot no longer counts.
    await second.add(entry('c', { startedAt: 3, partyName: 'Carl' }));
    second.dispose();
    const third = await HistoryStore.open(db);
    await third.loadIndex();
    expect(third.indexSource).toBe('rows');
    expect(ids(third.search(''))).toEqual(['c', 'a']);
    await third.saveSnapshot();
    const fourth = await HistoryStore.open(db);
    await fourth.loadIndex();
    expect(fourth.indexSource).toBe('snapshot');
    expect(ids(fourth.search('carl'))).toEqual(['c']);
  });

  it('a change of contacts invalidates the snapshot, so new contact names are found', async () => {
    const { db } = await freshDb();
    await db.calls.bulkPut([entry('a', { partyUser: '1001', partyUri: 'sip:1001@pbx' })]);
    const contacts = await ContactsStore.open(db);
    const options = { nameFor: (u: string, a: string) => contacts.nameFor(u, a) };
    const first = await HistoryStore.open(db, options);
    await first.loadIndex();
    await first.saveSnapshot();
    await contacts.add({
      name: 'Desk Phone',
      numbers: [{ label: 'work', value: '1001' }],
      sipAddresses: [],
      favourite: false,
    });
    const second = await HistoryStore.open(db, options);
    await second.loadIndex();
    expect(second.indexSource).toBe('rows');
    expect(ids(second.search('desk'))).toEqual(['a']);
    await first.reindex();
    expect(ids(first.search('desk'))).toEqual(['a']);
  });

  it('finds calls by party key and stores quality figures', async () => {
    const { db } = await freshDb();
    const store = await HistoryStore.open(db);
    await store.add(entry('q', { partyKey: '301234567', startedAt: 1 }));
    await store.add(entry('r', { partyKey: '301234567', startedAt: 2 }));
    await store.add(entry('s', { partyKey: '1001' }));
    expect((await store.forParty('301234567')).map((e) => e.id)).toEqual(['r', 'q']);
    expect(await store.forParty('')).toEqual([]);
    const quality = {
      mos: 4.1,
      jitterMs: 2,
      lossPct: 0,
      rttMs: 30,
      codec: 'opus',
      concealedPct: 0,
    };
    await store.setQuality('q', quality);
    expect((await store.get(['q'])).get('q')?.quality).toEqual(quality);
  });
});
