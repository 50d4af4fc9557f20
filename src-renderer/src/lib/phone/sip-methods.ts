// The SIP methods an engine accepts, as one list from which its Allow header is derived. JsSIP
// 3.13 writes one constant Allow (JsSIP.C.ALLOWED_METHODS, MESSAGE and SUBSCRIBE included) on
// every request, every OPTIONS answer and every 405, while it refuses MESSAGE and SUBSCRIBE with
// 405 as long as its UA has no listener for them: the 405 contradicted itself. Here the list is
// the core methods JsSIP always takes (calls, transfers, DTMF INFO, NOTIFY, OPTIONS) plus each
// extension method whose UA event has a listener, which is JsSIP's own test for taking it: a
// feature (chat, presence) extends the list by listening on the engine's UA ('ua' event), and
// Allow follows at once. The socket rewrites the Allow header of everything the engine sends.
// UPDATE, INFO and REFER exist for us only inside a dialog: outside one they match no dialog and
// are answered 481 (RFC 3261 §12.2.2), not a 405 that would contradict the Allow listing them.
import { tagOf } from './cancel-screen';
import { buildResponse, type ScreenVerdict, type SipHead } from './sip-screen';

/** What JsSIP handles for every engine: INVITE dialogs, UPDATE, REFER, INFO, NOTIFY, OPTIONS. */
export const CORE_METHODS = [
  'INVITE',
  'ACK',
  'CANCEL',
  'BYE',
  'UPDATE',
  'OPTIONS',
  'REFER',
  'INFO',
  'NOTIFY',
] as const;

/** Methods JsSIP takes only while its UA has a listener for their event (405 otherwise). */
export const EXTENSION_METHODS = { MESSAGE: 'newMessage', SUBSCRIBE: 'newSubscribe' } as const;

/** Core methods we take only inside a dialog (RFC 3311 UPDATE, RFC 6086 INFO, REFER in a call). */
const IN_DIALOG_ONLY: ReadonlySet<string> = new Set(['UPDATE', 'INFO', 'REFER']);

const ALLOW_LINE = /^Allow[ \t]*:.*$/im;

/** The part of JsSIP's UA (a Node EventEmitter) that says who listens. */
export interface ListenerCounter {
  listenerCount(event: string): number;
}

/** The methods a UA accepts now, core first (null: no UA, the core methods). */
export function acceptedMethods(ua: ListenerCounter | null): string[] {
  const extensions = Object.entries(EXTENSION_METHODS)
    .filter(([, event]) => (ua?.listenerCount(event) ?? 0) > 0)
    .map(([method]) => method);
  return [...CORE_METHODS, ...extensions];
}

/** `message` (as JsSIP wrote it) with its Allow header, if it has one, set to `methods`. */
export function rewriteAllow(message: string, methods: readonly string[]): string {
  const end = message.search(/\r?\n\r?\n/);
  const head = end >= 0 ? message.slice(0, end) : message;
  if (!ALLOW_LINE.test(head)) {
    return message;
  }
  return head.replace(ALLOW_LINE, `Allow: ${methods.join(',')}`) + message.slice(head.length);
}

/** 481 for a request of an in-dialog-only method that arrives outside any dialog. */
export function screenOutOfDialog(head: SipHead): ScreenVerdict {
  const method = head.method?.toUpperCase() ?? '';
  if (head.kind !== 'request' || !IN_DIALOG_ONLY.has(method)) {
    return { action: 'pass' };
  }
  if (tagOf(head.headers.get('to')?.[0] ?? null) !== null) {
    return { action: 'pass' };
  }
  const reason = `a ${method} outside any dialog`;
  const response = buildResponse(head, 481, 'Call/Transaction Does Not Exist');
  return response ? { action: 'reply', response, reason } : { action: 'drop', reason };
}
