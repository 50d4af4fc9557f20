// Owns reading untrusted XML bodies from the network (NOTIFY, MESSAGE) into a namespace-resolved
// element tree: the only XML parser of the phone engine.
//
// Why not DOMParser: it does not exist in Node (vitest's unit project), so the same code could not
// be tested there; it parses synchronously on the UI thread with no bound on size, depth or element
// count; it reports errors as a <parsererror> document instead of a result; and its DTD handling
// (internal entities are expanded) is browser policy we cannot pin. This reader is small, refuses
// every DOCTYPE and entity declaration outright (so no external entity and no entity expansion can
// exist: only the five predefined entities and character references are decoded), checks its
// limits as it goes, makes one forward pass (every scan starts where the last one ended, and each
// reference is at most 64 characters), keeps its own stack (no recursion) and never throws out of
// parseXml: a bug inside is reported as 'internal-error'.
import { findInvalidChar, isNameChar, isNameStartChar, isXmlChar, isXmlSpace } from './chars';
import { decodeXmlBytes } from './decode';
import {
  DEFAULT_XML_LIMITS,
  XML_NAMESPACE,
  XMLNS_NAMESPACE,
  type XmlAttribute,
  type XmlDocument,
  type XmlElement,
  type XmlErrorCode,
  type XmlLimits,
  type XmlNode,
  type XmlResult,
} from './types';

const MESSAGES: Record<XmlErrorCode, string> = {
  empty: 'The body is empty.',
  'too-large': 'The body is larger than the limit for XML bodies.',
  'too-deep': 'The body nests elements deeper than allowed.',
  'too-many-elements': 'The body has more elements than allowed.',
  'too-many-attributes': 'An element has more attributes than allowed.',
  'name-too-long': 'An element or attribute name is longer than allowed.',
  'doctype-forbidden': 'The body contains a document type declaration, which is not accepted.',
  'entity-declaration-forbidden': 'The body declares an entity, which is not accepted.',
  'undefined-entity': 'The body refers to an entity that is not one of the five predefined ones.',
  'invalid-character': 'The body contains a character that XML does not allow.',
  'unsupported-encoding': 'The body uses a character encoding this app cannot read.',
  'invalid-encoding': 'The body contains bytes that are not valid in its character encoding.',
  malformed: 'The body is not well-formed XML.',
  'mismatched-tag': 'An end tag does not match the element it closes.',
  unclosed: 'The body ends before the markup is complete.',
  'duplicate-attribute': 'An element has the same attribute twice.',
  'unbound-prefix': 'The body uses a namespace prefix that was never declared.',
  'reserved-namespace': 'The body misuses a reserved namespace prefix or name.',
  'internal-error': 'The XML reader failed unexpectedly.',
};

/** The longest reference between '&' and ';' that is even looked at. */
const MAX_REFERENCE = 64;
const PREDEFINED: Readonly<Record<string, string>> = {
  lt: '<',
  gt: '>',
  amp: '&',
  quot: '"',
  apos: "'",
};

/** Thrown inside the reader only; parseXml turns it into the result. */
class Failure extends Error {
  constructor(
    readonly code: XmlErrorCode,
    readonly offset: number,
  ) {
    super(code);
  }
}

interface Frame {
  qname: string;
  ns: string | null;
  local: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
  text: string;
  /** Prefix ('' = default namespace) → namespace URI (null = no namespace) declared here. */
  bindings: Map<string, string | null> | null;
}

interface RawAttribute {
  qname: string;
  value: string;
  offset: number;
}

/**
 * Reads an XML body. A string is taken as already decoded (a leading byte-order mark is
 * dropped; the declared encoding is only reported); bytes are decoded strictly by byte-order
 * mark, declared encoding or UTF-8 (decode.ts). Never throws.
 */
export function parseXml(input: string | Uint8Array, limits: Partial<XmlLimits> = {}): XmlResult {
  const lim: XmlLimits = { ...DEFAULT_XML_LIMITS, ...limits };
  try {
    const text = toText(input, lim);
    return { ok: true, document: new Reader(text, lim).read() };
  } catch (error: unknown) {
    const failure = error instanceof Failure ? error : new Failure('internal-error', 0);
    return {
      ok: false,
      error: { code: failure.code, message: MESSAGES[failure.code], offset: failure.offset },
    };
  }
}

