// The outbox on its own, on a manual clock: one message in flight per conversation while others
// proceed, every wait bounded (24 hours for the account, 500 messages per account) with the
// cause said, a removed account's messages failed, a deleted conversation's forgotten.
import { describe, expect, it } from 'vitest';
import type { SendOutcome } from '../../../src-renderer/src/lib/messaging/delivery';
import {
  MAX_QUEUED,
  MAX_WAIT_MS,
  Outbox,
  type OutboxChange,
  type OutboxItem,
} from '../../../src-renderer/src/lib/messaging/outbox';
import { ManualScheduler } from '../../support/manual-scheduler';

function setup(registered = new Set<string>(['a1'])) {
  const clock = new ManualScheduler(1_000_000);
  const sends: { item: OutboxItem; answer: (o: SendOutcome) => void }[] = [];
  const changes: [string, OutboxChange['state'], string?][] = [];
  const outbox = new Outbox({
    canSend: (id) => registered.has(id),
    send: (item) => new Promise((answer) => sends.push({ item, answer })),
    changed: (item, change) =>
      changes.push([item.id, change.state, 'reason' in change ? change.reason : undefined]),
    accountLabel: (id) => (id === 'a1' ? 'Office' : ''),
    now: () => clock.now(),
    scheduler: clock,
  });
  let n = 0;
  const item = (conversationId = 'c1', accountId = 'a1'): OutboxItem => ({
    id: `m${++n}`,
    conversationId,
    accountId,
    peer: 'sip:bob@x',
    text: `text ${n}`,
    queuedAt: clock.now(),
  });
  return { clock, sends, changes, outbox, item, registered };
}

const flush = (): Promise<void> => new Promise((r) => setTimeout(r, 0));

describe('Outbox', () => {
  it('one in flight per conversation; other conversations go at the same time', async () => {
    const { outbox, item, sends } = setup();
    outbox.add(item('c1'));
    outbox.add(item('c1'));
    outbox.add(item('c2'));
    expect(sends.map((s) => s.item.id)).toEqual(['m1', 'm3']);
    sends[0]!.answer({ state: 'delivered', code: 200 });
    await flush();
    expect(sends.map((s) => s.item.id)).toEqual(['m1', 'm3', 'm2']);
    expect(outbox.size).toBe(2);
  });

  it('waits for the account, and goes when it is registered', async () => {
    const { outbox, item, sends, changes, registered } = setup(new Set());
    outbox.add(item());
    expect(sends).toEqual([]);
    expect(changes).toEqual([['m1', 'queued', undefined]]);
    registered.add('a1');
    outbox.accountChanged('a1');
    expect(sends.map((s) => s.item.id)).toEqual(['m1']);
  });

  it('fails a message that waited 24 hours, saying why, and keeps the others waiting', () => {
    const { outbox, item, changes, clock } = setup(new Set());
    outbox.add(item());
    clock.advance(MAX_WAIT_MS / 2);
    outbox.add(item());
    clock.advance(MAX_WAIT_MS / 2);
    expect(changes.filter((c) => c[1] === 'failed')).toEqual([
      [
        'm1',
        'failed',
        'Not sent: Office was not connected for 24 hours. Send it again when it is.',
      ],
    ]);
    expect(outbox.has('m2')).toBe(true);
    clock.advance(MAX_WAIT_MS / 2);
    expect(outbox.size).toBe(0);
    expect(clock.pending).toBe(0);
  });

  it(`holds at most ${MAX_QUEUED} messages per account`, () => {
    const { outbox, item, changes } = setup(new Set());
    for (let i = 0; i < MAX_QUEUED; i++) {
      outbox.add(item(`c${i % 7}`));
    }
    outbox.add(item('c1'));
    expect(outbox.size).toBe(MAX_QUEUED);
    expect(changes.at(-1)).toEqual([
      `m${MAX_QUEUED + 1}`,
      'failed',
      `Not sent: ${MAX_QUEUED} messages are already waiting for Office.`,
    ]);
    outbox.add(item('c1', 'a2'));
    expect(outbox.has(`m${MAX_QUEUED + 2}`)).toBe(true);
  });

  it('a removed account fails its waiting messages; a deleted conversation forgets them', async () => {
    const { outbox, item, changes, sends } = setup();
    outbox.add(item('c1'));
    outbox.add(item('c1'));
    outbox.add(item('c2', 'a2'));
    outbox.dropAccount('a2', 'Not sent: the account was removed.');
    expect(changes.filter((c) => c[1] === 'failed')).toEqual([
      ['m3', 'failed', 'Not sent: the account was removed.'],
    ]);
    outbox.removeConversation('c1');
    expect(outbox.has('m2')).toBe(false);
    expect(outbox.has('m1')).toBe(true); // in flight: it still reports
    sends[0]!.answer({ state: 'delivered', code: 200 });
    await flush();
    expect(outbox.size).toBe(0);
    expect(sends).toHaveLength(1);
  });
});
