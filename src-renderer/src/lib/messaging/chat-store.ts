// Owns chat in IndexedDB (PhoneDb schema v3): conversations (all held in memory, newest first,
// with their unread counts and drafts), messages paged per conversation straight from the
// database, the blocked senders (in memory too: an incoming MESSAGE is answered before any await),
// and search over message texts. Every write runs in one queue, so the memory and the database
// never disagree. Framework-free; the chat service drives it.
import Dexie from 'dexie';
import type { PhoneDb } from '../db/phone-db';
import { parseQuery, buildHaystack } from '../search/text-index';
import { previewOf } from './message-id';
export { messageId, PREVIEW_LENGTH, previewOf } from './message-id';
import { conversationIdOf } from './peer';
import type { BlockedPeer, ChatMessage, Conversation } from './types';

/** A page of a thread, oldest first. */
export interface ThreadPage {
  messages: ChatMessage[];
  /** Whether older messages exist before the first one. */
  more: boolean;
}

/** A message that matched a search. */
export interface MessageHit {
  message: ChatMessage;
  conversation: Conversation;
}

/** Most search hits returned. */
export const MAX_HITS = 100;

export class ChatStore {
  readonly #db: PhoneDb;
  readonly #conversations = new Map<string, Conversation>();
  readonly #blocked = new Map<string, BlockedPeer>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(db: PhoneDb) {
    this.#db = db;
  }

  /** Opens chat on `db`: loads every conversation and the block list into memory. */
  static async open(db: PhoneDb): Promise<ChatStore> {
    const store = new ChatStore(db);
    const [conversations, blocked] = await Promise.all([
      db.conversations.toArray(),
      db.blocked.toArray(),
    ]);
    for (const c of conversations) {
      store.#conversations.set(c.id, c);
    }
    for (const b of blocked) {
      store.#blocked.set(b.id, b);
    }
    return store;
  }

  /** Every conversation, newest first. */
  conversations(): Conversation[] {
    return [...this.#conversations.values()].sort((a, b) => b.lastAt - a.lastAt);
  }

  conversation(id: string): Conversation | undefined {
    return this.#conversations.get(id);
  }

  /** Unread messages over all conversations. */
  get unreadTotal(): number {
    let n = 0;
    for (const c of this.#conversations.values()) {
      n += c.unread;
    }
    return n;
  }

  /** Whether the peer is blocked on the account (synchronous: answers MESSAGE before any await). */
  isBlocked(accountId: string, peer: string): boolean {
    return this.#blocked.has(conversationIdOf(accountId, peer));
  }

  /** The block list, most recently blocked first. */
  blockedList(): BlockedPeer[] {
    return [...this.#blocked.values()].sort((a, b) => b.at - a.at);
  }

  /** The conversation with `peer` on `accountId`, created (empty) when new. */
  ensureConversation(
    accountId: string,
    peer: string,
    user: string,
    now = Date.now(),
  ): Promise<Conversation> {
    return this.#serially(async () => {
      const id = conversationIdOf(accountId, peer);
      const existing = this.#conversations.get(id);
      if (existing) {
        return existing;
      }
      const created: Conversation = {
        id,
        accountId,
        peer,
        peerUser: user,
        peerName: null,
        lastAt: now,
        lastText: '',
        lastDirection: null,
        lastState: null,
        unread: 0,
        draft: '',
      };
      await this.#db.conversations.put(created);
      this.#conversations.set(id, created);
      return created;
    });
  }

  /** Stores a new message and makes it its conversation's newest (unread +1 when `unread`). */
  addMessage(
    message: ChatMessage,
    opts: { unread: boolean; peerName?: string | null },
  ): Promise<Conversation> {
    return this.#serially(async () => {
      const conversation = this.#require(message.conversationId);
      const next: Conversation = {
        ...conversation,
        ...(opts.peerName ? { peerName: opts.peerName } : {}),
        lastAt: Math.max(conversation.lastAt, message.at),
        lastText: previewOf(message.text),
        lastDirection: message.direction,
        lastState: message.state,
        unread: conversation.unread + (opts.unread ? 1 : 0),
      };
      await this.#db.transaction('rw', this.#db.messages, this.#db.conversations, async () => {
        await this.#db.messages.put(message);
        await this.#db.conversations.put(next);
      });
      this.#conversations.set(next.id, next);
      return next;
    });
  }

  /** Changes a stored message; the conversation's preview follows when it is the newest. */
  updateMessage(
    id: string,
    patch: (current: ChatMessage) => Partial<Omit<ChatMessage, 'id' | 'conversationId'>>,
  ): Promise<{ message: ChatMessage; conversation: Conversation } | null> {
    return this.#serially(async () => {
      const db = this.#db;
      return db.transaction('rw', db.messages, db.conversations, async () => {
        const current = await db.messages.get(id);
        const conversation = current ? this.#conversations.get(current.conversationId) : undefined;
        if (!current || !conversation) {
          return null;
        }
        const message: ChatMessage = { ...current, ...patch(current) };
        await db.messages.put(message);
        const newest = await this.#newest(conversation.id);
        const next =
          newest?.id === id
            ? { ...conversation, lastState: message.state, lastText: previewOf(message.text) }
            : conversation;
        if (next !== conversation) {
          await db.conversations.put(next);
          this.#conversations.set(next.id, next);
        }
        return { message, conversation: next };
      });
    });
  }

  /** One stored message. */
  message(id: string): Promise<ChatMessage | undefined> {
    return this.#db.messages.get(id);
  }

  /** The newest `limit` messages before `before` (or the newest of all), oldest first. */
  async page(
    conversationId: string,
    limit: number,
    before?: Pick<ChatMessage, 'at' | 'id'>,
  ): Promise<ThreadPage> {
    const rows = await this.#db.messages
      .where('[conversationId+at+id]')
      .between(
        [conversationId, Dexie.minKey, Dexie.minKey],
        before
          ? [conversationId, before.at, before.id]
          : [conversationId, Dexie.maxKey, Dexie.maxKey],
        true,
        false,
      )
      .reverse()
      .limit(limit + 1)
      .toArray();
    const more = rows.length > limit;
    return { messages: rows.slice(0, limit).reverse(), more };
  }

  /** Up to `limit` messages after `after`, oldest first (a thread opened at a search hit). */
  async after(
    conversationId: string,
    limit: number,
    after: Pick<ChatMessage, 'at' | 'id'>,
  ): Promise<ChatMessage[]> {
    return this.#db.messages
      .where('[conversationId+at+id]')
      .between(
        [conversationId, after.at, after.id],
        [conversationId, Dexie.maxKey, Dexie.maxKey],
        false,
        true,
      )
      .limit(limit)
      .toArray();
  }

  /** Outgoing messages still queued or in flight (the outbox reloads them at start). */
  async unfinished(): Promise<ChatMessage[]> {
    const rows = await this.#db.messages.where('state').anyOf('queued', 'sending').toArray();
    return rows.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : 1));
  }

  /** Sets the unread count of a conversation to 0; false when it was already 0. */
  markRead(conversationId: string): Promise<boolean> {
    return this.#patchConversation(conversationId, (c) => (c.unread === 0 ? null : { unread: 0 }));
  }

  /** Saves the draft of a conversation. */
  setDraft(conversationId: string, draft: string): Promise<boolean> {
    return this.#patchConversation(conversationId, (c) => (c.draft === draft ? null : { draft }));
  }

  /** Blocks a peer: their messages are refused with 603 from now on. */
  block(accountId: string, peer: string, now = Date.now()): Promise<void> {
    return this.#serially(async () => {
      const entry: BlockedPeer = {
        id: conversationIdOf(accountId, peer),
        accountId,
        peer,
        at: now,
      };
      await this.#db.blocked.put(entry);
      this.#blocked.set(entry.id, entry);
    });
  }

  /** Takes a peer off the block list. */
  unblock(id: string): Promise<void> {
    return this.#serially(async () => {
      await this.#db.blocked.delete(id);
      this.#blocked.delete(id);
    });
  }

  /** Deletes a conversation and all its messages. */
  deleteConversation(id: string): Promise<void> {
    return this.#serially(async () => {
      const db = this.#db;
      await db.transaction('rw', db.messages, db.conversations, async () => {
        await db.messages
          .where('[conversationId+at+id]')
          .between([id, Dexie.minKey, Dexie.minKey], [id, Dexie.maxKey, Dexie.maxKey])
          .delete();
        await db.conversations.delete(id);
      });
      this.#conversations.delete(id);
    });
  }

  /**
   * Messages whose text matches `query` (every word, case- and accent-insensitive), newest
   * first, at most `limit`. Reads every stored message: chat search is typed rarely and ends
   * with Enter, unlike the history's search-as-you-type.
   */
  async search(query: string, limit = MAX_HITS): Promise<MessageHit[]> {
    const tokens = parseQuery(query).map((t) => t.value);
    if (tokens.length === 0) {
      return [];
    }
    const hits: ChatMessage[] = [];
    await this.#db.messages.each((message) => {
      const hay = buildHaystack([message.text]);
      if (tokens.every((t) => hay.includes(t))) {
        hits.push(message);
      }
    });
    hits.sort((a, b) => b.at - a.at);
    const out: MessageHit[] = [];
    for (const message of hits) {
      const conversation = this.#conversations.get(message.conversationId);
      if (conversation) {
        out.push({ message, conversation });
      }
      if (out.length >= limit) {
        break;
      }
    }
    return out;
  }

  async #newest(conversationId: string): Promise<ChatMessage | undefined> {
    return this.#db.messages
      .where('[conversationId+at+id]')
      .between(
        [conversationId, Dexie.minKey, Dexie.minKey],
        [conversationId, Dexie.maxKey, Dexie.maxKey],
      )
      .last();
  }

  #patchConversation(
    id: string,
    change: (c: Conversation) => Partial<Conversation> | null,
  ): Promise<boolean> {
    return this.#serially(async () => {
      const current = this.#conversations.get(id);
      const patch = current ? change(current) : null;
      if (!current || !patch) {
        return false;
      }
      const next = { ...current, ...patch };
      await this.#db.conversations.put(next);
      this.#conversations.set(id, next);
      return true;
    });
  }

  #require(id: string): Conversation {
    const conversation = this.#conversations.get(id);
    if (!conversation) {
      throw new Error(`no conversation ${id}`);
    }
    return conversation;
  }

  #serially<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}
