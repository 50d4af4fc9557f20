// Pure pieces of the registration answer reader: expires parsing and the refresh schedule.
import { describe, expect, it } from 'vitest';
import {
  EXPIRES_CEILING_S,
  parseExpires,
  REFRESH_FLOOR_S,
  RegisterTracker,
  refreshDelayMs,
} from '../../../src-renderer/src/lib/phone/register-answer';

describe('parseExpires', () => {
  it.each([
    ['600', 600],
    [' 3600 ', 3600],
    ['0', 0],
    ['4294967296', EXPIRES_CEILING_S],
    ['abc', null],
    ['-1', null],
    ['1e3', null],
    ['', null],
    [undefined, null],
  ])('%s → %s', (input, expected) => {
    expect(parseExpires(input)).toBe(expected);
  });
});

describe('refreshDelayMs', () => {
  it('refreshes halfway (with jitter) to what was granted, never later than asked', () => {
    expect(refreshDelayMs(600, 600, () => 0)).toBe(300_000);
    expect(refreshDelayMs(600, 600, () => 1)).toBe(360_000);
    expect(refreshDelayMs(86_400, 600, () => 0)).toBe(300_000);
  });
  it('uses the lifetime asked for when the grant is unusable, and never goes below the floor', () => {
    expect(refreshDelayMs(null, 600, () => 0)).toBe(300_000);
    expect(refreshDelayMs(0, 600, () => 0)).toBe(300_000);
    expect(refreshDelayMs(1, 600, () => 0)).toBe(REFRESH_FLOOR_S * 1000);
  });
});

describe('RegisterTracker', () => {
  const register = (cseq: number, expires = 600): string =>
    [
      'REGISTER sip:example.com SIP/2.0',
      'Call-ID: abc',
      `CSeq: ${cseq} REGISTER`,
      `Contact: <sip:k3y@host.invalid;transport=ws>;+sip.instance="<urn:uuid:1>";reg-id=1;expires=${expires}`,
      '',
      '',
    ].join('\r\n');
  const ok = (cseq: number, contact: string | null, extra: string[] = []): string =>
    [
      'SIP/2.0 200 OK',
      'Call-ID: abc',
      `CSeq: ${cseq} REGISTER`,
      ...(contact ? [`Contact: ${contact}`] : []),
      ...extra,
      '',
      '',
    ].join('\r\n');

  it('reads the lifetime granted to our own Contact among several', () => {
    const t = new RegisterTracker();
    t.sent(register(2));
    const answer = t.received(
      ok(2, '<sip:other@x>;expires=10, <sip:k3y@1.2.3.4;transport=ws>;expires=120'),
    );
    expect(answer).toEqual({ kind: 'bound', expiresS: 120, cseq: 2, flowTimerS: null });
  });
  it("reads an outbound edge proxy's Flow-Timer", () => {
    const t = new RegisterTracker();
    t.sent(register(2));
    const answer = t.received(ok(2, '<sip:k3y@x>;expires=60', ['Flow-Timer: 25']));
    expect(answer).toEqual({ kind: 'bound', expiresS: 60, cseq: 2, flowTimerS: 25 });
  });
  it('matches by +sip.instance when the URI was rewritten', () => {
    const t = new RegisterTracker();
    t.sent(register(2));
    const answer = t.received(ok(2, '<sip:rewritten@sbc>;+sip.instance="<urn:uuid:1>";expires=90'));
    expect(answer).toEqual({ kind: 'bound', expiresS: 90, cseq: 2, flowTimerS: null });
  });
  it('names what makes a 2xx unusable', () => {
    const t = new RegisterTracker();
    t.sent(register(3));
    expect(t.received(ok(3, null))).toMatchObject({ reason: 'no-contact' });
    expect(t.received(ok(3, '<sip:sbc@x>'))).toMatchObject({ reason: 'foreign-contact' });
    expect(t.received(ok(9, '<sip:k3y@x>'))).toMatchObject({ reason: 'cseq-mismatch' });
  });
  it('ignores provisional answers, other methods and other Call-IDs; knows an un-REGISTER answer', () => {
    const t = new RegisterTracker();
    t.sent(register(4, 0));
    expect(t.received(ok(4, '<sip:k3y@x>').replace('200 OK', '100 Trying'))).toBeNull();
    expect(t.received(ok(4, '<sip:k3y@x>').replace('Call-ID: abc', 'Call-ID: zz'))).toBeNull();
    expect(t.received(ok(4, '<sip:k3y@x>').replace('REGISTER', 'INVITE'))).toBeNull();
    expect(t.received(ok(4, '<sip:k3y@x>'))).toEqual({ kind: 'removed', cseq: 4 });
  });
});
