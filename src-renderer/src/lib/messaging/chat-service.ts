// Owns chat as a whole, framework-free: one Messenger per running account engine, the store
// (conversations, messages, drafts, block list), the outbox that sends in order and waits for
// registration, and the typing indications both ways. What arrives is stored before it is shown;
// what the user sends is stored before it goes, and stays (failed, with the reason) if it
// cannot go. The reactive mirror (state/chat.svelte.ts) listens to its events.
import { TypedEmitter } from '../emitter';
import type { DialTarget } from '@shared/dial-target';
import type { PhoneDb } from '../db/phone-db';
import { createLogger } from '../logger';
import { systemScheduler, type Scheduler } from '../scheduler';
import { cleanText } from '../text/inert-text';
import type { ChatStore, MessageHit, ThreadPage } from './chat-store';
import { messageId } from './message-id';
import { ComposingReceiver, ComposingSender, type ComposingIndication } from './composing';
import { MAX_MESSAGE_BYTES, utf8Length } from './incoming-body';
import { buildIsComposing, ISCOMPOSING_CONTENT_TYPE } from './iscomposing';
import {
  Messenger,
  type IncomingComposing,
  type IncomingText,
  type MessagingEngine,
} from './messenger';
import { Outbox, type OutboxChange, type OutboxItem } from './outbox';
import { conversationIdOf, resolvePeer } from './peer';
import type { ChatMessage, Conversation } from './types';

const log = createLogger('chat');

/** A refusal of a user action; `message` is meant for the user. */
export class ChatError extends Error {
  override name = 'ChatError';
}

/** What chat needs to know about an account. */
export interface ChatAccount {
  id: string;
  label: string;
  sipUri: string;
}

export interface ChatServiceDeps {
  /** The account's settings; null once it was removed. */
  account(id: string): ChatAccount | null;
  /** Whether our typing is announced to peers (a setting). */
  sendTyping(): boolean;
  /** Whether the user is looking at the app (window visible and focused). */
  attentive(): boolean;
  scheduler?: Scheduler;
  /** Wall clock, epoch ms. */
  now?(): number;
}

export interface ChatEvents {
  /** The conversation list changed: order, previews, unread counts, names, drafts. */
  conversations: null;
  /** A message was added to a conversation (`added`) or changed (its delivery state). */
  message: { conversationId: string; message: ChatMessage; added: boolean };
  /** The peer's typing state in a conversation. */
  typing: { conversationId: string; active: boolean };
  /** A message arrived and was stored. `unread` is false when the user was reading that thread. */
  received: { conversation: Conversation; message: ChatMessage; unread: boolean };
  /** The block list changed. */
  blocked: null;
}

const RECENT_CALL_IDS = 256;

export class ChatService extends TypedEmitter<ChatEvents> {
  readonly #deps: ChatServiceDeps;
  readonly #scheduler: Scheduler;
  readonly #now: () => number;
  readonly #outbox: Outbox;
  #store: ChatStore | null = null;
  /** The store while it opens (messages that arrive meanwhile wait for it). */
  #opening: Promise<ChatStore> | null = null;
  readonly #messengers = new Map<string, Messenger>();
  readonly #senders = new Map<string, ComposingSender>();
  readonly #receivers = new Map<string, ComposingReceiver>();
  readonly #showing = new Map<string, number>();
  readonly #recentCallIds: string[] = [];
  readonly #drafts = new Map<string, { latest: string; writing: Promise<void> | null }>();
  // The latest record of each message in the outbox: its state changes are shown at once and
  // saved behind (the text itself was saved before it was handed to the outbox).
  readonly #outgoing = new Map<string, ChatMessage>();

