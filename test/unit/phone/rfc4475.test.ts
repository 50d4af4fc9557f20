import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { screenIncoming, parseSipHead } from '../../../src-renderer/src/lib/phone/sip-screen';
import { loadRfc4475, retarget } from '../../support/rfc4475';
import { advance, harness, registered } from './harness';

const corpus = loadRfc4475();

describe('sip-screen on the RFC 4475 corpus', () => {
  it('has the whole corpus', () => {
    expect(corpus.length).toBe(50);
  });

  it.each(corpus.map((m) => [m.file, m] as const))('%s: never throws', (_file, msg) => {
    expect(() => screenIncoming(msg.text)).not.toThrow();
  });

  it.each(['unkscm.dat', 'novelsc.dat'])(
    '%s: answered 416 with the request’s transaction headers',
    (file) => {
      const msg = corpus.find((m) => m.file === file)!;
      const verdict = screenIncoming(msg.text);
      expect(verdict.action).toBe('reply');
      if (verdict.action !== 'reply') {
        return;
      }
      const request = parseSipHead(msg.text)!;
      const response = parseSipHead(verdict.response)!;
      expect(verdict.response.startsWith('SIP/2.0 416 Unsupported URI Scheme\r\n')).toBe(true);
      expect(response.headers.get('via')).toEqual(request.headers.get('via'));
      expect(response.headers.get('call-id')).toEqual(request.headers.get('call-id'));
      expect(response.headers.get('cseq')).toEqual(request.headers.get('cseq'));
      expect(response.headers.get('to')?.[0]).toMatch(/;tag=/);
    },
  );

  it('answers a Request-URI that is not a URI at all with 400', () => {
    const msg = corpus.find((m) => m.file === 'ltgtruri.dat')!;
    const verdict = screenIncoming(msg.text);
    expect(verdict.action === 'reply' && verdict.response.split('\r\n')[0]).toBe(
      'SIP/2.0 400 Bad Request',
    );
  });

  it('passes everything else to JsSIP', () => {
    const stopped = corpus
      .filter((m) => screenIncoming(m.text).action !== 'pass')
      .map((m) => m.file);
    expect(stopped.sort()).toEqual(['ltgtruri.dat', 'novelsc.dat', 'unkscm.dat']);
  });
});

describe('the engine under the RFC 4475 corpus', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stays registered and can still call after every message, as sent and retargeted', async () => {
    const h = harness();
    const rejected: string[] = [];
    await registered(h);
    for (const msg of corpus) {
      h.server.deliver(msg.text);
      const variant = retarget(msg.text, 'alice', 'example.com');
      if (variant) {
        h.server.deliver(variant);
      }
      await advance(20);
      for (const call of h.engine.calls) {
        call.hangup();
      }
      await advance(20);
    }
    rejected.push(
      ...h.server.received
        .filter((m) => /^SIP\/2.0 (416|400)/.test(m.startLine))
        .map((m) => m.startLine),
    );
    expect(rejected.filter((l) => l.includes('416')).length).toBeGreaterThanOrEqual(2);
    expect(h.engine.registration.status).toBe('registered');
    h.server.onInvite = (invite) => h.server.reply(invite, 180, 'Ringing');
    const call = h.engine.call('sip:bob@example.com');
    await advance(100);
    expect(call.status).toBe('ringing');
  });
});
