// Issue 13, the right answer on the wire for bad or unexpected input, with real JsSIP on the
// loop server: one final response per request (JsSIP used to answer and then throw, and the
// guard answered again), 481 for a CANCEL that matches no INVITE, and an Allow header that
// always says what the engine accepts (no 405 that lists the refused method).
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as Grammar from 'jssip/lib/Grammar';
import { CORE_METHODS } from '../../../src-renderer/src/lib/phone/sip-methods';
import { repairReasonPhrase } from '../../../src-renderer/src/lib/phone/sip-screen';
import { setGatheringScript } from '../../support/fake-webrtc';
import { seededRandom } from '../../support/seeded-random';
import { header, type SipMessage } from '../../support/loop-sip';
import { advance, answeredCall, harness, onUa, registered, ringing, type Harness } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
  setGatheringScript({ kind: 'candidates', at: [{ ms: 1, typ: 'host' }], completeAtMs: 5 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** The client's responses to requests of `method`, start lines in order. */
const answersTo = (h: Harness, method: string): SipMessage[] =>
  h.server.received.filter(
    (m) => m.head.kind === 'response' && (header(m, 'cseq') ?? '').endsWith(` ${method}`),
  );

describe('CANCEL', () => {
  it('with a To-tag that is not ours gets one 481 and the call keeps ringing', async () => {
    const h = harness();
    const { call, callId } = await ringing(h);
    h.server.cancel(callId, undefined, 'deadbeef');
    await advance(20);
    expect(answersTo(h, 'CANCEL').map((m) => m.startLine)).toEqual([
      'SIP/2.0 481 Call/Transaction Does Not Exist',
    ]);
    expect(call.status).toBe('incoming');

    h.server.cancel(callId);
    await advance(20);
    expect(answersTo(h, 'CANCEL').map((m) => m.startLine)).toEqual([
      'SIP/2.0 481 Call/Transaction Does Not Exist',
      'SIP/2.0 200 OK',
    ]);
    expect(call.snapshot.end?.cause).toBe('canceled-remote');
  });

  it('that copies the To-tag of our 180 still cancels the call (interop)', async () => {
    const h = harness();
    const { call, callId } = await ringing(h);
    const ringingResponse = h.server.received.find((m) => m.startLine.startsWith('SIP/2.0 180'))!;
    const ourTag = /;tag=([^;\s]+)/.exec(header(ringingResponse, 'to') ?? '')?.[1];
    expect(ourTag).toBeTruthy();
    h.server.cancel(callId, undefined, ourTag);
    await advance(20);
    expect(answersTo(h, 'CANCEL').map((m) => m.startLine)).toEqual(['SIP/2.0 200 OK']);
    expect(call.snapshot.end?.cause).toBe('canceled-remote');
  });
});

describe('one final response per request', () => {
  it('an in-dialog NOTIFY without Event gets exactly one 400', async () => {
    const h = harness();
    const { call, invite } = await answeredCall(h);
    h.server.inDialog(invite, 'NOTIFY', {
      body: 'x',
      contentType: 'text/plain',
    });
    await advance(50);
    expect(answersTo(h, 'NOTIFY').map((m) => m.startLine)).toEqual(['SIP/2.0 400 Bad Request']);
    expect(call.status).toBe('active');
  });
});

/** Sends an out-of-dialog request of `method` to the client; returns its Call-ID. */
function request(h: Harness, method: string, extra: string[] = []): string {
  const callId = randomBytes(6).toString('hex');
  h.server.deliver(
    [
      `${method} sip:alice@example.com SIP/2.0`,
      `Via: SIP/2.0/WSS 127.0.0.1:5060;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
      'Max-Forwards: 70',
      `From: <sip:bob@example.com>;tag=${randomBytes(4).toString('hex')}`,
      '<sip:alice@example.com>'.replace(/^/, 'To: '),
      `Call-ID: ${callId}`,
      `CSeq: 1 ${method}`,
      'Contact: <sip:bob@127.0.0.1:5060;transport=ws>',
      ...extra,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
  );
  return callId;
}

function answerTo(h: Harness, callId: string): SipMessage | undefined {
  return h.server.received.find(
    (m) => m.head.kind === 'response' && header(m, 'call-id') === callId,
  );
}

function allowOf(message: SipMessage | undefined): string[] {
  return (header(message!, 'allow') ?? '').split(',').map((m) => m.trim());
}

describe('Allow always says what the engine accepts', () => {
  const probes = [
    ...CORE_METHODS.filter((m) => m !== 'ACK' && m !== 'CANCEL' && m !== 'INVITE' && m !== 'BYE'),
    'MESSAGE',
    'SUBSCRIBE',
    'PUBLISH',
    'PRACK',
    'FOO',
  ];

  async function check(h: Harness): Promise<void> {
    const register = h.server.requests('REGISTER').at(-1);
    const allowed = allowOf(register);
    for (const method of probes) {
      const callId = request(
        h,
        method,
        method === 'SUBSCRIBE'
          ? ['Event: presence', 'Expires: 60']
          : method === 'NOTIFY'
            ? ['Event: message-summary', 'Subscription-State: active']
            : [],
      );
      await advance(20);
      const answer = answerTo(h, callId);
      expect(answer, method).toBeDefined();
      const refused = /^SIP\/2\.0 (405|501)/.test(answer!.startLine);
      expect(refused, `${method}: ${answer!.startLine} while Allow is ${allowed.join(',')}`).toBe(
        !allowed.includes(method),
      );
      if (refused) {
        expect(allowOf(answer)).toEqual(allowed);
      }
    }
    const options = request(h, 'OPTIONS');
    await advance(20);
    expect(allowOf(answerTo(h, options))).toEqual(allowed);
  }

  it('without chat or presence: MESSAGE and SUBSCRIBE are refused and not listed', async () => {
    const h = harness();
    await registered(h);
    expect(allowOf(h.server.requests('REGISTER').at(-1))).not.toContain('MESSAGE');
    await check(h);
  });

  it('while a feature takes MESSAGE and SUBSCRIBE they are listed and accepted, and after it lets go no longer', async () => {
    const h = harness();
    const got: string[] = [];
    const offMessage = onUa(h.engine, 'newMessage', (e) => got.push(e.request.method));
    const offSubscribe = onUa(h.engine, 'newSubscribe', (e) => {
      got.push(e.request.method);
      e.request.reply(200);
    });
    await registered(h);
    expect(allowOf(h.server.requests('REGISTER').at(-1))).toEqual([
      ...CORE_METHODS,
      'MESSAGE',
      'SUBSCRIBE',
    ]);
    await check(h);
    expect(got).toEqual(['MESSAGE', 'SUBSCRIBE']);

    offMessage();
    offSubscribe();
    // A fresh connection (the open socket is never trusted) and its registration.
    h.engine.reconnectNow();
    await advance(5_000, 100);
    expect(allowOf(h.server.requests('REGISTER').at(-1))).toEqual([...CORE_METHODS]);
    await check(h);
  });

  it('UPDATE, INFO and REFER outside any dialog get 481, not a 405 that lists them', async () => {
    const h = harness();
    await registered(h);
    for (const method of ['UPDATE', 'INFO', 'REFER']) {
      const callId = request(
        h,
        method,
        method === 'REFER' ? ['Refer-To: <sip:carol@example.com>'] : [],
      );
      await advance(20);
      expect(answerTo(h, callId)?.startLine).toBe('SIP/2.0 481 Call/Transaction Does Not Exist');
    }
  });
});

describe('a response whose reason phrase the SIP grammar refuses', () => {
  const parses = (line: string): boolean => (Grammar.parse(line, 'Status_Line') as unknown) !== -1;

  it('is repaired so that JsSIP reads it, and only then', () => {
    const pool = [
      'a',
      ' ',
      '<',
      '>',
      '"',
      '#',
      '%',
      '%4',
      '%41',
      '\\',
      '{',
      '|',
      '\u0001',
      '\t',
      'é',
      '\u202e',
      ';',
      '?',
    ];
    const next = seededRandom(13);
    const random = (n: number): number => Math.floor(next() * n);
    for (let i = 0; i < 500; i += 1) {
      const phrase = Array.from({ length: 1 + random(12) }, () => pool[random(pool.length)]).join(
        '',
      );
      const message = `SIP/2.0 486 ${phrase}\r\nCSeq: 1 INVITE\r\n\r\n`;
      const repaired = repairReasonPhrase(message);
      expect(parses(repaired.split('\r\n')[0]!), JSON.stringify(phrase)).toBe(true);
      if (parses(`SIP/2.0 486 ${phrase}`)) {
        expect(repaired).toBe(message);
      }
      expect(repaired.slice(repaired.indexOf('\r\n'))).toBe('\r\nCSeq: 1 INVITE\r\n\r\n');
    }
  });

  it('still ends the call with its status: a 486 "<b>Busy</b>" is busy', async () => {
    const h = harness();
    await registered(h);
    h.server.onInvite = (invite) => h.server.reply(invite, 486, '<b>Busy</b> "now"');
    const call = h.engine.call('sip:bob@example.com');
    await advance(100);
    expect(call.snapshot.end?.cause).toBe('busy');
  });
});
