// An in-memory SIP server on a loop socket for engine unit tests: a registrar with real MD5
// digest checks, scripted INVITE handling, and helpers to send requests to the client.
// Fakes only the network edge; the engine and JsSIP above it run for real.
import { createHash, randomBytes } from 'node:crypto';
import type { SipSocket } from '../../src-renderer/src/lib/phone/guarded-socket';
import { parseSipHead, type SipHead } from '../../src-renderer/src/lib/phone/sip-screen';

export interface SipMessage {
  raw: string;
  head: SipHead;
  startLine: string;
  body: string;
  /** When it arrived (Date.now(), the fake clock in unit tests). */
  at: number;
}

/** Parses a message the client sent. */
export function parseMessage(raw: string): SipMessage {
  const head = parseSipHead(raw);
  if (!head) {
    throw new Error(`not SIP: ${raw.slice(0, 80)}`);
  }
  const split = raw.indexOf('\r\n\r\n');
  return {
    raw,
    head,
    startLine: raw.slice(0, raw.indexOf('\r\n')),
    body: split >= 0 ? raw.slice(split + 4) : '',
    at: Date.now(),
  };
}

export function header(msg: SipMessage, name: string): string | undefined {
  return msg.head.headers.get(name.toLowerCase())?.[0];
}

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

function digestParams(value: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of value.replace(/^Digest\s+/i, '').matchAll(/(\w+)=("([^"]*)"|[^,\s]+)/g)) {
    out[m[1]!.toLowerCase()] = m[3] ?? m[2]!;
  }
  return out;
}

export const SERVER_SDP = [
  'v=0',
  'o=- 10 20 IN IP4 127.0.0.1',
  's=-',
  't=0 0',
  'm=audio 40000 UDP/TLS/RTP/SAVPF 111',
  'c=IN IP4 127.0.0.1',
  'a=sendrecv',
  'a=rtpmap:111 opus/48000/2',
  'a=candidate:1 1 udp 2122260223 127.0.0.1 40000 typ host',
  '',
].join('\r\n');

export type RegisterMode = 'normal' | 'error-503' | 'silent';

export class LoopSipServer {
  readonly realm = 'example.com';
  /** The realm the registrar challenges with (the domain unless a test changes it). */
  digestRealm = 'example.com';
  readonly received: SipMessage[] = [];
  registerMode: RegisterMode = 'normal';
  retryAfter: number | null = null;
  /** Called for each initial INVITE from the client; default: 100 Trying only. */
  onInvite: (invite: SipMessage) => void = (invite) => this.reply(invite, 100, 'Trying');
  /** Called for each in-dialog INVITE (re-INVITE); default: 200 OK with our SDP. */
  onReinvite: (invite: SipMessage) => void = (invite) =>
    this.reply(invite, 200, 'OK', { body: SERVER_SDP });
  /** Called for each REFER; default: 202, then NOTIFY 100 and 200 (the transfer succeeded). */
  onRefer: (refer: SipMessage) => void = (refer) => {
    this.reply(refer, 202, 'Accepted');
    this.notifyRefer(refer, 'SIP/2.0 100 Trying');
    this.notifyRefer(refer, 'SIP/2.0 200 OK');
  };
  /**
   * How a CANCEL from the client is answered: 200 OK and 487 to the INVITE it cancels (what a
   * server does), 200 only, or nothing at all (a broken peer).
   */
  cancelReply: 'ok-and-487' | 'ok' | 'none' = 'ok-and-487';
  /** Called for each BYE; default: 200 OK. */
  onBye: (bye: SipMessage) => void = (bye) => this.reply(bye, 200, 'OK');
  /**
   * Scripts the registrar: called for each REGISTER before the built-in registrar; return true
   * when it answered (or chose not to). `authorized` says whether its digest is valid.
   */
  onRegister: ((register: SipMessage, authorized: boolean) => boolean) | null = null;
  /**
   * Extra headers of the registrar's 200 OK; default: our Contact back with the expires granted
   * (what was asked, at most 600).
   */
  registerOk: (contact: string, expires: number) => string[] = (contact, expires) => [
    `Contact: ${contact};expires=${expires}`,
  ];
  /** Called for each INFO; default: 200 OK. */
  onInfo: (info: SipMessage) => void = (info) => this.reply(info, 200, 'OK');
  /**
   * Called for each SUBSCRIBE, initial or refresh (Expires: 0 ends it); default: accept it for
   * the Expires asked and NOTIFY at once without a body (see acceptSubscribe).
   */
  onSubscribe: (subscribe: SipMessage) => void = (subscribe) => this.acceptSubscribe(subscribe);
  /** Called for each PUBLISH; default: 200 OK with a new SIP-ETag and the Expires asked. */
  onPublish: (publish: SipMessage) => void = (publish) => this.acceptPublish(publish);
  /** Called for each response the client sends (to our NOTIFYs, INVITEs…); default: nothing. */
  onClientResponse: (response: SipMessage) => void = () => {};
  /** Called for each MESSAGE the client sends; default: 200 OK (delivered to the peer). */
  onMessage: (message: SipMessage) => void = (message) => this.reply(message, 200, 'OK');
  #cseq = 100;
  socket: LoopSocket | null = null;
  #passwords: Map<string, string>;
  #toTag = randomBytes(4).toString('hex');

