// Owns the decision on an incoming MESSAGE body (RFC 3428): a chat text to store and show, a
// typing indication, or a refusal with the SIP status, reason phrase and headers to answer with.
//
// Rules, in order:
//   - over maxBytes (UTF-8 bytes on the wire; 64 KiB by default) → 413;
//   - no or unreadable Content-Type → 415; a type other than text/plain and
//     application/im-iscomposing+xml → 415; both carry Accept: text/plain, application/im-iscomposing+xml;
//   - text/plain: the charset parameter (any case, default UTF-8) decides how bytes are read.
//     Bytes are decoded strictly (text/charset.ts): UTF-8 with fatal errors, other charsets
//     through TextDecoder when the platform knows them. Invalid bytes → 400 "Invalid Characters" (the sender's client
//     shows the failure and keeps its text; nothing is silently altered). An unknown charset → 415.
//     A string body was already decoded by the WebSocket layer: Chromium fails a connection whose
//     text frame is not UTF-8 (RFC 6455 §8.1) and GuardedSocket decodes binary frames replacing
//     invalid bytes with U+FFFD, so a string is taken as is — it may contain U+FFFD, never
//     invalid UTF-8;
//   - the text is cleaned for display (text/inert-text.ts): NUL and other C0/C1 controls removed
//     (TAB and line breaks kept, CR LF → LF), unpaired surrogates → U+FFFD, bidi controls
//     balanced per line and overrides removed. What is stored is what is shown;
//   - a body that is empty, or empty once cleaned (only NULs, say) → 400;
//   - application/im-iscomposing+xml → parsed (iscomposing.ts); unreadable → 400.
// Never throws.
import { parseContentType } from '../text/content-type';
import { decodeCharset } from '../text/charset';
import { cleanText } from '../text/inert-text';
import { ISCOMPOSING_CONTENT_TYPE, parseIsComposing, type IsComposing } from './iscomposing';

export const MAX_MESSAGE_BYTES = 64 * 1024;
/** The Accept header value of a 415 (and what the app can take). */
export const ACCEPTED_TYPES = `text/plain, ${ISCOMPOSING_CONTENT_TYPE}`;

export type IncomingBodyVerdict =
  | {
      action: 'message';
      /** Cleaned text to store and show. */
      text: string;
      /** Characters removed or replaced while cleaning (0 for ordinary text). */
      removed: number;
      status: 200;
    }
  | { action: 'composing'; indication: IsComposing; status: 200 }
  | {
      action: 'reject';
      status: 400 | 413 | 415;
      /** Reason phrase for the response line. */
      reasonPhrase: string;
      /** Extra response headers, e.g. ['Accept: text/plain, …']. */
      headers: string[];
      /** One sentence for the log / diagnostics. */
      detail: string;
    };

export interface IncomingBody {
  contentType: string | null | undefined;
  body: string | Uint8Array | null | undefined;
}

function reject(
  status: 400 | 413 | 415,
  reasonPhrase: string,
  detail: string,
): IncomingBodyVerdict {
  const headers = status === 415 ? [`Accept: ${ACCEPTED_TYPES}`] : [];
  return { action: 'reject', status, reasonPhrase, headers, detail };
}

/** UTF-8 length of a string without allocating (lone surrogates count as U+FFFD: 3 bytes). */
export function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      n += 1;
    } else if (c < 0x800) {
      n += 2;
    } else if (c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else {
      n += 3;
    }
  }
  return n;
}

function decodeText(bytes: Uint8Array, charset: string): string | IncomingBodyVerdict {
  const decoded = decodeCharset(bytes, charset);
  if (decoded.ok) {
    return decoded.text;
  }
  return decoded.code === 'unsupported-encoding'
    ? reject(415, 'Unsupported Media Type', 'The message uses a charset this app cannot read.')
    : reject(400, 'Invalid Characters', 'The message text is not valid in its charset.');
}

function acceptText(body: string | Uint8Array, charset: string): IncomingBodyVerdict {
  const decoded = typeof body === 'string' ? body : decodeText(body, charset);
  if (typeof decoded !== 'string') {
    return decoded;
  }
  const { text, removed } = cleanText(decoded, { multiline: true });
  if (text.trim() === '') {
    return reject(400, 'Empty Message', 'The message has no text to show.');
  }
  return { action: 'message', text, removed, status: 200 };
}

/** Decides what to do with an incoming MESSAGE body. Never throws. */
export function acceptIncomingMessage(
  input: IncomingBody,
  maxBytes: number = MAX_MESSAGE_BYTES,
): IncomingBodyVerdict {
  const body = input.body ?? '';
  // UTF-8 never takes fewer bytes than UTF-16 code units, so a long string is refused uncounted.
  const size =
    typeof body === 'string'
      ? body.length > maxBytes
        ? body.length
        : utf8Length(body)
      : body.byteLength;
  if (size > maxBytes) {
    return reject(413, 'Request Entity Too Large', 'The message is larger than the limit.');
  }
  if (size === 0) {
    return reject(400, 'Empty Message', 'The message has no body.');
  }
  const type = parseContentType(input.contentType);
  if (type === null) {
    return reject(415, 'Unsupported Media Type', 'The message has no readable Content-Type.');
  }
  if (type.essence === ISCOMPOSING_CONTENT_TYPE) {
    const parsed = parseIsComposing(body);
    return parsed.ok
      ? { action: 'composing', indication: parsed.value, status: 200 }
      : reject(400, 'Bad Request', parsed.message);
  }
  if (type.essence !== 'text/plain') {
    return reject(
      415,
      'Unsupported Media Type',
      `Messages of type ${type.essence} are not accepted.`,
    );
  }
  return acceptText(body, type.params.get('charset')?.trim() || 'utf-8');
}
