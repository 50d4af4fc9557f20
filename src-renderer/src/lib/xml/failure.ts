// Owns the reader's failures: the exception used inside the reader (never outside parseXml)
// and the fixed sentence for each refusal code.
import type { XmlError, XmlErrorCode } from './types';

export const MESSAGES: Record<XmlErrorCode, string> = {
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

/** Thrown inside the reader only; parseXml turns it into the result. */
export class Failure extends Error {
  constructor(
    readonly code: XmlErrorCode,
    readonly offset: number,
  ) {
    super(code);
  }
}

/** The result form of any error thrown while reading (a bug becomes 'internal-error'). */
export function toXmlError(error: unknown): XmlError {
  const failure = error instanceof Failure ? error : new Failure('internal-error', 0);
  return { code: failure.code, message: MESSAGES[failure.code], offset: failure.offset };
}
