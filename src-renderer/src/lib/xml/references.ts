// Owns decoding character data and attribute values: the five predefined entities and numeric
// character references, nothing else (no DTD can exist, see reader.ts), and attribute-value
// normalisation (XML 1.0 §3.3.3: literal tabs and newlines become spaces).
import { isXmlChar } from './chars';
import { Failure } from './failure';

/** The longest reference between '&' and ';' that is even looked at. */
const MAX_REFERENCE = 64;
const PREDEFINED: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

function reference(name: string, offset: number): string {
  if (Object.hasOwn(PREDEFINED, name)) {
    return PREDEFINED[name]!;
  }
  const hex = /^#x[0-9A-Fa-f]{1,6}$/.test(name);
  if (!hex && !/^#[0-9]{1,7}$/.test(name)) {
    throw new Failure(name.startsWith('#') ? 'malformed' : 'undefined-entity', offset);
  }
  const cp = hex ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
  if (!isXmlChar(cp)) {
    throw new Failure('invalid-character', offset);
  }
  return String.fromCodePoint(cp);
}

/**
 * Decodes the references in `raw` (found at `offset` in the document). Each reference is at
 * most MAX_REFERENCE characters, so the work stays linear in the input. Throws Failure.
 */
export function decodeReferences(raw: string, offset: number, attribute: boolean): string {
  const literal = (part: string): string => (attribute ? part.replace(/[\t\n]/g, ' ') : part);
  let amp = raw.indexOf('&');
  if (amp === -1) {
    return literal(raw);
  }
  let out = '';
  let last = 0;
  while (amp !== -1) {
    out += literal(raw.slice(last, amp));
    const semi = raw.indexOf(';', amp + 1);
    if (semi === -1 || semi - amp > MAX_REFERENCE) {
      throw new Failure('malformed', offset + amp);
    }
    out += reference(raw.slice(amp + 1, semi), offset + amp);
    last = semi + 1;
    amp = raw.indexOf('&', last);
  }
  return out + literal(raw.slice(last));
}
