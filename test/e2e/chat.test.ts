// Issue 14, chat between two instances of the real renderer build over the lab's Kamailio (SIP
// over WebSocket, digest-challenged MESSAGE): both ways with the typing indicator each way, the
// states of a sent message, the unread count, the OS notification asked of main (and read), and a
// reload that keeps the history and a half-written draft. A message to an unknown user fails with
// the server's 404 in plain words, keeps its text and offers Retry. Links in messages do nothing
// until clicked: web links go through main's allow-list, tel: fills the dial field without a
// call, and a sip: link with ?body= opens the chat with the text as a draft that is not sent.
import { describe, expect, it } from 'vitest';
import { ChatPage } from '../support/chat-page';
import { connect, registerAll, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { useLab } from '../support/use-lab';

const lab = useLab({ name: 'e2e-chat', rtpengine: false });
const env = useE2eEnv();

/** Bodies of the MESSAGEs a page sent with that Content-Type, once per Call-ID (a 407 resend is the same MESSAGE). */
function messagesSent(sent: { text: string }[], contentType: RegExp): string[] {
  const bodies = new Map<string, string>();
  for (const { text } of sent) {
    const callId = /^Call-ID:\s*(\S+)/im.exec(text)?.[1];
    if (text.startsWith('MESSAGE ') && contentType.test(text) && callId) {
      bodies.set(callId, text.slice(text.indexOf('\r\n\r\n') + 4));
    }
  }
  return [...bodies.values()];
}

describe('chat between two apps over Kamailio', () => {
  it('both ways with typing indicators, states, unread and notifications, kept across a reload', async () => {
    const alicePhone = await PhonePage.open(await env.browser(440), env.server);
    const bobPhone = await PhonePage.open(await env.browser(880), env.server);
    const alice = new ChatPage(alicePhone);
    const bob = new ChatPage(bobPhone);
    try {
      await registerAll(lab.lab, [alicePhone, 'alice'], [bobPhone, 'bob']);

      // Alice writes first; the message goes sending → delivered.
      await alice.start('bob');
      await alice.type('Hi Bob 👋 שלום');
      await alice.send();
      await alice.waitForState('Hi Bob', ['delivered']);
      expect(await alice.draft()).toBe('');

      // Bob: unread on the tab, a notification asked of main, the message in its thread.
      await bobPhone.page.getByTestId('chat-unread-badge').waitFor();
      expect(await bob.unreadBadge()).toBe(1);
      expect(bobPhone.bridge.shell.messageNotices).toEqual([
        {
          conversationId: expect.stringContaining('|sip:alice@lab.test') as string,
          title: 'alice@lab.test',
          body: 'Hi Bob 👋 שלום',
        },
      ]);
      expect(bobPhone.bridge.shell.summaries.at(-1)?.unreadMessages).toBe(1);
      await bob.open('alice@lab.test');
      await bob.waitForMessage('Hi Bob 👋 שלום');
      await bobPhone.page.getByTestId('chat-unread-badge').waitFor({ state: 'detached' });
      expect(bobPhone.bridge.shell.messagesRead.length).toBeGreaterThan(0);

      // Bob types: Alice sees "is typing…", once; Bob's message ends it.
      await bob.type('Hello Alice');
      await alice.waitForTyping(true);
      await bob.send();
      await alice.waitForMessage('Hello Alice');
      await alice.waitForTyping(false);
      await bob.waitForState('Hello Alice', ['delivered']);

      // Alice types back, ten keys: Bob sees it; one "active" went out for them, not ten.
      const isComposing = /application\/im-iscomposing\+xml/;
      const before = messagesSent(await alicePhone.sipSent(), isComposing).length;
      await alice.type('See you at');
      await bob.waitForTyping(true);
      const composing = messagesSent(await alicePhone.sipSent(), isComposing).slice(before);
      expect(composing).toHaveLength(1);
      expect(composing[0]).toContain('<state>active</state>');

      // A reload (a restart of the window) keeps the thread and Alice's half-written draft.
      await alicePhone.page.reload();
      await alicePhone.waitForRegistration('registered');
      await alice.open('bob@lab.test');
      expect(await alice.messages()).toEqual([
        { direction: 'out', state: 'delivered', text: 'Hi Bob 👋 שלום' },
        { direction: 'in', state: 'received', text: 'Hello Alice' },
      ]);
      expect(await alice.draft()).toBe('See you at');
      await alice.type(' noon');
      await alice.send();
      await bob.waitForMessage('See you at noon');
      expect(alicePhone.errors).toEqual([]);
      expect(bobPhone.errors).toEqual([]);
    } finally {
      await alicePhone.close();
      await bobPhone.close();
    }
  });

  it('a message to an unknown user fails with the reason, keeps its text and offers Retry', async () => {
    const phone = await PhonePage.open(await env.browser(440), env.server);
    const chat = new ChatPage(phone);
    try {
      await registerAll(lab.lab, [phone, 'carol']);
      await chat.start('nobody');
      await chat.fill('Is anyone there?');
      await chat.send();
      await chat.waitForState('Is anyone there?', ['failed']);
      const failed = chat.message('Is anyone there?');
      expect(await failed.getByTestId('chat-reason').innerText()).toBe(
        'The server does not know this address (SIP 404).',
      );
      expect(await failed.getByTestId('chat-state').innerText()).toBe('Not delivered (404)');
      await failed.getByTestId('chat-retry').click();
      await chat.waitForState('Is anyone there?', ['failed']);
      expect((await chat.messages()).map((m) => m.text)).toEqual(['Is anyone there?']);
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('links in a message: shown, opened only on click, web through the allow-list, tel:/sip: into the dialer or a draft', async () => {
    const alicePhone = await PhonePage.open(await env.browser(440), env.server);
    const davePhone = await PhonePage.open(await env.browser(880), env.server);
    const alice = new ChatPage(alicePhone);
    const dave = new ChatPage(davePhone);
    try {
      await registerAll(lab.lab, [alicePhone, 'alice'], [davePhone, 'dave']);
      await dave.start('alice');
      await dave.fill(
        'Docs https://example.com/a?b=1 call tel:+4930123456 or chat sip:bob@lab.test?body=Hello%20from%20a%20link and javascript:alert(1)',
      );
      await dave.send();
      await dave.waitForState('Docs', ['delivered']);
      await alice.open('dave@lab.test');
      const message = alice.message('Docs');
      const links = message.locator('a');
      expect(
        await links.evaluateAll((as) =>
          as.map((a) => [a.getAttribute('data-scheme'), a.textContent]),
        ),
      ).toEqual([
        ['https', 'https://example.com/a?b=1'],
        ['tel', 'tel:+4930123456'],
        ['sip', 'sip:bob@lab.test?body=Hello%20from%20a%20link'],
      ]);
      expect(alicePhone.bridge.shell.opened).toEqual([]);

      await links.nth(0).click();
      await expect
        .poll(() => alicePhone.bridge.shell.opened)
        .toEqual(['https://example.com/a?b=1']);

      const invitesBefore = (await alicePhone.sipSent()).filter((m) =>
        m.text.startsWith('INVITE '),
      ).length;
      await links.nth(1).click();
      await alicePhone.page.getByLabel('Number or address').waitFor();
      expect(await alicePhone.page.getByLabel('Number or address').inputValue()).toBe(
        '+4930123456',
      );
      expect((await alicePhone.sipSent()).filter((m) => m.text.startsWith('INVITE ')).length).toBe(
        invitesBefore,
      );

      await alice.openTab();
      await alice.open('dave@lab.test');
      const messagesBefore = messagesSent(await alicePhone.sipSent(), /text\/plain/).length;
      await alice.message('Docs').locator('a[data-scheme="sip"]').click();
      await alicePhone.page.getByTestId('chat-name').filter({ hasText: 'bob@lab.test' }).waitFor();
      expect(await alice.draft()).toBe('Hello from a link');
      expect(messagesSent(await alicePhone.sipSent(), /text\/plain/).length).toBe(messagesBefore);
      expect(alicePhone.errors).toEqual([]);
    } finally {
      await alicePhone.close();
      await davePhone.close();
    }
  });

  it('chat during a call: the call view opens the conversation with the party, both ways', async () => {
    const alicePhone = await PhonePage.open(await env.browser(440), env.server);
    const bobPhone = await PhonePage.open(await env.browser(880), env.server);
    const alice = new ChatPage(alicePhone);
    const bob = new ChatPage(bobPhone);
    try {
      await registerAll(lab.lab, [alicePhone, 'alice'], [bobPhone, 'bob']);
      await connect(alicePhone, bobPhone, 'bob');
      await bobPhone.waitForCallStatus('active');
      await alicePhone.page.getByRole('button', { name: 'Chat', exact: true }).click();
      await alicePhone.page.getByTestId('call-chat').getByTestId('chat-thread').waitFor();
      await alice.fill('The slides: https://example.com/deck');
      await alice.send();
      await alice.waitForState('The slides', ['delivered']);

      await bobPhone.page.getByRole('button', { name: 'Chat', exact: true }).click();
      await bob.waitForMessage('The slides: https://example.com/deck');
      await bob.fill('Got them');
      await bob.send();
      await alice.waitForMessage('Got them');
      // The call went on all along.
      await alicePhone.waitForCallStatus('active');
      await bobPhone.waitForCallStatus('active');
      await alicePhone.hangup();
      expect(alicePhone.errors).toEqual([]);
      expect(bobPhone.errors).toEqual([]);
    } finally {
      await alicePhone.close();
      await bobPhone.close();
    }
  });
});
