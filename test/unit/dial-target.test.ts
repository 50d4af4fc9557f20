// Owns the unit tests of src-main/shared/dial-target.ts: the table-driven corpus, the message
// contract, big inputs and a seeded property test over random strings.
import { describe, expect, it } from 'vitest';
import {
  MAX_DIAL_INPUT,
  parseDialLink,
  parseTypedDial,
  type DialParseResult,
} from '@shared/dial-target';
import { CORPUS, type DialCase } from './dial-target.corpus';
import { seededRandom } from '../support/seeded-random';

/** Ranges the parser must never let through: C0, DEL, C1, bidi/zero-width/format characters. */
const CONTROL_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0x61c, 0x61c],
  [0x180e, 0x180e],
  [0x200b, 0x200f],
  [0x2028, 0x202e],
  [0x2060, 0x2064],
  [0x2066, 0x206f],
  [0xfeff, 0xfeff],
];

function hasControlChar(s: string): boolean {
  return Array.from(s).some((ch) => {
    const c = ch.charCodeAt(0);
    return CONTROL_RANGES.some(([lo, hi]) => c >= lo && c <= hi);
  });
}
const DIAL_SHAPE =
  /^(\+?[0-9A-D*#]+|sips?:[^\s?;<>"]+(?:;user=phone)?|[A-Za-z0-9._~!$&'()*+,=-]+)$/;

function title(c: DialCase): string {
  const shown =
    c.input.length > 80 ? `${c.input.slice(0, 60)}… (${c.input.length} chars)` : c.input;
  return `${JSON.stringify(shown)} → ${typeof c.expect === 'string' ? c.expect : c.expect.dial}`;
}

function expectMessageContract(result: DialParseResult, input: string): void {
  if (result.ok) {
    return;
  }
  expect(result.message).toMatch(/^[A-Z][^\n]*\.$/);
  expect(hasControlChar(result.message)).toBe(false);
  if (hasControlChar(input) && input.trim().length > 2) {
    expect(result.message).not.toContain(input);
    expect(result.message).not.toContain(input.trim());
  }
}

const parsers = { link: parseDialLink, typed: parseTypedDial };

for (const group of CORPUS) {
  describe(`${group.parser === 'link' ? 'parseDialLink' : 'parseTypedDial'}: ${group.title}`, () => {
    it.each(group.cases.map((c) => [title(c), c] as const))('%s', (_name, c) => {
      const result = parsers[group.parser](c.input);
      if (typeof c.expect === 'string') {
        expect(result.ok ? result.target : result.reason).toBe(c.expect);
      } else {
        expect(result).toEqual({ ok: true, target: c.expect });
      }
      expectMessageContract(result, c.input);
    });
  });
}

describe('corpus size', () => {
  it('has at least 170 cases', () => {
    const total = CORPUS.reduce((n, g) => n + g.cases.length, 0);
    expect(total).toBeGreaterThanOrEqual(170);
  });
});

describe('big inputs', () => {
  it('refuses a 1 MB link and a 1 MB typed string as too-long', () => {
    const huge = `tel:+${'1'.repeat(1_000_000)}`;
    expect(parseDialLink(huge)).toMatchObject({ ok: false, reason: 'too-long' });
    expect(parseTypedDial(huge)).toMatchObject({ ok: false, reason: 'too-long' });
    expect(parseTypedDial(' '.repeat(1_000_000))).toMatchObject({ ok: false, reason: 'too-long' });
  });

  it('accepts exactly MAX_DIAL_INPUT characters and refuses one more', () => {
    const user = 'a'.repeat(MAX_DIAL_INPUT - 'sip:@example.com'.length);
    expect(parseDialLink(`sip:${user}@example.com`).ok).toBe(true);
    expect(parseDialLink(`sip:${user}a@example.com`)).toMatchObject({
      ok: false,
      reason: 'too-long',
    });
  });

  it('tolerates non-string input from untyped callers', () => {
    expect(parseDialLink(undefined as unknown as string)).toMatchObject({
      ok: false,
      reason: 'empty',
    });
    expect(parseTypedDial(null as unknown as string)).toMatchObject({ ok: false, reason: 'empty' });
  });
});

describe('messages', () => {
  it('gives one plain sentence that never echoes the input', () => {
    const inputs = [
      'tel:+1%0D%0AVia:%20x',
      'sip:evil\r\n@example.com',
      'javascript:alert(1)',
      '--inspect',
    ];
    for (const input of inputs) {
      const result = parseDialLink(input);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.message).toMatch(/^[A-Z][^\n]*\.$/);
        expect(result.message).not.toContain(input);
      }
    }
  });
});

