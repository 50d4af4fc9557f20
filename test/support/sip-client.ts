// Transport-neutral raw SIP UA for lab tests: message parsing/building, requests with digest auth, dialogs, awaiting messages.
import { randomBytes } from 'node:crypto';
import { EventLog, eventNow } from './event-log';
import { digestAuthorization, parseDigestChallenge } from './sip-digest';

/** A parsed SIP request or response. */
export interface SipMessage {
  /** The text as received. */
  raw: string;
  isResponse: boolean;
  /** Responses only. */
  status?: number;
  reason?: string;
  /** Requests only. */
  method?: string;
  uri?: string;
  /** Headers in order, names as written (compact forms expanded). */
  headers: [string, string][];
  body: string;
  /** First value of a header (case-insensitive), e.g. msg.header('call-id'). */
  header(name: string): string | undefined;
  /** All values of a header (comma-joined values are not split). */
  headerAll(name: string): string[];
  callId: string;
  cseq: { seq: number; method: string };
  /** When this message was received (performance.timeOrigin + performance.now()); 0 when parsed elsewhere. */
  t: number;
}

const COMPACT: Record<string, string> = {
  i: 'Call-ID',
  m: 'Contact',
  e: 'Content-Encoding',
  l: 'Content-Length',
  c: 'Content-Type',
  f: 'From',
  s: 'Subject',
  k: 'Supported',
  t: 'To',
  v: 'Via',
  r: 'Refer-To',
  b: 'Referred-By',
  x: 'Session-Expires',
  o: 'Event',
  u: 'Allow-Events',
};

/** Parses one SIP message (as carried in one WebSocket text frame). */
export function parseSipMessage(text: string, t = 0): SipMessage {
  const split = text.indexOf('\r\n\r\n');
  const head = split >= 0 ? text.slice(0, split) : text;
  const body = split >= 0 ? text.slice(split + 4) : '';
  const lines = head.split('\r\n');
  const first = lines.shift() ?? '';
  const headers: [string, string][] = [];
  for (const line of lines) {
    if (/^[ \t]/.test(line) && headers.length > 0) {
      const last = headers[headers.length - 1];
      if (last !== undefined) {
        last[1] += ` ${line.trim()}`;
      }
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) {
      continue;
    }
    const rawName = line.slice(0, colon).trim();
    const name = COMPACT[rawName.toLowerCase()] ?? rawName;
    headers.push([name, line.slice(colon + 1).trim()]);
  }
  const headerAll = (name: string): string[] =>
    headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v);
  const header = (name: string): string | undefined => headerAll(name)[0];
  const cseqMatch = /^(\d+)\s+(\S+)/.exec(header('CSeq') ?? '');
  const msg: SipMessage = {
    raw: text,
    isResponse: first.startsWith('SIP/2.0 '),
    headers,
    body,
    header,
    headerAll,
    callId: header('Call-ID') ?? '',
    cseq: { seq: Number(cseqMatch?.[1] ?? 0), method: cseqMatch?.[2] ?? '' },
    t,
  };
  if (msg.isResponse) {
    const m = /^SIP\/2\.0 (\d{3}) ?(.*)$/.exec(first);
    msg.status = Number(m?.[1] ?? 0);
    msg.reason = m?.[2] ?? '';
  } else {
    const m = /^(\S+) (\S+) SIP\/2\.0$/.exec(first);
    msg.method = m?.[1] ?? '';
    msg.uri = m?.[2] ?? '';
  }
  return msg;
}

/** Random token for tags, branches and Call-IDs. */
export function sipToken(bytes = 8): string {
  return randomBytes(bytes).toString('hex');
}

/** Extracts the `tag` parameter of a From/To header value. */
export function tagOf(headerValue: string | undefined): string | undefined {
  return /;\s*tag=([^;>\s]+)/i.exec(headerValue ?? '')?.[1];
}

/** Options for {@link SipClient.request}. */
export interface SipRequestOptions {
  method: string;
  /** Request-URI. */
  uri: string;
  /** From URI (default the client's AOR). */
  from?: string;
  /** A display name for From, written as a quoted string (quotes and backslashes escaped). */
  fromName?: string;
  /** A display name put before the From URI exactly as given (e.g. a hand-made quoted-string); wins over `fromName`. */
  fromDisplay?: string;
  fromTag?: string;
  /** To URI (default `uri`). */
  to?: string;
  toTag?: string;
  callId?: string;
  cseq?: number;
  /** Extra headers, in order (e.g. [['Authorization', '…'], ['Expires', '60']]). */
  headers?: [string, string][];
  body?: string;
  /** Content-Type for `body` (default application/sdp when a body is given); null: none at all. */
  contentType?: string | null;
  /** A body of raw bytes (e.g. invalid UTF-8), sent with sendBytes; replaces `body`. */
  binaryBody?: Uint8Array;
}

