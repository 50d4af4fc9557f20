// The connection to an account's WebSocket server, opened while the rest of the window's start
// runs (issue 19: page load → registered). An account starts once the settings, its password
// (main reads the OS keychain) and the call code are all there; only then did JsSIP open its
// WebSocket, and the handshake (TCP, TLS for wss:, the HTTP upgrade: three round trips to a
// remote server, ~10 ms on loopback) came after all of them. The settings alone say where to
// connect, so the connection is opened as soon as they arrive (`preconnect`), and the account's
// socket (`EarlySocket`) takes it over when JsSIP connects. Nothing is sent on it before that:
// the first message is still JsSIP's REGISTER, with the credentials. What arrives before it is
// taken over is held and handed over in order. A connection nobody takes within
// EARLY_SOCKET_BOUND_MS (the account could not start: no password) is closed; one that closed
// or failed before it was taken is forgotten, and JsSIP connects as it always did.
import { WebSocketInterface } from 'jssip';
import { createLogger } from '../logger';
import type { SipSocket } from './guarded-socket';

const log = createLogger('early-socket');

// WebSocket's readyState values (the global may not exist where the unit tests run).
const CONNECTING = 0;
const OPEN = 1;

/** How long an early connection waits to be taken over before it is closed. */
export const EARLY_SOCKET_BOUND_MS = 10_000;

/** What the pool needs from the browser (tests pass fakes). */
export interface EarlySocketEnv {
  create(url: string): WebSocket;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const browserEnv: EarlySocketEnv = {
  // The SIP subprotocol, as JsSIP's WebSocketInterface asks for it (RFC 7118).
  create: (url) => new WebSocket(url, 'sip'),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

interface Early {
  ws: WebSocket;
  held: unknown[];
  timer: unknown;
}

/** A connection taken over: the socket and what it received before. */
export interface TakenSocket {
  ws: WebSocket;
  held: unknown[];
}

/** Early connections by URL, each taken at most once. */
export class EarlySockets {
  readonly #env: EarlySocketEnv;
  readonly #boundMs: number;
  readonly #open = new Map<string, Early>();

  constructor(env: EarlySocketEnv = browserEnv, boundMs = EARLY_SOCKET_BOUND_MS) {
    this.#env = env;
    this.#boundMs = boundMs;
  }

  /** Opens a connection to `url` (ws: or wss:) unless one is open or opening. Never throws. */
  preconnect(url: string): void {
    // Only what JsSIP's transport takes (the browser would also open http: URLs as ws:).
    if (this.#open.has(url) || !/^wss?:\/\//i.test(url)) {
      return;
    }
    let ws: WebSocket;
    try {
      ws = this.#env.create(url);
    } catch (error: unknown) {
      // A URL the browser refuses: the engine says so when it connects.
      log.debug(`not opened early: ${String(error)}`);
      return;
    }
    ws.binaryType = 'arraybuffer';
    const entry: Early = {
      ws,
      held: [],
      timer: this.#env.setTimeout(() => this.drop(url), this.#boundMs),
    };
    ws.onmessage = (event: MessageEvent) => entry.held.push(event.data);
    ws.onclose = () => this.#forget(url, entry);
    ws.onerror = () => {};
    this.#open.set(url, entry);
  }

  /** The connection to `url`, opening or open, once; null when there is none. */
  take(url: string): TakenSocket | null {
    const entry = this.#open.get(url);
    if (!entry) {
      return null;
    }
    this.#open.delete(url);
    this.#env.clearTimeout(entry.timer);
    entry.ws.onmessage = null;
    entry.ws.onclose = null;
    entry.ws.onerror = null;
    if (entry.ws.readyState !== CONNECTING && entry.ws.readyState !== OPEN) {
      return null;
    }
    return { ws: entry.ws, held: entry.held };
  }

  /** Closes the connection to `url` if nobody took it. */
  drop(url: string): void {
    const taken = this.take(url);
    taken?.ws.close();
  }

  /** How many connections wait to be taken (tests). */
  get size(): number {
    return this.#open.size;
  }

  #forget(url: string, entry: Early): void {
    if (this.#open.get(url) === entry) {
      this.#open.delete(url);
      this.#env.clearTimeout(entry.timer);
    }
  }
}

/** The window's early connections. */
export const earlySockets = new EarlySockets();

/**
 * JsSIP's WebSocket transport that starts from an early connection when there is one for its
 * URL: its first connect() takes it over (open: connected at once; still opening: when it
 * opens), with what it received before. Every other connect, and a first one without an early
 * connection, is JsSIP's own (WebSocketInterface), which also parses the URL and its SIP URI.
 */
export class EarlySocket implements SipSocket {
  readonly #jssip: WebSocketInterface & SipSocket;
  readonly #pool: EarlySockets;
  #ws: WebSocket | null = null;
  #tried = false;

