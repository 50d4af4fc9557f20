// The chat service end to end below the UI: the real engine and JsSIP on the in-memory SIP server,
// the real IndexedDB schema on fake-indexeddb, vitest's fake clock. Receiving (stored, unread,
// kept across a restart, duplicates once, blocked refused), sending (delivered, accepted by the
// server, failed with the reason and the text kept, retried), messages written offline sent in
// order once registered, the outbox bound, unfinished messages after a restart, drafts, and the
// typing indication both ways (rate-limited).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChatMessage } from '../../../src-renderer/src/lib/messaging/types';
import { buildIsComposing } from '../../../src-renderer/src/lib/messaging/iscomposing';
import { MAX_WAIT_MS } from '../../../src-renderer/src/lib/messaging/outbox';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openPhoneDb } from '../../../src-renderer/src/lib/db/phone-db';
import { ChatService } from '../../../src-renderer/src/lib/messaging/chat-service';
import { ChatStore } from '../../../src-renderer/src/lib/messaging/chat-store';
import { header, type SipMessage } from '../../support/loop-sip';
import { advance, harness, registered } from '../phone/harness';
import { fakeClock, resolved, rig, thread, until, type Rig } from './chat-rig';

beforeEach(() => {
  fakeClock();
});
afterEach(() => {
  vi.useRealTimers();
});

const CONVERSATION = 'acc-1|sip:bob@example.com';
const status = (m: SipMessage | undefined): number => Number(m?.startLine.split(' ')[1]);

