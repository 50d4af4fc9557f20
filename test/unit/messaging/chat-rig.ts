// Shared set-up of the chat service tests: the real engine and JsSIP on the in-memory SIP server,
// the real IndexedDB schema on fake-indexeddb and vitest's fake clock (which must leave
// setImmediate alone: fake-indexeddb runs its work there), plus waits that run both until a
// condition holds, bounded in fake time.
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { vi } from 'vitest';
import { openPhoneDb, type PhoneDb } from '../../../src-renderer/src/lib/db/phone-db';
import { ChatService } from '../../../src-renderer/src/lib/messaging/chat-service';
// ChatService.open loads the store's module on demand (a chunk of its own in the app); loaded
// here up front, that import is a module-cache hit and the waits below, bounded in fake time,
// never race a slow first transform on a loaded machine.
import '../../../src-renderer/src/lib/messaging/chat-store';
import type { ChatMessage, Conversation } from '../../../src-renderer/src/lib/messaging/types';
import { advance, harness, registered, type Harness } from '../phone/harness';

/** Fakes the clock and timers, not setImmediate. */
export function fakeClock(): void {
  vi.useFakeTimers({
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date', 'performance'],
  });
}

// fake-indexeddb runs its work on setImmediate, which the fake clock must not hold back.
const realImmediate = setImmediate;
const tick = (): Promise<void> => new Promise((resolve) => realImmediate(resolve));

/** Runs the fake clock and the database until `check` holds (at most `limitMs` of fake time). */
export async function until<T>(
  what: string,
  check: () => T | undefined | false,
  limitMs = 5_000,
): Promise<T> {
  for (let t = 0; t <= limitMs; t += 5) {
    for (let i = 0; i < 4; i++) {
      await tick();
    }
    const value = check();
    if (value !== undefined && value !== false) {
      return value;
    }
    await advance(5, 5);
  }
  throw new Error(`timed out waiting for ${what}`);
}

export interface Rig {
  h: Harness;
  chat: ChatService;
  db: PhoneDb;
  factory: IDBFactory;
  received: { conversation: Conversation; message: ChatMessage; unread: boolean }[];
  typing: { conversationId: string; active: boolean }[];
  attentive: { value: boolean };
}

export async function rig(opts: { factory?: IDBFactory; register?: boolean } = {}): Promise<Rig> {
  const factory = opts.factory ?? new IDBFactory();
  const h = harness();
  const attentive = { value: false };
  const chat = new ChatService({
    account: (id) =>
      id === 'acc-1' ? { id, label: 'Office', sipUri: 'sip:alice@example.com' } : null,
    sendTyping: () => true,
    attentive: () => attentive.value,
  });
  const dbPromise = openPhoneDb('chat', { indexedDB: factory, IDBKeyRange });
  const db = await until('the database', () => dbSettled(dbPromise));
  const opened = chat.open(db);
  let done = false;
  void opened.then(() => (done = true));
  await until('chat open', () => done);
  chat.attach(h.engine);
  const received: Rig['received'] = [];
  const typing: Rig['typing'] = [];
  chat.on('received', (r) => received.push(r));
  chat.on('typing', (t) => typing.push(t));
  if (opts.register !== false) {
    await registered(h);
  }
  return { h, chat, db, factory, received, typing, attentive };
}

const settled = new WeakMap<Promise<unknown>, { value: unknown }>();
function dbSettled<T>(promise: Promise<T>): T | undefined {
  if (!settled.has(promise)) {
    settled.set(promise, { value: undefined });
    void promise.then((value) => (settled.get(promise)!.value = value));
  }
  return settled.get(promise)!.value as T | undefined;
}

export async function resolved<T>(promise: Promise<T>, what: string): Promise<T> {
  let box: { value: T } | undefined;
  void promise.then((value) => (box = { value }));
  return (await until(what, () => box)).value;
}

export async function thread(r: Rig, conversationId: string): Promise<ChatMessage[]> {
  return (await resolved(r.chat.page(conversationId, 100), 'the thread')).messages;
}
