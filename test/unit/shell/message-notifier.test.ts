// Message notifications (issue 14) against a fake of Electron 45's Notification that behaves as
// each OS does, per the Notification API of Electron 45.4.1 (electron.d.ts): `hasReply` and the
// 'reply' event exist on macOS and Windows only (@platform darwin,win32), so on Linux there is
// no reply field and a reply can never arrive; Windows can report one reply twice (Rocket.Chat
// Electron 4.15.6 release notes: Electron 42 enabled Windows replies, "can deliver a single reply
// through more than one activation path"); and a Linux notification server renders the body as
// markup (freedesktop Desktop Notifications spec, "Markup"), which the fake does, so the test
// sees what the user would see.
import type { NotificationConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { MessageNotice } from '@shared/ipc-contract';
import {
  MessageNotifier,
  type MessageNotificationLike,
} from '../../../src-main/notifications/message-notifier';
import { FakeEmitter } from '../../support/fake-emitter';

class OsNotification extends FakeEmitter implements MessageNotificationLike {
  shown = false;
  closed = false;
  constructor(
    readonly options: NotificationConstructorOptions,
    readonly platform: NodeJS.Platform,
  ) {
    super();
  }
  show(): void {
    this.shown = true;
  }
  close(): void {
    this.closed = true;
    this.emit('close', {});
  }
  /** Whether the OS draws a reply field. */
  get replyField(): boolean {
    return this.platform !== 'linux' && this.options.hasReply === true;
  }
  /** The user types into the reply field and presses Send (where there is one). */
  userReplies(text: string): void {
    if (!this.replyField) {
      return;
    }
    const deliveries = this.platform === 'win32' ? 2 : 1;
    for (let i = 0; i < deliveries; i++) {
      this.emit('reply', { reply: text }, text);
    }
  }
  click(): void {
    this.emit('click');
  }
  /** The body as shown: Linux servers interpret markup (tags dropped, entities decoded). */
  get shownBody(): string {
    const body = this.options.body ?? '';
    if (this.platform !== 'linux') {
      return body;
    }
    return body
      .replace(/<\/?(b|i|u|a|img)\b[^>]*>/gi, '')
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  }
}

const HOSTILE: MessageNotice = {
  conversationId: 'acc-1|sip:eve@example.com',
  title: '<b>IT Support</b>',
  body: '<b>Urgent</b> <a href="http://evil.example">reset your password</a> &amp; <img src=x>',
};

function setup(platform: NodeJS.Platform, opts: { enabled?: boolean; supported?: boolean } = {}) {
  const created: OsNotification[] = [];
  const opened: string[] = [];
  const replies: string[] = [];
  const notifier = new MessageNotifier({
    create: (options) => {
      const n = new OsNotification(options, platform);
      created.push(n);
      return n;
    },
    isSupported: () => opts.supported ?? true,
    platform,
    enabled: () => opts.enabled ?? true,
    openConversation: (id) => opened.push(id),
    reply: (id, text) => replies.push(`${id}: ${text}`),
  });
  return { notifier, created, opened, replies };
}

describe('message notifications per OS', () => {
  it.each(['darwin', 'win32', 'linux'] as const)(
    '%s: title and body show the text exactly as sent, never as markup',
    (platform) => {
      const { notifier, created } = setup(platform);
      notifier.show(HOSTILE);
      const n = created[0]!;
      expect(n.shown).toBe(true);
      expect(n.options.title).toBe('<b>IT Support</b>');
      expect(n.shownBody).toBe(HOSTILE.body);
    },
  );

  it('macOS: inline reply goes to the conversation once, and the notification closes', () => {
    const { notifier, created, replies } = setup('darwin');
    notifier.show({ conversationId: 'c1', title: 'Bob', body: 'Lunch?' });
    const n = created[0]!;
    expect(n.replyField).toBe(true);
    expect(n.options.replyPlaceholder).toBe('Reply…');
    n.userReplies('Yes, 12:30 👍');
    expect(replies).toEqual(['c1: Yes, 12:30 👍']);
    expect(n.closed).toBe(true);
    expect(notifier.openCount).toBe(0);
  });

  it('Windows: a reply reported twice is sent once', () => {
    const { notifier, created, replies } = setup('win32');
    notifier.show({ conversationId: 'c1', title: 'Bob', body: 'Lunch?' });
    created[0]!.userReplies('ok');
    expect(replies).toEqual(['c1: ok']);
  });

  it('Linux: no reply field (a click opens the conversation instead)', () => {
    const { notifier, created, replies, opened } = setup('linux');
    notifier.show({ conversationId: 'c1', title: 'Bob', body: 'Lunch?' });
    const n = created[0]!;
    expect(n.replyField).toBe(false);
    n.userReplies('cannot happen');
    expect(replies).toEqual([]);
    n.click();
    expect(opened).toEqual(['c1']);
  });

  it('an empty reply is ignored', () => {
    const { notifier, created, replies } = setup('darwin');
    notifier.show({ conversationId: 'c1', title: 'Bob', body: 'x' });
    created[0]!.userReplies('   ');
    expect(replies).toEqual([]);
  });

  it('one notification per conversation: a newer message replaces it; read() takes it down', () => {
    const { notifier, created } = setup('darwin');
    notifier.show({ conversationId: 'c1', title: 'Bob', body: 'one' });
    notifier.show({ conversationId: 'c1', title: 'Bob', body: 'two' });
    notifier.show({ conversationId: 'c2', title: 'Ann', body: 'hi' });
    expect(created.map((n) => n.closed)).toEqual([true, false, false]);
    expect(notifier.openCount).toBe(2);
    notifier.read('c1');
    expect(created[1]!.closed).toBe(true);
    expect(notifier.openCount).toBe(1);
  });

  it('the setting off, or no notification support: nothing is shown', () => {
    const off = setup('darwin', { enabled: false });
    off.notifier.show({ conversationId: 'c1', title: 'Bob', body: 'x' });
    const unsupported = setup('linux', { supported: false });
    unsupported.notifier.show({ conversationId: 'c1', title: 'Bob', body: 'x' });
    expect([...off.created, ...unsupported.created]).toEqual([]);
  });
});