describe('receiving', () => {
  it('stores the message in its thread, counts it unread, and keeps it across a restart', async () => {
    const r = await rig();
    r.h.server.message('alice', { body: 'Hello Alice', fromName: 'Bob' });
    const got = await until('the message', () => r.received[0]);
    expect(got.unread).toBe(true);
    expect(got.conversation).toMatchObject({
      id: CONVERSATION,
      peer: 'sip:bob@example.com',
      peerUser: 'bob',
      peerName: 'Bob',
      lastText: 'Hello Alice',
      lastDirection: 'in',
      unread: 1,
    });
    expect(r.chat.unreadTotal).toBe(1);
    await resolved(r.chat.markRead(CONVERSATION), 'mark read');
    expect(r.chat.unreadTotal).toBe(0);

    const again = await rig({ factory: r.factory, register: false });
    expect(again.chat.conversations().map((c) => c.id)).toEqual([CONVERSATION]);
    expect((await thread(again, CONVERSATION)).map((m) => [m.direction, m.text, m.state])).toEqual([
      ['in', 'Hello Alice', 'received'],
    ]);
  });

  it('a message in the thread the user is reading is not unread', async () => {
    const r = await rig();
    r.attentive.value = true;
    r.chat.showing(CONVERSATION);
    r.h.server.message('alice', { body: 'seen at once' });
    expect((await until('the message', () => r.received[0])).unread).toBe(false);
    expect(r.chat.unreadTotal).toBe(0);
  });

  it('a MESSAGE delivered twice (same Call-ID, a proxy retrying after a lost 200) is stored once', async () => {
    const r = await rig();
    const callId = r.h.server.message('alice', { body: 'once' });
    await until('the message', () => r.received[0]);
    r.h.server.deliver(
      [
        'MESSAGE sip:alice@example.com SIP/2.0',
        'Via: SIP/2.0/WSS 127.0.0.1:5060;branch=z9hG4bKretry1',
        'Max-Forwards: 70',
        'From: <sip:bob@example.com>;tag=retry',
        'To: <sip:alice@example.com>',
        `Call-ID: ${callId}`,
        'CSeq: 2 MESSAGE',
        'Content-Type: text/plain;charset=UTF-8',
        'Content-Length: 4',
        '',
        'once',
      ].join('\r\n'),
    );
    r.h.server.message('alice', { body: 'after' });
    await until('the next message', () => r.received[1]);
    expect((await thread(r, CONVERSATION)).map((m) => m.text)).toEqual(['once', 'after']);
  });

  it('a MESSAGE that comes while the store is still opening is accepted, then stored', async () => {
    // Accounts register while chat's store opens; a server's store-and-forward delivers right
    // after the REGISTER. Hold the store's opening until the MESSAGE has been answered.
    let release = (): void => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const realOpen = ChatStore.open.bind(ChatStore);
    const spy = vi.spyOn(ChatStore, 'open').mockImplementation(async (db) => {
      await gate;
      return realOpen(db);
    });
    try {
      const h = harness();
      const chat = new ChatService({
        account: (id) =>
          id === 'acc-1' ? { id, label: 'Office', sipUri: 'sip:alice@example.com' } : null,
        sendTyping: () => true,
        attentive: () => false,
      });
      const received: string[] = [];
      chat.on('received', (r) => received.push(r.message.text));
      chat.attach(h.engine);
      await registered(h);
      const dbPromise = openPhoneDb('chat-early', { indexedDB: new IDBFactory(), IDBKeyRange });
      const db = await resolved(dbPromise, 'the database');
      const opened = chat.open(db);
      expect(chat.ready).toBe(false);

      const callId = h.server.message('alice', { body: 'before the store' });
      expect(status(await until('the answer', () => h.server.answerTo(callId)))).toBe(200);
      expect(chat.ready).toBe(false);
      expect(received).toEqual([]);

      release();
      await resolved(opened, 'chat open');
      await until('the message', () => received[0]);
      expect(received).toEqual(['before the store']);
      expect(
        (await thread({ chat } as Rig, CONVERSATION)).map((m) => [m.direction, m.text]),
      ).toEqual([['in', 'before the store']]);
    } finally {
      spy.mockRestore();
    }
  });

  it('a store that cannot open turns MESSAGE away with 480, so the sender keeps the text', async () => {
    const spy = vi.spyOn(ChatStore, 'open').mockRejectedValue(new Error('disk I/O error'));
    try {
      const h = harness();
      const chat = new ChatService({
        account: () => null,
        sendTyping: () => true,
        attentive: () => false,
      });
      chat.attach(h.engine);
      await registered(h);
      const db = await resolved(
        openPhoneDb('chat-broken', { indexedDB: new IDBFactory(), IDBKeyRange }),
        'the database',
      );
      let failed = false;
      chat.open(db).catch(() => (failed = true));
      await until('the failed open', () => failed);
      const callId = h.server.message('alice', { body: 'kept by the sender' });
      const answer = await until('the answer', () => h.server.answerTo(callId));
      expect(answer.startLine).toBe('SIP/2.0 480 Temporarily Unavailable');
      expect(header(answer, 'Retry-After')).toBe('5');
    } finally {
      spy.mockRestore();
    }
  });

  it('a blocked sender is refused with 603 and nothing is stored', async () => {
    const r = await rig();
    r.h.server.message('alice', { body: 'first' });
    await until('the message', () => r.received[0]);
    await resolved(r.chat.block(CONVERSATION), 'block');
    const callId = r.h.server.message('alice', { body: 'spam' });
    const answer = await until('the answer', () => r.h.server.answerTo(callId));
    expect(answer.startLine).toBe('SIP/2.0 603 Decline');
    expect((await thread(r, CONVERSATION)).map((m) => m.text)).toEqual(['first']);
    await resolved(r.chat.unblock(CONVERSATION), 'unblock');
    const after = r.h.server.message('alice', { body: 'sorry' });
    expect(status(await until('the answer', () => r.h.server.answerTo(after)))).toBe(200);
  });
});

