// Issue 13, the digest leak: digest challenges are answered only where they are legitimate
// (REGISTER, and requests outside a dialog toward the account's server in a trusted realm), and
// a challenger's realm is never stored in the UA. Tested as SIP security tools do (the "leak"
// test: the far end answers our BYE with 407 and waits for our digest response), with real
// JsSIP on the loop server.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PhoneCall } from '../../../src-renderer/src/lib/phone/call';
import { challengeRealm } from '../../../src-renderer/src/lib/phone/credentials-guard';
import { setGatheringScript } from '../../support/fake-webrtc';
import { header, SERVER_SDP, type SipMessage } from '../../support/loop-sip';
import { advance, answeredCall, harness, registered, ringing, type Harness } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
  setGatheringScript({ kind: 'candidates', at: [{ ms: 1, typ: 'host' }], completeAtMs: 5 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** Every request the client sent with a digest response in it. */
const digestResponses = (h: Harness): SipMessage[] =>
  h.server.received.filter(
    (m) =>
      m.head.kind === 'request' &&
      (header(m, 'authorization') !== undefined || header(m, 'proxy-authorization') !== undefined),
  );

async function inCall(h: Harness, direction: 'incoming' | 'outgoing'): Promise<PhoneCall> {
  if (direction === 'outgoing') {
    return (await answeredCall(h)).call;
  }
  const { call } = await ringing(h);
  call.answer();
  await advance(100);
  return call;
}

describe('the digest leak test: a challenge to our BYE', () => {
  for (const direction of ['incoming', 'outgoing'] as const) {
    for (const [code, realm] of [
      [407, 'attacker.example'],
      [401, 'attacker.example'],
      [407, 'example.com'],
    ] as const) {
      it(`is never answered (${direction} call, ${code}, realm ${realm})`, async () => {
        const h = harness();
        const call = await inCall(h, direction);
        expect(call.status).toBe('active');
        const before = digestResponses(h).length;
        h.server.onBye = (bye) => h.server.challenge(bye, code, realm);
        call.hangup();
        await advance(200);
        expect(h.server.requests('BYE')).toHaveLength(1);
        expect(digestResponses(h)).toHaveLength(before);
        expect(call.snapshot.end?.cause).toBe('hangup-local');
      });
    }
  }

  it('leaves the account able to register again (no challenger realm or HA1 kept)', async () => {
    const h = harness();
    const call = await inCall(h, 'outgoing');
    h.server.onBye = (bye) => h.server.challenge(bye, 407, 'attacker.example');
    call.hangup();
    await advance(200);
    const registers = h.server.requests('REGISTER').length;
    // A fresh connection (the open socket is never trusted) and its registration.
    h.engine.reconnectNow();
    await advance(5_000, 100);
    // The refresh was challenged again and answered with the account's own credentials.
    expect(h.server.requests('REGISTER').length).toBe(registers + 2);
    expect(h.server.authorized(h.server.requests('REGISTER').at(-1)!)).toBe(true);
  });
});

describe('challenges to requests outside a dialog', () => {
  it('are answered for the registrar’s realm (the normal call setup)', async () => {
    const h = harness();
    await registered(h);
    h.server.onInvite = (invite) => {
      if (h.server.authorized(invite)) {
        h.server.reply(invite, 200, 'OK', { body: SERVER_SDP });
      } else {
        h.server.challenge(invite, 407, 'example.com');
      }
    };
    const call = h.engine.call('sip:bob@example.com');
    await advance(200);
    expect(call.status).toBe('active');
    expect(h.server.requests('INVITE')).toHaveLength(2);
  });

  it('are refused for a realm the account does not use: the call fails, nothing computed', async () => {
    const h = harness();
    await registered(h);
    const before = digestResponses(h).length;
    h.server.onInvite = (invite) => h.server.challenge(invite, 407, 'far-end.example');
    const call = h.engine.call('sip:bob@elsewhere.example');
    await advance(200);
    expect(h.server.requests('INVITE')).toHaveLength(1);
    expect(digestResponses(h)).toHaveLength(before);
    expect(call.snapshot.end).toMatchObject({ code: 407 });
  });

  it('for the account’s domain do not replace the registrar’s realm in the UA', async () => {
    // JsSIP stores the last challenger's realm and HA1 and deletes the password: the next
    // REGISTER, challenged in the registrar's own realm, could then not be answered.
    const h = harness();
    h.server.digestRealm = 'pbx-realm';
    await registered(h);
    h.server.onInvite = (invite) => {
      if (h.server.authorized(invite)) {
        h.server.reply(invite, 486, 'Busy Here');
      } else {
        h.server.challenge(invite, 407, 'example.com');
      }
    };
    h.engine.call('sip:bob@example.com');
    await advance(200);
    expect(h.server.requests('INVITE')).toHaveLength(2);
    const registers = h.server.requests('REGISTER').length;
    // A fresh connection (the open socket is never trusted) and its registration.
    h.engine.reconnectNow();
    await advance(5_000, 100);
    expect(h.server.requests('REGISTER').length).toBe(registers + 2);
    expect(h.server.authorized(h.server.requests('REGISTER').at(-1)!)).toBe(true);
  });
});

describe('challenges inside a dialog', () => {
  it('a challenged hold is refused, not answered, and the call goes on', async () => {
    const h = harness();
    const call = await inCall(h, 'outgoing');
    const before = digestResponses(h).length;
    h.server.onReinvite = (reinvite) => h.server.challenge(reinvite, 401, 'example.com');
    const result = call.hold().then(
      () => null,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    await advance(200);
    expect(await result).toMatch(/refused the hold \(SIP 401\)/);
    expect(digestResponses(h)).toHaveLength(before);
    expect(call.status).toBe('active');
  });
});

describe('a configured realm', () => {
  it('is the only one a REGISTER challenge may name', async () => {
    const h = harness({ realm: 'example.com' });
    h.server.digestRealm = 'other-realm';
    h.engine.start();
    await advance(100);
    expect(h.engine.registration).toMatchObject({ status: 'failed', code: 401 });
    expect(digestResponses(h)).toHaveLength(0);
  });
});

describe('challengeRealm', () => {
  it.each([
    ['Digest realm="a.example", nonce="n"', 'a.example'],
    ['Digest nonce="n",realm="with \\"quote\\""', 'with "quote"'],
    ['Digest realm=bare, nonce=n', 'bare'],
    ['Digest nonce="realm=x"', null],
    ['Digest nonce="n"', null],
  ])('%s → %s', (value, realm) => {
    expect(challengeRealm(value)).toBe(realm);
  });
});
