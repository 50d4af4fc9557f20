// Owns writing XML bodies we send (PIDF for PUBLISH, isComposing for MESSAGE): element trees in
// the reader's own shape (types.ts), serialised with every text and attribute escaped and the
// namespace declarations generated from the tree, so a builder can never emit markup by accident.
import { findInvalidChar, isXmlChar } from './chars';
import { XML_NAMESPACE, type XmlAttribute, type XmlElement, type XmlNode } from './types';

function isAttributeList(
  value: Readonly<Record<string, string>> | readonly XmlAttribute[],
): value is readonly XmlAttribute[] {
  return Array.isArray(value);
}

/** Builds an element; attributes given as a record are unprefixed (no namespace). */
export function xmlElement(
  ns: string | null,
  local: string,
  attributes: Readonly<Record<string, string>> | readonly XmlAttribute[] = {},
  children: ReadonlyArray<XmlElement | string> = [],
): XmlElement {
  const attrs: XmlAttribute[] = isAttributeList(attributes)
    ? [...attributes]
    : Object.entries(attributes).map(([name, value]) => ({
        ns: null,
        local: name,
        qname: name,
        value,
      }));
  const nodes: XmlNode[] = children.map((c) =>
    typeof c === 'string' ? { kind: 'text', text: c } : c,
  );
  return { kind: 'element', ns, local, qname: local, attributes: attrs, children: nodes };
}

/** Replaces what XML cannot carry (controls, lone surrogates, U+FFFE/U+FFFF) with U+FFFD. */
export function toXmlChars(text: string): string {
  if (findInvalidChar(text) === -1) {
    return text;
  }
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (c >= 0xd800 && c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      out += text.slice(i, i + 2);
      i++;
    } else {
      out += isXmlChar(c) && (c < 0xd800 || c > 0xdfff) ? text[i] : '\uFFFD';
    }
  }
  return out;
}

/**
 * Escapes character data: & < > ('>' so that ']]>' can never appear) and CR as a reference,
 * which a reader would otherwise turn into LF (XML 1.0 §2.11).
 */
export function escapeXmlText(text: string): string {
  return toXmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/\r/g, '&#13;');
}

/** Escapes an attribute value for double quotes; tab, CR and LF as references so they survive. */
export function escapeXmlAttribute(value: string): string {
  return escapeXmlText(value)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;');
}

export interface SerializeOptions {
  /** Preferred prefix per namespace URI (e.g. rpid); others become the default namespace. */
  prefixes?: Readonly<Record<string, string>>;
  /** Start with '<?xml version="1.0" encoding="UTF-8"?>' (default true). */
  declaration?: boolean;
  /** Declare every preferred prefix on the root element (conventional for PIDF). */
  declareAtRoot?: boolean;
}

type Scope = ReadonlyMap<string, string | null>;

/** Serialises a tree; names come from ns + local (the stored qname is ignored). */
export function serializeXml(root: XmlElement, options: SerializeOptions = {}): string {
  const scope: Scope = new Map<string, string | null>([['', null]]);
  const prefixes = options.prefixes ?? {};
  const upfront = options.declareAtRoot ? Object.entries(prefixes) : [];
  const body = writeElement(root, scope, prefixes, upfront);
  return options.declaration === false ? body : `<?xml version="1.0" encoding="UTF-8"?>\n${body}`;
}

function writeElement(
  el: XmlElement,
  parent: Scope,
  prefixes: Readonly<Record<string, string>>,
  upfront: ReadonlyArray<readonly [string, string]> = [],
): string {
  const scope = new Map(parent);
  const decls: string[] = [];
  const declare = (prefix: string, ns: string | null): void => {
    scope.set(prefix, ns);
    decls.push(`${prefix === '' ? 'xmlns' : `xmlns:${prefix}`}="${escapeXmlAttribute(ns ?? '')}"`);
  };
  const name = elementName(el, scope, prefixes, declare);
  for (const [ns, prefix] of upfront) {
    if (prefix !== '' && !scope.has(prefix)) {
      declare(prefix, ns);
    }
  }
  const attrs = el.attributes.map((a) => {
    const attrName = attributeName(a, scope, prefixes, declare);
    return `${attrName}="${escapeXmlAttribute(a.value)}"`;
  });
  const open = [name, ...decls, ...attrs].join(' ');
  if (el.children.length === 0) {
    return `<${open}/>`;
  }
  const inner = el.children
    .map((c) => (c.kind === 'text' ? escapeXmlText(c.text) : writeElement(c, scope, prefixes)))
    .join('');
  return `<${open}>${inner}</${name}>`;
}

function elementName(
  el: XmlElement,
  scope: Map<string, string | null>,
  prefixes: Readonly<Record<string, string>>,
  declare: (prefix: string, ns: string | null) => void,
): string {
  if (el.ns === null) {
    if (scope.get('') !== null) {
      declare('', null);
    }
    return el.local;
  }
  if (el.ns === XML_NAMESPACE) {
    return `xml:${el.local}`;
  }
  const preferred = prefixes[el.ns];
  if (preferred) {
    if (scope.get(preferred) !== el.ns) {
      declare(preferred, el.ns);
    }
    return `${preferred}:${el.local}`;
  }
  if (scope.get('') !== el.ns) {
    declare('', el.ns);
  }
  return el.local;
}

function attributeName(
  a: XmlAttribute,
  scope: Map<string, string | null>,
  prefixes: Readonly<Record<string, string>>,
  declare: (prefix: string, ns: string | null) => void,
): string {
  if (a.ns === null) {
    return a.local;
  }
  if (a.ns === XML_NAMESPACE) {
    return `xml:${a.local}`;
  }
  for (const [prefix, ns] of scope) {
    if (prefix !== '' && ns === a.ns) {
      return `${prefix}:${a.local}`;
    }
  }
  let prefix = prefixes[a.ns] ?? '';
  if (prefix === '' || scope.has(prefix)) {
    let n = 1;
    while (scope.has(`ns${n}`)) {
      n++;
    }
    prefix = `ns${n}`;
  }
  declare(prefix, a.ns);
  return `${prefix}:${a.local}`;
}