  constructor(passwords: Record<string, string>) {
    this.#passwords = new Map(Object.entries(passwords));
  }

  /** Requests of one method the client sent. */
  requests(method: string): SipMessage[] {
    return this.received.filter((m) => m.head.kind === 'request' && m.head.method === method);
  }

  /** Handles a message from the client. */
  handle(raw: string): void {
    if (raw === '\r\n\r\n' || raw.trim() === '') {
      return;
    }
    const msg = parseMessage(raw);
    this.received.push(msg);
    if (msg.head.kind !== 'request') {
      this.#ackIfAnswer(msg);
      this.onClientResponse(msg);
      return;
    }
    switch (msg.head.method) {
      case 'REGISTER':
        this.#register(msg);
        break;
      case 'INVITE':
        if (/;\s*tag=/i.test(header(msg, 'to') ?? '')) {
          this.onReinvite(msg);
        } else {
          this.onInvite(msg);
        }
        break;
      case 'REFER':
        this.onRefer(msg);
        break;
      case 'INFO':
        this.onInfo(msg);
        break;
      case 'MESSAGE':
        this.onMessage(msg);
        break;
      case 'BYE':
        this.onBye(msg);
        break;
      case 'CANCEL':
        this.#cancel(msg);
        break;
      case 'SUBSCRIBE':
        this.onSubscribe(msg);
        break;
      case 'PUBLISH':
        this.onPublish(msg);
        break;
      case 'OPTIONS':
        this.reply(msg, 200, 'OK');
        break;
      default:
        break;
    }
  }

