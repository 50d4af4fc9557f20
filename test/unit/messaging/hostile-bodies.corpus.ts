// Owns the hostile MESSAGE corpus (issue 14 "What must be shown": markup, script, 1 MB, NUL bytes,
// invalid UTF-8, bidi overrides) and hostile display names, each with the exact outcome
// hostile-bodies.test.ts asserts: stored text, or the refusal status.

export interface HostileBodyCase {
  name: string;
  contentType: string | null;
  body: string | Uint8Array;
  /** The text stored and shown, or the refusal status. */
  expect: { text: string } | { status: 400 | 413 | 415 } | { composing: 'active' | 'idle' };
}

export interface HostileNameCase {
  name: string;
  input: string;
  /** singleLine(input, 128): what a label shows. */
  shown: string;
}

const MB = 1024 * 1024;
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const TEXT = 'text/plain;charset=UTF-8';
const COMPOSING = 'application/im-iscomposing+xml';

export const HOSTILE_BODIES: HostileBodyCase[] = [
  // Markup and script: stored as the characters they are (views render text nodes).
  {
    name: 'script tag',
    contentType: TEXT,
    body: '<script>alert(1)</script>',
    expect: { text: '<script>alert(1)</script>' },
  },
  {
    name: 'img onerror',
    contentType: TEXT,
    body: '<img src=x onerror=alert(1)>',
    expect: { text: '<img src=x onerror=alert(1)>' },
  },
  {
    name: 'notification-server markup',
    contentType: TEXT,
    body: '<b>bold</b> <a href="http://evil.example">click</a> &amp;',
    expect: { text: '<b>bold</b> <a href="http://evil.example">click</a> &amp;' },
  },
  {
    name: 'javascript: URL',
    contentType: TEXT,
    body: 'javascript:alert(document.cookie)',
    expect: { text: 'javascript:alert(document.cookie)' },
  },
  {
    name: 'HTML content type',
    contentType: 'text/html',
    body: '<h1>hi</h1>',
    expect: { status: 415 },
  },
  {
    name: 'SVG content type',
    contentType: 'image/svg+xml',
    body: '<svg onload="alert(1)"/>',
    expect: { status: 415 },
  },
  {
    name: 'CPIM wrapper',
    contentType: 'message/cpim',
    body: 'From: <sip:a@x>\r\n\r\nContent-Type: text/html\r\n\r\n<b>x</b>',
    expect: { status: 415 },
  },

  // Size.
  { name: '1 MB string', contentType: TEXT, body: 'A'.repeat(MB), expect: { status: 413 } },
  {
    name: '1 MB of bytes',
    contentType: TEXT,
    body: new Uint8Array(MB).fill(0x41),
    expect: { status: 413 },
  },
  {
    name: 'one byte over 64 KiB',
    contentType: TEXT,
    body: 'B'.repeat(64 * 1024 + 1),
    expect: { status: 413 },
  },
  {
    name: '1 MB isComposing',
    contentType: COMPOSING,
    body: `<isComposing>${' '.repeat(MB)}</isComposing>`,
    expect: { status: 413 },
  },

  // NUL bytes and controls.
  {
    name: 'only NUL bytes',
    contentType: TEXT,
    body: '\u0000\u0000\u0000',
    expect: { status: 400 },
  },
  {
    name: 'NUL bytes as bytes',
    contentType: TEXT,
    body: new Uint8Array([0, 0, 0]),
    expect: { status: 400 },
  },
  {
    name: 'NUL inside text',
    contentType: TEXT,
    body: 'pass\u0000word',
    expect: { text: 'password' },
  },
  {
    name: 'ANSI colour escape',
    contentType: TEXT,
    body: '\u001b[31mred\u001b[0m',
    expect: { text: '[31mred[0m' },
  },
  {
    name: 'terminal title escape',
    contentType: TEXT,
    body: '\u001b]0;pwned\u0007text',
    expect: { text: ']0;pwnedtext' },
  },
  { name: 'C1 controls', contentType: TEXT, body: 'a\u0085b\u009bc', expect: { text: 'abc' } },
  {
    name: 'CR LF and separators',
    contentType: TEXT,
    body: 'one\r\ntwo\rthree\u2028four',
    expect: { text: 'one\ntwo\nthree\nfour' },
  },

  // Invalid UTF-8 (bytes are decoded strictly) and unpaired surrogates (strings).
  {
    name: 'invalid UTF-8 continuation',
    contentType: TEXT,
    body: new Uint8Array([0x61, 0xc3, 0x28]),
    expect: { status: 400 },
  },
  {
    name: 'overlong UTF-8',
    contentType: TEXT,
    body: new Uint8Array([0xc0, 0xaf]),
    expect: { status: 400 },
  },
  {
    name: 'UTF-8 encoded surrogate',
    contentType: TEXT,
    body: new Uint8Array([0xed, 0xa0, 0x80]),
    expect: { status: 400 },
  },
  {
    name: 'truncated 4-byte sequence',
    contentType: TEXT,
    body: new Uint8Array([0x68, 0x69, 0xf0, 0x9f, 0x98]),
    expect: { status: 400 },
  },
  {
    name: 'unpaired surrogate in a string',
    contentType: TEXT,
    body: 'a\uD83Db',
    expect: { text: 'a\uFFFDb' },
  },
  {
    name: 'UTF-8 with a BOM',
    contentType: TEXT,
    body: new Uint8Array([0xef, 0xbb, 0xbf, ...enc('hi')]),
    expect: { text: 'hi' },
  },
  {
    name: 'declared ISO-8859-1',
    contentType: 'text/plain; charset=ISO-8859-1',
    body: new Uint8Array([0x63, 0x61, 0x66, 0xe9]),
    expect: { text: 'café' },
  },
  {
    name: 'unknown charset',
    contentType: 'text/plain; charset=x-evil',
    body: enc('hi'),
    expect: { status: 415 },
  },

  // Bidi.
  {
    name: 'RLO file-name trick',
    contentType: TEXT,
    body: 'Open Invoice\u202Efdp.exe',
    expect: { text: 'Open Invoicefdp.exe' },
  },
  { name: 'LRO/PDF pair', contentType: TEXT, body: 'a\u202Dbc\u202Cd', expect: { text: 'abcd' } },
  {
    name: 'unmatched PDF and PDI',
    contentType: TEXT,
    body: 'x\u202Cy\u2069z',
    expect: { text: 'xyz' },
  },
  {
    name: 'unclosed RLE closed at the line end',
    contentType: TEXT,
    body: '\u202Bשלום\nnext',
    expect: { text: '\u202Bשלום\u202C\nnext' },
  },
  {
    name: 'legitimate RTL with isolates kept',
    contentType: TEXT,
    body: 'Ref \u2067שלום\u2069 ok',
    expect: { text: 'Ref \u2067שלום\u2069 ok' },
  },

  // Text that must survive untouched.
  {
    name: 'emoji ZWJ sequences and flags',
    contentType: TEXT,
    body: '👩‍👩‍👧‍👦 🏳️‍🌈 🇩🇪',
    expect: { text: '👩‍👩‍👧‍👦 🏳️‍🌈 🇩🇪' },
  },
  { name: 'combining marks (zalgo)', contentType: TEXT, body: 'Z̴̡̛a̷͜l̶g̸o̵', expect: { text: 'Z̴̡̛a̷͜l̶g̸o̵' } },
  {
    name: 'Arabic and Hebrew',
    contentType: TEXT,
    body: 'مرحبا שלום',
    expect: { text: 'مرحبا שלום' },
  },

  // Header-shaped garbage.
  {
    name: 'Content-Type with an injected header',
    contentType: 'text/plain\r\nX-Evil: 1',
    body: 'x',
    expect: { status: 415 },
  },
  {
    name: 'charset with a line break',
    contentType: 'text/plain; charset="utf-8\r\n"',
    body: 'x',
    expect: { status: 415 },
  },
  { name: 'no Content-Type', contentType: null, body: 'hello', expect: { status: 415 } },

  // isComposing bodies.
  {
    name: 'isComposing billion laughs',
    contentType: COMPOSING,
    body: '<!DOCTYPE l [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]><isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"><state>&b;</state></isComposing>',
    expect: { status: 400 },
  },
  {
    name: 'isComposing external entity',
    contentType: COMPOSING,
    body: '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"><state>&e;</state></isComposing>',
    expect: { status: 400 },
  },
  {
    name: 'isComposing unknown state',
    contentType: COMPOSING,
    body: '<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"><state>hacking</state></isComposing>',
    expect: { status: 400 },
  },
  {
    name: 'isComposing wrong namespace',
    contentType: COMPOSING,
    body: '<isComposing xmlns="urn:evil"><state>active</state></isComposing>',
    expect: { status: 400 },
  },
  {
    name: 'isComposing with NUL',
    contentType: COMPOSING,
    body: '<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"><state>active\u0000</state></isComposing>',
    expect: { status: 400 },
  },
  {
    name: 'isComposing idle with a script in contenttype',
    contentType: COMPOSING,
    body: '<isComposing xmlns="urn:ietf:params:xml:ns:im-iscomposing"><state>idle</state><contenttype>&lt;script&gt;</contenttype></isComposing>',
    expect: { composing: 'idle' },
  },
];

