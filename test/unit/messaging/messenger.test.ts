// The Messenger on the real engine and real JsSIP over the in-memory SIP server: what every
// incoming MESSAGE is answered (200, 415 with Accept, 413, 400, 603, 480 before the store is open,
// 405 only while chat is not attached), what reaches the chat service, and how each answer to a
// MESSAGE we send becomes delivered / accepted by the server / failed with a reason.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Messenger, SEND_TIMEOUT_MS } from '../../../src-renderer/src/lib/messaging/messenger';
import type {
  IncomingComposing,
  IncomingText,
  RefusedMessage,
} from '../../../src-renderer/src/lib/messaging/messenger';
import type { SendOutcome } from '../../../src-renderer/src/lib/messaging/delivery';
import { buildIsComposing } from '../../../src-renderer/src/lib/messaging/iscomposing';
import { header, type SipMessage } from '../../support/loop-sip';
import { advance, harness, registered, type Harness } from '../phone/harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

interface Rig {
  h: Harness;
  messenger: Messenger;
  texts: IncomingText[];
  composing: IncomingComposing[];
  refused: RefusedMessage[];
  policy: { ready: boolean; blocked: Set<string> };
}

async function rig(attach = true): Promise<Rig> {
  const h = harness();
  const policy = { ready: true, blocked: new Set<string>() };
  const messenger = new Messenger(h.engine, {
    ready: () => policy.ready,
    isBlocked: (_account, peer) => policy.blocked.has(peer),
  });
  if (!attach) {
    messenger.dispose();
  }
  const texts: IncomingText[] = [];
  const composing: IncomingComposing[] = [];
  const refused: RefusedMessage[] = [];
  messenger.on('message', (m) => texts.push(m));
  messenger.on('composing', (c) => composing.push(c));
  messenger.on('refused', (r) => refused.push(r));
  await registered(h);
  return { h, messenger, texts, composing, refused, policy };
}

/** Delivers a MESSAGE and returns the client's final answer. */
async function answer(
  h: Harness,
  opts: Parameters<Harness['server']['message']>[1],
): Promise<SipMessage> {
  const callId = h.server.message('alice', opts);
  for (let t = 0; t < 200; t += 5) {
    await advance(5);
    const reply = h.server.answerTo(callId);
    if (reply) {
      return reply;
    }
  }
  throw new Error('no answer to the MESSAGE');
}

const status = (m: SipMessage): number => Number(m.startLine.split(' ')[1]);

describe('incoming MESSAGE', () => {
  it('a text is answered 200 and handed over cleaned, with the sender as a canonical peer', async () => {
    const { h, texts } = await rig();
    const reply = await answer(h, {
      from: 'sips:Bob@PBX.Example.com:5061;transport=ws',
      fromName: 'Bob \u202Egnp.exe',
      body: 'Hi\u0000 there 👋\r\nשלום',
    });
    expect(status(reply)).toBe(200);
    expect(texts).toEqual([
      {
        accountId: 'acc-1',
        peer: 'sip:Bob@pbx.example.com:5061',
        user: 'Bob',
        name: 'Bob gnp.exe',
        text: 'Hi there 👋\nשלום',
        removed: 1,
        callId: expect.any(String) as string,
      },
    ]);
  });

  it('refuses what it cannot take: 415 with Accept, 413, 400, and never throws', async () => {
    const { h, texts, refused } = await rig();
    const html = await answer(h, { body: '<b>x</b>', contentType: 'text/html' });
    expect(status(html)).toBe(415);
    expect(header(html, 'accept')).toBe('text/plain, application/im-iscomposing+xml');
    expect(status(await answer(h, { body: 'x'.repeat(64 * 1024 + 1) }))).toBe(413);
    expect(status(await answer(h, { body: '' }))).toBe(400);
    expect(status(await answer(h, { body: 'x', contentType: null }))).toBe(415);
    expect(texts).toEqual([]);
    expect(refused.map((r) => r.status)).toEqual([415, 413, 400, 415]);
    expect(h.engine.registration.status).toBe('registered');
  });

  it('a blocked sender gets 603 Decline and nothing is handed over', async () => {
    const { h, texts, policy } = await rig();
    policy.blocked.add('sip:spam@example.com');
    const reply = await answer(h, { from: 'sip:spam@example.com', body: 'buy now' });
    expect(reply.startLine).toBe('SIP/2.0 603 Decline');
    expect(texts).toEqual([]);
  });

  it('before the store is open: 480 with Retry-After, so the sender keeps the text', async () => {
    const { h, texts, policy } = await rig();
    policy.ready = false;
    const reply = await answer(h, { body: 'early' });
    expect(status(reply)).toBe(480);
    expect(header(reply, 'retry-after')).toBe('5');
    expect(texts).toEqual([]);
  });

  it('a typing indication is answered 200 and reported, not stored as a text', async () => {
    const { h, texts, composing } = await rig();
    const reply = await answer(h, {
      body: buildIsComposing({ state: 'active', refreshS: 90 }),
      contentType: 'application/im-iscomposing+xml',
    });
    expect(status(reply)).toBe(200);
    expect(texts).toEqual([]);
    expect(composing).toMatchObject([
      { peer: 'sip:bob@example.com', indication: { state: 'active', refreshS: 90 } },
    ]);
  });

  it('invalid UTF-8 in a binary frame is shown with replacement characters, not dropped', async () => {
    const { h, texts } = await rig();
    const reply = await answer(h, { binary: new Uint8Array([0x61, 0xc3, 0x28, 0x62]) });
    expect(status(reply)).toBe(200);
    expect(texts[0]?.text).toBe('a\uFFFD(b');
  });

  it('without chat attached JsSIP refuses MESSAGE with 405; attached, the Allow it sends lists MESSAGE and MESSAGE is taken', async () => {
    const off = await rig(false);
    const refused = await answer(off.h, { body: 'nobody home' });
    expect(status(refused)).toBe(405);

    const on = await rig(true);
    expect(status(await answer(on.h, { body: 'hello' }))).toBe(200);
    const allow = header(on.h.server.requests('REGISTER').at(-1)!, 'allow') ?? '';
    expect(allow.split(',')).toContain('MESSAGE');
  });
});