  constructor(deps: ChatServiceDeps) {
    super();
    this.#deps = deps;
    this.#scheduler = deps.scheduler ?? systemScheduler;
    this.#now = () => (deps.now ? deps.now() : Date.now());
    this.#outbox = new Outbox({
      canSend: (id) => this.#messengers.get(id)?.canSend ?? false,
      send: (item) => this.#messengers.get(item.accountId)!.send(item.peer, item.text),
      changed: (item, change) => this.#outboxChanged(item, change),
      accountLabel: (id) => this.#deps.account(id)?.label ?? '',
      now: this.#now,
      scheduler: this.#scheduler,
    });
  }

  /**
   * Opens the store and puts unfinished outgoing messages back in the outbox. Accounts register
   * while it opens: a MESSAGE that comes meanwhile (a server's store-and-forward delivers right
   * after the REGISTER) is accepted and written as soon as the store is open, instead of being
   * answered 480 and left with the server until the next registration. Only a store that fails
   * to open at all turns MESSAGE away (480 with Retry-After, the sender keeps the text).
   */
  async open(db: PhoneDb | Promise<PhoneDb>): Promise<void> {
    // The store's code (with Dexie) is a chunk of its own, loaded with the database. `db` may
    // still be on its way: the store counts as opening from this call on.
    const opening = Promise.all([import('./chat-store'), db]).then(([{ ChatStore }, opened]) =>
      ChatStore.open(opened),
    );
    this.#opening = opening;
    let store: ChatStore;
    try {
      store = await opening;
      this.#store = store;
    } finally {
      this.#opening = null;
    }
    for (const message of await store.unfinished()) {
      this.#resume(message);
    }
    this.emit('conversations', null);
  }

  /** Whether the store is open. */
  get ready(): boolean {
    return this.#store !== null;
  }

  /** Takes MESSAGE on an account's engine; returns the detach (the engine stops). */
  attach(engine: MessagingEngine): () => void {
    const accountId = engine.account.id;
    this.#messengers.get(accountId)?.dispose();
    const messenger = new Messenger(
      engine,
      {
        ready: () => this.#store !== null || this.#opening !== null,
        isBlocked: (account, peer) => this.#store?.isBlocked(account, peer) ?? false,
      },
      this.#scheduler,
    );
    messenger.on('message', (m) => void this.#received(m).catch((e: unknown) => this.#lost(e)));
    messenger.on('composing', (c) => this.#composing(c));
    this.#messengers.set(accountId, messenger);
    const off = engine.on('registration', () => this.#outbox.accountChanged(accountId));
    this.#outbox.accountChanged(accountId);
    return () => {
      off();
      messenger.dispose();
      if (this.#messengers.get(accountId) === messenger) {
        this.#messengers.delete(accountId);
      }
    };
  }

  /** The accounts changed: messages waiting for an account that is gone fail, saying so. */
  accountsChanged(): void {
    const store = this.#store;
    for (const c of store?.conversations() ?? []) {
      if (this.#deps.account(c.accountId) === null) {
        this.#outbox.dropAccount(c.accountId, 'Not sent: the account was removed.');
      }
    }
  }

  /** Every conversation, newest first. */
  conversations(): Conversation[] {
    return this.#store?.conversations() ?? [];
  }

  conversation(id: string): Conversation | undefined {
    return this.#store?.conversation(id);
  }

  /** Unread messages over all conversations. */
  get unreadTotal(): number {
    return this.#store?.unreadTotal ?? 0;
  }

  /** The block list. */
  blockedList(): ReturnType<ChatStore['blockedList']> {
    return this.#store?.blockedList() ?? [];
  }

  isBlocked(conversation: Conversation): boolean {
    return this.#store?.isBlocked(conversation.accountId, conversation.peer) ?? false;
  }

  /** Whether the peer of a conversation is typing now. */
  typing(conversationId: string): boolean {
    return this.#receivers.get(conversationId)?.active ?? false;
  }

  /** The draft of a conversation, including edits still being saved. */
  draftOf(conversationId: string): string {
    return (
      this.#drafts.get(conversationId)?.latest ?? this.conversation(conversationId)?.draft ?? ''
    );
  }

  /**
   * The conversation with what the user picked (a number, an address, a link's target) on an
   * account, created when new. Throws ChatError with a sentence for the user.
   */
  async start(accountId: string, input: string | DialTarget): Promise<Conversation> {
    const store = this.#open();
    const account = this.#deps.account(accountId);
    if (!account) {
      throw new ChatError('Set up an account first.');
    }
    let resolved: ReturnType<typeof resolvePeer>;
    try {
      resolved = resolvePeer(input, account.sipUri);
    } catch (error: unknown) {
      throw new ChatError(error instanceof Error ? error.message : String(error));
    }
    const conversation = await store.ensureConversation(
      accountId,
      resolved.peer,
      resolved.user,
      this.#now(),
    );
    this.emit('conversations', null);
    return conversation;
  }

  /** A page of a thread, oldest first. */
  page(conversationId: string, limit: number, before?: ChatMessage): Promise<ThreadPage> {
    return this.#open().page(conversationId, limit, before);
  }

  /** Messages after one (a thread opened at a search hit), oldest first. */
  after(conversationId: string, limit: number, after: ChatMessage): Promise<ChatMessage[]> {
    return this.#open().after(conversationId, limit, after);
  }

  /** Messages matching a search, newest first. */
  search(query: string): Promise<MessageHit[]> {
    return this.#open().search(query);
  }

  /**
   * Stores the message and hands it to the outbox (sent now when registered, else when the
   * account is). Throws ChatError for an empty or too long text; nothing is lost then: the
   * caller keeps the draft.
   */
  async send(conversationId: string, typed: string): Promise<ChatMessage> {
    const store = this.#open();
    const conversation = store.conversation(conversationId);
    if (!conversation) {
      throw new ChatError('This conversation no longer exists.');
    }
    const text = cleanText(typed, { multiline: true }).text.replace(/\s+$/u, '');
    if (text.trim() === '') {
      throw new ChatError('Type a message first.');
    }
    const bytes = utf8Length(text);
    if (bytes > MAX_MESSAGE_BYTES) {
      throw new ChatError(
        `This message is too long to send (${Math.ceil(bytes / 1024)} KB; at most ${MAX_MESSAGE_BYTES / 1024} KB).`,
      );
    }
    const now = this.#now();
    const message: ChatMessage = {
      id: messageId(now),
      conversationId,
      at: now,
      direction: 'out',
      text,
      state: 'queued',
      reason: this.#waiting(conversation.accountId),
      code: null,
      removed: 0,
      callId: null,
      attempts: 0,
      doneAt: null,
      queuedAt: now,
    };
    await store.addMessage(message, { unread: false });
    this.#senders.get(conversationId)?.messageSent();
    this.draftChanged(conversationId, '', false);
    this.emit('message', { conversationId, message, added: true });
    this.emit('conversations', null);
    this.#outgoing.set(message.id, message);
    this.#outbox.add(this.#itemOf(message, conversation));
    return message;
  }

  /** Sends a failed message again (same record, back in the outbox). */
  async retry(id: string): Promise<void> {
    const store = this.#open();
    const message = await store.message(id);
    const conversation = message ? store.conversation(message.conversationId) : undefined;
    if (!message || !conversation || message.direction !== 'out' || message.state !== 'failed') {
      return;
    }
    const queuedAt = this.#now();
    const updated = await store.updateMessage(id, () => ({
      state: 'queued',
      reason: null,
      code: null,
      doneAt: null,
      queuedAt,
    }));
    if (updated) {
      this.#outgoing.set(id, updated.message);
      this.#announce(updated.message);
    }
    this.#outbox.add({ ...this.#itemOf(message, conversation), queuedAt });
  }

  /**
   * The user edited the draft: it is saved (the latest edit wins, one write at a time) and,
   * when `typing`, our typing state follows (an empty draft means no longer typing).
   */
  draftChanged(conversationId: string, draft: string, typing = true): void {
    this.#saveDraft(conversationId, draft);
    if (!typing) {
      return;
    }
    const sender = this.#sender(conversationId);
    if (draft.trim() === '') {
      sender.stop();
    } else {
      sender.edited();
    }
  }

  /** Waits until every draft edit is saved. */
  async flushDrafts(): Promise<void> {
    await Promise.all([...this.#drafts.values()].map((d) => d.writing ?? Promise.resolve()));
  }

  /**
   * A view shows the conversation (while the returned release is not called): messages arriving
   * while the user is attentive are not counted unread; it is marked read now.
   */
  showing(conversationId: string): () => void {
    this.#showing.set(conversationId, (this.#showing.get(conversationId) ?? 0) + 1);
    return () => {
      const n = (this.#showing.get(conversationId) ?? 1) - 1;
      if (n <= 0) {
        this.#showing.delete(conversationId);
        this.#senders.get(conversationId)?.stop();
      } else {
        this.#showing.set(conversationId, n);
      }
    };
  }

  /** Marks a conversation read. */
  async markRead(conversationId: string): Promise<void> {
    if (await this.#open().markRead(conversationId)) {
      this.emit('conversations', null);
    }
  }

  /** Blocks the peer of a conversation: their messages are refused with 603 from now on. */
  async block(conversationId: string): Promise<void> {
    const store = this.#open();
    const conversation = store.conversation(conversationId);
    if (conversation) {
      await store.block(conversation.accountId, conversation.peer, this.#now());
      this.emit('blocked', null);
    }
  }

  /** Takes an entry (by its id, the conversation id) off the block list. */
  async unblock(id: string): Promise<void> {
    await this.#open().unblock(id);
    this.emit('blocked', null);
  }

  /** Deletes a conversation, its messages and its waiting messages. */
  async deleteConversation(conversationId: string): Promise<void> {
    const store = this.#open();
    this.#outbox.removeConversation(conversationId);
    await store.deleteConversation(conversationId);
    this.#senders.get(conversationId)?.stop();
    this.#receivers.get(conversationId)?.dispose();
    this.#drafts.delete(conversationId);
    this.emit('conversations', null);
  }

  /** Stops timers and messengers (teardown). */
  dispose(): void {
    this.#outbox.dispose();
    for (const messenger of this.#messengers.values()) {
      messenger.dispose();
    }
    for (const sender of this.#senders.values()) {
      sender.stop();
    }
    for (const receiver of this.#receivers.values()) {
      receiver.dispose();
    }
    this.removeAllListeners();
  }

  #open(): ChatStore {
    if (!this.#store) {
      throw new ChatError('Messages are not available yet.');
    }
    return this.#store;
  }

  #lost(error: unknown): void {
    log.error('an incoming message could not be stored', error);
  }

  async #received(incoming: IncomingText): Promise<void> {
    const key = `${incoming.accountId}|${incoming.callId}`;
    if (incoming.callId !== '' && this.#recentCallIds.includes(key)) {
      return;
    }
    this.#recentCallIds.push(key);
    if (this.#recentCallIds.length > RECENT_CALL_IDS) {
      this.#recentCallIds.shift();
    }
    const store = this.#store ?? (await this.#opening) ?? this.#open();
    const at = this.#now();
    const conversation = await store.ensureConversation(
      incoming.accountId,
      incoming.peer,
      incoming.user,
      at,
    );
    const message: ChatMessage = {
      id: messageId(at),
      conversationId: conversation.id,
      at,
      direction: 'in',
      text: incoming.text,
      state: 'received',
      reason: null,
      code: 200,
      removed: incoming.removed,
      callId: incoming.callId || null,
      attempts: 0,
      doneAt: null,
      queuedAt: null,
    };
    const unread = !(this.#showing.has(conversation.id) && this.#deps.attentive());
    const next = await store.addMessage(message, { unread, peerName: incoming.name });
    this.#receivers.get(conversation.id)?.messageReceived();
    this.emit('message', { conversationId: conversation.id, message, added: true });
    this.emit('conversations', null);
    this.emit('received', { conversation: next, message, unread });
  }

  #composing(incoming: IncomingComposing): void {
    const id = conversationIdOf(incoming.accountId, incoming.peer);
    let receiver = this.#receivers.get(id);
    if (!receiver) {
      receiver = new ComposingReceiver({
        onChange: (active) => this.emit('typing', { conversationId: id, active }),
        scheduler: this.#scheduler,
      });
      this.#receivers.set(id, receiver);
    }
    receiver.indication(incoming.indication);
  }

  #sender(conversationId: string): ComposingSender {
    let sender = this.#senders.get(conversationId);
    if (!sender) {
      sender = new ComposingSender({
        send: (indication) => this.#sendComposing(conversationId, indication),
        scheduler: this.#scheduler,
      });
      this.#senders.set(conversationId, sender);
    }
    return sender;
  }

  // Best effort and never queued: a typing indication is worthless once late.
  #sendComposing(conversationId: string, indication: ComposingIndication): void {
    const conversation = this.conversation(conversationId);
    const messenger = conversation ? this.#messengers.get(conversation.accountId) : undefined;
    if (!conversation || !messenger?.canSend || !this.#deps.sendTyping()) {
      return;
    }
    const body = buildIsComposing({
      state: indication.state,
      ...(indication.refreshS !== undefined ? { refreshS: indication.refreshS } : {}),
      lastActive: new Date(this.#now()),
      contentType: 'text/plain',
    });
    void messenger.send(conversation.peer, body, ISCOMPOSING_CONTENT_TYPE);
  }

  #saveDraft(conversationId: string, draft: string): void {
    const store = this.#store;
    if (!store) {
      return;
    }
    const slot = this.#drafts.get(conversationId) ?? { latest: draft, writing: null };
    slot.latest = draft;
    this.#drafts.set(conversationId, slot);
    if (slot.writing) {
      return;
    }
    slot.writing = (async () => {
      let written: string;
      do {
        written = slot.latest;
        if (await store.setDraft(conversationId, written)) {
          this.emit('conversations', null);
        }
      } while (slot.latest !== written);
    })()
      .catch((error: unknown) => log.warn(`a draft was not saved: ${String(error)}`))
      .finally(() => {
        if (this.#drafts.get(conversationId) === slot) {
          this.#drafts.delete(conversationId);
        }
      });
  }

  // An unfinished message found at start: back in the outbox, or failed if it was in flight.
  #resume(message: ChatMessage): void {
    const conversation = this.conversation(message.conversationId);
    if (!conversation) {
      return;
    }
    this.#outgoing.set(message.id, message);
    if (message.state === 'sending') {
      this.#outboxChanged(this.#itemOf(message, conversation), {
        state: 'failed',
        code: null,
        reason:
          'The app closed before the server answered; the message may not have arrived. Send it again if needed.',
      });
      return;
    }
    this.#outbox.add(this.#itemOf(message, conversation));
  }

  #itemOf(message: ChatMessage, conversation: Conversation): OutboxItem {
    return {
      id: message.id,
      conversationId: conversation.id,
      accountId: conversation.accountId,
      peer: conversation.peer,
      text: message.text,
      queuedAt: message.queuedAt ?? message.at,
    };
  }

  #outboxChanged(item: OutboxItem, change: OutboxChange): void {
    const store = this.#store;
    const current = this.#outgoing.get(item.id);
    if (!store || !current) {
      return;
    }
    const patch = this.#patchFor(change, current, item.accountId);
    const next: ChatMessage = { ...current, ...patch };
    if (next.state === 'queued' || next.state === 'sending') {
      this.#outgoing.set(next.id, next);
    } else {
      this.#outgoing.delete(next.id);
    }
    this.emit('message', { conversationId: next.conversationId, message: next, added: false });
    void store
      .updateMessage(item.id, () => patch)
      .then(() => this.emit('conversations', null))
      .catch((error: unknown) => log.warn(`a message state was not saved: ${String(error)}`));
  }

  #patchFor(change: OutboxChange, current: ChatMessage, accountId: string): Partial<ChatMessage> {
    const now = this.#now();
    switch (change.state) {
      case 'queued':
        return { state: 'queued', reason: this.#waiting(accountId) };
      case 'sending':
        return { state: 'sending', reason: null, attempts: current.attempts + 1 };
      case 'failed':
        return { state: 'failed', code: change.code, reason: change.reason, doneAt: now };
      default:
        return { state: change.state, code: change.code, reason: null, doneAt: now };
    }
  }

  // Why a message is queued: its account is not registered, or another message goes first.
  #waiting(accountId: string): string {
    const label = this.#deps.account(accountId)?.label || 'the account';
    return this.#messengers.get(accountId)?.canSend
      ? 'Waiting for the message before it.'
      : `Waiting for ${label} to connect.`;
  }

  #announce(message: ChatMessage): void {
    this.emit('message', { conversationId: message.conversationId, message, added: false });
    this.emit('conversations', null);
  }
}
