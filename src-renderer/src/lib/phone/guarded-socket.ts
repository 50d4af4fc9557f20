// Wraps the transport socket JsSIP uses so that nothing from the network can throw out of the
// engine: every message is pre-screened (sip-screen.ts, cancel-screen.ts), may be rewritten by
// the engine's guards (credentials-guard.ts on the way in, sip-methods.ts on the way out),
// JsSIP's handling of it runs inside a try/catch, and a request JsSIP choked on is answered 400
// so the peer is not left hanging, unless JsSIP had already answered it: one request, one final
// response. A NOTIFY that overtook the final response to its SUBSCRIBE is handed over after that
// response (notify-reorder.ts). The inner socket is injectable: the app uses JsSIP's
// WebSocketInterface, unit tests a loop.
import type { Socket } from 'jssip/lib/Socket';
import { createLogger } from '../logger';
import { systemScheduler, type Scheduler } from '../scheduler';
import { CancelScreen, topBranch } from './cancel-screen';
import { NotifyReorder, type HeldMessage } from './notify-reorder';
import {
  buildResponse,
  parseSipHead,
  repairReasonPhrase,
  screenIncoming,
  type ScreenVerdict,
  type SipHead,
} from './sip-screen';

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

/** What the engine adds around JsSIP's traffic. */
export interface SocketGuards {
  /** Screens a request from the network after the built-in screens (answer or drop it). */
  screen?(head: SipHead): ScreenVerdict;
  /** Rewrites a message from the network before JsSIP parses it (e.g. drops a challenge). */
  inbound?(text: string, head: SipHead): string;
  /** Rewrites a message JsSIP sends (e.g. the Allow header). */
  outbound?(text: string, head: SipHead): string;
  /** Runs after JsSIP handled a message from the network. */
  handled?(): void;
}

/** The request JsSIP is handling, and whether it already sent a final response to it. */
interface Handling {
  branch: string | null;
  cseq: string | null;
  answered: boolean;
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
  readonly #route: string | null;
  readonly #guards: SocketGuards;
  readonly #cancels = new CancelScreen();
  readonly #reorder: NotifyReorder;
  #handling: Handling | null = null;
  onconnect: () => void = () => {};
  ondisconnect: (error: boolean, code?: number, reason?: string) => void = () => {};
  ondata: (data: unknown) => void = () => {};

  /**
   * `guards` screen and rewrite what passes (see SocketGuards). `route` replaces the socket's own
   * SIP URI, which is what JsSIP puts in the pre-loaded Route header when `use_preloaded_route`
   * is on: that is how an outbound proxy is configured. `scheduler` bounds how long a NOTIFY
   * is held for the response it overtook.
   */
  constructor(
    inner: SipSocket,
    tap: SocketTap = {},
    guards: SocketGuards = {},
    route: string | null = null,
    scheduler: Scheduler = systemScheduler,
  ) {
    this.#inner = inner;
    this.#tap = tap;
    this.#guards = guards;
    this.#route = route;
    this.#reorder = new NotifyReorder(scheduler, (held) => this.#dispatch(held.text, held.head));
    inner.onconnect = () => this.onconnect();
    inner.ondisconnect = (error, code, reason) => this.#disconnected(error, code, reason);
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
    return this.#route ?? this.#inner.sip_uri;
  }
  connect(): void {
    this.#inner.connect();
  }
  disconnect(): void {
    this.#forgetHeld('the connection was closed');
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
    this.#disconnected(true, 4000, reason);
  }

  #disconnected(error: boolean, code?: number, reason?: string): void {
    this.#forgetHeld('the connection went down');
    this.ondisconnect(error, code, reason);
  }

  // The connection is gone: NOTIFYs held for a SUBSCRIBE's answer could not be answered on it.
  #forgetHeld(cause: string): void {
    const dropped = this.#reorder.clear();
    if (dropped > 0) {
      this.#reject(`${dropped} NOTIFY held for its SUBSCRIBE's answer dropped: ${cause}`);
    }
  }

  send(message: string): boolean {
    let text = String(message);
    const head = parseSipHead(text);
    if (head) {
      text = this.#guards.outbound?.(text, head) ?? text;
      this.#noteSent(head);
      this.#reorder.noteSent(head);
    }
    this.#tap.sent?.(text);
    return this.#inner.send(text);
  }

  // Remembers our answers: the To-tag of an INVITE's answer (CANCEL matching) and whether the
  // request being handled got its final response from JsSIP.
  #noteSent(head: SipHead): void {
    if (head.kind !== 'response') {
      return;
    }
    this.#cancels.noteResponse(head);
    const handling = this.#handling;
    if (
      handling &&
      (head.status ?? 0) >= 200 &&
      topBranch(head) === handling.branch &&
      (head.headers.get('cseq')?.[0] ?? null) === handling.cseq
    ) {
      handling.answered = true;
    }
  }

  #receive(data: unknown): void {
    const raw = asText(data);
    if (raw === null) {
      this.#reject('a message that is neither text nor binary');
      return;
    }
    this.#tap.received?.(raw);
    const verdict = this.#screen(raw);
    if (verdict.action === 'reply') {
      this.#reject(verdict.reason);
      this.#inner.send(verdict.response);
      return;
    }
    if (verdict.action === 'drop') {
      this.#reject(verdict.reason);
      return;
    }
    const head = parseSipHead(raw);
    const repaired = head?.kind === 'response' ? repairReasonPhrase(raw) : raw;
    const text = head ? (this.#guards.inbound?.(repaired, head) ?? repaired) : repaired;
    const message: HeldMessage | null = head ? { text, head } : null;
    if (message && this.#reorder.hold(message)) {
      log.info('a NOTIFY overtook the answer to its SUBSCRIBE: held until that answer');
      return;
    }
    this.#dispatch(text, head);
    if (head) {
      this.#reorder.after(head);
    }
  }

  // Hands one screened message to JsSIP, which must not throw out of here.
  #dispatch(text: string, head: SipHead | null): void {
    this.#handling =
      head?.kind === 'request'
        ? { branch: topBranch(head), cseq: head.headers.get('cseq')?.[0] ?? null, answered: false }
        : null;
    try {
      this.ondata(text);
    } catch (error: unknown) {
      this.#recover(text, error);
    } finally {
      this.#handling = null;
      this.#afterHandling();
    }
  }

  #screen(text: string): ScreenVerdict {
    const verdict = screenIncoming(text);
    if (verdict.action !== 'pass') {
      return verdict;
    }
    const head = parseSipHead(text);
    if (head?.kind !== 'request') {
      return verdict;
    }
    this.#cancels.noteRequest(head);
    const cancel = this.#cancels.screen(head);
    return cancel.action !== 'pass' ? cancel : (this.#guards.screen?.(head) ?? cancel);
  }

  #afterHandling(): void {
    try {
      this.#guards.handled?.();
    } catch (error: unknown) {
      log.warn(`after a message: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  // JsSIP threw while handling a message: log it, answer 400 if it was a request JsSIP had not
  // answered yet, stay up.
  #recover(text: string, error: unknown): void {
    const detail = error instanceof Error ? error.message : String(error);
    this.#reject(`JsSIP could not handle a message: ${detail}`);
    const head = parseSipHead(text);
    if (
      head?.kind !== 'request' ||
      head.method?.toUpperCase() === 'ACK' ||
      this.#handling?.answered
    ) {
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