describe('sending', () => {
  async function send(
    r: Rig,
    reply: (m: SipMessage) => void,
    text = 'Grüße 👋 مرحبا',
  ): Promise<SendOutcome> {
    r.h.server.onMessage = reply;
    const outcome = r.messenger.send('sip:bob@example.com', text);
    let result: SendOutcome | undefined;
    void outcome.then((o) => (result = o));
    for (let t = 0; t < SEND_TIMEOUT_MS + 1000 && !result; t += 50) {
      await advance(50, 50);
    }
    return result!;
  }

  it('200 is delivered; the MESSAGE is text/plain UTF-8 with the exact bytes', async () => {
    const r = await rig();
    expect(await send(r, (m) => r.h.server.reply(m, 200, 'OK'))).toEqual({
      state: 'delivered',
      code: 200,
    });
    const sent = r.h.server.requests('MESSAGE')[0]!;
    expect(sent.startLine).toBe('MESSAGE sip:bob@example.com SIP/2.0');
    expect(header(sent, 'content-type')).toBe('text/plain;charset=UTF-8');
    expect(sent.body).toBe('Grüße 👋 مرحبا');
    expect(Number(header(sent, 'content-length'))).toBe(Buffer.byteLength('Grüße 👋 مرحبا'));
  });

  it('202 is "accepted by the server"', async () => {
    const r = await rig();
    expect(await send(r, (m) => r.h.server.reply(m, 202, 'Accepted'))).toEqual({
      state: 'accepted',
      code: 202,
    });
  });

  it('404 fails with a plain reason and the code', async () => {
    const r = await rig();
    expect(await send(r, (m) => r.h.server.reply(m, 404, 'Not Found'))).toEqual({
      state: 'failed',
      code: 404,
      reason: 'The server does not know this address (SIP 404).',
    });
  });

  it('no answer at all ends as a timeout within the bound', async () => {
    const r = await rig();
    const outcome = await send(r, () => {});
    expect(outcome.state).toBe('failed');
    expect(outcome).toMatchObject({ code: null });
    expect((outcome as { reason: string }).reason).toMatch(
      /^No answer from the server within \d+ seconds/,
    );
  });

  it('not registered: fails at once without sending', async () => {
    const h = harness();
    const messenger = new Messenger(h.engine, { ready: () => true, isBlocked: () => false });
    const outcome = await messenger.send('sip:bob@example.com', 'x');
    expect(outcome).toMatchObject({ state: 'failed', code: null });
    expect(h.server.requests('MESSAGE')).toEqual([]);
  });
});
