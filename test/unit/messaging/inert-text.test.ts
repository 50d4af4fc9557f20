// Owns the unit tests of the text shared by chat and presence: display cleaning and the bidi
// rule (text/inert-text.ts), Content-Type parsing (text/content-type.ts) and strict charset
// decoding (text/charset.ts).
import { describe, expect, it } from 'vitest';
import {
  balanceBidi,
  cleanText,
  isolate,
  isVisibleToken,
  MAX_BIDI_DEPTH,
  singleLine,
} from '../../../src-renderer/src/lib/text/inert-text';
import { parseContentType } from '../../../src-renderer/src/lib/text/content-type';
import { decodeCharset } from '../../../src-renderer/src/lib/text/charset';
import { seeded } from '../xml/mutate';

const LRE = '\u202A';
const RLE = '\u202B';
const PDF = '\u202C';
const LRO = '\u202D';
const RLO = '\u202E';
const LRI = '\u2066';
const RLI = '\u2067';
const FSI = '\u2068';
const PDI = '\u2069';

/** Checks the promise of balanceBidi: per line, every closer closes something and all is closed. */
function balancedPerLine(text: string): boolean {
  for (const line of text.split('\n')) {
    const stack: string[] = [];
    for (const ch of line) {
      if (ch === LRO || ch === RLO) {
        return false;
      }
      if (ch === LRE || ch === RLE) {
        stack.push('e');
      } else if (ch === LRI || ch === RLI || ch === FSI) {
        stack.push('i');
      } else if (ch === PDF) {
        if (stack.pop() !== 'e') {
          return false;
        }
      } else if (ch === PDI) {
        if (stack.pop() !== 'i') {
          return false;
        }
      }
      if (stack.length > MAX_BIDI_DEPTH) {
        return false;
      }
    }
    if (stack.length > 0) {
      return false;
    }
  }
  return true;
}

describe('cleanText', () => {
  it('keeps ordinary text of every script untouched', () => {
    const text = 'Grüße, Ἀθῆναι! שלום עולם مرحبا 你好 👩‍👩‍👧 é (e + U+0301)\ttab\nnext line';
    expect(cleanText(text, { multiline: true })).toEqual({ text, removed: 0 });
  });

  it('removes NUL, C0 and C1 controls, DEL, BOM and noncharacters, and counts them', () => {
    const r = cleanText('a\u0000b\u0007c\u001bd\u007fe\u0085f\u009fg\uFEFFh\uFFFEi\uFDD0j\uFFF9k', {
      multiline: true,
    });
    expect(r).toEqual({ text: 'abcdefghijk', removed: 10 });
  });

  it('turns line breaks into LF (multiline) or spaces (single line)', () => {
    expect(cleanText('a\r\nb\rc\nd\u2028e\u2029f', { multiline: true }).text).toBe(
      'a\nb\nc\nd\ne\nf',
    );
    expect(cleanText('a\r\nb\tc\nd').text).toBe('a b c d');
  });

  it('replaces unpaired surrogates with U+FFFD and keeps pairs', () => {
    expect(cleanText('x\uD800y\uDC00z😀')).toEqual({ text: 'x\uFFFDy\uFFFDz😀', removed: 2 });
  });
});

