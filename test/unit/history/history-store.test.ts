// The history store on fake-indexeddb: recording calls, paging, search, delete/clear, the
// missed-call count and persistence across a reopen (a "reload").
import { IDBKeyRange } from 'fake-indexeddb';
import { describe, expect, it } from 'vitest';
import { openPhoneDb } from '../../../src-renderer/src/lib/history/db';
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
    store.onChange((c) => changes.push(c.kind));
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
