// Reactive mirror of chat (issue 14) for the views, over the framework-free ChatService: the
// conversation list (filtered by the search field), the unread total, the block list, the open
// conversation and its thread, message search, and where a conversation is opened from (a
// contact, a history row, the call, a link, a notification). It names peers: a contact's name,
// otherwise the address — a display name the sender claims is shown beside it, never instead.
// It asks for a notification when a message arrives unseen, and opens links only on a click:
// web and mail through main's allow-list, tel:/sip: into our own dialer (never dialled).
import type { DialTarget } from '@shared/dial-target';
import { parseDialLink } from '@shared/dial-target';
import { invoke } from '../bridge';
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import type { PhoneDb } from '../db/phone-db';
import { ChatError, ChatService } from '../messaging/chat-service';
import type { MessageHit } from '../messaging/chat-store';
import { previewOf } from '../messaging/message-id';
import type { TextRun } from '../messaging/links';
import type { MessagingEngine } from '../messaging/messenger';
import { addressOf } from '../messaging/peer';
import type { BlockedPeer, Conversation } from '../messaging/types';
import { accountHintFor } from '../phone';
import { foldText } from '../search/fold';
import { singleLine } from '../text/inert-text';
import { ThreadState } from './chat-thread.svelte';
import type { SettingsState } from './settings.svelte';

const log = createLogger('chat-state');

/** What chat reads from the rest of the phone. */
export interface ChatStateDeps {
  settings: SettingsState;
  /** A contact's name for a party, or null (memory.contacts). */
  contactName(user: string, uri: string): string | null;
  /** A dial target from a message's tel:/sip: link goes to the dial field (never dialled). */
  dialLink(target: DialTarget): void;
  /** Whether the user is looking at the window (visible and focused). */
  attentive?(): boolean;
}

export interface ChatStateEvents {
  /** The unread total changed (the tray and the badge follow). */
  unread: number;
}

const THREADS_KEPT = 4;

export class ChatState extends TypedEmitter<ChatStateEvents> {
  readonly service: ChatService;
  readonly #deps: ChatStateDeps;
  #all = $state.raw<Conversation[]>([]);
  #blocked = $state.raw<BlockedPeer[]>([]);
  #unread = $state(0);
  #active = $state<string | null>(null);
  #focusTick = $state(0);
  #query = $state('');
  #hits = $state.raw<MessageHit[]>([]);
  #searching = $state(false);
  #notice = $state<string | null>(null);
  #problem = $state<string | null>(null);
  // Threads are not UI state themselves: each is reactive inside.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #threads = new Map<string, ThreadState>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #detach = new Map<string, () => void>();
  #searchRun = 0;

  constructor(deps: ChatStateDeps) {
    super();
    this.#deps = deps;
    const attentive = (): boolean =>
      deps.attentive
        ? deps.attentive()
        : document.visibilityState === 'visible' && document.hasFocus();
    this.service = new ChatService({
      account: (id) => deps.settings.account(id),
      sendTyping: () => deps.settings.value?.sendTypingIndicator ?? true,
      attentive,
    });
    this.#listen();
  }

  /** Opens the store; a MESSAGE that comes while it opens waits for it (ChatService.open). */
  async openStore(db: PhoneDb | Promise<PhoneDb>): Promise<void> {
    try {
      await this.service.open(db);
    } catch (error: unknown) {
      this.#problem = `Messages are unavailable: ${error instanceof Error ? error.message : String(error)}`;
      log.warn(this.#problem);
    }
  }

  /** An account's engine started (or stopped: null): chat binds to it. */
  engineChanged(accountId: string, engine: MessagingEngine | null): void {
    this.#detach.get(accountId)?.();
    this.#detach.delete(accountId);
    if (engine) {
      this.#detach.set(accountId, this.service.attach(engine));
    }
  }

  /** Why chat is unavailable, when it is. */
  get problem(): string | null {
    return this.#problem;
  }
  /** A sentence about the last thing that could not be opened (a link, a reply), or null. */
  get notice(): string | null {
    return this.#notice;
  }
  /** Conversations matching the search field, newest first. */
  get conversations(): Conversation[] {
    const tokens = foldText(this.#query.trim()).split(/\s+/).filter(Boolean);
    if (tokens.length === 0) {
      return this.#all;
    }
    return this.#all.filter((c) => {
      const hay = foldText(
        `${this.nameOf(c)} ${addressOf(c.peer)} ${c.peerName ?? ''} ${c.lastText}`,
      );
      return tokens.every((t) => hay.includes(t));
    });
  }
  /** Every conversation (unfiltered). */
  get count(): number {
    return this.#all.length;
  }
  get unreadTotal(): number {
    return this.#unread;
  }
  get blocked(): BlockedPeer[] {
    return this.#blocked;
  }
  /** The conversation open in the chat view. */
  get active(): Conversation | null {
    return this.#all.find((c) => c.id === this.#active) ?? null;
  }
  /** Changes whenever the chat view should come forward (link, notification, tray). */
  get focusTick(): number {
    return this.#focusTick;
  }
  /** The search field (filters conversations; Enter searches message texts). */
  get query(): string {
    return this.#query;
  }
  set query(value: string) {
    this.#query = value;
    if (value.trim() === '') {
      this.#hits = [];
    }
  }
  /** Messages found by the last message search. */
  get hits(): MessageHit[] {
    return this.#hits;
  }
  get searching(): boolean {
    return this.#searching;
  }

