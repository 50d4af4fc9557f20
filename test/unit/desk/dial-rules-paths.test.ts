// Dial rules on every path a number takes to the wire: typed, a link's target (its
// phone-context and extension kept), a call back from the history (the party's number as
// picked, ruled once more and only once), a consult call and a blind transfer — all through
// the engine's one target resolution, on real JsSIP over the in-memory SIP server. SIP
// addresses and user names are left alone; a number the rules refuse is refused before any
// INVITE, with the rules' sentence.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DialTarget } from '@shared/dial-target';
import { DEFAULT_DIAL_RULES, type DialRules } from '@shared/settings-types';
import { dialPlan, resolveCallTarget } from '../../../src-renderer/src/lib/phone/target';
import { setGatheringScript } from '../../support/fake-webrtc';
import { header } from '../../support/loop-sip';
import { advance } from '../phone/harness';
import { deskSetup, type DeskSetup } from './setup';

beforeEach(() => {
  vi.useFakeTimers();
  setGatheringScript({ kind: 'candidates', at: [{ ms: 1, typ: 'host' }], completeAtMs: 5 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A PBX that wants 00 for international numbers and 9 for an outside line. */
const RULES: DialRules = {
  ...DEFAULT_DIAL_RULES,
  internationalPrefix: '00',
  outsideLinePrefix: '9',
  outsideLineMinDigits: 7,
  rewrites: [{ pattern: '^\\+4930', replacement: '030' }],
};

/** Request-URIs of the INVITEs that started calls (not re-INVITEs to the server's contact). */
function requestUris(s: DeskSetup): string[] {
  return s.h.server
    .requests('INVITE')
    .map((m) => m.startLine.split(' ')[1] ?? '')
    .filter((uri) => uri.endsWith('@example.com'));
}

async function placed(s: DeskSetup, target: string | DialTarget): Promise<void> {
  const call = s.lines.place(s.h.engine, target);
  await advance(200);
  await call;
}

describe('dial rules on every dial path', () => {
  it('rules a typed number in the Request-URI; the party keeps the number as typed', async () => {
    const s = await deskSetup({}, { dialRules: RULES });
    await placed(s, '+49 30 1234567');
    await placed(s, '+1 415 555 0100');
    expect(requestUris(s)).toEqual([
      'sip:90301234567@example.com',
      'sip:90014155550100@example.com',
    ]);
    expect(s.lines.lines.map((l) => l.party.user)).toEqual(['+49301234567', '+14155550100']);
  });

  it('rules a link’s number after its phone-context, and keeps its extension', async () => {
    const s = await deskSetup({}, { dialRules: RULES });
    const link: DialTarget = {
      kind: 'number',
      dial: '1234567',
      display: '123 4567',
      scheme: 'tel',
      phoneContext: '+4930',
      extension: '42',
      dropped: [],
    };
    await placed(s, link);
    expect(requestUris(s)).toEqual(['sip:90301234567@example.com']);
    expect(s.lines.current?.info.extension).toBe('42');
    expect(dialPlan(link, 'sip:alice@example.com', RULES)).toMatchObject({
      calls: '90301234567',
      willDial: 'Will dial 90301234567',
      extension: '42',
      refused: null,
    });
  });

  it('rules a call back from the history once: the logged number is the one picked', async () => {
    const s = await deskSetup({}, { dialRules: RULES });
    await placed(s, '+49 30 1234567');
    s.lines.hangup(s.lines.current!.id);
    await advance(100);
    const logged = s.ended[0]!.snapshot.party.user; // what the history keeps and dials back
    await placed(s, logged);
    expect(requestUris(s)).toEqual(['sip:90301234567@example.com', 'sip:90301234567@example.com']);
  });

  it('rules a consult call (attended transfer)', async () => {
    const s = await deskSetup({}, { dialRules: RULES });
    await placed(s, 'bob');
    const consulting = s.lines.consult(s.lines.current!.id, s.h.engine, '+49 30 7654321');
    await advance(200);
    await consulting;
    expect(requestUris(s)).toEqual(['sip:bob@example.com', 'sip:90307654321@example.com']);
  });

  it('rules a blind transfer target', async () => {
    const s2 = await deskSetup({}, { dialRules: RULES });
    await placed(s2, 'bob');
    const transfer = s2.lines.blindTransfer(s2.lines.current!.id, s2.h.engine, '+44 20 7946 0000');
    await advance(200);
    await transfer;
    const refer = s2.h.server.requests('REFER')[0];
    expect(header(refer!, 'refer-to')).toBe('<sip:900442079460000@example.com>');
  });

  it('leaves SIP addresses and user names alone', () => {
    expect(resolveCallTarget('bob@example.org', 'sip:alice@example.com', RULES).uri).toBe(
      'sip:bob@example.org',
    );
    expect(resolveCallTarget('alice2', 'sip:alice@example.com', RULES).uri).toBe(
      'sip:alice2@example.com',
    );
    // A short internal number is not an outside number.
    expect(resolveCallTarget('1001', 'sip:alice@example.com', RULES).uri).toBe(
      'sip:1001@example.com',
    );
  });

  it('refuses, before any INVITE, a number the rules make undiallable', async () => {
    // A '+' put after the first digit: not something a phone can dial.
    const broken: DialRules = { ...RULES, rewrites: [{ pattern: '^\\+', replacement: '1+' }] };
    const s = await deskSetup({}, { dialRules: broken });
    const refused = expect(s.lines.place(s.h.engine, '+49 30 1234567')).rejects.toThrow(
      'This number cannot be dialled (the rules made "',
    );
    await advance(50);
    await refused;
    expect(s.h.server.requests('INVITE')).toEqual([]);
    const plan = dialPlan(
      {
        kind: 'number',
        dial: '+49301234567',
        display: '+49 30 1234567',
        scheme: 'typed',
        dropped: [],
      },
      'sip:alice@example.com',
      broken,
    );
    expect(plan.refused).toMatch(/^This number cannot be dialled/);
  });

  it('dials numbers as they are on an account without rules', async () => {
    const s = await deskSetup();
    await placed(s, '+49 30 1234567');
    expect(requestUris(s)).toEqual(['sip:+49301234567@example.com']);
  });
});
