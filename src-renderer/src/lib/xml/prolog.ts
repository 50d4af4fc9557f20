// Owns the XML declaration at the very start of a body (XML 1.0 §2.8):
//   <?xml version="1.x" encoding="…" standalone="yes|no"?>
// version first and required, then the optional encoding and standalone, in that order.
import { isXmlSpace } from './chars';
import { Failure } from './failure';

export interface XmlDeclaration {
  /** Offset just after '?>'. */
  end: number;
  /** The encoding it names, if any. */
  encoding: string | null;
}

/** name="value" pairs between `from` and `end`; throws Failure on anything else. */
function pseudoAttributes(s: string, from: number, end: number): Map<string, string> {
  const out = new Map<string, string>();
  let i = from;
  const space = (): boolean => {
    const start = i;
    while (isXmlSpace(s.charCodeAt(i))) {
      i++;
    }
    return i > start;
  };
  while (i < end) {
    if (!space()) {
      throw new Failure('malformed', i);
    }
    if (i >= end) {
      break;
    }
    const start = i;
    while (/[a-z]/.test(s[i] ?? '')) {
      i++;
    }
    const name = s.slice(start, i);
    space();
    if (name === '' || s[i] !== '=' || out.has(name)) {
      throw new Failure('malformed', i);
    }
    i++;
    space();
    const quote = s[i];
    const close = quote === '"' || quote === "'" ? s.indexOf(quote, i + 1) : -1;
    if (close === -1 || close > end) {
      throw new Failure('malformed', i);
    }
    out.set(name, s.slice(i + 1, close));
    i = close + 1;
  }
  return out;
}

/** Reads the declaration if the text starts with one; null when it does not. */
export function readXmlDeclaration(s: string): XmlDeclaration | null {
  if (!s.startsWith('<?xml') || !(isXmlSpace(s.charCodeAt(5)) || s[5] === '?')) {
    return null;
  }
  const end = s.indexOf('?>', 5);
  if (end === -1) {
    throw new Failure('unclosed', 0);
  }
  const pseudo = pseudoAttributes(s, 5, end);
  const names = [...pseudo.keys()].join(',');
  const standalone = pseudo.get('standalone');
  if (
    !/^version(,encoding)?(,standalone)?$/.test(names) ||
    !/^1\.[0-9]{1,3}$/.test(pseudo.get('version') ?? '') ||
    (standalone !== undefined && standalone !== 'yes' && standalone !== 'no')
  ) {
    throw new Failure('malformed', 0);
  }
  return { end: end + 2, encoding: pseudo.get('encoding') ?? null };
}
