// The journal of calls in progress: follows the line manager into storage, and after a page
// that died during calls hands them back as 'interrupted' history entries, once.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { deriveOutcome } from '../../../src-renderer/src/lib/history/outcome';
import { LineManager } from '../../../src-renderer/src/lib/phone/lines';
import { CallJournal } from '../../../src-renderer/src/lib/state/call-journal';
import { SERVER_SDP } from '../../support/loop-sip';
import { LINE_POLICY, advance, harness, registered } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

describe('call journal', () => {
  it('keeps the calls in progress, and after a lost page returns them interrupted, once', async () => {
    const h = harness();
    h.server.onInvite = (invite) => h.server.reply(invite, 200, 'OK', { body: SERVER_SDP });
    await registered(h);
    const storage = new MemoryStorage();
    const lines = new LineManager({ settings: () => LINE_POLICY });
    lines.attach(h.engine);
    new CallJournal(storage, () => Date.now()).follow(lines);
    const placing = lines.place(h.engine, 'bob');
    await advance(100);
    await placing;
    h.server.invite('alice', 'sip:carol@example.com', 'Carol');
    await advance(50);
    expect(lines.lines).toHaveLength(1);
    expect(lines.incoming).toHaveLength(1);

    // The page dies here: a new page reads what the old one left.
    const diedAt = Date.now();
    await advance(5000);
    const lost = new CallJournal(storage).takeInterrupted();
    expect(lost.map((c) => [c.party.user, c.status, c.end?.cause])).toEqual([
      ['carol', 'ended', 'interrupted'],
      ['bob', 'ended', 'interrupted'],
    ]);
    // Ended when the journal was last written, not when it was read.
    expect(lost.every((c) => c.endedAt !== null && c.endedAt <= diedAt)).toBe(true);
    expect(lost.map((c) => deriveOutcome(c))).toEqual(['missed', 'answered']);
    expect(new CallJournal(storage).takeInterrupted()).toEqual([]);
  });

  it('writes after the task that changed the lines, once for a burst of changes', async () => {
    const h = harness();
    await registered(h);
    const storage = new MemoryStorage();
    const setItem = vi.spyOn(storage, 'setItem');
    const lines = new LineManager({ settings: () => LINE_POLICY });
    lines.attach(h.engine);
    const deferred: (() => void)[] = [];
    new CallJournal(
      storage,
      () => Date.now(),
      (write) => deferred.push(write),
    ).follow(lines);
    h.server.invite('alice', 'sip:carol@example.com', 'Carol');
    h.server.invite('alice', 'sip:dave@example.com', 'Dave');
    await advance(50);
    expect(lines.incoming).toHaveLength(2);
    // Nothing was written while the changes ran; one write is queued for both calls.
    expect(setItem).not.toHaveBeenCalled();
    expect(deferred).toHaveLength(1);
    deferred.shift()!();
    expect(setItem).toHaveBeenCalledTimes(1);
    const lost = new CallJournal(storage).takeInterrupted();
    expect(lost.map((c) => c.party.user).sort()).toEqual(['carol', 'dave']);
  });

  it('keeps the recording ids of calls in progress and hands them back with the calls', async () => {
    const h = harness();
    h.server.onInvite = (invite) => h.server.reply(invite, 200, 'OK', { body: SERVER_SDP });
    await registered(h);
    const storage = new MemoryStorage();
    const lines = new LineManager({ settings: () => LINE_POLICY });
    lines.attach(h.engine);
    let recordings: Record<string, string[]> = {};
    const journal = new CallJournal(storage);
    journal.follow(lines, () => recordings);
    const placing = lines.place(h.engine, 'bob');
    await advance(100);
    const call = await placing;
    // A recording starts: the journal is written again at once (refresh), not at the next change.
    recordings = { [call.id]: ['rec-1'], 'call-gone': ['rec-0'] };
    journal.refresh();

    const lost = new CallJournal(storage).takeInterruptedCalls();
    expect(lost.calls.map((c) => c.id)).toEqual([call.id]);
    // Only calls still in the journal keep their ids.
    expect(lost.recordings).toEqual({ [call.id]: ['rec-1'] });
    storage.setItem(
      'open-softphone.live-calls',
      JSON.stringify({ savedAt: 1, calls: [], recordings: { a: [1], b: ['x'], c: 'y' } }),
    );
    expect(new CallJournal(storage).takeInterruptedCalls().recordings).toEqual({ b: ['x'] });
  });

  it('forgets calls that ended normally', async () => {
    const h = harness();
    h.server.onInvite = (invite) => h.server.reply(invite, 200, 'OK', { body: SERVER_SDP });
    await registered(h);
    const storage = new MemoryStorage();
    const lines = new LineManager({ settings: () => LINE_POLICY });
    lines.attach(h.engine);
    new CallJournal(storage).follow(lines);
    const placing = lines.place(h.engine, 'bob');
    await advance(100);
    const call = await placing;
    expect(storage.items.size).toBe(1);
    call.hangup();
    await advance(50);
    expect(storage.items.size).toBe(0);
    expect(new CallJournal(storage).takeInterrupted()).toEqual([]);
  });

  it('drops unreadable content and works without storage', () => {
    const storage = new MemoryStorage();
    storage.setItem('open-softphone.live-calls', '{"savedAt": "x"');
    expect(new CallJournal(storage).takeInterrupted()).toEqual([]);
    storage.setItem(
      'open-softphone.live-calls',
      JSON.stringify({ savedAt: 1, calls: [{ id: 7 }, null, 'call'] }),
    );
    expect(new CallJournal(storage).takeInterrupted()).toEqual([]);
    expect(new CallJournal(null).takeInterrupted()).toEqual([]);
  });
});
