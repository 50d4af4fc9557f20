// Issue 14 in the lab with store-and-forward and an independent SIP stack: a message to a user who
// is offline is accepted by the server (Kamailio msilo, 202) — shown as "Accepted by the server"
// — and delivered when that user's app registers; and the app chats with Debian's linphonec
// (liblinphone, over UDP through Kamailio) both ways with non-ASCII text: emoji, right-to-left
// scripts and combining marks arrive exactly as sent.
import { describe, expect, it } from 'vitest';
import { ChatPage } from '../support/chat-page';
import { registerAll, signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { useLab } from '../support/use-lab';

const lab = useLab({ name: 'e2e-chat-interop', rtpengine: false, msilo: true, linphone: 1 });
const env = useE2eEnv();

// Emoji (with a ZWJ sequence), Arabic and Hebrew (RTL), and a combining acute accent.
const TEXT = 'héllo 👋 👩‍💻 مرحبا שלום e\u0301 ✓';

describe('chat with store-and-forward and with linphonec', () => {
  it('a message to an offline user is accepted by the server and delivered when they register', async () => {
    const alicePhone = await PhonePage.open(await env.browser(440), env.server);
    const alice = new ChatPage(alicePhone);
    let bobPhone: PhonePage | null = null;
    try {
      await registerAll(lab.lab, [alicePhone, 'alice']);
      await alice.start('bob');
      await alice.fill(`While you were out: ${TEXT}`);
      await alice.send();
      await alice.waitForState('While you were out', ['accepted']);
      expect(await alice.message('While you were out').getByTestId('chat-state').innerText()).toBe(
        'Accepted by the server',
      );

      // Bob starts his phone later: msilo delivers on his REGISTER.
      bobPhone = await PhonePage.open(await env.browser(880), env.server);
      await signIn(bobPhone, lab.lab.account('bob'));
      await bobPhone.waitForRegistration('registered');
      const bob = new ChatPage(bobPhone);
      await bobPhone.page.getByTestId('chat-unread-badge').waitFor({ timeout: 30_000 });
      await bob.open('alice@lab.test');
      expect(await bob.messages()).toEqual([
        { direction: 'in', state: 'received', text: `While you were out: ${TEXT}` },
      ]);
      expect(alicePhone.errors).toEqual([]);
      expect(bobPhone.errors).toEqual([]);
    } finally {
      await alicePhone.close();
      await bobPhone?.close();
    }
  });

  it('app ↔ linphonec both ways with emoji, RTL and combining marks', async () => {
    const phone = await PhonePage.open(await env.browser(440), env.server);
    const chat = new ChatPage(phone);
    const lin = lab.lab.linphones[0]!;
    try {
      await registerAll(lab.lab, [phone, 'carol']);

      // App → linphonec.
      const mark = lin.events.length;
      await chat.start(lin.aor.replace(/^sip:/, ''));
      await chat.fill(TEXT);
      await chat.send();
      await chat.waitForState(TEXT.slice(0, 5), ['delivered']);
      const got = await lin.waitForEventType('message', 15_000, mark);
      expect(got.text).toBe(TEXT);
      expect(got.peer).toBe(lab.lab.account('carol').uri);

      // linphonec → app: the same characters in the thread, nothing altered.
      lin.sendMessage(lab.lab.account('carol').uri, `back: ${TEXT}`);
      await chat.waitForMessage('back:');
      expect((await chat.messages()).map((m) => [m.direction, m.text])).toEqual([
        ['out', TEXT],
        ['in', `back: ${TEXT}`],
      ]);
      // linphonec's request as it left (its SIP trace): text/plain without a charset, UTF-8.
      const sent = lin
        .sipTrace()
        .filter((t) => t.dir === 'sent' && t.message.method === 'MESSAGE')
        .at(-1);
      expect(sent?.message.header('Content-Type')).toMatch(/^text\/plain/);
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
