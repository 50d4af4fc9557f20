// Owns turning an XML body that arrived as bytes into text: byte-order mark first, then the
// encoding named by the XML declaration, then UTF-8 (XML 1.0 §4.3.3 and Appendix F). Decoding is
// strict (text/charset.ts): a byte sequence that is not valid in the encoding refuses
// the body instead of turning into replacement characters that could change its meaning.
import { decodeCharset } from '../text/charset';

/** Decoded text, or why the bytes could not be read. */
export type DecodeResult =
  | { ok: true; text: string; encoding: string }
  | { ok: false; code: 'unsupported-encoding' | 'invalid-encoding'; message: string };

/** How many leading bytes are searched for the XML declaration's encoding. */
const DECLARATION_WINDOW = 256;
const ENCODING_NAME = /^[A-Za-z][A-Za-z0-9._-]{0,39}$/;

function sniffBom(bytes: Uint8Array): { encoding: string; skip: number } | null {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) {
    return { encoding: 'utf-8', skip: 3 };
  }
  if (a === 0xfe && b === 0xff) {
    return { encoding: 'utf-16be', skip: 2 };
  }
  if (a === 0xff && b === 0xfe) {
    return { encoding: 'utf-16le', skip: 2 };
  }
  // '<?' in UTF-16 without a byte-order mark (Appendix F.1).
  if (a === 0x00 && b === 0x3c && c === 0x00) {
    return { encoding: 'utf-16be', skip: 0 };
  }
  if (a === 0x3c && b === 0x00 && c === 0x3f) {
    return { encoding: 'utf-16le', skip: 0 };
  }
  return null;
}

/** The encoding name from an ASCII-compatible XML declaration, or null when there is none. */
export function declaredEncoding(head: string): string | null {
  if (!head.startsWith('<?xml')) {
    return null;
  }
  const end = head.indexOf('?>');
  const decl = end === -1 ? head : head.slice(0, end);
  const at = decl.indexOf('encoding');
  if (at === -1) {
    return null;
  }
  let i = at + 'encoding'.length;
  while (decl[i] === ' ' || decl[i] === '\t' || decl[i] === '\n' || decl[i] === '\r') {
    i++;
  }
  if (decl[i] !== '=') {
    return null;
  }
  i++;
  while (decl[i] === ' ' || decl[i] === '\t' || decl[i] === '\n' || decl[i] === '\r') {
    i++;
  }
  const quote = decl[i];
  if (quote !== '"' && quote !== "'") {
    return null;
  }
  const close = decl.indexOf(quote, i + 1);
  const name = close === -1 ? '' : decl.slice(i + 1, close);
  return ENCODING_NAME.test(name) ? name : null;
}

function asciiHead(bytes: Uint8Array): string {
  const n = Math.min(bytes.length, DECLARATION_WINDOW);
  let s = '';
  for (let i = 0; i < n; i++) {
    const b = bytes[i] ?? 0;
    s += b < 0x80 ? String.fromCharCode(b) : '\u0000';
  }
  return s;
}

function decodeWith(bytes: Uint8Array, label: string): DecodeResult {
  const decoded = decodeCharset(bytes, label);
  if (decoded.ok) {
    return decoded;
  }
  return {
    ok: false,
    code: decoded.code,
    message:
      decoded.code === 'unsupported-encoding'
        ? 'The body uses a character encoding this app cannot read.'
        : 'The body contains bytes that are not valid in its character encoding.',
  };
}

/** Decodes XML bytes strictly; the byte-order mark, if any, is not part of the text. */
export function decodeXmlBytes(bytes: Uint8Array): DecodeResult {
  const bom = sniffBom(bytes);
  if (bom) {
    return decodeWith(bytes.subarray(bom.skip), bom.encoding);
  }
  const named = declaredEncoding(asciiHead(bytes));
  if (named !== null && /^utf-?16/i.test(named)) {
    // A UTF-16 document starts with a byte-order mark or '<\0?\0'; this one is ASCII-shaped.
    return {
      ok: false,
      code: 'invalid-encoding',
      message: 'The body says it is UTF-16 but is not.',
    };
  }
  return decodeWith(bytes, named ?? 'utf-8');
}
