// Owns the lexical layer of vCard files (2.1, 3.0, 4.0): decoding the file's bytes, unfolding
// lines (and 2.1 quoted-printable soft breaks and base64 continuation lines), splitting content
// lines into group, name, parameters and value, decoding QUOTED-PRINTABLE and BASE64 values with
// their CHARSET, and text escapes. Pure.

/** One content line: `[group.]NAME[;PARAM=a,b]...:value`. Names and parameter names upper-case. */
export interface ContentLine {
  group: string | null;
  name: string;
  /** Parameter values by name; 2.1 bare parameters ('TEL;WORK;VOICE') are filed under TYPE or ENCODING. */
  params: Map<string, string[]>;
  /** The raw value, still encoded and escaped. */
  value: string;
}

const BARE_ENCODINGS = new Set(['QUOTED-PRINTABLE', 'BASE64', 'B', '8BIT', '7BIT']);
const BASE64_LINE = /^[A-Za-z0-9+/=]+$/;

/**
 * The file's text. Bytes are read as UTF-8 when they are valid UTF-8, otherwise as Windows-1252
 * (what old Outlook exports are); a byte-order mark is dropped.
 */
export function decodeInput(input: string | Uint8Array): string {
  let text: string;
  if (typeof input === 'string') {
    text = input;
  } else {
    const bytes = unfoldBytes(input);
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      text = new TextDecoder('windows-1252').decode(bytes);
    }
  }
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

/**
 * Removes folds (CRLF or LF, then one space or tab) from raw bytes, before they are decoded:
 * some writers fold at 75 octets in the middle of a multi-byte UTF-8 character.
 */
function unfoldBytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length);
  let n = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] ?? 0;
    const crlf = b === 0x0d && bytes[i + 1] === 0x0a ? 1 : 0;
    const after = bytes[i + 1 + crlf];
    if ((b === 0x0a || crlf === 1) && (after === 0x20 || after === 0x09)) {
      i += 1 + crlf;
      continue;
    }
    out[n++] = b;
  }
  return out.subarray(0, n);
}

function headOf(line: string): string {
  const colon = line.indexOf(':');
  return (colon < 0 ? line : line.slice(0, colon)).toUpperCase();
}

/**
 * Logical lines of `text`: a physical line starting with a space or tab continues the previous
 * one (the one whitespace character is removed); a quoted-printable value ending in '=' continues
 * on the next line; a base64 value (2.1) continues on following lines of base64 characters.
 * Blank lines are dropped.
 */
export function logicalLines(text: string): string[] {
  const out: string[] = [];
  let current: string | null = null;
  let mode: 'plain' | 'qp' | 'b64' = 'plain';
  for (const physical of text.split(/\r\n|\n|\r/)) {
    const first = physical.charAt(0);
    if (current !== null && mode === 'qp' && current.endsWith('=')) {
      current = current.slice(0, -1) + physical;
    } else if (current !== null && (first === ' ' || first === '\t')) {
      current += physical.slice(1);
    } else if (current !== null && mode === 'b64' && BASE64_LINE.test(physical.trim())) {
      current += physical.trim();
    } else {
      if (current !== null) {
        out.push(current);
      }
      current = physical.trim() === '' ? null : physical;
      const head = current === null ? '' : headOf(current);
      mode = head.includes('QUOTED-PRINTABLE')
        ? 'qp'
        : /BASE64|ENCODING=B\b/.test(head)
          ? 'b64'
          : 'plain';
    }
  }
  if (current !== null) {
    out.push(current);
  }
  return out;
}

/** Splits on `sep` outside double quotes. */
function splitOutsideQuotes(s: string, sep: string): string[] {
  const parts: string[] = [];
  let quoted = false;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const ch = s.charAt(i);
    if (ch === '"') {
      quoted = !quoted;
    } else if (ch === sep && !quoted) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}

function colonOutsideQuotes(line: string): number {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (ch === '"') {
      quoted = !quoted;
    } else if (ch === ':' && !quoted) {
      return i;
    }
  }
  return -1;
}

function addParam(params: Map<string, string[]>, name: string, values: string[]): void {
  params.set(name, [...(params.get(name) ?? []), ...values]);
}

