// Owns the unit tests of incoming MESSAGE bodies (incoming-body.ts: what is accepted, refused
// with which status and headers, and what text is stored) and of the link finder (links.ts).
import { describe, expect, it } from 'vitest';
import {
  ACCEPTED_TYPES,
  acceptIncomingMessage,
  MAX_MESSAGE_BYTES,
  utf8Length,
} from '../../../src-renderer/src/lib/messaging/incoming-body';
import {
  findLinks,
  MAX_LINK_LENGTH,
  type TextRun,
} from '../../../src-renderer/src/lib/messaging/links';
import { ISCOMPOSING_ACTIVE } from '../presence/samples';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('acceptIncomingMessage', () => {
  it('accepts text/plain with any charset spelling and keeps the text', () => {
    for (const contentType of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'TEXT/PLAIN; Charset="utf-8"',
    ]) {
      expect(acceptIncomingMessage({ contentType, body: 'Hello 👋 שלום' })).toEqual({
        action: 'message',
        text: 'Hello 👋 שלום',
        removed: 0,
        status: 200,
      });
    }
  });

  it('decodes bytes by the charset parameter, strictly', () => {
    expect(
      acceptIncomingMessage({ contentType: 'text/plain;charset=utf-8', body: enc('Grüße') }),
    ).toMatchObject({
      action: 'message',
      text: 'Grüße',
    });
    expect(
      acceptIncomingMessage({
        contentType: 'text/plain; charset=ISO-8859-1',
        body: new Uint8Array([0x47, 0x72, 0xfc, 0xdf, 0x65, 0x80]),
      }),
    ).toMatchObject({ action: 'message', text: 'Grüße€' });
    expect(
      acceptIncomingMessage({
        contentType: 'text/plain',
        body: new Uint8Array([0x61, 0xc3, 0x28]),
      }),
    ).toMatchObject({
      action: 'reject',
      status: 400,
      reasonPhrase: 'Invalid Characters',
    });
    expect(
      acceptIncomingMessage({ contentType: 'text/plain; charset=x-unknown', body: enc('a') }),
    ).toMatchObject({
      action: 'reject',
      status: 415,
      headers: [`Accept: ${ACCEPTED_TYPES}`],
    });
  });

  it('takes a string as decoded by the transport (U+FFFD kept as the replacement it is)', () => {
    expect(
      acceptIncomingMessage({ contentType: 'text/plain', body: 'bad \uFFFD byte' }),
    ).toMatchObject({
      action: 'message',
      text: 'bad \uFFFD byte',
    });
  });

  it('routes isComposing bodies to the composing reader', () => {
    expect(
      acceptIncomingMessage({
        contentType: 'application/im-iscomposing+xml',
        body: ISCOMPOSING_ACTIVE,
      }),
    ).toEqual({
      action: 'composing',
      indication: { state: 'active', refreshS: 90, lastActive: null, contentType: 'text/plain' },
      status: 200,
    });
    expect(
      acceptIncomingMessage({
        contentType: 'application/im-iscomposing+xml',
        body: '<isComposing/>',
      }),
    ).toMatchObject({ action: 'reject', status: 400, headers: [] });
  });

  it.each([
    ['text/html', '<b>hi</b>'],
    ['message/cpim', 'From: x'],
    ['multipart/mixed;boundary=x', '--x'],
    ['application/json', '{}'],
    [null, 'no type'],
    [undefined, 'no type'],
    ['garbage', 'x'],
  ])('refuses %j with 415 and an Accept header', (contentType, body) => {
    expect(acceptIncomingMessage({ contentType, body })).toMatchObject({
      action: 'reject',
      status: 415,
      reasonPhrase: 'Unsupported Media Type',
      headers: ['Accept: text/plain, application/im-iscomposing+xml'],
    });
  });

  it('refuses bodies over the limit with 413, counting UTF-8 bytes', () => {
    const justFits = 'a'.repeat(MAX_MESSAGE_BYTES);
    expect(acceptIncomingMessage({ contentType: 'text/plain', body: justFits }).action).toBe(
      'message',
    );
    expect(
      acceptIncomingMessage({ contentType: 'text/plain', body: `${justFits}a` }),
    ).toMatchObject({
      status: 413,
      headers: [],
    });
    // 30,000 characters that are 3 bytes each: under the limit in characters, over it in bytes.
    expect(
      acceptIncomingMessage({ contentType: 'text/plain', body: '€'.repeat(30_000) }),
    ).toMatchObject({ status: 413 });
    expect(
      acceptIncomingMessage({ contentType: 'text/plain', body: 'x'.repeat(10) }, 5),
    ).toMatchObject({ status: 413 });
  });

  it('refuses an empty body and one that is empty once cleaned', () => {
    for (const body of [
      '',
      null,
      undefined,
      new Uint8Array(0),
      '\u0000\u0000',
      ' \n\t ',
      '\u202E',
    ]) {
      expect(acceptIncomingMessage({ contentType: 'text/plain', body })).toMatchObject({
        action: 'reject',
        status: 400,
      });
    }
  });

  it('removes NULs and controls, keeps line breaks, neutralises overrides', () => {
    expect(
      acceptIncomingMessage({
        contentType: 'text/plain',
        body: 'line1\r\nline2\u0000\u0007\r\n\u202Etxt.exe',
      }),
    ).toEqual({ action: 'message', text: 'line1\nline2\ntxt.exe', removed: 3, status: 200 });
  });

  it('keeps markup as text', () => {
    const body = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    expect(acceptIncomingMessage({ contentType: 'text/plain', body })).toMatchObject({
      action: 'message',
      text: body,
    });
  });

  it('counts UTF-8 bytes like TextEncoder does', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a\uD800b', '\uDC00', 'mixed é€😀 text']) {
      const expected = new TextEncoder().encode(s).length;
      expect(utf8Length(s)).toBe(expected);
    }
  });
});