/** A request that was sent. */
export interface SentRequest {
  text: string;
  callId: string;
  cseq: number;
  method: string;
  branch: string;
  fromTag: string;
  /** From URI (without tag). */
  from: string;
  /** To URI (without tag). */
  to: string;
  /** Resolves with the final (>= 200) response, rejects on timeout (never settles for ACK). */
  response: Promise<SipMessage>;
}

/** Options for {@link SipClient.register}. */
export interface RegisterOptions {
  user: string;
  password: string;
  domain: string;
  /** Digest username (default `user`). */
  authUser?: string;
  /** Default 600. */
  expires?: number;
  /** Reuse a Call-ID (REGISTER refreshes keep one Call-ID). */
  callId?: string;
  /** Give up after this many challenges answered (default 1: a second 401 is returned as is). */
  maxAuthAttempts?: number;
  /** URI parameters appended inside the Contact's <>, e.g. ';ob'. */
  contactUriParams?: string;
  /** Header parameters appended after the Contact's <>, e.g. ';reg-id=1;+sip.instance="<urn:uuid:…>"'. */
  contactParams?: string;
  /** Extra headers (e.g. [['Supported', 'outbound, path']]). */
  headers?: [string, string][];
}

/**
 * A raw SIP UA over one transport. Every received message is kept in {@link SipClient.received};
 * responses are matched to requests by Call-ID + CSeq. Subclasses provide the transport
 * ({@link SipWsClient} over a WebSocket, {@link SipUdpClient} over a UDP socket).
 */
export abstract class SipClient {
  /** AOR used as default From (set by {@link register} or the constructor option). */
  aor: string;
  readonly #log: EventLog<SipMessage>;
  private cseq = Math.floor(Math.random() * 1000) + 1;

