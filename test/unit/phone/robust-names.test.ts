// Issue 13: hostile network text where it enters the phone, through real JsSIP on the loop
// server: display names and user parts of callers (and of a REFER's target) become one inert,
// bounded line in the call's party, and a far end's reason phrase never reaches what the user
// sees (ends are told in our own sentences).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { networkLabel, NAME_MAX } from '@shared/network-text';
import type { PhoneCall } from '../../../src-renderer/src/lib/phone/call';
import { setGatheringScript } from '../../support/fake-webrtc';
import { forbiddenIn, HOSTILE_NAMES } from '../../support/hostile-names';
import { advance, answeredCall, harness, registered, type Harness } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
  setGatheringScript({ kind: 'candidates', at: [{ ms: 1, typ: 'host' }], completeAtMs: 5 });
});
afterEach(() => {
  vi.useRealTimers();
});

/**
 * A display name as a SIP quoted-string (RFC 3261 §25.1): '"' and '\' and controls as
 * quoted-pairs. CR and LF cannot be carried at all, so they are left out.
 */
function quoted(name: string): string {
  let out = '';
  for (const ch of name.replace(/[\r\n]/g, '')) {
    const c = ch.codePointAt(0) ?? 0;
    out += ch === '"' || ch === '\\' || c < 0x20 || c === 0x7f ? `\\${ch}` : ch;
  }
  return `"${out}"`;
}

async function ringWith(h: Harness, from: string, fromName: string): Promise<PhoneCall> {
  const incoming = new Promise<PhoneCall>((resolve) => h.engine.on('incoming', resolve));
  h.server.invite('alice', from, '', [], quoted(fromName));
  await advance(20);
  return incoming;
}

describe('a caller’s display name', () => {
  it.each(HOSTILE_NAMES.map((n) => [n.what, n] as const))('%s', async (_what, name) => {
    const h = harness();
    await registered(h);
    const call = await ringWith(h, 'sip:bob@example.com', name.raw);
    const expected = networkLabel(name.raw.replace(/[\r\n]/g, ''));
    expect(call.snapshot.party.name).toBe(expected === '' ? null : expected);
    expect(call.snapshot.party.user).toBe('bob');
    call.decline();
    await advance(20);
  });
});

describe('a caller’s user part', () => {
  it.each([
    ['markup, %-escaped', 'sip:%3Cb%3Eboss%3C%2Fb%3E@example.com', '<b>boss</b>'],
    ['right-to-left override, %-escaped', 'sip:%E2%80%AEexe.gnp@example.com', 'exe.gnp'],
    ['NUL and newline, %-escaped', 'sip:bob%00%0Aevil@example.com', 'bob evil'],
    ['very long', `sip:${'9'.repeat(5000)}@example.com`, `${'9'.repeat(127)}…`],
  ])('%s', async (_what, from, shown) => {
    const h = harness();
    await registered(h);
    const call = await ringWith(h, from, 'Bob');
    expect(call.snapshot.party.user).toBe(shown);
    expect(forbiddenIn(call.snapshot.party.uri)).toBeNull();
    call.decline();
    await advance(20);
  });
});

describe('a far end’s reason phrase', () => {
  const phrase = '<b>Call your bank</b> \u202Eevil';

  it('is not what the user is told when the call is refused', async () => {
    const h = harness();
    await registered(h);
    h.server.onInvite = (invite) => h.server.reply(invite, 486, phrase);
    const call = h.engine.call('sip:bob@example.com');
    await advance(100);
    expect(call.snapshot.end).toEqual({ cause: 'busy', code: 486, message: 'The line is busy.' });
    expect(JSON.stringify(call.snapshot)).not.toContain('bank');
  });

  it('nor when the other side hangs up with a Reason', async () => {
    const h = harness();
    const { call, invite } = await answeredCall(h);
    h.server.inDialog(invite, 'BYE', {
      headers: [`Reason: SIP ;cause=480 ;text="${phrase}"`],
    });
    await advance(50);
    expect(call.snapshot.end?.message).toBe('The other side hung up.');
    expect(JSON.stringify(call.snapshot)).not.toContain('bank');
  });
});

describe('a transfer target named by the other side', () => {
  it('is shown as one inert line', async () => {
    const h = harness();
    const { invite } = await answeredCall(h);
    const referred = new Promise<PhoneCall>((resolve) => h.engine.on('outgoing', resolve));
    h.server.inDialog(invite, 'REFER', {
      headers: ['Refer-To: <sip:%E2%80%AEcarol%3Cimg%3E@example.com>'],
    });
    await advance(50);
    const call = await referred;
    expect(call.snapshot.party.user).toBe('carol<img>');
    expect(Array.from(call.snapshot.party.user).length).toBeLessThanOrEqual(128);
    expect(NAME_MAX).toBe(64);
  });
});