/** Splits a logical line; null when it has no ':' or no name (a garbage line). */
export function parseContentLine(line: string): ContentLine | null {
  const firstColon = line.indexOf(':');
  const quote = line.indexOf('"');
  // Quotes before the colon are rare (TYPE="work,voice"); only then is the slow scan needed.
  const quoted = quote >= 0 && quote < firstColon;
  const colon = quoted ? colonOutsideQuotes(line) : firstColon;
  if (colon <= 0) {
    return null;
  }
  const head = line.slice(0, colon);
  const [nameWithGroup = '', ...rawParams] = quoted
    ? splitOutsideQuotes(head, ';')
    : head.split(';');
  const dot = nameWithGroup.lastIndexOf('.');
  const name = nameWithGroup
    .slice(dot + 1)
    .trim()
    .toUpperCase();
  if (!/^[A-Z0-9-]+$/.test(name)) {
    return null;
  }
  const params = new Map<string, string[]>();
  for (const raw of rawParams) {
    const custom = androidCustomLabel(raw);
    if (custom !== null) {
      addParam(params, 'X-CUSTOM', [custom]);
      continue;
    }
    const eq = raw.indexOf('=');
    if (eq < 0) {
      const bare = raw.trim().toUpperCase();
      addParam(params, BARE_ENCODINGS.has(bare) ? 'ENCODING' : 'TYPE', [bare]);
      continue;
    }
    // TYPE="work,voice" (4.0) is a list just like TYPE=work,voice (3.0).
    const values = raw
      .slice(eq + 1)
      .split(',')
      .map((v) => v.trim().replace(/^"|"$/g, ''));
    addParam(params, raw.slice(0, eq).trim().toUpperCase(), values);
  }
  const group = dot > 0 ? nameWithGroup.slice(0, dot).trim() : null;
  return { group, name, params, value: line.slice(colon + 1) };
}

/**
 * Android's custom number label, 'X-CUSTOM(CHARSET=UTF-8,ENCODING=QUOTED-PRINTABLE,Biuro)' →
 * 'Biuro' (quoted-printable decoded when so marked); null for any other parameter.
 */
function androidCustomLabel(raw: string): string | null {
  const match = /^X-CUSTOM\((.*)\)$/i.exec(raw.trim());
  if (!match) {
    return null;
  }
  const parts = (match[1] ?? '').split(',');
  const label = parts.at(-1) ?? '';
  const qp = parts.some((p) => p.toUpperCase() === 'ENCODING=QUOTED-PRINTABLE');
  return qp ? decoderFor('utf-8').decode(decodeQuotedPrintable(label)) : label;
}

/** The first value of parameter `name`, upper-cased, or ''. */
export function paramOf(line: ContentLine, name: string): string {
  return (line.params.get(name)?.[0] ?? '').toUpperCase();
}

const decoders = new Map<string, TextDecoder>();
const encoder = new TextEncoder();

/** A decoder for a CHARSET value (unknown ones fall back to UTF-8), made once per charset. */
function decoderFor(charset: string): TextDecoder {
  let decoder = decoders.get(charset);
  if (!decoder) {
    try {
      decoder = new TextDecoder(charset || 'utf-8');
    } catch {
      decoder = new TextDecoder('utf-8');
    }
    decoders.set(charset, decoder);
  }
  return decoder;
}

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) {
    return c - 0x30;
  }
  const lower = c | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x57 : -1;
}

/** Quoted-printable → bytes; characters that are not escapes stand for their UTF-8 bytes. */
export function decodeQuotedPrintable(value: string): Uint8Array {
  const out = new Uint8Array(value.length * 3);
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const high = c === 0x3d ? hexDigit(value.charCodeAt(i + 1)) : -1;
    const low = high >= 0 ? hexDigit(value.charCodeAt(i + 2)) : -1;
    if (low >= 0) {
      out[n++] = high * 16 + low;
      i += 2;
    } else if (c < 0x80) {
      out[n++] = c;
    } else {
      const ch = String.fromCodePoint(value.codePointAt(i) ?? c);
      n += encoder.encodeInto(ch, out.subarray(n)).written;
      i += ch.length - 1;
    }
  }
  return out.slice(0, n);
}

function decodeBase64(value: string): Uint8Array | null {
  try {
    const binary = atob(value.replace(/\s+/g, ''));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/**
 * The value as text: quoted-printable and base64 decoded to bytes and read in the CHARSET
 * (default UTF-8). Null for a base64 value that is not valid base64.
 */
export function decodeValue(line: ContentLine): string | null {
  const encoding = paramOf(line, 'ENCODING');
  const charset = paramOf(line, 'CHARSET');
  if (encoding === 'QUOTED-PRINTABLE') {
    return decoderFor(charset).decode(decodeQuotedPrintable(line.value));
  }
  if (encoding === 'B' || encoding === 'BASE64') {
    const bytes = decodeBase64(line.value);
    return bytes === null ? null : decoderFor(charset).decode(bytes);
  }
  return line.value;
}

/** Undoes text escapes: '\n' '\N' '\,' '\;' '\\' (2.1 escapes only ';'). */
export function unescapeText(value: string, version: string): string {
  if (version === '2.1') {
    return value.replace(/\\;/g, ';');
  }
  return value.replace(/\\([nN,;\\:])/g, (_, ch: string) => (ch === 'n' || ch === 'N' ? '\n' : ch));
}

/** Splits a structured value (N, ORG) on ';' that are not escaped. */
export function splitStructured(value: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    const ch = value.charAt(i);
    if (ch === '\\') {
      i++;
    } else if (ch === ';') {
      parts.push(value.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(value.slice(start));
  return parts;
}
