// Native notifications for chat messages (issue 14): one per conversation (a newer message
// replaces it), titled with the sender, the message as the body, taken down when the
// conversation is read in the app. What each OS offers, per Electron 45's Notification API
// (electron.d.ts of 45.4.1, NotificationConstructorOptions and the 'reply' event):
//   - macOS and Windows: `hasReply` adds an inline reply field; the text comes back in 'reply'
//     (@platform darwin,win32). Windows may report one reply through more than one activation
//     path (Rocket.Chat Electron 4.15.6 release notes, "notification reply sent duplicated",
//     since Electron 42 enabled replies on Windows), so a notification takes one reply only.
//   - Linux (libnotify): no reply field and no actions; a click opens the conversation. The body
//     is read as markup by freedesktop notification servers (Desktop Notifications spec,
//     "Markup": <b> <i> <u> <a> <img>), so '&', '<' and '>' are escaped there; the title is
//     never markup.
// Text comes from the network: it is always plain text here, never markup, on every OS.
import type { NotificationConstructorOptions } from 'electron';
import type { MessageNotice } from '@shared/ipc-contract';

/** The part of Electron's Notification used here. */
export interface MessageNotificationLike {
  show(): void;
  close(): void;
  on(event: 'click', listener: () => void): unknown;
  on(
    event: 'reply',
    listener: (details: { reply?: string } | undefined, reply?: string) => void,
  ): unknown;
  on(event: 'close', listener: () => void): unknown;
}

export interface MessageNotifierDeps {
  create(options: NotificationConstructorOptions): MessageNotificationLike;
  isSupported(): boolean;
  platform: NodeJS.Platform;
  /** The notifyMessages setting. */
  enabled(): boolean;
  /** Show the window with the conversation (a click). */
  openConversation(conversationId: string): void;
  /** The user replied inline; the renderer sends it like a typed message. */
  reply(conversationId: string, text: string): void;
  icon?: string;
}

/** Longest inline reply passed on (the renderer refuses anything over its own limit, keeping it). */
export const MAX_REPLY_LENGTH = 64 * 1024;

/** Whether Electron offers the inline reply field on this platform. */
export function supportsReply(platform: NodeJS.Platform): boolean {
  return platform === 'darwin' || platform === 'win32';
}

/** Escapes the characters a freedesktop notification server reads as markup. */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The notification's options for a message on `platform`. */
export function messageOptions(
  notice: MessageNotice,
  platform: NodeJS.Platform,
  icon?: string,
): NotificationConstructorOptions {
  return {
    title: notice.title,
    body: platform === 'linux' ? escapeMarkup(notice.body) : notice.body,
    ...(supportsReply(platform) ? { hasReply: true, replyPlaceholder: 'Reply…' } : {}),
    ...(icon ? { icon } : {}),
  };
}

export class MessageNotifier {
  // Kept until closed: a notification that is garbage-collected loses its handlers.
  readonly #open = new Map<string, MessageNotificationLike>();
  readonly #deps: MessageNotifierDeps;

  constructor(deps: MessageNotifierDeps) {
    this.#deps = deps;
  }

  /** Shows (or replaces) the notification of a conversation. */
  show(notice: MessageNotice): void {
    if (!this.#deps.enabled() || !this.#deps.isSupported()) {
      return;
    }
    this.read(notice.conversationId);
    const id = notice.conversationId;
    const notification = this.#deps.create(
      messageOptions(notice, this.#deps.platform, this.#deps.icon),
    );
    let replied = false;
    notification.on('click', () => this.#deps.openConversation(id));
    notification.on('reply', (details, legacy) => {
      const text = (details?.reply ?? legacy ?? '').slice(0, MAX_REPLY_LENGTH);
      if (replied || text.trim() === '') {
        return;
      }
      replied = true;
      this.#deps.reply(id, text);
      this.read(id);
    });
    notification.on('close', () => {
      if (this.#open.get(id) === notification) {
        this.#open.delete(id);
      }
    });
    this.#open.set(id, notification);
    notification.show();
  }

  /** Takes down the notification of a conversation (read in the app, or replied to). */
  read(conversationId: string): void {
    const notification = this.#open.get(conversationId);
    if (notification) {
      this.#open.delete(conversationId);
      notification.close();
    }
  }

  /** How many message notifications are showing. */
  get openCount(): number {
    return this.#open.size;
  }
}
