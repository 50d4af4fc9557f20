// Reactive mirror of one open conversation for the views: the loaded window of its messages
// (the newest page first, older pages on demand: a thread of 10,000 messages costs one page to
// open), the draft (saved as typed, restored after a restart), the peer's typing state, and the
// actions: send (the draft is kept when sending is refused), retry, load older. The messages
// themselves live in the chat service's store.
import { ChatError, type ChatService } from '../messaging/chat-service';
import type { ChatMessage } from '../messaging/types';

/** Messages loaded per page. */
export const PAGE_SIZE = 50;

export class ThreadState {
  readonly id: string;
  readonly #service: ChatService;
  #messages = $state.raw<ChatMessage[]>([]);
  #more = $state(false);
  #loading = $state(false);
  #draft = $state('');
  #problem = $state<string | null>(null);
  #highlight = $state<string | null>(null);
  #typing = $state(false);
  // Whether the newest messages are loaded (a thread opened at a search hit may not be).
  #atEnd = true;
  #loaded: Promise<void> | null = null;

  constructor(id: string, service: ChatService) {
    this.id = id;
    this.#service = service;
    this.#draft = service.draftOf(id);
    this.#typing = service.typing(id);
  }

  /** The loaded messages, oldest first. */
  get messages(): ChatMessage[] {
    return this.#messages;
  }
  /** Whether older messages can be loaded. */
  get more(): boolean {
    return this.#more;
  }
  get loading(): boolean {
    return this.#loading;
  }
  /** Why the last send was refused (the draft is kept), or null. */
  get problem(): string | null {
    return this.#problem;
  }
  /** A message to scroll to and mark (a search hit), or null. */
  get highlight(): string | null {
    return this.#highlight;
  }
  /** Whether the peer is typing. */
  get typing(): boolean {
    return this.#typing;
  }

  /** The draft; every edit is saved and tells the peer we are typing. */
  get draft(): string {
    return this.#draft;
  }
  set draft(value: string) {
    this.#draft = value;
    this.#problem = null;
    this.#service.draftChanged(this.id, value);
  }

  /** Loads the newest page (once; later calls wait for the same load). */
  load(): Promise<void> {
    this.#loaded ??= this.#loadNewest();
    return this.#loaded;
  }

  /** Loads the messages around `message` and marks it (a search hit). */
  async loadAround(message: ChatMessage): Promise<void> {
    this.#loading = true;
    try {
      const [before, after] = await Promise.all([
        this.#service.page(this.id, PAGE_SIZE, message),
        this.#service.after(this.id, PAGE_SIZE, message),
      ]);
      this.#messages = [...before.messages, message, ...after];
      this.#more = before.more;
      this.#atEnd = after.length < PAGE_SIZE;
      this.#highlight = message.id;
      this.#loaded = Promise.resolve();
    } finally {
      this.#loading = false;
    }
  }

  /** Loads the page before the oldest loaded message. */
  async loadOlder(): Promise<void> {
    const oldest = this.#messages[0];
    if (!oldest || !this.#more || this.#loading) {
      return;
    }
    this.#loading = true;
    try {
      const page = await this.#service.page(this.id, PAGE_SIZE, oldest);
      this.#messages = [...page.messages, ...this.#messages];
      this.#more = page.more;
    } finally {
      this.#loading = false;
    }
  }

  /** Sends the draft. A refusal (empty, too long) is shown and the draft stays. */
  async send(): Promise<void> {
    const text = this.#draft;
    try {
      await this.#service.send(this.id, text);
      if (this.#draft === text) {
        this.#draft = '';
      }
      if (!this.#atEnd) {
        this.#loaded = null;
        await this.load();
      }
    } catch (error: unknown) {
      this.#problem = error instanceof ChatError ? error.message : 'The message could not be sent.';
    }
  }

  /** Sends a failed message again. */
  retry(id: string): Promise<void> {
    return this.#service.retry(id);
  }

  /** Puts text into the draft without losing what is there (a link's ?body=, a failed reply). */
  addToDraft(text: string): void {
    const current = this.#draft;
    if (current.includes(text)) {
      return;
    }
    this.#draft = current.trim() === '' ? text : `${current.replace(/\s+$/u, '')}\n${text}`;
    this.#service.draftChanged(this.id, this.#draft, false);
  }

  /** A message of this thread was added or changed (from the service). */
  messageEvent(message: ChatMessage, added: boolean): void {
    const at = this.#messages.findIndex((m) => m.id === message.id);
    if (at >= 0) {
      const next = [...this.#messages];
      next[at] = message;
      this.#messages = next;
    } else if (added && this.#atEnd && this.#loaded) {
      this.#messages = [...this.#messages, message];
    }
  }

  /** The peer's typing state changed (from the service). */
  typingEvent(active: boolean): void {
    this.#typing = active;
  }

  async #loadNewest(): Promise<void> {
    this.#loading = true;
    try {
      const page = await this.#service.page(this.id, PAGE_SIZE);
      // Messages that arrived while the page was read are in it, or come as events after it.
      const seen = page.messages.map((m) => m.id);
      this.#messages = [...page.messages, ...this.#messages.filter((m) => !seen.includes(m.id))];
      this.#more = page.more;
      this.#atEnd = true;
      this.#highlight = null;
    } finally {
      this.#loading = false;
    }
  }
}
