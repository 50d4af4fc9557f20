// Owns the seeded random source and the body mutator shared by the fuzz tests of the XML reader,
// the presence parsers and the messaging body checks: the same seed always gives the same inputs,
// so a failure is reproducible from the test name.

/** The shared seeded PRNG, under the name these tests use. */
export { seededRandom as seeded } from '../../support/seeded-random';

/** Markup fragments that stress every branch of an XML reader. */
export const XML_PIECES: readonly string[] = [
  '<',
  '>',
  '/>',
  '</',
  '&',
  ';',
  '"',
  "'",
  '=',
  ':',
  '<!--',
  '-->',
  '--',
  '<![CDATA[',
  ']]>',
  '<?',
  '?>',
  '<?xml version="1.0"?>',
  '<!DOCTYPE d [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>',
  '<!ENTITY e SYSTEM "file:///etc/passwd">',
  '&a;',
  '&lt;',
  '&#0;',
  '&#x41;',
  '&#x10FFFF;',
  '&#xD800;',
  '\u0000',
  '\uD800',
  '\uDC00',
  '\uFFFE',
  '\r\n',
  '\r',
  '\t',
  ' ',
  'é',
  '😀',
  '\u202E',
  'xmlns="urn:x"',
  'xmlns:p="urn:p"',
  'xmlns:p=""',
  'p:',
  'xml:lang="en"',
  '<a>',
  '</a>',
  '<p:b/>',
  'x'.repeat(200),
];

/** Returns `body` with 1–4 random edits: cut, insert a piece, repeat a slice, swap, truncate. */
export function mutate(body: string, random: () => number): string {
  let s = body;
  const pick = (n: number): number => Math.floor(random() * n);
  const edits = 1 + pick(4);
  for (let e = 0; e < edits; e++) {
    const at = pick(s.length + 1);
    const len = pick(Math.min(40, s.length - at) + 1);
    switch (pick(7)) {
      case 0:
        s = s.slice(0, at) + s.slice(at + len);
        break;
      case 1:
        s = s.slice(0, at) + XML_PIECES[pick(XML_PIECES.length)]! + s.slice(at);
        break;
      case 2:
        s = s.slice(0, at) + s.slice(at, at + len).repeat(1 + pick(50)) + s.slice(at + len);
        break;
      case 3: {
        const other = pick(s.length + 1);
        const [a, b] = at < other ? [at, other] : [other, at];
        s =
          s.slice(0, a) +
          s.slice(b, b + len) +
          s.slice(a + len, b) +
          s.slice(a, a + len) +
          s.slice(b + len);
        break;
      }
      case 4:
        s = s.slice(0, at);
        break;
      case 5:
        s = s.slice(0, at) + String.fromCharCode(pick(0x10000)) + s.slice(at + 1);
        break;
      default:
        s = s.slice(0, at) + String.fromCharCode(0x20 + pick(0x5f)) + s.slice(at);
    }
  }
  return s;
}
