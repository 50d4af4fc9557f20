// Issue 13, links as users and gateways expect them, through the engine on the loop server:
// a '#31#' prefix places the call without our identity (RFC 3323 Privacy: id, anonymous From)
// and is not dialled; '*31#' shows it even when the dialer hides it; ';user=phone' reaches the
// Request-URI; and the plan shown before the call says so.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parseDialLink, parseTypedDial, type DialTarget } from '@shared/dial-target';
import { accountHintFor, dialPlan } from '../../../src-renderer/src/lib/phone/target';
import { setGatheringScript } from '../../support/fake-webrtc';
import { header, type SipMessage } from '../../support/loop-sip';
import { advance, harness, registered, type Harness } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
  setGatheringScript({ kind: 'candidates', at: [{ ms: 1, typ: 'host' }], completeAtMs: 5 });
});
afterEach(() => {
  vi.useRealTimers();
});

function link(text: string): DialTarget {
  const parsed = parseDialLink(text);
  if (!parsed.ok) {
    throw new Error(parsed.message);
  }
  return parsed.target;
}

async function invited(
  h: Harness,
  input: string | DialTarget,
  anonymous = false,
): Promise<SipMessage> {
  h.engine.call(input, { anonymous });
  await advance(50);
  const invite = h.server.requests('INVITE').at(-1);
  if (!invite) {
    throw new Error('no INVITE');
  }
  return invite;
}

const isAnonymous = (invite: SipMessage): boolean =>
  /anonymous@anonymous\.invalid/.test(header(invite, 'from') ?? '') &&
  header(invite, 'privacy') === 'id';

describe('the #31# and *31# caller-ID prefixes', () => {
  it('#31# before a number (link or typed) calls the number without our identity', async () => {
    const h = harness();
    await registered(h);
    for (const input of [link('tel:#31#+49 30 123456'), '#31# +49 30 123456']) {
      const invite = await invited(h, input);
      expect(invite.startLine).toBe('INVITE sip:+4930123456@example.com SIP/2.0');
      expect(isAnonymous(invite)).toBe(true);
    }
  });

  it('*31# shows our identity even when the dialer is set to hide it', async () => {
    const h = harness();
    await registered(h);
    const invite = await invited(h, '*31#0301234', true);
    expect(invite.startLine).toBe('INVITE sip:0301234@example.com SIP/2.0');
    expect(isAnonymous(invite)).toBe(false);
    expect(header(invite, 'from')).toMatch(/sip:alice@example\.com/);
  });

  it('a number without a prefix follows the dialer’s choice', async () => {
    const h = harness();
    await registered(h);
    expect(isAnonymous(await invited(h, '0301234', true))).toBe(true);
    expect(isAnonymous(await invited(h, '0301234', false))).toBe(false);
  });

  it('a code alone is dialled as a feature code', async () => {
    const h = harness();
    await registered(h);
    const invite = await invited(h, '#31#');
    expect(invite.startLine).toBe('INVITE sip:%2331%23@example.com SIP/2.0');
    expect(isAnonymous(invite)).toBe(false);
  });

  it('the plan says the number will be hidden', () => {
    expect(dialPlan(link('tel:#31#0301234'), 'sip:alice@example.com')).toEqual({
      calls: '0301234',
      willDial: null,
      refused: null,
      extension: null,
      foreignContext: null,
      callerId: 'hidden',
    });
  });
});

describe(';user=phone', () => {
  it('reaches the Request-URI of a sip: link to a gateway', async () => {
    const h = harness();
    await registered(h);
    const invite = await invited(h, link('sip:+4930123@gw.example.com;user=phone;maddr=x.example'));
    expect(invite.startLine).toBe('INVITE sip:+4930123@gw.example.com;user=phone SIP/2.0');
  });

  it('still lets the link pick the account of its domain', () => {
    const accounts = [
      { id: 'office', sipUri: 'sip:1001@pbx.office.test' },
      { id: 'gateway', sipUri: 'sip:alice@gw.example.com' },
    ];
    expect(accountHintFor(link('sip:+4930123@gw.example.com;user=phone'), accounts)).toBe(
      'gateway',
    );
  });

  it('is dropped on a user that is not a number', () => {
    const parsed = parseTypedDial('sip:alice@gw.example.com;user=phone');
    expect(parsed.ok && parsed.target.dial).toBe('sip:alice@gw.example.com');
  });
});

describe('tel: numbers with spaces', () => {
  it('are called as the number they write', async () => {
    const h = harness();
    await registered(h);
    const invite = await invited(h, link('tel:+1 (415) 555-0100;ext=12'));
    expect(invite.startLine).toBe('INVITE sip:+14155550100@example.com SIP/2.0');
  });
});
