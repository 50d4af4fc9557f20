// A fresh PhoneDb on fake-indexeddb per test, and call snapshots / history entries to fill it.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openPhoneDb, type PhoneDb } from '../../../src-renderer/src/lib/db/phone-db';
import type { HistoryEntry } from '../../../src-renderer/src/lib/history/types';
import type { CallSnapshot } from '../../../src-renderer/src/lib/phone/types';
import { PLAIN_CALL_INFO } from '../../support/call-info';

/** A database in its own in-memory IndexedDB. */
export async function freshDb(): Promise<{ db: PhoneDb; factory: IDBFactory }> {
  const factory = new IDBFactory();
  const db = await openPhoneDb('test', { indexedDB: factory, IDBKeyRange });
  return { db, factory };
}

/** A snapshot of an ended call; override what the test cares about. */
export function endedCall(over: Partial<CallSnapshot> = {}): CallSnapshot {
  return {
    id: 'c1',
    accountId: 'acc-1',
    direction: 'incoming',
    status: 'ended',
    party: { name: 'Alice', user: '1001', uri: 'sip:1001@pbx.example.com' },
    createdAt: 1_700_000_000_000,
    answeredAt: null,
    endedAt: 1_700_000_010_000,
    end: { cause: 'canceled-remote', code: null, message: '' },
    muted: false,
    remoteAudio: false,
    hold: { local: false, remote: false },
    earlyMedia: false,
    trouble: null,
    transfer: null,
    info: { ...PLAIN_CALL_INFO },
    ...over,
  };
}

/** A history entry; override what the test cares about. */
export function entry(id: string, over: Partial<HistoryEntry> = {}): HistoryEntry {
  return {
    id,
    startedAt: 1_700_000_000_000,
    answeredAt: null,
    endedAt: 1_700_000_010_000,
    durationS: 0,
    direction: 'outgoing',
    outcome: 'answered',
    accountId: 'acc-1',
    accountLabel: 'Office',
    partyName: null,
    partyUser: '1001',
    partyUri: 'sip:1001@pbx.example.com',
    partyKey: '1001',
    endCause: 'hangup-local',
    endCode: null,
    seen: true,
    ...over,
  };
}