function toText(input: string | Uint8Array, lim: XmlLimits): string {
  if (typeof input === 'string') {
    if (input.length > lim.maxLength) {
      throw new Failure('too-large', lim.maxLength);
    }
    return input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  }
  if (!(input instanceof Uint8Array)) {
    throw new Failure('empty', 0);
  }
  if (input.byteLength > lim.maxLength) {
    throw new Failure('too-large', lim.maxLength);
  }
  const decoded = decodeXmlBytes(input);
  if (!decoded.ok) {
    throw new Failure(decoded.code, 0);
  }
  return decoded.text;
}

class Reader {
  readonly #s: string;
  readonly #lim: XmlLimits;
  #i = 0;
  #elements = 0;
  #declared: string | null = null;
  readonly #stack: Frame[] = [];
  #root: XmlElement | null = null;

  constructor(text: string, lim: XmlLimits) {
    // XML 1.0 §2.11: every CRLF and lone CR is read as LF before anything else.
    this.#s = text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text;
    this.#lim = lim;
  }

  read(): XmlDocument {
    const s = this.#s;
    if (s.trim() === '') {
      throw new Failure('empty', 0);
    }
    const bad = findInvalidChar(s);
    if (bad !== -1) {
      throw new Failure('invalid-character', bad);
    }
    this.#xmlDeclaration();
    this.#misc();
    if (s.charCodeAt(this.#i) !== 0x3c || !isNameStartChar(s.codePointAt(this.#i + 1) ?? -1)) {
      throw new Failure(this.#i >= s.length ? 'unclosed' : 'malformed', this.#i);
    }
    this.#content();
    this.#misc();
    if (this.#i < s.length || this.#root === null) {
      throw new Failure('malformed', this.#i);
    }
    return { root: this.#root, declaredEncoding: this.#declared };
  }

  #fail(code: XmlErrorCode, offset = this.#i): never {
    throw new Failure(code, offset);
  }

  #at(text: string): boolean {
    return this.#s.startsWith(text, this.#i);
  }

  #skipSpace(): boolean {
    const start = this.#i;
    while (isXmlSpace(this.#s.charCodeAt(this.#i))) {
      this.#i++;
    }
    return this.#i > start;
  }

  /** Comments, processing instructions and white space outside the root element. */
  #misc(): void {
    for (;;) {
      this.#skipSpace();
      if (this.#at('<!--')) {
        this.#comment();
      } else if (this.#at('<?')) {
        this.#pi();
      } else {
        this.#markupDeclaration();
        return;
      }
    }
  }

  /** Refuses DOCTYPE and ENTITY declarations wherever they appear; returns for anything else. */
  #markupDeclaration(): void {
    const head = this.#s.slice(this.#i, this.#i + 9).toUpperCase();
    if (head === '<!DOCTYPE') {
      this.#fail('doctype-forbidden');
    }
    if (head.startsWith('<!ENTITY')) {
      this.#fail('entity-declaration-forbidden');
    }
  }

