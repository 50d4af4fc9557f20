// Owns the shapes of the safe XML reader (reader.ts): the namespace-resolved element tree it
// builds, its limits, and its failure codes. Plain data, no behaviour.

/** An attribute after namespace resolution. Unprefixed attributes have no namespace (ns null). */
export interface XmlAttribute {
  readonly ns: string | null;
  readonly local: string;
  /** The name as written ('display', 'xml:lang'); informative only, match on ns + local. */
  readonly qname: string;
  readonly value: string;
}

/** An element after namespace resolution. Namespace declarations are not in `attributes`. */
export interface XmlElement {
  readonly kind: 'element';
  /** The namespace URI the element's prefix (or the default namespace) resolved to. */
  readonly ns: string | null;
  readonly local: string;
  /** The name as written ('dm:person'); informative only, match on ns + local. */
  readonly qname: string;
  readonly attributes: readonly XmlAttribute[];
  /** Elements and text in document order; adjacent text, CDATA and references are merged. */
  readonly children: readonly XmlNode[];
}

/** Character data with references decoded and line ends normalised to '\n'. */
export interface XmlText {
  readonly kind: 'text';
  readonly text: string;
}

export type XmlNode = XmlElement | XmlText;

/** A parsed document: its one root element and the encoding its declaration named, if any. */
export interface XmlDocument {
  readonly root: XmlElement;
  readonly declaredEncoding: string | null;
}

/** Why a body was refused. Every code has a fixed human sentence in XmlError.message. */
export type XmlErrorCode =
  | 'empty'
  | 'too-large'
  | 'too-deep'
  | 'too-many-elements'
  | 'too-many-attributes'
  | 'name-too-long'
  | 'doctype-forbidden'
  | 'entity-declaration-forbidden'
  | 'undefined-entity'
  | 'invalid-character'
  | 'unsupported-encoding'
  | 'invalid-encoding'
  | 'malformed'
  | 'mismatched-tag'
  | 'unclosed'
  | 'duplicate-attribute'
  | 'unbound-prefix'
  | 'reserved-namespace'
  | 'internal-error';

export interface XmlError {
  readonly code: XmlErrorCode;
  /** One plain sentence for logs and diagnostics; never quotes the body. */
  readonly message: string;
  /** Character offset (after line-end normalisation) where the problem was found. */
  readonly offset: number;
}

/** The reader never throws: it returns a document or an error. */
export type XmlResult = { ok: true; document: XmlDocument } | { ok: false; error: XmlError };

/** Bounds checked while reading; any one exceeded refuses the whole body. */
export interface XmlLimits {
  /** Characters for a string body, bytes for a byte body. */
  readonly maxLength: number;
  /** Element nesting depth (the root is depth 1). */
  readonly maxDepth: number;
  /** Elements in the whole document. */
  readonly maxElements: number;
  /** Attributes on one element, namespace declarations included. */
  readonly maxAttributes: number;
  /** Characters in one element or attribute name (prefix included). */
  readonly maxNameLength: number;
}

/** Defaults sized for SIP event bodies: a busy dialog-info or PIDF document is a few kB. */
export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxLength: 64 * 1024,
  maxDepth: 32,
  maxElements: 2048,
  maxAttributes: 32,
  maxNameLength: 128,
};

/** Namespace bound to the reserved 'xml' prefix (Namespaces in XML 1.0, §3). */
export const XML_NAMESPACE = 'http://www.w3.org/XML/1998/namespace';
/** Namespace of the reserved 'xmlns' prefix; nothing may be bound to it. */
export const XMLNS_NAMESPACE = 'http://www.w3.org/2000/xmlns/';
