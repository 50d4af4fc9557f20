// A corpus of hostile display names (and other short network text) for the tests of every
// surface that shows one: markup, bidi overrides and unclosed isolates, very long names and
// emoji runs, control characters, invisible characters, and names that clean to nothing. Each
// entry says what it attacks; `shown` is the exact one-line label expected where it is fixed.

export interface HostileName {
  what: string;
  raw: string;
  /** The expected label (networkLabel with the default length), when it is worth pinning. */
  shown?: string;
}

export const HOSTILE_NAMES: readonly HostileName[] = [
  { what: 'bold markup', raw: '<b>Boss</b>', shown: '<b>Boss</b>' },
  { what: 'image with handler', raw: '<img src=x onerror=alert(1)>' },
  { what: 'link markup', raw: '<a href="https://bank.example">Your Bank</a>' },
  { what: 'script breakout', raw: '"><script>alert(1)</script>' },
  { what: 'entities', raw: 'Tom & Jerry &amp; &lt;i&gt;co&lt;/i&gt;' },
  { what: 'underline support', raw: '<u>IT Support</u> <i>urgent</i>' },
  { what: 'right-to-left override', raw: '\u202Egnp.exe', shown: 'gnp.exe' },
  {
    what: 'override inside a name',
    raw: 'Alice \u202Eecila\u202C Smith',
    shown: 'Alice ecila Smith',
  },
  { what: 'unclosed isolate', raw: 'Bob\u2067 (CEO)', shown: 'Bob (CEO)' },
  { what: 'embedding and pop', raw: 'x\u202Ay\u202Cz\u2069', shown: 'xyz' },
  { what: 'arabic letter mark', raw: '\u061CMallory', shown: 'Mallory' },
  { what: 'legit right-to-left name', raw: 'محمد علي', shown: 'محمد علي' },
  { what: 'legit hebrew with digits', raw: 'שלום 123', shown: 'שלום 123' },
  { what: 'right-to-left mark kept', raw: 'Dana\u200F', shown: 'Dana\u200F' },
  { what: 'very long', raw: 'A'.repeat(10_000), shown: `${'A'.repeat(63)}…` },
  { what: 'very long words', raw: 'Bob '.repeat(500), shown: `${'Bob '.repeat(15)}Bob…` },
  { what: 'emoji run', raw: '😀'.repeat(300), shown: `${'😀'.repeat(63)}…` },
  { what: 'joined emoji', raw: '👩‍👩‍👧‍👦 Family' },
  { what: 'NUL', raw: 'Bob\u0000Smith', shown: 'BobSmith' },
  { what: 'bell and escape sequence', raw: 'Bell\u0007\u001b[31mRed', shown: 'Bell[31mRed' },
  {
    what: 'CR LF header injection',
    raw: 'Eve\r\nVia: SIP/2.0/WSS evil',
    shown: 'Eve Via: SIP/2.0/WSS evil',
  },
  { what: 'tab', raw: 'Tab\tName', shown: 'Tab Name' },
  { what: 'C1 next line', raw: 'C1\u0085next', shown: 'C1next' },
  { what: 'DEL', raw: 'Del\u007fete', shown: 'Delete' },
  { what: 'byte order mark', raw: '\uFEFFBOM', shown: 'BOM' },
  { what: 'zero width space', raw: 'zero\u200Bwidth', shown: 'zerowidth' },
  { what: 'line separator', raw: 'first\u2028second', shown: 'first second' },
  { what: 'noncharacter', raw: 'non\uFFFFchar', shown: 'nonchar' },
  { what: 'lone surrogate', raw: 'half\uD800pair', shown: 'half\uFFFDpair' },
  {
    what: 'interlinear annotation',
    raw: 'visible\uFFF9hidden\uFFFBtext',
    shown: 'visiblehiddentext',
  },
  { what: 'only controls', raw: '\u202E\u2066\u0000', shown: '' },
  { what: 'only spaces', raw: ' \u00A0\u3000 ', shown: '' },
];

/** Code point ranges no label may contain: controls, explicit bidi formatting, invisible ones. */
const FORBIDDEN_RANGES: readonly (readonly [number, number])[] = [
  [0x00, 0x1f],
  [0x7f, 0x9f],
  [0x61c, 0x61c],
  [0x180e, 0x180e],
  [0x200b, 0x200b],
  [0x202a, 0x202e],
  [0x2028, 0x2029],
  [0x2060, 0x206f],
  [0xfeff, 0xfeff],
  [0xfff9, 0xfffb],
  [0xffff, 0xffff],
];

/** The first character of `text` no label may contain (as U+XXXX), or null. */
export function forbiddenIn(text: string): string | null {
  for (const ch of text) {
    const c = ch.codePointAt(0) ?? 0;
    if (FORBIDDEN_RANGES.some(([lo, hi]) => c >= lo && c <= hi)) {
      return `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
    }
  }
  return null;
}
