// Wraps the transport socket JsSIP uses so that nothing from the network can throw out of the
// engine: every message is pre-screened (sip-screen.ts), JsSIP's handling of it runs inside a
// try/catch, and a request JsSIP choked on is answered 400 so the peer is not left hanging.
// The inner socket is injectable: the app uses JsSIP's WebSocketInterface, unit tests a loop.
import type { Socket } from 'jssip/lib/Socket';
import { createLogger } from '../logger';
import { buildResponse, parseSipHead, screenIncoming } from './sip-screen';

const log = createLogger('socket');

/** The subset of JsSIP's Socket contract the engine relies on. */
export interface SipSocket {
  via_transport: string;
  readonly url: string;
  readonly sip_uri: string;
  connect(): void;
  disconnect(): void;
  send(message: string): boolean;
  isConnected(): boolean;
  isConnecting(): boolean;
  onconnect: () => void;
  ondisconnect: (error: boolean, code?: number, reason?: string) => void;
  ondata: (data: unknown) => void;
}

/** Observers of the raw traffic (diagnostics and the benchmark); they never see credentials. */
export interface SocketTap {
  /** A message handed to the network. */
  sent?(text: string): void;
  /** A message received, before screening. */
  received?(text: string): void;
  /** A message the engine refused or that threw inside JsSIP. */
  rejected?(reason: string): void;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

function asText(data: unknown): string | null {
  if (typeof data === 'string') {
    return data;
  }
  if (data instanceof ArrayBuffer) {
    return decoder.decode(data);
  }
  if (ArrayBuffer.isView(data)) {
    return decoder.decode(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  }
  return null;
}

export class GuardedSocket implements SipSocket {
  readonly #inner: SipSocket;
  readonly #tap: SocketTap;
  onconnect: () => void = () => {};
  ondisconnect: (error: boolean, code?: number, reason?: string) => void = () => {};
  ondata: (data: unknown) => void = () => {};

  constructor(inner: SipSocket, tap: SocketTap = {}) {
    this.#inner = inner;
    this.#tap = tap;
    inner.onconnect = () => this.onconnect();
    inner.ondisconnect = (error, code, reason) => this.ondisconnect(error, code, reason);
    inner.ondata = (data) => this.#receive(data);
  }

  get via_transport(): string {
    return this.#inner.via_transport;
  }
  set via_transport(value: string) {
    this.#inner.via_transport = value;
  }
  get url(): string {
    return this.#inner.url;
  }
  get sip_uri(): string {
    return this.#inner.sip_uri;
  }
  connect(): void {
    this.#inner.connect();
  }
  disconnect(): void {
    this.#inner.disconnect();
  }
  isConnected(): boolean {
    return this.#inner.isConnected();
  }
  isConnecting(): boolean {
    return this.#inner.isConnecting();
  }

  /**
   * Gives up on a connection that looks open but is dead (a failed keep-alive, a resume from
   * sleep): closes the inner socket without waiting for a closing handshake that will never
   * come, and tells JsSIP at once, so it opens a fresh connection.
   */
  abandon(reason: string): void {
    log.warn(`connection abandoned: ${reason}`);
    this.#inner.disconnect();
    this.ondisconnect(true, 4000, reason);
  }

  send(message: string): boolean {
    const text = String(message);
    this.#tap.sent?.(text);
    return this.#inner.send(text);
  }

  #receive(data: unknown): void {
    const text = asText(data);
    if (text === null) {
      this.#reject('a message that is neither text nor binary');
      return;
    }
    this.#tap.received?.(text);
    const verdict = screenIncoming(text);
    if (verdict.action === 'reply') {
      this.#reject(verdict.reason);
      this.#inner.send(verdict.response);
      return;
    }
    if (verdict.action === 'drop') {
      this.#reject(verdict.reason);
      return;
    }
    try {
      this.ondata(text);
    } catch (error: unknown) {
      this.#recover(text, error);
    }
  }

  // JsSIP threw while handling a message: log it, answer 400 if it was a request, stay up.
  #recover(text: string, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    this.#reject(`JsSIP could not handle a message: ${detail}`);
    const head = parseSipHead(text);
    if (head?.kind !== 'request' || head.method?.toUpperCase() === 'ACK') {
      return;
    }
    const response = buildResponse(head, 400, 'Bad Request');
    if (response) {
      this.#inner.send(response);
    }
  }

  #reject(reason: string): void {
    log.warn(`incoming message not handled: ${reason}`);
    this.#tap.rejected?.(reason);
  }
}

/** JsSIP's Socket type, for passing a GuardedSocket to the UA. */
export function asJsSipSocket(socket: SipSocket): Socket {
  return socket;
}
