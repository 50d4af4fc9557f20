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
import { findInvalidChar, isNameChar, isNameStartChar, isXmlSpace } from './chars';
import { decodeXmlBytes } from './decode';
import { Failure, toXmlError } from './failure';
import { readXmlDeclaration } from './prolog';
import { declarations, NamespaceScope, splitQName, type RawAttribute } from './namespace-scope';
import { decodeReferences } from './references';
import {
  DEFAULT_XML_LIMITS,
  type XmlAttribute,
  type XmlDocument,
  type XmlElement,
  type XmlErrorCode,
  type XmlLimits,
  type XmlNode,
  type XmlResult,
} from './types';

interface Frame {
  qname: string;
  ns: string | null;
  local: string;
  attributes: XmlAttribute[];
  children: XmlNode[];
  text: string;
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
    return { ok: false, error: toXmlError(error) };
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
  readonly #scope = new NamespaceScope();
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
    const declaration = readXmlDeclaration(this.#s);
    if (declaration) {
      this.#declared = declaration.encoding;
      this.#i = declaration.end;
    }
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
    this.#top().text += decodeReferences(raw, from, false);
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
    const value = decodeReferences(rawValue, this.#i + 1, true);
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
    const bindings = declarations(raw);
    const [prefix, local] = splitQName(qname, offset);
    const ns = this.#scope.lookup(prefix ?? '', bindings, offset);
    const frame: Frame = {
      qname,
      ns,
      local,
      attributes: this.#scope.resolveAttributes(raw, bindings),
      children: [],
      text: '',
    };
    if (empty) {
      this.#close(frame);
    } else {
      this.#stack.push(frame);
      this.#scope.push(bindings);
    }
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
    this.#scope.pop();
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
