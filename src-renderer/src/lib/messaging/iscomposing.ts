// Owns the RFC 3994 application/im-iscomposing+xml body ("is typing…"): reading one from a
// MESSAGE and writing ours. The reader refuses anything that is not an isComposing document in
// the RFC's namespace with a state of 'active' or 'idle'; optional elements that cannot be read
// are left out rather than failing the whole indication.
import { firstChild, ownText, readRoot, type DocumentError } from '../xml/query';
import { serializeXml, xmlElement } from '../xml/write';

export const ISCOMPOSING_NS = 'urn:ietf:params:xml:ns:im-iscomposing';
export const ISCOMPOSING_CONTENT_TYPE = 'application/im-iscomposing+xml';

export interface IsComposing {
  state: 'active' | 'idle';
  /** <refresh>: seconds until the sender refreshes an active state; null when absent. */
  refreshS: number | null;
  /** <lastactive>: when the sender last typed, ms since the epoch; null when absent/invalid. */
  lastActive: number | null;
  /** <contenttype>: what is being composed (e.g. 'text/plain'), lower case; null when absent. */
  contentType: string | null;
}

export type IsComposingResult =
  | { ok: true; value: IsComposing }
  | { ok: false; error: DocumentError | { kind: 'bad-state' }; message: string };

/** isComposing bodies are tiny; anything bigger than this is not one. */
export const MAX_ISCOMPOSING_LENGTH = 4096;

const MEDIA_TYPE = /^[a-z0-9!#$&^_.+-]{1,64}\/[a-z0-9!#$&^_.+-]{1,64}$/;
// xs:dateTime, e.g. 2003-01-27T10:43:00Z or with an offset / fractional seconds.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function text(el: ReturnType<typeof firstChild>): string | null {
  return el ? ownText(el).trim() : null;
}

/** Reads an isComposing body (string or bytes). Never throws. */
export function parseIsComposing(body: string | Uint8Array): IsComposingResult {
  const read = readRoot(
    body,
    ISCOMPOSING_NS,
    'isComposing',
    'The body is not an isComposing document in the RFC 3994 namespace.',
    { maxLength: MAX_ISCOMPOSING_LENGTH, maxDepth: 4, maxElements: 16 },
  );
  if (!read.ok) {
    return read;
  }
  const root = read.root;
  const state = text(firstChild(root, ISCOMPOSING_NS, 'state'))?.toLowerCase();
  if (state !== 'active' && state !== 'idle') {
    return {
      ok: false,
      error: { kind: 'bad-state' },
      message: 'The isComposing state is neither "active" nor "idle".',
    };
  }
  const refresh = text(firstChild(root, ISCOMPOSING_NS, 'refresh'));
  const last = text(firstChild(root, ISCOMPOSING_NS, 'lastactive'));
  const type = text(firstChild(root, ISCOMPOSING_NS, 'contenttype'))?.toLowerCase() ?? null;
  const lastMs = last && DATE_TIME.test(last) ? Date.parse(last) : Number.NaN;
  return {
    ok: true,
    value: {
      state,
      refreshS:
        refresh && /^[0-9]{1,9}$/.test(refresh) && Number(refresh) > 0 ? Number(refresh) : null,
      lastActive: Number.isFinite(lastMs) ? lastMs : null,
      contentType: type && MEDIA_TYPE.test(type) ? type : null,
    },
  };
}

export interface IsComposingInput {
  state: 'active' | 'idle';
  /** Only written for 'active' (RFC 3994 §3.1); whole seconds ≥ 1. */
  refreshS?: number;
  lastActive?: Date;
  /** Defaults to 'text/plain'. */
  contentType?: string;
}

/** Writes an isComposing body; out-of-range optional values are left out. */
export function buildIsComposing(input: IsComposingInput): string {
  const children = [xmlElement(ISCOMPOSING_NS, 'state', {}, [input.state])];
  if (input.lastActive && Number.isFinite(input.lastActive.getTime())) {
    children.push(xmlElement(ISCOMPOSING_NS, 'lastactive', {}, [input.lastActive.toISOString()]));
  }
  const type = (input.contentType ?? 'text/plain').toLowerCase();
  if (MEDIA_TYPE.test(type)) {
    children.push(xmlElement(ISCOMPOSING_NS, 'contenttype', {}, [type]));
  }
  const refresh = input.refreshS;
  if (
    input.state === 'active' &&
    refresh !== undefined &&
    Number.isInteger(refresh) &&
    refresh >= 1
  ) {
    children.push(xmlElement(ISCOMPOSING_NS, 'refresh', {}, [String(refresh)]));
  }
  return serializeXml(xmlElement(ISCOMPOSING_NS, 'isComposing', {}, children));
}