describe('the bidi rule', () => {
  it.each([
    ['overrides are removed with their PDF', `a${RLO}exe.txt${PDF}b`, 'aexe.txtb'],
    ['an unclosed override is removed', `name${RLO}gpj.exe`, 'namegpj.exe'],
    ['a balanced embedding is kept', `a${RLE}שלום${PDF}b`, `a${RLE}שלום${PDF}b`],
    ['a balanced isolate is kept', `a${RLI}שלום${PDI}b`, `a${RLI}שלום${PDI}b`],
    ['an unmatched PDF is removed', `a${PDF}b`, 'ab'],
    ['an unmatched PDI is removed', `a${PDI}b`, 'ab'],
    ['an open embedding is closed at the end of the line', `a${RLE}b\nc`, `a${RLE}b${PDF}\nc`],
    ['an open isolate is closed at the end of the text', `a${FSI}b`, `a${FSI}b${PDI}`],
    [
      'a PDI closes embeddings opened inside its isolate',
      `${LRI}x${RLE}y${PDI}z`,
      `${LRI}x${RLE}y${PDF}${PDI}z`,
    ],
    [
      'a PDF cannot close an embedding outside an open isolate',
      `${RLE}a${LRI}b${PDF}c${PDI}d${PDF}`,
      `${RLE}a${LRI}bc${PDI}d${PDF}`,
    ],
    [
      'an override inside an embedding goes, the embedding stays',
      `${RLE}a${LRO}b${PDF}c${PDF}`,
      `${RLE}abc${PDF}`,
    ],
  ])('%s', (_name, input, expected) => {
    expect(balanceBidi(input).text).toBe(expected);
  });

  it(`keeps at most ${MAX_BIDI_DEPTH} levels`, () => {
    const deep = `${RLE.repeat(40)}x${PDF.repeat(40)}`;
    const out = balanceBidi(deep).text;
    expect(out).toBe(`${RLE.repeat(MAX_BIDI_DEPTH)}x${PDF.repeat(MAX_BIDI_DEPTH)}`);
  });

  it('any mix of controls comes out balanced per line (seeded property)', () => {
    const random = seeded(1234);
    const alphabet = [LRE, RLE, PDF, LRO, RLO, LRI, RLI, FSI, PDI, 'a', 'ש', '\n', ' '];
    const failures: string[] = [];
    for (let n = 0; n < 3000; n++) {
      const input = Array.from(
        { length: Math.floor(random() * 60) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      const { text } = cleanText(input, { multiline: true });
      if (!balancedPerLine(text)) {
        failures.push(JSON.stringify(input));
      }
      // Only bidi controls are ever removed or added: the visible characters stay in order.
      const visible = (s: string): string => s.replace(/[\u202A-\u202E\u2066-\u2069]/g, '');
      if (visible(text) !== visible(input)) {
        failures.push(`changed text: ${JSON.stringify(input)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('handles 100,000 openers followed by closers (no quadratic work, same rule)', () => {
    const text = `${RLE.repeat(50_000)}${PDI.repeat(50_000)}${LRI.repeat(50_000)}${PDF.repeat(50_000)}`;
    const out = balanceBidi(text).text;
    expect(balancedPerLine(out)).toBe(true);
    expect(out.length).toBeLessThanOrEqual(4 * MAX_BIDI_DEPTH);
  });
});

describe('singleLine, isolate, isVisibleToken', () => {
  it('collapses white space, trims and cuts by code points', () => {
    expect(singleLine('  Alice \n\t Smith  ')).toBe('Alice Smith');
    expect(singleLine('😀'.repeat(10), 4)).toBe('😀😀😀…');
    // Cutting inside an embedding still closes it.
    expect(singleLine(`${RLE}${'ש'.repeat(10)}`, 5)).toBe(`${RLE}ששש…${PDF}`);
  });

  it('wraps text in FSI … PDI', () => {
    expect(isolate('بوب')).toBe(`${FSI}بوب${PDI}`);
  });

  it.each([
    ['sip:alice@example.com', true],
    ['sip:josé@example.com', true],
    ['a b', false],
    ['a\u00a0b', false],
    ['a\u200bb', false],
    [`a${RLO}b`, false],
    ['a\u0000b', false],
    ['a\u0085b', false],
    ['a\uFEFFb', false],
  ])('isVisibleToken(%j) = %s', (value, expected) => {
    expect(isVisibleToken(value)).toBe(expected);
  });
});

describe('parseContentType', () => {
  it.each([
    ['text/plain', 'text/plain', {}],
    ['Text/Plain;charset=UTF-8', 'text/plain', { charset: 'UTF-8' }],
    [
      'text/plain ; charset = "utf-8" ; format=flowed',
      'text/plain',
      { charset: 'utf-8', format: 'flowed' },
    ],
    ['text/plain;charset="a\\"b"', 'text/plain', { charset: 'a"b' }],
    ['text/plain;', 'text/plain', {}],
    ['application/im-iscomposing+xml', 'application/im-iscomposing+xml', {}],
    ['text/plain;CHARSET=x;charset=y', 'text/plain', { charset: 'x' }],
  ])('%j', (value, essence, params) => {
    const t = parseContentType(value);
    expect(t?.essence).toBe(essence);
    expect(Object.fromEntries(t?.params ?? [])).toEqual(params);
  });

  it.each([
    [''],
    ['text'],
    ['text/'],
    ['/plain'],
    ['text/plain charset=utf-8'],
    ['text/plain;charset'],
    ['text/plain;charset="open'],
    ['text/pl ain'],
    ['tëxt/plain'],
    ['text/plain;charset="a\u0000"'],
    [null],
    ['x'.repeat(2000)],
  ])('refuses %j', (value) => {
    expect(parseContentType(value)).toBeNull();
  });
});

describe('decodeCharset', () => {
  it('decodes windows-1252 and its aliases by the WHATWG table, in Node as in Chromium', () => {
    const bytes = new Uint8Array([0x80, 0x93, 0x94, 0xe9, 0x81]);
    for (const label of ['windows-1252', 'ISO-8859-1', 'latin1', 'us-ascii', 'ascii', 'cp1252']) {
      expect(decodeCharset(bytes, label)).toEqual({
        ok: true,
        text: '€“”é\u0081',
        encoding: 'windows-1252',
      });
    }
  });

  it('decodes other charsets through TextDecoder and refuses invalid bytes', () => {
    expect(decodeCharset(new Uint8Array([0xa1]), 'iso-8859-2')).toMatchObject({
      ok: true,
      text: 'Ą',
    });
    expect(decodeCharset(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]), 'utf-8')).toMatchObject({
      ok: true,
      text: '\uFEFFa',
    });
    expect(decodeCharset(new Uint8Array([0xc3]), 'utf-8')).toEqual({
      ok: false,
      code: 'invalid-encoding',
    });
    expect(decodeCharset(new Uint8Array([0x61]), 'x-no-such')).toEqual({
      ok: false,
      code: 'unsupported-encoding',
    });
  });
});