describe('sending', () => {
  async function sent(r: Rig, text: string): Promise<ChatMessage> {
    const conversation = await resolved(r.chat.start('acc-1', 'bob@example.com'), 'start');
    return resolved(r.chat.send(conversation.id, text), 'send');
  }

  async function stateOf(r: Rig, id: string, wanted: string[]): Promise<ChatMessage> {
    return until(`message ${id} ${wanted.join('/')}`, () => {
      const found = latest.get(id);
      return found && wanted.includes(found.state) ? found : undefined;
    });
  }
  const latest = new Map<string, ChatMessage>();
  function watch(r: Rig): string[] {
    const states: string[] = [];
    r.chat.on('message', ({ message }) => {
      latest.set(message.id, message);
      states.push(message.state);
    });
    return states;
  }

  it('goes sending → delivered on 200, and the thread shows it', async () => {
    const r = await rig();
    const states = watch(r);
    const message = await sent(r, 'Grüße 👋');
    const done = await stateOf(r, message.id, ['delivered']);
    expect(done).toMatchObject({ code: 200, reason: null, attempts: 1 });
    expect(states).toEqual(['queued', 'sending', 'delivered']);
    expect(r.h.server.requests('MESSAGE').map((m) => m.body)).toEqual(['Grüße 👋']);
    expect(r.chat.conversation(CONVERSATION)).toMatchObject({
      lastText: 'Grüße 👋',
      lastState: 'delivered',
    });
  });

  it('202 is "accepted" (store and forward)', async () => {
    const r = await rig();
    watch(r);
    r.h.server.onMessage = (m) => r.h.server.reply(m, 202, 'Accepted');
    const message = await sent(r, 'for later');
    expect(await stateOf(r, message.id, ['accepted'])).toMatchObject({ code: 202 });
  });

  it('404 fails with the reason, keeps the text, and Retry sends the same message again', async () => {
    const r = await rig();
    watch(r);
    r.h.server.onMessage = (m) => r.h.server.reply(m, 404, 'Not Found');
    const message = await sent(r, 'are you there?');
    const failed = await stateOf(r, message.id, ['failed']);
    expect(failed).toMatchObject({
      text: 'are you there?',
      code: 404,
      reason: 'The server does not know this address (SIP 404).',
    });
    r.h.server.onMessage = (m) => r.h.server.reply(m, 200, 'OK');
    await resolved(r.chat.retry(message.id), 'retry');
    const delivered = await stateOf(r, message.id, ['delivered']);
    expect(delivered.attempts).toBe(2);
    expect(await thread(r, CONVERSATION)).toHaveLength(1);
  });

  it('messages written offline wait with a stated cause and go in order once registered', async () => {
    const r = await rig({ register: false });
    watch(r);
    const first = await sent(r, 'one');
    const second = await sent(r, 'two');
    const queued = await stateOf(r, second.id, ['queued']);
    expect(queued.reason).toBe('Waiting for Office to connect.');
    expect(r.h.server.requests('MESSAGE')).toEqual([]);
    // The server answers each MESSAGE only after a while: the second must wait for the first.
    const pending: SipMessage[] = [];
    r.h.server.onMessage = (m) => pending.push(m);
    await registered(r.h);
    await until('the first MESSAGE', () => pending.length === 1);
    // A third one written now waits too: nothing overtakes the message in flight.
    const third = await sent(r, 'three');
    await advance(500);
    expect(pending.map((m) => m.body)).toEqual(['one']);
    expect((await stateOf(r, third.id, ['queued'])).reason).toBe(
      'Waiting for the message before it.',
    );
    r.h.server.reply(pending[0]!, 200, 'OK');
    await stateOf(r, first.id, ['delivered']);
    await until('the second MESSAGE', () => pending.length === 2);
    await advance(500);
    expect(pending.map((m) => m.body)).toEqual(['one', 'two']);
    r.h.server.reply(pending[1]!, 200, 'OK');
    await stateOf(r, second.id, ['delivered']);
    await until('the third MESSAGE', () => pending.length === 3);
    r.h.server.reply(pending[2]!, 200, 'OK');
    await stateOf(r, third.id, ['delivered']);
    expect(pending.map((m) => m.body)).toEqual(['one', 'two', 'three']);
  });

  it('a message that waits longer than the bound fails, saying why', async () => {
    const r = await rig({ register: false });
    watch(r);
    const message = await sent(r, 'never connected');
    await stateOf(r, message.id, ['queued']);
    await vi.advanceTimersByTimeAsync(MAX_WAIT_MS + 1000);
    const failed = await stateOf(r, message.id, ['failed']);
    expect(failed.reason).toBe(
      'Not sent: Office was not connected for 24 hours. Send it again when it is.',
    );
    expect(failed.text).toBe('never connected');
  });

  it('after a restart: a queued message is sent once registered; one that was in flight is failed, not resent blindly', async () => {
    const r = await rig({ register: false });
    watch(r);
    const queued = await sent(r, 'queued before the restart');
    await stateOf(r, queued.id, ['queued']);
    const inFlight: ChatMessage = {
      ...queued,
      id: `${queued.id}x`,
      text: 'in flight at the crash',
      state: 'sending',
      at: queued.at - 1,
    };
    await resolved(r.db.messages.put(inFlight), 'seed');

    const again = await rig({ factory: r.factory, register: false });
    watch(again);
    // Decided while the store opened (before anyone listened): read it back from the thread.
    let failed: ChatMessage | undefined;
    for (let i = 0; i < 50 && failed?.state !== 'failed'; i++) {
      failed = (await thread(again, CONVERSATION)).find((m) => m.id === inFlight.id);
    }
    expect(failed?.state).toBe('failed');
    expect(failed?.reason).toMatch(/^The app closed before the server answered/);
    await registered(again.h);
    await stateOf(again, queued.id, ['delivered']);
    expect(again.h.server.requests('MESSAGE').map((m) => m.body)).toEqual([
      'queued before the restart',
    ]);
  });

  it('refuses an empty or oversized text without losing it', async () => {
    const r = await rig();
    const conversation = await resolved(r.chat.start('acc-1', '1001'), 'start');
    expect(conversation.peer).toBe('sip:1001@example.com');
    await expect(r.chat.send(conversation.id, '  \n ')).rejects.toThrow('Type a message first.');
    await expect(r.chat.send(conversation.id, 'x'.repeat(70_000))).rejects.toThrow(
      /too long to send \(69 KB; at most 64 KB\)/,
    );
  });
});