  /** Sends a response to a client request. */
  reply(
    req: SipMessage,
    code: number,
    phrase: string,
    opts: { body?: string; headers?: string[]; cseq?: string } = {},
  ): void {
    const to = header(req, 'to') ?? '';
    const lines = [
      `SIP/2.0 ${code} ${phrase}`,
      ...(req.head.headers.get('via') ?? []).map((v) => `Via: ${v}`),
      `From: ${header(req, 'from') ?? ''}`,
      `To: ${/;tag=/.test(to) || code === 100 ? to : `${to};tag=${this.#toTag}`}`,
      `Call-ID: ${header(req, 'call-id') ?? ''}`,
      `CSeq: ${opts.cseq ?? header(req, 'cseq') ?? ''}`,
      ...(code >= 200 && code < 300 && ['INVITE', 'SUBSCRIBE'].includes(req.head.method ?? '')
        ? ['Contact: <sip:server@127.0.0.1:5060;transport=ws>']
        : []),
      ...(opts.headers ?? []),
      ...(opts.body ? ['Content-Type: application/sdp'] : []),
      `Content-Length: ${Buffer.byteLength(opts.body ?? '')}`,
      '',
      opts.body ?? '',
    ];
    this.deliver(lines.join('\r\n'));
  }

  /**
   * Sends a request inside the dialog of `dialogRequest` (a request the client sent in that
   * dialog, e.g. its INVITE or a REFER), from our side of the dialog.
   */
  inDialog(
    dialogRequest: SipMessage,
    method: string,
    opts: { headers?: string[]; body?: string; contentType?: string } = {},
  ): void {
    const contact =
      /<([^>]+)>/.exec(header(dialogRequest, 'contact') ?? '')?.[1] ?? 'sip:client@invalid';
    const to = header(dialogRequest, 'from') ?? '';
    const fromRaw = header(dialogRequest, 'to') ?? '';
    const from = /;tag=/.test(fromRaw) ? fromRaw : `${fromRaw};tag=${this.#toTag}`;
    this.#cseq += 1;
    const body = opts.body ?? '';
    this.deliver(
      [
        `${method} ${contact} SIP/2.0`,
        `Via: SIP/2.0/WSS 127.0.0.1:5060;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
        'Max-Forwards: 70',
        `From: ${from}`,
        `To: ${to}`,
        `Call-ID: ${header(dialogRequest, 'call-id') ?? ''}`,
        `CSeq: ${this.#cseq} ${method}`,
        'Contact: <sip:server@127.0.0.1:5060;transport=ws>',
        ...(opts.headers ?? []),
        ...(body ? [`Content-Type: ${opts.contentType ?? 'application/sdp'}`] : []),
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        body,
      ].join('\r\n'),
    );
  }

  /** A NOTIFY for a REFER the client sent, carrying `statusLine` as message/sipfrag. */
  notifyRefer(refer: SipMessage, statusLine: string): void {
    const final = !/^SIP\/2\.0 1\d\d/.test(statusLine);
    const cseq = /^(\d+)/.exec(header(refer, 'cseq') ?? '')?.[1] ?? '1';
    this.inDialog(refer, 'NOTIFY', {
      headers: [
        `Event: refer;id=${cseq}`,
        `Subscription-State: ${final ? 'terminated;reason=noresource' : 'active;expires=60'}`,
      ],
      body: `${statusLine}\r\n`,
      contentType: 'message/sipfrag;version=2.0',
    });
  }

  /**
   * Accepts a SUBSCRIBE (200 OK with the Expires it asked, at most `maxExpires`) and sends the
   * NOTIFY RFC 6665 requires at once: active with `body`, or terminated for an un-SUBSCRIBE.
   */
  acceptSubscribe(
    subscribe: SipMessage,
    opts: { body?: string; contentType?: string; maxExpires?: number } = {},
  ): void {
    const asked = Number(header(subscribe, 'expires') ?? '3600');
    const expires = Math.min(asked, opts.maxExpires ?? 3600);
    this.reply(subscribe, 200, 'OK', { headers: [`Expires: ${expires}`] });
    this.notify(subscribe, {
      state: expires === 0 ? 'terminated;reason=timeout' : `active;expires=${expires}`,
      ...(opts.body !== undefined && expires > 0 ? { body: opts.body } : {}),
      ...(opts.contentType ? { contentType: opts.contentType } : {}),
    });
  }

  /**
   * A NOTIFY in the dialog of `subscribe` (any SUBSCRIBE of that dialog), with its Event header
   * and the given Subscription-State; `cseq` forces the CSeq number (an injected, out-of-order one).
   */
  notify(
    subscribe: SipMessage,
    opts: { state: string; body?: string; contentType?: string; headers?: string[] },
  ): void {
    this.inDialog(subscribe, 'NOTIFY', {
      headers: [
        `Event: ${header(subscribe, 'event') ?? ''}`,
        `Subscription-State: ${opts.state}`,
        ...(opts.headers ?? []),
      ],
      ...(opts.body !== undefined ? { body: opts.body } : {}),
      contentType: opts.contentType ?? header(subscribe, 'accept') ?? 'text/plain',
    });
  }

  /** 200 OK to a PUBLISH with a fresh SIP-ETag and the Expires asked. */
  acceptPublish(publish: SipMessage): void {
    const expires = header(publish, 'expires') ?? '3600';
    this.reply(publish, 200, 'OK', {
      headers: [`SIP-ETag: e${randomBytes(4).toString('hex')}`, `Expires: ${expires}`],
    });
  }

  /**
   * An out-of-dialog NOTIFY to the client's registered contact (the unsolicited voicemail
   * summary many PBXes send): Event `event`, no Subscription-State needed by JsSIP.
   */
  unsolicitedNotify(event: string, body: string, contentType: string, toUser = 'alice'): string {
    const register = this.requests('REGISTER').at(-1);
    const contact =
      /<([^>]+)>/.exec(register ? (header(register, 'contact') ?? '') : '')?.[1] ??
      `sip:${toUser}@${this.realm}`;
    const callId = randomBytes(8).toString('hex');
    this.deliver(
      [
        `NOTIFY ${contact} SIP/2.0`,
        `Via: SIP/2.0/WSS 127.0.0.1:5060;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
        'Max-Forwards: 70',
        `From: <sip:voicemail@${this.realm}>;tag=${randomBytes(4).toString('hex')}`,
        `To: <sip:${toUser}@${this.realm}>`,
        `Call-ID: ${callId}`,
        'CSeq: 1 NOTIFY',
        `Event: ${event}`,
        'Subscription-State: active',
        `Content-Type: ${contentType}`,
        `Content-Length: ${Buffer.byteLength(body)}`,
        '',
        body,
      ].join('\r\n'),
    );
    return callId;
  }

  /**
   * Rewrites what the server sends (the fuzzer's mutations on the wire): each message becomes
   * the messages returned, possibly none. Null: sent as they are.
   */
  tamper: ((text: string) => string[]) | null = null;

  /** Sends raw text to the client as if from the network (through `tamper` when set). */
  deliver(text: string): void {
    for (const out of this.tamper ? this.tamper(text) : [text]) {
      this.socket?.deliver(out);
    }
  }

  /**
   * Sends an INVITE to the client (an incoming call) and returns its Call-ID. `display` is the
   * From display-name exactly as sent (a quoted-string), instead of `fromName` in quotes.
   */
  invite(
    toUser: string,
    from = 'sip:bob@example.com',
    fromName = 'Bob',
    extraHeaders: string[] = [],
    display?: string,
  ): string {
    const callId = randomBytes(8).toString('hex');
    const common = [
      `Via: SIP/2.0/WSS 127.0.0.1:5060;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
      'Max-Forwards: 70',
      `From: ${display ?? `"${fromName}"`} <${from}>;tag=${randomBytes(4).toString('hex')}`,
      `To: <sip:${toUser}@${this.realm}>`,
      `Call-ID: ${callId}`,
    ];
    this.#sentInvites.set(callId, { ruri: `sip:${toUser}@${this.realm}`, common });
    this.deliver(
      [
        `INVITE sip:${toUser}@${this.realm} SIP/2.0`,
        ...common,
        'CSeq: 1 INVITE',
        'Contact: <sip:bob@127.0.0.1:5060;transport=ws>',
        ...extraHeaders,
        'Content-Type: application/sdp',
        `Content-Length: ${Buffer.byteLength(SERVER_SDP)}`,
        '',
        SERVER_SDP,
      ].join('\r\n'),
    );
    return callId;
  }

  /**
   * Sends a MESSAGE to the client (out of dialog, as a proxy relays one) and returns its Call-ID;
   * the client's answer is in `received` (see `answerTo`). `binary` delivers it as a binary
   * WebSocket frame (bytes), as a peer sending invalid UTF-8 would.
   */
  message(
    toUser: string,
    opts: {
      from?: string;
      fromName?: string | null;
      body?: string;
      contentType?: string | null;
      headers?: string[];
      binary?: Uint8Array;
    } = {},
  ): string {
    const callId = randomBytes(8).toString('hex');
    const body = opts.body ?? '';
    const bytes = opts.binary;
    const from = opts.from ?? 'sip:bob@example.com';
    const name = opts.fromName === undefined ? 'Bob' : opts.fromName;
    const contentType =
      opts.contentType === undefined ? 'text/plain;charset=UTF-8' : opts.contentType;
    const head = [
      `MESSAGE sip:${toUser}@${this.realm} SIP/2.0`,
      `Via: SIP/2.0/WSS 127.0.0.1:5060;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
      'Max-Forwards: 70',
      `From: ${name === null ? '' : `"${name.replace(/["\\]/g, '\\$&')}" `}<${from}>;tag=${randomBytes(4).toString('hex')}`,
      `To: <sip:${toUser}@${this.realm}>`,
      `Call-ID: ${callId}`,
      'CSeq: 1 MESSAGE',
      ...(opts.headers ?? []),
      ...(contentType === null ? [] : [`Content-Type: ${contentType}`]),
      `Content-Length: ${bytes ? bytes.byteLength : Buffer.byteLength(body)}`,
      '',
      '',
    ].join('\r\n');
    if (bytes) {
      this.socket?.deliverBytes(Buffer.concat([Buffer.from(head, 'utf8'), bytes]));
    } else {
      this.deliver(`${head}${body}`);
    }
    return callId;
  }

  /** The client's final answer to a request this server sent (by Call-ID), when it came. */
  answerTo(callId: string): SipMessage | undefined {
    return this.received.find(
      (m) =>
        m.head.kind === 'response' &&
        header(m, 'call-id') === callId &&
        !/^SIP\/2\.0 1\d\d/.test(m.startLine),
    );
  }

  /**
   * Sends a CANCEL for an INVITE this server sent, with an optional RFC 3326 Reason; `toTag`
   * makes it carry a To-tag the INVITE did not have (a CANCEL that matches no transaction).
   */
  cancel(callId: string, reason?: string, toTag?: string): void {
    const sent = this.#sentInvites.get(callId);
    if (!sent) {
      throw new Error(`no INVITE ${callId}`);
    }
    const common = toTag
      ? sent.common.map((h) => (h.startsWith('To:') ? `${h};tag=${toTag}` : h))
      : sent.common;
    this.deliver(
      [
        `CANCEL ${sent.ruri} SIP/2.0`,
        ...common,
        'CSeq: 1 CANCEL',
        ...(reason ? [`Reason: ${reason}`] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  }
  #sentInvites = new Map<string, { ruri: string; common: string[] }>();

  // A 2xx to an INVITE we sent (the client answered a call or a re-INVITE) is ACKed, as a
  // UAC must (RFC 3261 §13.2.2.4), so the client's dialog gets confirmed.
  #ackIfAnswer(response: SipMessage): void {
    const cseq = header(response, 'cseq') ?? '';
    if (!/^SIP\/2\.0 2\d\d/.test(response.startLine) || !/\bINVITE$/i.test(cseq)) {
      return;
    }
    const contact =
      /<([^>]+)>/.exec(header(response, 'contact') ?? '')?.[1] ?? 'sip:client@invalid';
    const number = /^(\d+)/.exec(cseq)?.[1] ?? '1';
    this.deliver(
      [
        `ACK ${contact} SIP/2.0`,
        `Via: SIP/2.0/WSS 127.0.0.1:5060;branch=z9hG4bK${randomBytes(6).toString('hex')}`,
        'Max-Forwards: 70',
        `From: ${header(response, 'from') ?? ''}`,
        `To: ${header(response, 'to') ?? ''}`,
        `Call-ID: ${header(response, 'call-id') ?? ''}`,
        `CSeq: ${number} ACK`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  }

  #cancel(cancel: SipMessage): void {
    if (this.cancelReply === 'none') {
      return;
    }
    this.reply(cancel, 200, 'OK');
    const via = header(cancel, 'via');
    const invite = this.received.find(
      (m) => m.head.kind === 'request' && m.head.method === 'INVITE' && header(m, 'via') === via,
    );
    if (this.cancelReply === 'ok-and-487' && invite) {
      this.reply(invite, 487, 'Request Terminated');
    }
  }

  #register(msg: SipMessage): void {
    if (this.registerMode === 'silent') {
      return;
    }
    if (this.registerMode === 'error-503') {
      this.reply(msg, 503, 'Service Unavailable', {
        headers: this.retryAfter !== null ? [`Retry-After: ${this.retryAfter}`] : [],
      });
      return;
    }
    const auth = header(msg, 'authorization');
    const authorized = auth !== undefined && this.#digestOk(auth, 'REGISTER');
    if (this.onRegister?.(msg, authorized)) {
      return;
    }
    if (!authorized) {
      const nonce = randomBytes(8).toString('hex');
      this.reply(msg, 401, 'Unauthorized', {
        headers: [
          `WWW-Authenticate: Digest realm="${this.digestRealm}", nonce="${nonce}", qop="auth", algorithm=MD5`,
        ],
      });
      return;
    }
    const contact = header(msg, 'contact') ?? '';
    const asked = Number(/;\s*expires=(\d+)/i.exec(contact)?.[1] ?? header(msg, 'expires') ?? 600);
    const granted = Math.min(asked, 600);
    this.boundUntil = granted > 0 ? Date.now() + granted * 1000 : null;
    const binding = contact.replace(/;\s*expires=\d+/i, '');
    this.reply(msg, 200, 'OK', { headers: this.registerOk(binding, granted) });
  }

  /** Until when (Date.now()) the client's registration is bound here; null when it is not. */
  boundUntil: number | null = null;

  /** Answers `req` with a digest challenge for `realm` (401 WWW- or 407 Proxy-Authenticate). */
  challenge(req: SipMessage, code: 401 | 407, realm: string): void {
    const name = code === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    const nonce = randomBytes(8).toString('hex');
    this.reply(req, code, code === 401 ? 'Unauthorized' : 'Proxy Authentication Required', {
      headers: [`${name}: Digest realm="${realm}", nonce="${nonce}", qop="auth", algorithm=MD5`],
    });
  }

  /** Whether `req` carries valid credentials (Authorization or Proxy-Authorization). */
  authorized(req: SipMessage): boolean {
    const value = header(req, 'authorization') ?? header(req, 'proxy-authorization');
    return value !== undefined && this.#digestOk(value, req.head.method ?? '');
  }

  #digestOk(value: string, method: string): boolean {
    const p = digestParams(value);
    const password = this.#passwords.get(p.username ?? '');
    if (password === undefined) {
      return false;
    }
    const ha1 = md5(`${p.username}:${p.realm}:${password}`);
    const ha2 = md5(`${method}:${p.uri}`);
    const expected = p.qop
      ? md5(`${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`)
      : md5(`${ha1}:${p.nonce}:${ha2}`);
    return expected === p.response;
  }
}

/** The client side of the loop: what JsSIP writes goes to the server, the server delivers back. */
export class LoopSocket implements SipSocket {
  via_transport = 'WSS';
  readonly url = 'wss://pbx.example.com/ws';
  readonly sip_uri = 'sip:pbx.example.com;transport=ws';
  onconnect: () => void = () => {};
  ondisconnect: (error: boolean, code?: number, reason?: string) => void = () => {};
  ondata: (data: unknown) => void = () => {};
  #connected = false;
  /** When false, connect() fails like an unreachable server. */
  reachable = true;
  /**
   * A half-open flow: what the client sends is swallowed and nothing reaches it, while the
   * socket still looks open. A new connection (connect()) is a fresh flow and works again.
   */
  blackhole = false;
  /** How many times the client opened a connection. */
  connects = 0;
  /** How many times the client tried to (reachable or not). */
  connectAttempts = 0;
  /**
   * The next send finds the socket closed underneath (the network went away between two
   * messages): it returns false, as JsSIP's WebSocketInterface.send does when the WebSocket is
   * not OPEN, and the close event follows.
   */
  breakOnNextSend = false;
  /** How many sends failed that way. */
  failedSends = 0;

  constructor(private readonly server: LoopSipServer) {
    server.socket = this;
  }

  connect(): void {
    this.connectAttempts += 1;
    setTimeout(() => {
      if (!this.reachable) {
        this.ondisconnect(true, 1006, '');
        return;
      }
      this.#connected = true;
      this.blackhole = false;
      this.connects += 1;
      this.onconnect();
    }, 0);
  }
  disconnect(): void {
    this.#connected = false;
  }
  /** Drops the connection as the network would. */
  drop(): void {
    this.#connected = false;
    this.ondisconnect(true, 1006, '');
  }
  send(message: string): boolean {
    const text = String(message);
    if (this.breakOnNextSend) {
      this.breakOnNextSend = false;
      this.failedSends += 1;
      this.#connected = false;
      setTimeout(() => this.ondisconnect(true, 1006, ''), 0);
      return false;
    }
    if (!this.blackhole) {
      setTimeout(() => this.server.handle(text), 0);
    }
    return true;
  }
  isConnected(): boolean {
    return this.#connected;
  }
  isConnecting(): boolean {
    return false;
  }
  deliver(text: string): void {
    if (this.blackhole) {
      return;
    }
    setTimeout(() => this.ondata(text), 0);
  }
  /** Delivers a binary frame, as a WebSocket would hand one over (an ArrayBuffer). */
  deliverBytes(bytes: Uint8Array): void {
    const copy = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
    setTimeout(() => this.ondata(copy), 0);
  }
}