  /** The name shown for a conversation: the contact's, else the address. */
  nameOf(conversation: Pick<Conversation, 'peer' | 'peerUser'>): string {
    return (
      this.#deps.contactName(conversation.peerUser, conversation.peer) ??
      addressOf(conversation.peer)
    );
  }

  /** The display name the sender claims, when it is not already the shown name; else null. */
  claimedName(conversation: Conversation): string | null {
    const name = conversation.peerName;
    return name && this.#deps.contactName(conversation.peerUser, conversation.peer) === null
      ? name
      : null;
  }

  /** The account label of a conversation ('' when the account is gone). */
  accountLabel(conversation: Conversation): string {
    return this.#deps.settings.labelOf(conversation.accountId);
  }

  isBlocked(conversation: Conversation): boolean {
    return this.#blocked.some((b) => b.id === conversation.id);
  }

  /** The thread of a conversation (kept for the few most recently opened). */
  thread(conversationId: string): ThreadState {
    let thread = this.#threads.get(conversationId);
    if (thread) {
      this.#threads.delete(conversationId);
    } else {
      thread = new ThreadState(conversationId, this.service);
    }
    this.#threads.set(conversationId, thread);
    for (const id of this.#threads.keys()) {
      if (this.#threads.size <= THREADS_KEPT) {
        break;
      }
      if (id !== conversationId && id !== this.#active) {
        this.#threads.delete(id);
      }
    }
    return thread;
  }

  /** Shows a conversation in the chat view. */
  open(conversationId: string): void {
    if (!this.service.conversation(conversationId)) {
      return;
    }
    this.#active = conversationId;
    this.#focusTick += 1;
  }

  /** Back to the conversation list. */
  close(): void {
    this.#active = null;
  }

  /** Brings the chat view forward on the list (the tray's "unread messages"). */
  showList(): void {
    this.#active = null;
    this.#focusTick += 1;
  }

  /**
   * Opens (creating when new) the conversation with a number or address on an account: from a
   * contact, a history row or a call. A sentence is kept in `notice` when it cannot be.
   */
  async startWith(input: string, accountId?: string): Promise<Conversation | null> {
    const account = this.#account(accountId);
    if (!account) {
      this.#notice = 'Set up an account first.';
      return null;
    }
    try {
      const conversation = await this.service.start(account, input);
      this.#notice = null;
      this.open(conversation.id);
      return conversation;
    } catch (error: unknown) {
      this.#notice = error instanceof ChatError ? error.message : String(error);
      return null;
    }
  }

