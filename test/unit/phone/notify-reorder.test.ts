// Owns NotifyReorder's matching rules on parsed heads and a manual clock: only a NOTIFY of an
// initial SUBSCRIBE still waiting for its final response is held (same Call-ID, To tag = the
// SUBSCRIBE's From tag); a refresh, another dialog or a SUBSCRIBE past Timer F holds nothing;
// a 1xx does not end the wait; a challenged SUBSCRIBE sent again keeps waiting; clear() drops
// what is held and cancels its bound.
import { describe, expect, it } from 'vitest';
import {
  NotifyReorder,
  SUBSCRIBE_TIMEOUT_MS,
  type HeldMessage,
} from '../../../src-renderer/src/lib/phone/notify-reorder';
import { parseSipHead, type SipHead } from '../../../src-renderer/src/lib/phone/sip-screen';
import { ManualScheduler } from '../../support/manual-scheduler';

const CALL_ID = 'sub-1@client';

function head(lines: string[]): SipHead {
  const parsed = parseSipHead([...lines, 'Content-Length: 0', '', ''].join('\r\n'));
  if (!parsed) {
    throw new Error('test message did not parse');
  }
  return parsed;
}

function subscribe(opts: { toTag?: string; cseq?: number } = {}): SipHead {
  return head([
    'SUBSCRIBE sip:bob@example.com SIP/2.0',
    'Via: SIP/2.0/WSS client.invalid;branch=z9hG4bKsub',
    'From: <sip:alice@example.com>;tag=alice1',
    `To: <sip:bob@example.com>${opts.toTag ? `;tag=${opts.toTag}` : ''}`,
    `Call-ID: ${CALL_ID}`,
    `CSeq: ${opts.cseq ?? 1} SUBSCRIBE`,
    'Event: dialog',
  ]);
}

function response(status: number, cseq = 1): SipHead {
  return head([
    `SIP/2.0 ${status} Whatever`,
    'Via: SIP/2.0/WSS client.invalid;branch=z9hG4bKsub',
    'From: <sip:alice@example.com>;tag=alice1',
    'To: <sip:bob@example.com>;tag=bob1',
    `Call-ID: ${CALL_ID}`,
    `CSeq: ${cseq} SUBSCRIBE`,
  ]);
}

function notify(opts: { callId?: string; toTag?: string; cseq?: number } = {}): HeldMessage {
  const notifyHead = head([
    'NOTIFY sip:alice@client.invalid SIP/2.0',
    `Via: SIP/2.0/WSS server.invalid;branch=z9hG4bKn${opts.cseq ?? 1}`,
    'From: <sip:bob@example.com>;tag=bob1',
    `To: <sip:alice@example.com>;tag=${opts.toTag ?? 'alice1'}`,
    `Call-ID: ${opts.callId ?? CALL_ID}`,
    `CSeq: ${opts.cseq ?? 1} NOTIFY`,
    'Event: dialog',
    'Subscription-State: active;expires=3600',
  ]);
  return { text: `NOTIFY ${opts.cseq ?? 1}`, head: notifyHead };
}

function setUp(): { reorder: NotifyReorder; clock: ManualScheduler; released: string[] } {
  const clock = new ManualScheduler();
  const released: string[] = [];
  const reorder = new NotifyReorder(clock, (m) => released.push(m.text));
  return { reorder, clock, released };
}

describe('NotifyReorder', () => {
  it('holds only a NOTIFY of the waiting SUBSCRIBE, until its final response', () => {
    const { reorder, released } = setUp();
    reorder.noteSent(subscribe());
    expect(reorder.hold(notify({ callId: 'other@client' }))).toBe(false);
    expect(reorder.hold(notify({ toTag: 'someone-else' }))).toBe(false);
    expect(reorder.hold(notify({ cseq: 1 }))).toBe(true);
    expect(reorder.hold(notify({ cseq: 2 }))).toBe(true);
    reorder.after(response(100));
    expect(released).toEqual([]);
    reorder.after(response(200));
    expect(released).toEqual(['NOTIFY 1', 'NOTIFY 2']);
    // The wait is over: later NOTIFYs go straight through.
    expect(reorder.hold(notify({ cseq: 3 }))).toBe(false);
  });

  it('never waits for a refresh (JsSIP has the dialog then)', () => {
    const { reorder } = setUp();
    reorder.noteSent(subscribe({ toTag: 'bob1', cseq: 2 }));
    expect(reorder.hold(notify())).toBe(false);
  });

  it('keeps waiting through a challenge, and forgets a SUBSCRIBE past Timer F', () => {
    const { reorder, clock, released } = setUp();
    reorder.noteSent(subscribe());
    clock.advance(SUBSCRIBE_TIMEOUT_MS - 1000);
    // Challenged and sent again: a new transaction, a new Timer F.
    reorder.after(response(401));
    reorder.noteSent(subscribe({ cseq: 2 }));
    clock.advance(2000);
    expect(reorder.hold(notify())).toBe(true);
    reorder.after(response(200, 2));
    expect(released).toEqual(['NOTIFY 1']);

    reorder.noteSent(subscribe({ cseq: 3 }));
    clock.advance(SUBSCRIBE_TIMEOUT_MS + 1);
    expect(reorder.hold(notify({ cseq: 2 }))).toBe(false);
  });

  it('keeps waiting when the SUBSCRIBE is sent again while its challenge is handled', () => {
    // JsSIP answers a 401/407 by sending the SUBSCRIBE again from inside its handling of that
    // answer, so the socket notes the new SUBSCRIBE before after() sees the challenge.
    const { reorder, released } = setUp();
    reorder.noteSent(subscribe());
    reorder.noteSent(subscribe({ cseq: 2 }));
    reorder.after(response(407, 1));
    expect(reorder.hold(notify())).toBe(true);
    expect(released).toEqual([]);
    reorder.after(response(200, 2));
    expect(released).toEqual(['NOTIFY 1']);
  });

  it('drops what it holds on clear(), and its bound then releases nothing', () => {
    const { reorder, clock, released } = setUp();
    reorder.noteSent(subscribe());
    expect(reorder.hold(notify())).toBe(true);
    expect(reorder.heldCount).toBe(1);
    expect(reorder.clear()).toBe(1);
    expect(clock.pending).toBe(0);
    clock.advance(SUBSCRIBE_TIMEOUT_MS);
    expect(released).toEqual([]);
    expect(reorder.hold(notify())).toBe(false);
  });
});