  #xmlDeclaration(): void {
    const s = this.#s;
    if (!s.startsWith('<?xml') || !(isXmlSpace(s.charCodeAt(5)) || s[5] === '?')) {
      return;
    }
    const end = s.indexOf('?>', 5);
    if (end === -1) {
      this.#fail('unclosed', 0);
    }
    const pseudo = this.#pseudoAttributes(5, end);
    const names = pseudo.map(([name]) => name).join(',');
    const version = pseudo[0]?.[1] ?? '';
    const ordered = /^version(,encoding)?(,standalone)?$/.test(names);
    const standalone = pseudo.find(([n]) => n === 'standalone')?.[1];
    if (
      !ordered ||
      !/^1\.[0-9]{1,3}$/.test(version) ||
      (standalone && !/^(yes|no)$/.test(standalone))
    ) {
      this.#fail('malformed', 0);
    }
    this.#declared = pseudo.find(([n]) => n === 'encoding')?.[1] ?? null;
    this.#i = end + 2;
  }

  /** name="value" pairs of the XML declaration between `from` and `end`. */
  #pseudoAttributes(from: number, end: number): [string, string][] {
    const out: [string, string][] = [];
    this.#i = from;
    while (this.#i < end) {
      if (!this.#skipSpace()) {
        this.#fail('malformed');
      }
      if (this.#i >= end) {
        break;
      }
      const name = this.#name();
      this.#skipSpace();
      if (this.#s[this.#i] !== '=') {
        this.#fail('malformed');
      }
      this.#i++;
      this.#skipSpace();
      const quote = this.#s[this.#i];
      const close = quote === '"' || quote === "'" ? this.#s.indexOf(quote, this.#i + 1) : -1;
      if (close === -1 || close > end) {
        this.#fail('malformed');
      }
      out.push([name, this.#s.slice(this.#i + 1, close)]);
      this.#i = close + 1;
    }
    return out;
  }

  #comment(): void {
    const end = this.#s.indexOf('--', this.#i + 4);
    if (end === -1) {
      this.#fail('unclosed', this.#s.length);
    }
    if (this.#s[end + 2] !== '>') {
      this.#fail('malformed', end);
    }
    this.#i = end + 3;
  }

  #pi(): void {
    this.#i += 2;
    const target = this.#name();
    if (target.toLowerCase() === 'xml') {
      this.#fail('malformed');
    }
    const end = this.#s.indexOf('?>', this.#i);
    if (end === -1) {
      this.#fail('unclosed', this.#s.length);
    }
    if (end !== this.#i && !isXmlSpace(this.#s.charCodeAt(this.#i))) {
      this.#fail('malformed');
    }
    this.#i = end + 2;
  }

  #name(): string {
    const s = this.#s;
    const start = this.#i;
    const first = s.codePointAt(start) ?? -1;
    if (!isNameStartChar(first)) {
      this.#fail(start >= s.length ? 'unclosed' : 'malformed');
    }
    this.#i += first > 0xffff ? 2 : 1;
    for (;;) {
      const cp = s.codePointAt(this.#i) ?? -1;
      if (!isNameChar(cp)) {
        break;
      }
      this.#i += cp > 0xffff ? 2 : 1;
      if (this.#i - start > this.#lim.maxNameLength) {
        this.#fail('name-too-long', start);
      }
    }
    return s.slice(start, this.#i);
  }

  /** The root element and everything inside it, with an explicit stack. */
  #content(): void {
    const s = this.#s;
    this.#startTag();
    while (this.#stack.length > 0) {
      const lt = s.indexOf('<', this.#i);
      if (lt === -1) {
        this.#fail('unclosed', s.length);
      }
      if (lt > this.#i) {
        this.#text(this.#i, lt);
      }
      this.#i = lt;
      if (this.#at('</')) {
        this.#endTag();
      } else if (this.#at('<!--')) {
        this.#comment();
      } else if (this.#at('<![CDATA[')) {
        this.#cdata();
      } else if (this.#at('<?')) {
        this.#pi();
      } else if (this.#at('<!')) {
        this.#markupDeclaration();
        this.#fail('malformed');
      } else {
        this.#startTag();
      }
    }
  }

  #top(): Frame {
    const frame = this.#stack[this.#stack.length - 1];
    if (!frame) {
      return this.#fail('malformed');
    }
    return frame;
  }

  #text(from: number, to: number): void {
    const raw = this.#s.slice(from, to);
    const end = raw.indexOf(']]>');
    if (end !== -1) {
      this.#fail('malformed', from + end);
    }
    this.#top().text += this.#decode(raw, from, false);
  }

  #cdata(): void {
    const start = this.#i + 9;
    const end = this.#s.indexOf(']]>', start);
    if (end === -1) {
      this.#fail('unclosed', this.#s.length);
    }
    this.#top().text += this.#s.slice(start, end);
    this.#i = end + 3;
  }

  /** Decodes references; in attribute values literal tabs and newlines become spaces (§3.3.3). */
  #decode(raw: string, offset: number, attribute: boolean): string {
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
        this.#fail('malformed', offset + amp);
      }
      out += this.#reference(raw.slice(amp + 1, semi), offset + amp);
      last = semi + 1;
      amp = raw.indexOf('&', last);
    }
    return out + literal(raw.slice(last));
  }

  #reference(name: string, offset: number): string {
    const predefined = PREDEFINED[name];
    if (predefined !== undefined && Object.hasOwn(PREDEFINED, name)) {
      return predefined;
    }
    let cp = Number.NaN;
    if (/^#x[0-9A-Fa-f]{1,6}$/.test(name)) {
      cp = parseInt(name.slice(2), 16);
    } else if (/^#[0-9]{1,7}$/.test(name)) {
      cp = parseInt(name.slice(1), 10);
    } else if (name.startsWith('#')) {
      this.#fail('malformed', offset);
    } else {
      this.#fail('undefined-entity', offset);
    }
    if (!isXmlChar(cp)) {
      this.#fail('invalid-character', offset);
    }
    return String.fromCodePoint(cp);
  }

  #startTag(): void {
    const start = this.#i;
    this.#i++;
    const qname = this.#name();
    const raw: RawAttribute[] = [];
    let empty = false;
    for (;;) {
      const spaced = this.#skipSpace();
      const c = this.#s[this.#i];
      if (c === '>') {
        this.#i++;
        break;
      }
      if (c === '/') {
        if (this.#s[this.#i + 1] !== '>') {
          this.#fail('malformed');
        }
        this.#i += 2;
        empty = true;
        break;
      }
      if (c === undefined) {
        this.#fail('unclosed');
      }
      if (!spaced) {
        this.#fail('malformed');
      }
      if (raw.length >= this.#lim.maxAttributes) {
        this.#fail('too-many-attributes');
      }
      raw.push(this.#attribute());
    }
    this.#open(qname, raw, start, empty);
  }

  #attribute(): RawAttribute {
    const offset = this.#i;
    const qname = this.#name();
    this.#skipSpace();
    if (this.#s[this.#i] !== '=') {
      this.#fail('malformed');
    }
    this.#i++;
    this.#skipSpace();
    const quote = this.#s[this.#i];
    if (quote !== '"' && quote !== "'") {
      this.#fail(quote === undefined ? 'unclosed' : 'malformed');
    }
    const close = this.#s.indexOf(quote, this.#i + 1);
    if (close === -1) {
      this.#fail('unclosed', this.#s.length);
    }
    const rawValue = this.#s.slice(this.#i + 1, close);
    const lt = rawValue.indexOf('<');
    if (lt !== -1) {
      this.#fail('malformed', this.#i + 1 + lt);
    }
    const value = this.#decode(rawValue, this.#i + 1, true);
    this.#i = close + 1;
    return { qname, value, offset };
  }

  #open(qname: string, raw: RawAttribute[], offset: number, empty: boolean): void {
    if (this.#stack.length + 1 > this.#lim.maxDepth) {
      this.#fail('too-deep', offset);
    }
    if (++this.#elements > this.#lim.maxElements) {
      this.#fail('too-many-elements', offset);
    }
    const parent = this.#stack[this.#stack.length - 1];
    if (parent) {
      flushText(parent);
    }
    const bindings = this.#declarations(raw);
    const [prefix, local] = this.#split(qname, offset);
    const ns = this.#lookup(prefix ?? '', bindings, offset);
    const frame: Frame = {
      qname,
      ns,
      local,
      attributes: this.#resolveAttributes(raw, bindings),
      children: [],
      text: '',
      bindings,
    };
    if (empty) {
      this.#close(frame);
    } else {
      this.#stack.push(frame);
    }
  }

  #declarations(raw: RawAttribute[]): Map<string, string | null> | null {
    let map: Map<string, string | null> | null = null;
    const seen = new Set<string>();
    for (const a of raw) {
      if (seen.has(a.qname)) {
        this.#fail('duplicate-attribute', a.offset);
      }
      seen.add(a.qname);
      const prefix =
        a.qname === 'xmlns' ? '' : a.qname.startsWith('xmlns:') ? a.qname.slice(6) : null;
      if (prefix === null) {
        continue;
      }
      if (
        prefix !== '' &&
        (prefix.includes(':') || !isNameStartChar(prefix.codePointAt(0) ?? -1))
      ) {
        this.#fail('malformed', a.offset);
      }
      if (!this.#validBinding(prefix, a.value)) {
        this.#fail('reserved-namespace', a.offset);
      }
      if (prefix === 'xml') {
        continue;
      }
      map ??= new Map();
      map.set(prefix, a.value === '' ? null : a.value);
    }
    return map;
  }

  /** Namespaces in XML 1.0 §3: 'xml' only to its URI, 'xmlns' never, no prefix undeclared. */
  #validBinding(prefix: string, uri: string): boolean {
    if (prefix === 'xmlns' || uri === XMLNS_NAMESPACE) {
      return false;
    }
    if (prefix === 'xml' || uri === XML_NAMESPACE) {
      return prefix === 'xml' && uri === XML_NAMESPACE;
    }
    return prefix === '' || uri !== '';
  }

  #split(qname: string, offset: number): [string | null, string] {
    const colon = qname.indexOf(':');
    if (colon === -1) {
      return [null, qname];
    }
    const prefix = qname.slice(0, colon);
    const local = qname.slice(colon + 1);
    const ncName = (part: string): boolean =>
      part !== '' && !part.includes(':') && isNameStartChar(part.codePointAt(0) ?? -1);
    if (!ncName(prefix) || !ncName(local)) {
      this.#fail('malformed', offset);
    }
    return [prefix, local];
  }

  #lookup(prefix: string, own: Map<string, string | null> | null, offset: number): string | null {
    if (own?.has(prefix)) {
      return own.get(prefix) ?? null;
    }
    for (let d = this.#stack.length - 1; d >= 0; d--) {
      const bindings = this.#stack[d]?.bindings;
      if (bindings?.has(prefix)) {
        return bindings.get(prefix) ?? null;
      }
    }
    if (prefix === 'xml') {
      return XML_NAMESPACE;
    }
    if (prefix === '') {
      return null;
    }
    return this.#fail('unbound-prefix', offset);
  }

  #resolveAttributes(raw: RawAttribute[], own: Map<string, string | null> | null): XmlAttribute[] {
    const out: XmlAttribute[] = [];
    const seen = new Set<string>();
    for (const a of raw) {
      if (a.qname === 'xmlns' || a.qname.startsWith('xmlns:')) {
        continue;
      }
      const [prefix, local] = this.#split(a.qname, a.offset);
      // Unprefixed attributes are in no namespace, whatever the default namespace is.
      const ns = prefix === null ? null : this.#lookup(prefix, own, a.offset);
      const key = `${ns ?? ''} ${local}`;
      if (seen.has(key)) {
        this.#fail('duplicate-attribute', a.offset);
      }
      seen.add(key);
      out.push({ ns, local, qname: a.qname, value: a.value });
    }
    return out;
  }

  #endTag(): void {
    const offset = this.#i;
    this.#i += 2;
    const qname = this.#name();
    this.#skipSpace();
    if (this.#s[this.#i] !== '>') {
      this.#fail(this.#i >= this.#s.length ? 'unclosed' : 'malformed');
    }
    this.#i++;
    const frame = this.#stack.pop();
    if (!frame || frame.qname !== qname) {
      this.#fail('mismatched-tag', offset);
    }
    this.#close(frame);
  }

  #close(frame: Frame): void {
    flushText(frame);
    const element: XmlElement = {
      kind: 'element',
      ns: frame.ns,
      local: frame.local,
      qname: frame.qname,
      attributes: frame.attributes,
      children: frame.children,
    };
    const parent = this.#stack[this.#stack.length - 1];
    if (parent) {
      parent.children.push(element);
    } else {
      this.#root = element;
    }
  }
}

function flushText(frame: Frame): void {
  if (frame.text !== '') {
    frame.children.push({ kind: 'text', text: frame.text });
    frame.text = '';
  }
}