  /**
   * A link with a message (sip:…?body=): opens the conversation with the text as a draft on
   * the account the link names. Nothing is sent: the user reads it and clicks Send.
   */
  async fromLink(target: DialTarget): Promise<void> {
    const hint = accountHintFor(target, this.#deps.settings.enabledAccounts);
    const conversation = await this.startWith(target.dial, hint ?? undefined);
    if (conversation && target.body) {
      this.thread(conversation.id).addToDraft(target.body);
    }
  }

  /** Opens a conversation for a notification click (ignored when it no longer exists). */
  openFromNotification(conversationId: string): void {
    this.open(conversationId);
  }

  /**
   * Sends a reply typed into the OS notification. When it cannot be sent it is kept as the
   * conversation's draft and the user is told, so nothing typed is lost.
   */
  async replyFromNotification(conversationId: string, text: string): Promise<void> {
    if (!this.service.conversation(conversationId)) {
      return;
    }
    try {
      await this.service.send(conversationId, text);
      await this.markRead(conversationId);
    } catch (error: unknown) {
      this.thread(conversationId).addToDraft(text);
      this.#notice = `Your reply was not sent: ${error instanceof Error ? error.message : String(error)} It is kept as a draft.`;
      this.open(conversationId);
    }
  }

  /** Marks a conversation read and takes its notification down. */
  async markRead(conversationId: string): Promise<void> {
    await this.service.markRead(conversationId);
    invoke('notify/message-read', { conversationId }).catch(() => {});
  }

  /** Searches message texts for the search field's words. */
  async searchMessages(): Promise<void> {
    const run = ++this.#searchRun;
    const query = this.#query;
    this.#searching = true;
    try {
      const hits = await this.service.search(query);
      if (run === this.#searchRun) {
        this.#hits = hits;
      }
    } finally {
      if (run === this.#searchRun) {
        this.#searching = false;
      }
    }
  }

  /** Opens a search hit: its conversation, scrolled to the message. */
  async openHit(hit: MessageHit): Promise<void> {
    this.open(hit.conversation.id);
    await this.thread(hit.conversation.id).loadAround(hit.message);
  }

  block(conversationId: string): Promise<void> {
    return this.service.block(conversationId);
  }

  unblock(id: string): Promise<void> {
    return this.service.unblock(id);
  }

  async deleteConversation(conversationId: string): Promise<void> {
    await this.service.deleteConversation(conversationId);
    this.#threads.delete(conversationId);
    if (this.#active === conversationId) {
      this.#active = null;
    }
  }

  /**
   * A click on a link in a message: http, https and mailto go to the OS through main's
   * allow-list; tel: and sip: fill our dial field (or open the chat for a link with a message).
   * Nothing else is ever opened.
   */
  openLink(run: Extract<TextRun, { kind: 'link' }>): void {
    if (run.scheme === 'tel' || run.scheme === 'sip') {
      const parsed = parseDialLink(run.href);
      if (!parsed.ok) {
        this.#notice = parsed.message;
      } else if (parsed.target.body !== undefined) {
        void this.fromLink(parsed.target);
      } else {
        this.#deps.dialLink(parsed.target);
      }
      return;
    }
    invoke('links/open-external', { url: run.href })
      .then(({ opened }) => {
        this.#notice = opened ? null : 'This link cannot be opened.';
      })
      .catch((error: unknown) => {
        this.#notice = `The link could not be opened: ${String(error)}`;
      });
  }

  dismissNotice(): void {
    this.#notice = null;
  }

  #account(accountId: string | undefined): string | null {
    const enabled = this.#deps.settings.enabledAccounts;
    if (accountId && enabled.some((a) => a.id === accountId)) {
      return accountId;
    }
    return this.#deps.settings.defaultAccount?.id ?? null;
  }

  #listen(): void {
    const s = this.service;
    s.on('conversations', () => this.#refresh());
    s.on('blocked', () => {
      this.#blocked = s.blockedList();
    });
    s.on('message', ({ conversationId, message, added }) =>
      this.#threads.get(conversationId)?.messageEvent(message, added),
    );
    s.on('typing', ({ conversationId, active }) =>
      this.#threads.get(conversationId)?.typingEvent(active),
    );
    s.on('received', ({ conversation, message, unread }) => {
      if (unread && (this.#deps.settings.value?.notifyMessages ?? true)) {
        invoke('notify/message', {
          conversationId: conversation.id,
          title: singleLine(this.nameOf(conversation), 100) || addressOf(conversation.peer),
          body: previewOf(message.text),
        }).catch((error: unknown) => log.debug(`notification not shown: ${String(error)}`));
      }
    });
  }

  #refresh(): void {
    this.#all = this.service.conversations();
    this.#blocked = this.service.blockedList();
    const unread = this.service.unreadTotal;
    if (unread !== this.#unread) {
      this.#unread = unread;
      this.emit('unread', unread);
    }
  }
}