export const HOSTILE_NAMES: HostileNameCase[] = [
  { name: 'markup', input: '<script>alert(1)</script>', shown: '<script>alert(1)</script>' },
  {
    name: 'notification markup',
    input: '<b>CEO</b> <i>urgent</i>',
    shown: '<b>CEO</b> <i>urgent</i>',
  },
  { name: 'RLO', input: 'Alice\u202Egnp.exe', shown: 'Alicegnp.exe' },
  { name: 'unclosed RLI', input: '\u2067שלום', shown: '\u2067שלום\u2069' },
  { name: 'NUL and BEL', input: 'Bob\u0000\u0007', shown: 'Bob' },
  {
    name: 'line breaks that fake a second line',
    input: 'Eve\r\n\r\nFrom: IT Support',
    shown: 'Eve From: IT Support',
  },
  {
    name: 'zero-width padding is kept inside (visible text unchanged)',
    input: 'Mal\u200Blory',
    shown: 'Mal\u200Blory',
  },
  { name: 'very long', input: 'A'.repeat(10_000), shown: `${'A'.repeat(127)}…` },
  { name: 'only spaces and controls', input: ' \u0000\t\u0085 ', shown: '' },
  { name: 'unpaired surrogate', input: 'x\uDC00y', shown: 'x\uFFFDy' },
];