describe('drafts and typing', () => {
  it('a draft is saved as typed and comes back after a restart', async () => {
    const r = await rig();
    const conversation = await resolved(r.chat.start('acc-1', 'bob@example.com'), 'start');
    for (const draft of ['H', 'He', 'Hel', 'Hello, half-wri']) {
      r.chat.draftChanged(conversation.id, draft);
    }
    await resolved(r.chat.flushDrafts(), 'flush');
    const again = await rig({ factory: r.factory, register: false });
    expect(again.chat.draftOf(conversation.id)).toBe('Hello, half-wri');
  });

  it('typing sends one "active" indication, none per keystroke, and "idle" after 15 s without edits', async () => {
    const r = await rig();
    const conversation = await resolved(r.chat.start('acc-1', 'bob@example.com'), 'start');
    for (let i = 0; i < 30; i++) {
      r.chat.draftChanged(conversation.id, 'x'.repeat(i + 1));
      await advance(100);
    }
    const composing = (): SipMessage[] =>
      r.h.server
        .requests('MESSAGE')
        .filter((m) => header(m, 'content-type') === 'application/im-iscomposing+xml');
    expect(composing().map((m) => /<state>(\w+)</.exec(m.body)?.[1])).toEqual(['active']);
    await advance(15_500, 100);
    expect(composing().map((m) => /<state>(\w+)</.exec(m.body)?.[1])).toEqual(['active', 'idle']);
  });

  it('the peer typing shows until their message arrives', async () => {
    const r = await rig();
    r.h.server.message('alice', {
      body: buildIsComposing({ state: 'active', refreshS: 60 }),
      contentType: 'application/im-iscomposing+xml',
    });
    await until('typing', () => r.typing.length === 1);
    expect(r.chat.typing(CONVERSATION)).toBe(true);
    r.h.server.message('alice', { body: 'done typing' });
    await until('the message', () => r.received[0]);
    expect(r.typing).toEqual([
      { conversationId: CONVERSATION, active: true },
      { conversationId: CONVERSATION, active: false },
    ]);
  });
});