const PREFIXES = [
  '',
  'tel:',
  'tel://',
  'sip:',
  'sips:',
  'callto:',
  'callto://',
  'TEL:+',
  'sip:a@',
  '+',
  '"x" <',
];
const ATOMS = [
  ...'0123456789+-.()/ *#;=?&@:%[]<>"\'abcdefxABCDEFXpw_~!$,',
  '%20',
  '%2B',
  '%0D%0A',
  '%00',
  '%C3%A9',
  '%C0%AF',
  '%E2%80%AE',
  '%25',
  '%3B',
  '%40',
  'ext=',
  '?body=',
  'phone-context=',
  'user=phone',
  'example.com',
  '[::1]',
  ':5060',
  '\u0000',
  '\r',
  '\n',
  '\t',
  '\u007f',
  '\u0085',
  '\u00a0',
  '\u2009',
  '\u2013',
  '\u2212',
  '\u200b',
  '\u200d',
  '\u202e',
  '\ufeff',
  '\u2028',
  '\uff11',
  '\uff0b',
  '\uff05',
  'е',
  'α',
  '\ud800',
  '\udc00',
  '😀',
  'K',
];

/** Mostly-plausible atoms, so that a good share of the random inputs parse successfully. */
const BENIGN = [...'0123456789012345678901234567890123456789 -.()', 'alice', 'bob', '@example.com'];

function randomInput(next: () => number): string {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const hostile = next() < 0.5;
  let s = pick(PREFIXES);
  const length = Math.floor(next() * 24);
  for (let i = 0; i < length; i++) {
    s += hostile || next() < 0.05 ? pick(ATOMS) : pick(BENIGN);
  }
  return next() < 0.1 ? ` ${s} ` : s;
}

function checkInvariant(result: DialParseResult): void {
  if (!result.ok) {
    expect(result.message.length).toBeGreaterThan(0);
    return;
  }
  const t = result.target;
  expect(t.dial).toMatch(DIAL_SHAPE);
  expect(hasControlChar(t.dial)).toBe(false);
  expect(hasControlChar(t.display)).toBe(false);
  expect(Array.isArray(t.dropped)).toBe(true);
  if (t.body !== undefined) {
    // A link's draft: no C0/C1 control but TAB and LF, bounded, never on a tel: number.
    // eslint-disable-next-line no-control-regex
    expect(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/.test(t.body)).toBe(false);
    expect(Array.from(t.body).length).toBeLessThanOrEqual(1000);
    expect(t.kind).toBe('address');
  }
  expect(
    t.kind === 'number' ? /^\+?[0-9A-D*#]+$/.test(t.dial) : !/^\+?[0-9*#]+$/.test(t.dial),
  ).toBe(true);
}

describe('property: random strings', () => {
  it('never throws, and every success has a safe dial string', () => {
    const next = seededRandom(0x5eed_d1a1);
    let successes = 0;
    for (let i = 0; i < 2000; i++) {
      const input = randomInput(next);
      for (const parse of [parseDialLink, parseTypedDial]) {
        const result = parse(input);
        checkInvariant(result);
        successes += result.ok ? 1 : 0;
      }
    }
    expect(successes).toBeGreaterThan(250);
  });
});
