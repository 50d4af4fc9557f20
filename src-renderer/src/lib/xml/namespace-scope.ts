// Owns Namespaces in XML 1.0 for the reader: reading the xmlns declarations of a start tag,
// checking them (§3: 'xml' bound only to its URI, 'xmlns' never, no prefix undeclared), and
// resolving element and attribute names to (namespace URI, local name) through the declarations
// in scope. Errors are thrown as Failure.
import { isNameStartChar } from './chars';
import { Failure } from './failure';
import { XML_NAMESPACE, XMLNS_NAMESPACE, type XmlAttribute } from './types';

/** An attribute as written in a start tag, before namespace resolution. */
export interface RawAttribute {
  qname: string;
  value: string;
  offset: number;
}

/** Prefix ('' = default namespace) → namespace URI (null = no namespace), for one element. */
export type Bindings = ReadonlyMap<string, string | null> | null;

function validBinding(prefix: string, uri: string): boolean {
  if (prefix === 'xmlns' || uri === XMLNS_NAMESPACE) {
    return false;
  }
  if (prefix === 'xml' || uri === XML_NAMESPACE) {
    return prefix === 'xml' && uri === XML_NAMESPACE;
  }
  return prefix === '' || uri !== '';
}

/** Splits 'p:local' into its prefix (null when none) and local part; both must be NCNames. */
export function splitQName(qname: string, offset: number): [string | null, string] {
  const colon = qname.indexOf(':');
  if (colon === -1) {
    return [null, qname];
  }
  const prefix = qname.slice(0, colon);
  const local = qname.slice(colon + 1);
  const ncName = (part: string): boolean =>
    part !== '' && !part.includes(':') && isNameStartChar(part.codePointAt(0) ?? -1);
  if (!ncName(prefix) || !ncName(local)) {
    throw new Failure('malformed', offset);
  }
  return [prefix, local];
}

/** The declarations among a start tag's attributes (also refuses repeated attribute names). */
export function declarations(raw: readonly RawAttribute[]): Bindings {
  let map: Map<string, string | null> | null = null;
  const seen = new Set<string>();
  for (const a of raw) {
    if (seen.has(a.qname)) {
      throw new Failure('duplicate-attribute', a.offset);
    }
    seen.add(a.qname);
    const prefix =
      a.qname === 'xmlns' ? '' : a.qname.startsWith('xmlns:') ? a.qname.slice(6) : null;
    if (prefix === null) {
      continue;
    }
    if (prefix !== '' && (prefix.includes(':') || !isNameStartChar(prefix.codePointAt(0) ?? -1))) {
      throw new Failure('malformed', a.offset);
    }
    if (!validBinding(prefix, a.value)) {
      throw new Failure('reserved-namespace', a.offset);
    }
    if (prefix !== 'xml') {
      map ??= new Map();
      map.set(prefix, a.value === '' ? null : a.value);
    }
  }
  return map;
}

/** The declarations of the open elements, innermost last. */
export class NamespaceScope {
  readonly #stack: Bindings[] = [];

  /** An element with these declarations was opened (and will be closed with pop()). */
  push(bindings: Bindings): void {
    this.#stack.push(bindings);
  }

  pop(): void {
    this.#stack.pop();
  }

  /** The URI `prefix` means inside an element declaring `own`. */
  lookup(prefix: string, own: Bindings, offset: number): string | null {
    if (own?.has(prefix)) {
      return own.get(prefix) ?? null;
    }
    for (let d = this.#stack.length - 1; d >= 0; d--) {
      const bindings = this.#stack[d];
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
    throw new Failure('unbound-prefix', offset);
  }

  /** Resolves an element's attributes (declarations left out); expanded names must be unique. */
  resolveAttributes(raw: readonly RawAttribute[], own: Bindings): XmlAttribute[] {
    const out: XmlAttribute[] = [];
    const seen = new Set<string>();
    for (const a of raw) {
      if (a.qname === 'xmlns' || a.qname.startsWith('xmlns:')) {
        continue;
      }
      const [prefix, local] = splitQName(a.qname, a.offset);
      // Unprefixed attributes are in no namespace, whatever the default namespace is.
      const ns = prefix === null ? null : this.lookup(prefix, own, a.offset);
      const key = `${ns ?? ''} ${local}`;
      if (seen.has(key)) {
        throw new Failure('duplicate-attribute', a.offset);
      }
      seen.add(key);
      out.push({ ns, local, qname: a.qname, value: a.value });
    }
    return out;
  }
}
