// Owns reading values out of a parsed XML tree (reader.ts) by namespace URI and local name, the
// only correct way to match elements whose prefixes the sender chose; and readRoot, the common
// first step of every body parser.
import { parseXml } from './reader';
import type { XmlElement, XmlErrorCode, XmlLimits } from './types';

/** Why a body is not the document a parser expects. */
export type DocumentError = { kind: 'xml'; code: XmlErrorCode } | { kind: 'wrong-document' };

export type RootResult =
  { ok: true; root: XmlElement } | { ok: false; error: DocumentError; message: string };

/**
 * Reads `body` and checks that its root is `local` in namespace `ns`; `wrongDocument` is the
 * sentence for any other root. Never throws.
 */
export function readRoot(
  body: string | Uint8Array,
  ns: string,
  local: string,
  wrongDocument: string,
  limits: Partial<XmlLimits> = {},
): RootResult {
  const parsed = parseXml(body, limits);
  if (!parsed.ok) {
    return {
      ok: false,
      error: { kind: 'xml', code: parsed.error.code },
      message: parsed.error.message,
    };
  }
  const root = parsed.document.root;
  if (root.ns !== ns || root.local !== local) {
    return { ok: false, error: { kind: 'wrong-document' }, message: wrongDocument };
  }
  return { ok: true, root };
}

/** Child elements of `parent`, optionally only those with this namespace and local name. */
export function childElements(
  parent: XmlElement,
  ns?: string | null,
  local?: string,
): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of parent.children) {
    if (child.kind !== 'element') {
      continue;
    }
    if (ns !== undefined && child.ns !== ns) {
      continue;
    }
    if (local !== undefined && child.local !== local) {
      continue;
    }
    out.push(child);
  }
  return out;
}

/** The first child element with this namespace and local name. */
export function firstChild(
  parent: XmlElement,
  ns: string | null,
  local: string,
): XmlElement | undefined {
  for (const child of parent.children) {
    if (child.kind === 'element' && child.ns === ns && child.local === local) {
      return child;
    }
  }
  return undefined;
}

/** An attribute's value by local name and namespace (null: the usual unprefixed attribute). */
export function attribute(
  element: XmlElement,
  local: string,
  ns: string | null = null,
): string | undefined {
  return element.attributes.find((a) => a.local === local && a.ns === ns)?.value;
}

/** The element's own character data (not its descendants'), concatenated. */
export function ownText(element: XmlElement): string {
  let text = '';
  for (const child of element.children) {
    if (child.kind === 'text') {
      text += child.text;
    }
  }
  return text;
}

/** True when the element is `local` in namespace `ns`. */
export function isElement(element: XmlElement, ns: string | null, local: string): boolean {
  return element.ns === ns && element.local === local;
}