  onconnect: () => void = () => {};
  ondisconnect: (error: boolean, code?: number, reason?: string) => void = () => {};
  ondata: (data: unknown) => void = () => {};

  constructor(url: string, pool: EarlySockets = earlySockets, jssip?: SipSocket) {
    this.#jssip = (jssip ?? new WebSocketInterface(url)) as WebSocketInterface & SipSocket;
    this.#pool = pool;
    this.#jssip.onconnect = () => this.onconnect();
    this.#jssip.ondisconnect = (error, code, reason) => this.ondisconnect(error, code, reason);
    this.#jssip.ondata = (data: unknown) => this.ondata(data);
  }

  get via_transport(): string {
    return this.#jssip.via_transport;
  }
  set via_transport(value: string) {
    this.#jssip.via_transport = value;
  }
  get url(): string {
    return this.#jssip.url;
  }
  get sip_uri(): string {
    return this.#jssip.sip_uri;
  }

  connect(): void {
    if (this.isConnected() || this.isConnecting()) {
      return;
    }
    const taken = this.#tried ? null : this.#pool.take(this.url);
    this.#tried = true;
    if (!taken) {
      this.#ws = null;
      this.#jssip.connect();
      return;
    }
    const ws = taken.ws;
    this.#ws = ws;
    ws.onclose = ({ wasClean, code, reason }: CloseEvent) => {
      if (this.#ws === ws) {
        this.#ws = null;
        this.ondisconnect(!wasClean, code, reason);
      }
    };
    ws.onmessage = ({ data }: MessageEvent) => this.ondata(data);
    ws.onerror = () => {};
    if (ws.readyState === OPEN) {
      // As a connection JsSIP opened: connected after connect() returns.
      queueMicrotask(() => {
        if (this.#ws === ws) {
          this.#connected(taken.held);
        }
      });
    } else {
      ws.onopen = () => this.#connected(taken.held);
    }
  }

  disconnect(): void {
    const ws = this.#ws;
    if (!ws) {
      this.#jssip.disconnect();
      return;
    }
    // As JsSIP's: no event for a close asked for here.
    this.#ws = null;
    ws.onopen = null;
    ws.onclose = null;
    ws.onmessage = null;
    ws.close();
  }

  send(message: string): boolean {
    if (!this.#ws) {
      return this.#jssip.send(message);
    }
    if (this.#ws.readyState !== OPEN) {
      return false;
    }
    this.#ws.send(message);
    return true;
  }

  isConnected(): boolean {
    return this.#ws ? this.#ws.readyState === OPEN : Boolean(this.#jssip.isConnected());
  }

  isConnecting(): boolean {
    return this.#ws ? this.#ws.readyState === CONNECTING : Boolean(this.#jssip.isConnecting());
  }

  #connected(held: unknown[]): void {
    this.onconnect();
    for (const data of held.splice(0)) {
      if (this.#ws) {
        this.ondata(data);
      }
    }
  }
}
