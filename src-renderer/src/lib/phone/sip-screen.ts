// Pre-screens every SIP message from the network before JsSIP sees it, for the cases JsSIP
// cannot handle: a request whose Request-URI is not sip:/sips: makes JsSIP 3.13 throw a
// TypeError (RFC 4475 §3.3.2 unkscm, §3.3.3 novelsc), so it is answered 416 here (RFC 3261
// §8.2.2.1); a response whose reason phrase JsSIP's grammar refuses ('<', '"', '#', a control…,
// which real servers send) would be dropped whole, leaving its transaction waiting, so the
// phrase is repaired (the status code is what counts, RFC 3261 §21). Pure functions, no DOM, no
// JsSIP: unit-tested on the RFC 4475 corpus.

export type ScreenVerdict =
  | { action: 'pass' }
  | { action: 'reply'; response: string; reason: string }
  | { action: 'drop'; reason: string };

/** The parts of a SIP message head that the screen needs. */
export interface SipHead {
  kind: 'request' | 'response';
  method: string | null;
  requestUri: string | null;
  /** A response's status code. */
  status: number | null;
  /** Header values by lower-case long name, in order. */
  headers: Map<string, string[]>;
}

const COMPACT: Record<string, string> = {
  v: 'via',
  f: 'from',
  t: 'to',
  i: 'call-id',
  m: 'contact',
  l: 'content-length',
  c: 'content-type',
  k: 'supported',
  s: 'subject',
  e: 'content-encoding',
};

const REQUEST_LINE = /^([A-Za-z0-9.!%*_+`'~-]+) +(\S+) +SIP\/\d+\.\d+ *$/;
const RESPONSE_LINE = /^SIP\/\d+\.\d+ +(\d{3})(?: .*)?$/;

/** Parses the start line and headers of a message; null when it is not recognisably SIP. */
export function parseSipHead(text: string): SipHead | null {
  const end = findHeadEnd(text);
  const lines = unfold(text.slice(0, end).split(/\r?\n/));
  const start = lines.shift();
  if (start === undefined) {
    return null;
  }
  const headers = parseHeaders(lines);
  const request = REQUEST_LINE.exec(start);
  if (request) {
    return {
      kind: 'request',
      method: request[1] ?? null,
      requestUri: request[2] ?? null,
      status: null,
      headers,
    };
  }
  const response = RESPONSE_LINE.exec(start);
  if (response) {
    return {
      kind: 'response',
      method: null,
      requestUri: null,
      status: Number(response[1]),
      headers,
    };
  }
  return null;
}

function findHeadEnd(text: string): number {
  const crlf = text.indexOf('\r\n\r\n');
  const lf = text.indexOf('\n\n');
  const candidates = [crlf, lf].filter((i) => i >= 0);
  return candidates.length ? Math.min(...candidates) : text.length;
}

function unfold(lines: string[]): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const previous = out.length - 1;
    if (/^[ \t]/.test(line) && previous >= 0) {
      out[previous] = `${out[previous] ?? ''} ${line.trim()}`;
    } else {
      out.push(line);
    }
  }
  return out;
}

function parseHeaders(lines: string[]): Map<string, string[]> {
  const headers = new Map<string, string[]>();
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      continue;
    }
    const raw = line.slice(0, colon).trim().toLowerCase();
    const name = COMPACT[raw] ?? raw;
    const value = line.slice(colon + 1).trim();
    headers.set(name, [...(headers.get(name) ?? []), value]);
  }
  return headers;
}

/** Decides what to do with one message from the network before JsSIP parses it. */
export function screenIncoming(text: string): ScreenVerdict {
  const head = parseSipHead(text);
  if (!head || head.kind === 'response' || head.requestUri === null) {
    return { action: 'pass' };
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(head.requestUri)?.[1]?.toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') {
    return { action: 'pass' };
  }
  // No scheme at all (e.g. "<sip:…>", RFC 4475 §3.1.2.7) is a malformed request: 400.
  // A well-formed URI of another scheme is unsupported: 416 (RFC 3261 §8.2.2.1).
  const [code, phrase, reason] = scheme
    ? [416, 'Unsupported URI Scheme', `Request-URI scheme "${scheme}" is not supported`]
    : [400, 'Bad Request', 'the Request-URI is not a URI'];
  if (head.method?.toUpperCase() === 'ACK') {
    return { action: 'drop', reason };
  }
  const response = buildResponse(head, code, phrase);
  return response ? { action: 'reply', response, reason } : { action: 'drop', reason };
}

/** Builds a stateless response to a request (RFC 3261 §8.2.6); null if mandatory headers are missing. */
export function buildResponse(head: SipHead, code: number, phrase: string): string | null {
  const via = head.headers.get('via');
  const from = head.headers.get('from')?.[0];
  const to = head.headers.get('to')?.[0];
  const callId = head.headers.get('call-id')?.[0];
  const cseq = head.headers.get('cseq')?.[0];
  if (!via?.length || !from || !to || !callId || !cseq) {
    return null;
  }
  const toWithTag = /;\s*tag=/i.test(to) ? to : `${to};tag=${randomTag()}`;
  return [
    `SIP/2.0 ${code} ${phrase}`,
    ...via.map((v) => `Via: ${v}`),
    `From: ${from}`,
    `To: ${toWithTag}`,
    `Call-ID: ${callId}`,
    `CSeq: ${cseq}`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

function randomTag(): string {
  return Math.random().toString(36).slice(2, 12);
}

/** RFC 3261 Reason-Phrase characters (reserved, unreserved, escaped, UTF-8, SP, HTAB). */
const REASON_CHAR = /[A-Za-z0-9\-_.!~*'();/?:@&=+$, \t\u0080-\uffff]|%[0-9A-Fa-f]{2}/y;

/**
 * A response whose reason phrase has characters the SIP grammar does not allow, with each of
 * them replaced by '?'; every other message unchanged.
 */
export function repairReasonPhrase(text: string): string {
  const eol = text.search(/\r?\n/);
  const start = eol < 0 ? text : text.slice(0, eol);
  const match = /^(SIP\/\d+\.\d+ +\d{3} )(.*)$/.exec(start);
  if (!match) {
    return text;
  }
  const phrase = match[2] ?? '';
  let repaired = '';
  let at = 0;
  while (at < phrase.length) {
    REASON_CHAR.lastIndex = at;
    const ok = REASON_CHAR.exec(phrase);
    if (ok) {
      repaired += ok[0];
      at += ok[0].length;
    } else {
      repaired += '?';
      at += 1;
    }
  }
  return repaired === phrase ? text : `${match[1] ?? ''}${repaired}${text.slice(start.length)}`;
}
