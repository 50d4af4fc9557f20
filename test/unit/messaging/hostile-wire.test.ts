// The hostile corpus (hostile-bodies.corpus.ts) over the wire: each body as a real MESSAGE to the
// real engine and chat service (text frames for strings, binary frames for bytes), with hostile
// display names in From. Each is either stored as clean text (exactly the corpus' text for text
// frames) or refused with its status; nothing throws, the account stays registered.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { acceptIncomingMessage } from '../../../src-renderer/src/lib/messaging/incoming-body';
import type { SipMessage } from '../../support/loop-sip';
import { HOSTILE_BODIES, HOSTILE_NAMES } from './hostile-bodies.corpus';
import { fakeClock, rig, thread, until } from './chat-rig';

beforeEach(() => {
  fakeClock();
});
afterEach(() => {
  vi.useRealTimers();
});

// What stored text may never contain: C0 (but TAB, LF), DEL, C1, overrides, unpaired surrogates.
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202D\u202E\uFEFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const status = (m: SipMessage): number => Number(m.startLine.split(' ')[1]);
const CONVERSATION = 'acc-1|sip:bob@example.com';

describe('hostile MESSAGE bodies through the engine and the chat service', () => {
  it('each is stored as clean text or refused with its status', { timeout: 60_000 }, async () => {
    const r = await rig();
    let stored = 0;
    // A Content-Type with a line break is two header lines on the wire, not one hostile value.
    for (const c of HOSTILE_BODIES.filter((b) => !/[\r\n]/.test(b.contentType ?? ''))) {
      const bytes = typeof c.body === 'string' ? undefined : c.body;
      const callId = r.h.server.message('alice', {
        contentType: c.contentType,
        ...(bytes
          ? { binary: bytes }
          : { body: new TextDecoder().decode(new TextEncoder().encode(c.body as string)) }),
      });
      const answer = await until(`the answer to "${c.name}"`, () => r.h.server.answerTo(callId));
      // A text frame is UTF-8 (a lone surrogate cannot cross it); a binary frame reaches JsSIP
      // decoded as UTF-8 with replacement characters.
      const wire = bytes
        ? new TextDecoder().decode(bytes)
        : new TextDecoder().decode(new TextEncoder().encode(c.body as string));
      const expected =
        wire === c.body ? null : acceptIncomingMessage({ contentType: c.contentType, body: wire });
      if (expected ? expected.action === 'reject' : 'status' in c.expect) {
        const want =
          expected?.action === 'reject' ? expected.status : (c.expect as { status: number }).status;
        expect(status(answer), c.name).toBe(want);
        continue;
      }
      expect(status(answer), c.name).toBe(200);
      if ('composing' in c.expect || expected?.action === 'composing') {
        continue;
      }
      stored += 1;
      const text =
        expected?.action === 'message' ? expected.text : (c.expect as { text: string }).text;
      const got = await until(`"${c.name}" stored`, () => r.received[stored - 1]);
      expect(got.message.text, c.name).toBe(text);
      expect(FORBIDDEN.test(got.message.text), c.name).toBe(false);
      if (/invalid|overlong|encoded surrogate|truncated|unpaired/.test(c.name)) {
        expect(got.message.text, c.name).toContain('\uFFFD');
      }
    }
    expect((await thread(r, CONVERSATION)).length).toBe(stored);
    expect(r.h.engine.registration.status).toBe('registered');
  });

  it('hostile display names become one clean line; the address stays the identity', async () => {
    const r = await rig();
    // Names with control characters cannot be written in a From header at all.
    // eslint-disable-next-line no-control-regex
    const names = HOSTILE_NAMES.filter((n) => !/[\u0000-\u001f]/.test(n.input));
    for (const [i, n] of names.entries()) {
      r.h.server.message('alice', {
        fromName: n.input,
        from: `sip:peer${i}@example.com`,
        body: `m${i}`,
      });
      const got = await until(`"${n.name}"`, () => r.received[i]);
      expect(got.conversation.peer, n.name).toBe(`sip:peer${i}@example.com`);
      expect(got.conversation.peerName ?? '', n.name).toBe(n.shown);
    }
  });
});