/** Runs as [kind, text, href?] for compact expectations. */
function runs(text: string): Array<[string, string] | [string, string, string]> {
  return findLinks(text).map((r: TextRun) =>
    r.kind === 'text' ? ['t', r.text] : [r.scheme, r.text, r.href],
  );
}

describe('findLinks', () => {
  it('splits text and links, never HTML', () => {
    expect(runs('See https://example.com/a?b=1#c, or mail mailto:bob@example.com.')).toEqual([
      ['t', 'See '],
      ['https', 'https://example.com/a?b=1#c', 'https://example.com/a?b=1#c'],
      ['t', ', or mail '],
      ['mailto', 'mailto:bob@example.com', 'mailto:bob@example.com'],
      ['t', '.'],
    ]);
  });

  it('finds tel: and sip: links that the dial-link parser accepts', () => {
    expect(runs('call tel:+49-30-123456 or sip:alice@example.com!')).toEqual([
      ['t', 'call '],
      ['tel', 'tel:+49-30-123456', 'tel:+49-30-123456'],
      ['t', ' or '],
      ['sip', 'sip:alice@example.com', 'sip:alice@example.com'],
      ['t', '!'],
    ]);
    expect(runs('sip:bob tel:abc')).toEqual([['t', 'sip:bob tel:abc']]);
  });

  it('links www. names as https and normalises hosts', () => {
    expect(runs('www.Example.COM/x')).toEqual([
      ['https', 'www.Example.COM/x', 'https://www.example.com/x'],
    ]);
    expect(runs('https://bücher.example/')).toEqual([
      ['https', 'https://bücher.example/', 'https://xn--bcher-kva.example/'],
    ]);
  });

  it('handles parentheses like people write them', () => {
    expect(runs('(see https://en.wikipedia.org/wiki/Foo_(bar))')).toEqual([
      ['t', '(see '],
      [
        'https',
        'https://en.wikipedia.org/wiki/Foo_(bar)',
        'https://en.wikipedia.org/wiki/Foo_(bar)',
      ],
      ['t', ')'],
    ]);
  });

  it.each([
    ['javascript:alert(1)'],
    ['data:text/html,<script>alert(1)</script>'],
    ['file:///etc/passwd'],
    ['ftp://example.com'],
    ['vbscript:msgbox'],
    ['sips:alice@example.com'],
    ['xhttps://example.com'],
    ['foo.www.example.com'],
    ['https://'],
    ['https://bank.example@evil.example/'],
    ['https://user:pw@example.com'],
    ['mailto:nobody'],
    ['www.'],
  ])('makes no link of %j', (text) => {
    expect(runs(text)).toEqual([['t', text]]);
  });

  it('stops a link at markup, quotes, controls, bidi and zero-width characters', () => {
    expect(runs('<https://a.example/x>')).toEqual([
      ['t', '<'],
      ['https', 'https://a.example/x', 'https://a.example/x'],
      ['t', '>'],
    ]);
    expect(runs('"https://a.example/x"')[1]).toEqual([
      'https',
      'https://a.example/x',
      'https://a.example/x',
    ]);
    expect(runs('https://a.example/\u202Egpj.exe')[0]).toEqual([
      'https',
      'https://a.example/',
      'https://a.example/',
    ]);
    expect(runs('https://a.example/\u200Bx')[0]).toEqual([
      'https',
      'https://a.example/',
      'https://a.example/',
    ]);
  });

  it('leaves links over MAX_LINK_LENGTH as text', () => {
    const long = `https://example.com/${'a'.repeat(MAX_LINK_LENGTH)}`;
    expect(runs(`${long} https://ok.example`)).toEqual([
      ['t', `${long} `],
      ['https', 'https://ok.example', 'https://ok.example/'],
    ]);
  });

  it('returns text runs that concatenate back to the input', () => {
    const text = 'a https://x.example b tel:+1234 c www.y.example. d sip:u@h e';
    expect(
      findLinks(text)
        .map((r) => r.text)
        .join(''),
    ).toBe(text);
  });

  it('returns nothing for empty text and one run for text without links', () => {
    expect(findLinks('')).toEqual([]);
    expect(findLinks('no links')).toEqual([{ kind: 'text', text: 'no links' }]);
  });

  it('stays linear on a wall of almost-links', () => {
    const text = 'http://'.repeat(20_000) + ' https://ok.example';
    const result = findLinks(text);
    expect(result.at(-1)).toEqual({
      kind: 'link',
      text: 'https://ok.example',
      href: 'https://ok.example/',
      scheme: 'https',
    });
  });
});