  protected constructor(aor: string) {
    this.aor = aor;
    this.#log = new EventLog(this.constructor.name, (m) =>
      m.isResponse ? `${m.status ?? '?'} ${m.cseq.method}` : (m.method ?? '?'),
    );
  }

  /** Every SIP message received, in order. */
  get received(): SipMessage[] {
    return this.#log.events;
  }

  /** Host[:port] used in Via sent-by and in the default Contact. */
  abstract readonly viaHost: string;
  /** Via transport token, e.g. 'WS' or 'UDP'. */
  protected abstract readonly viaTransport: string;
  /** Whether the transport can send right now. */
  abstract get open(): boolean;
  /** Sends one SIP message as is. */
  abstract send(text: string): void;

  /** Sends one SIP message given as bytes (a WebSocket binary frame); not every transport can. */
  sendBytes(_bytes: Uint8Array): void {
    throw new Error(`${this.constructor.name} cannot send raw bytes`);
  }
  /** Closes the transport and resolves once closed. */
  abstract close(): Promise<void>;

  /** The Contact URI this client would register for `user` (e.g. `sip:alice@x.invalid;transport=ws`). */
  abstract contactUri(user: string): string;

  /** Subclasses call this with each message text received. */
  protected receive(text: string): void {
    this.#log.push(parseSipMessage(text, eventNow()));
  }

  /**
   * Resolves with the first received message (index >= `fromIndex`) matching `pred`, waiting up
   * to `timeoutMs`.
   */
  waitForMessage(
    pred: (m: SipMessage) => boolean,
    timeoutMs = 5000,
    fromIndex = 0,
  ): Promise<SipMessage> {
    return this.#log.waitFor(pred, timeoutMs, fromIndex);
  }

  private via(branch: string): string {
    return `Via: SIP/2.0/${this.viaTransport} ${this.viaHost};branch=${branch};rport`;
  }

  /** Builds and sends a request; `response` resolves with its final response. */
  request(opts: SipRequestOptions, timeoutMs = 5000): SentRequest {
    const callId = opts.callId ?? sipToken(12);
    const cseq = opts.cseq ?? this.cseq++;
    const branch = `z9hG4bK${sipToken(8)}`;
    const fromTag = opts.fromTag ?? sipToken(5);
    const from = opts.from ?? this.aor;
    const to = opts.to ?? opts.uri;
    const body = opts.body ?? '';
    const bytes = opts.binaryBody;
    const quoted =
      opts.fromName !== undefined ? `"${opts.fromName.replace(/["\\]/g, '\\$&')}"` : undefined;
    const display = opts.fromDisplay ?? quoted;
    const name = display !== undefined ? `${display} ` : '';
    const lines = [
      `${opts.method} ${opts.uri} SIP/2.0`,
      this.via(branch),
      'Max-Forwards: 70',
      `From: ${name}<${from}>;tag=${fromTag}`,
      `To: <${to}>${opts.toTag !== undefined ? `;tag=${opts.toTag}` : ''}`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} ${opts.method}`,
      ...(opts.headers ?? []).map(([n, v]) => `${n}: ${v}`),
    ];
    if ((body !== '' || bytes) && opts.contentType !== null) {
      lines.push(`Content-Type: ${opts.contentType ?? 'application/sdp'}`);
    }
    lines.push(`Content-Length: ${bytes ? bytes.byteLength : Buffer.byteLength(body)}`);
    const text = `${lines.join('\r\n')}\r\n\r\n${bytes ? '' : body}`;
    const fromIndex = this.received.length;
    const response =
      opts.method === 'ACK'
        ? new Promise<SipMessage>(() => undefined)
        : this.waitForMessage(
            (m) =>
              m.isResponse &&
              (m.status ?? 0) >= 200 &&
              m.callId === callId &&
              m.cseq.seq === cseq &&
              m.cseq.method === opts.method,
            timeoutMs,
            fromIndex,
          );
    // A caller that ignores the response must not cause an unhandled rejection.
    response.catch(() => undefined);
    if (opts.method === 'INVITE') {
      // Transaction-level ACK for a non-2xx final response (RFC 3261 17.1.1.3).
      response.then(
        (res) => {
          if ((res.status ?? 0) >= 300 && this.open) {
            this.send(
              [
                `ACK ${opts.uri} SIP/2.0`,
                this.via(branch),
                'Max-Forwards: 70',
                `From: <${from}>;tag=${fromTag}`,
                `To: ${res.header('To') ?? `<${to}>`}`,
                `Call-ID: ${callId}`,
                `CSeq: ${cseq} ACK`,
                ...(opts.headers ?? [])
                  .filter(([n]) => /^route$/i.test(n))
                  .map(([n, v]) => `${n}: ${v}`),
                'Content-Length: 0',
                '',
                '',
              ].join('\r\n'),
            );
          }
        },
        () => undefined,
      );
    }
    if (bytes) {
      this.sendBytes(Buffer.concat([Buffer.from(text, 'utf8'), bytes]));
    } else {
      this.send(text);
    }
    return { text, callId, cseq, method: opts.method, branch, fromTag, from, to, response };
  }

  /**
   * Sends an in-dialog request (ACK, BYE, re-INVITE, …) in the dialog created by `invite` (sent
   * by this client) and its 2xx `response`: Request-URI = the remote Contact, Route = the
   * Record-Route set reversed, To tag from the response. ACK reuses the INVITE's CSeq.
   */
  dialogRequest(
    invite: SentRequest,
    response: SipMessage,
    method: string,
    opts: { cseq?: number; body?: string; contentType?: string; headers?: [string, string][] } = {},
    timeoutMs = 5000,
  ): SentRequest {
    const contact = response.header('Contact') ?? '';
    const target = /<([^>]+)>/.exec(contact)?.[1] ?? contact.split(';')[0]?.trim() ?? '';
    const routes = response
      .headerAll('Record-Route')
      .flatMap((v) => v.split(/,(?=\s*<)/).map((r) => r.trim()))
      .reverse();
    const headers: [string, string][] = [
      ...routes.map((r): [string, string] => ['Route', r]),
      ...(opts.headers ?? []),
    ];
    const toTag = tagOf(response.header('To'));
    return this.request(
      {
        method,
        uri: target,
        from: invite.from,
        fromTag: invite.fromTag,
        to: invite.to,
        ...(toTag !== undefined ? { toTag } : {}),
        callId: invite.callId,
        cseq: opts.cseq ?? (method === 'ACK' ? invite.cseq : this.cseq++),
        headers,
        ...(opts.body !== undefined ? { body: opts.body } : {}),
        ...(opts.contentType !== undefined ? { contentType: opts.contentType } : {}),
      },
      timeoutMs,
    );
  }

  /**
   * Sends a request and, when challenged (401/407), resends it once per allowed attempt with
   * digest credentials. Resolves with the last final response.
   */
  async requestWithAuth(
    opts: SipRequestOptions,
    creds: { user: string; password: string; maxAuthAttempts?: number },
    timeoutMs = 5000,
  ): Promise<SipMessage> {
    return (await this.sendWithAuth(opts, creds, timeoutMs)).response;
  }

  /**
   * Like {@link requestWithAuth} but also returns the last request sent (needed to continue a
   * dialog with {@link dialogRequest}).
   */
  async sendWithAuth(
    opts: SipRequestOptions,
    creds: { user: string; password: string; maxAuthAttempts?: number },
    timeoutMs = 5000,
  ): Promise<{ sent: SentRequest; response: SipMessage }> {
    const callId = opts.callId ?? sipToken(12);
    const fromTag = opts.fromTag ?? sipToken(5);
    let sent = this.request({ ...opts, callId, fromTag }, timeoutMs);
    let res = await sent.response;
    for (let attempt = 0; attempt < (creds.maxAuthAttempts ?? 1); attempt++) {
      if (res.status !== 401 && res.status !== 407) {
        break;
      }
      const challengeHeader =
        res.status === 401 ? res.header('WWW-Authenticate') : res.header('Proxy-Authenticate');
      if (challengeHeader === undefined) {
        break;
      }
      const authorization = digestAuthorization({
        challenge: parseDigestChallenge(challengeHeader),
        method: opts.method,
        uri: opts.uri,
        username: creds.user,
        password: creds.password,
      });
      const headers: [string, string][] = [
        ...(opts.headers ?? []),
        [res.status === 401 ? 'Authorization' : 'Proxy-Authorization', authorization],
      ];
      sent = this.request({ ...opts, callId, fromTag, headers }, timeoutMs);
      res = await sent.response;
    }
    return { sent, response: res };
  }

  /** REGISTERs `sip:user@domain` with digest auth; resolves with the final response (200 on success). */
  register(opts: RegisterOptions, timeoutMs = 5000): Promise<SipMessage> {
    this.aor = `sip:${opts.user}@${opts.domain}`;
    const expires = opts.expires ?? 600;
    const contact =
      `<${this.contactUri(opts.user)}${opts.contactUriParams ?? ''}>` +
      `${opts.contactParams ?? ''};expires=${expires}`;
    return this.requestWithAuth(
      {
        method: 'REGISTER',
        uri: `sip:${opts.domain}`,
        from: this.aor,
        to: this.aor,
        ...(opts.callId !== undefined ? { callId: opts.callId } : {}),
        headers: [['Contact', contact], ['Expires', String(expires)], ...(opts.headers ?? [])],
      },
      {
        user: opts.authUser ?? opts.user,
        password: opts.password,
        ...(opts.maxAuthAttempts !== undefined ? { maxAuthAttempts: opts.maxAuthAttempts } : {}),
      },
      timeoutMs,
    );
  }

  /** Builds a response to a received request (Via/From/To/Call-ID/CSeq copied, To tag added when missing). */
  buildResponse(
    req: SipMessage,
    status: number,
    reason: string,
    headers: [string, string][] = [],
    body = '',
  ): string {
    const to = req.header('To') ?? '';
    const lines = [
      `SIP/2.0 ${status} ${reason}`,
      ...req.headerAll('Via').map((v) => `Via: ${v}`),
      `From: ${req.header('From') ?? ''}`,
      `To: ${tagOf(to) === undefined && status > 100 ? `${to};tag=${sipToken(5)}` : to}`,
      `Call-ID: ${req.callId}`,
      `CSeq: ${req.cseq.seq} ${req.cseq.method}`,
      ...headers.map(([n, v]) => `${n}: ${v}`),
      `Content-Length: ${Buffer.byteLength(body)}`,
    ];
    return `${lines.join('\r\n')}\r\n\r\n${body}`;
  }

  /** Sends a response to a received request; see {@link buildResponse}. */
  reply(
    req: SipMessage,
    status: number,
    reason: string,
    headers: [string, string][] = [],
    body = '',
  ): void {
    this.send(this.buildResponse(req, status, reason, headers, body));
  }
}
