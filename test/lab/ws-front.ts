// WsFront: a switchable WebSocket front (down/refuse/forward/blackhole/stall) before Kamailio, with frame tap, injection and client drops.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import WebSocket, { WebSocketServer } from 'ws';
import { freePort, LAB_HOST } from './ports';
import { EventLog, eventNow } from '../support/event-log';
import { delay } from './process';

/**
 * - 'down': nothing listens on the port (connection refused); switching to it drops all clients.
 * - 'refuse': TCP is accepted, the WebSocket upgrade is answered `403 Forbidden`; existing clients stay.
 * - 'forward': WebSocket (subprotocol `sip`) accepted and piped frame by frame to the upstream URL.
 *   Switching back to it revives flows that were blackholed or stalled.
 * - 'blackhole': a half-open flow. Every connection, existing and new, stays open, but nothing
 *   passes either way: frames from the client are accepted and dropped, frames from Kamailio are
 *   dropped, WebSocket pings get no pong. New connections complete the handshake and get no
 *   upstream. Kamailio keeps its side of existing connections open, as a server does when the
 *   client's network silently vanished.
 * - 'stall': existing connections are blackholed as above; new connections are forwarded (a
 *   dead flow while the network works: reconnecting heals it).
 * In every mode but 'down', a plain HTTP request (no upgrade) gets 404.
 */
export type WsFrontMode = 'down' | 'refuse' | 'forward' | 'blackhole' | 'stall';

/** One tapped WebSocket frame. */
export interface WsFrame {
  /** 'up' = client → server, 'down' = server → client. */
  dir: 'up' | 'down';
  /** performance.timeOrigin + performance.now() when the frame passed the front. */
  t: number;
  text: string;
  /** Id of the client connection (1, 2, … in connection order). */
  client: number;
  /** Down frame created by {@link WsFront.inject}. */
  injected?: boolean;
  /** Up frame not forwarded because it belongs to an injected request's Call-ID. */
  swallowed?: boolean;
  /** Frame dropped because the client's flow was blackholed/stalled. */
  dropped?: boolean;
  /** A WebSocket ping from the client (`text` is its payload); answered unless `dropped`. */
  ping?: boolean;
}

/** Options for {@link startWsFront}. */
export interface WsFrontOptions {
  /** Where 'forward' connects (e.g. the lab Kamailio's wsUrl). */
  upstreamUrl: string;
  /** Initial mode (default 'forward'). */
  mode?: WsFrontMode;
  /** Port to use (default: a free one). */
  port?: number;
  /** Address to listen on (default the loopback), e.g. the root end of a lab namespace's veth. */
  host?: string;
}

interface Client {
  id: number;
  ws: WebSocket;
  /** Opened when the client is first forwarded (never for a client born in 'blackhole' until revived). */
  upstream: WebSocket | undefined;
  queue: { data: WebSocket.RawData; isBinary: boolean }[];
  /** Nothing passes either way while set. */
  blackholed: boolean;
}

function rawToText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString('utf8');
  }
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

/** Call-ID of a SIP message text ('' when absent). */
function callIdOf(text: string): string {
  const head = text.split('\r\n\r\n')[0] ?? '';
  const m = /^(?:Call-ID|i)[ \t]*:[ \t]*(.+)$/im.exec(head);
  return m?.[1]?.trim() ?? '';
}

/**
 * A WebSocket front on a fixed loopback port between an app and Kamailio whose behaviour can be
 * switched at run time; it taps every frame. One upstream connection per client connection.
 */
export class WsFront {
  /** ws://127.0.0.1:P (or the `host` given), stable across mode changes. */
  readonly url: string;
  readonly port: number;
  readonly host: string;
  readonly upstreamUrl: string;
  readonly #frameLog = new EventLog<WsFrame>(
    'WsFront',
    (f) => `${f.dir}:${f.text.split('\r\n')[0] ?? ''}`,
  );
  /** Every frame that passed (or was injected/swallowed), in order. */
  get frames(): WsFrame[] {
    return this.#frameLog.events;
  }

  /** Number of WebSocket connections accepted so far. */
  connectionCount = 0;
  /** Number of upgrade attempts answered 403 in 'refuse' mode. */
  refusedCount = 0;
  /** Number of plain HTTP requests answered 404. */
  httpCount = 0;
  private currentMode: WsFrontMode = 'down';
  private server: Server | undefined;
  private readonly sockets = new Set<Socket | Duplex>();
  private readonly clients = new Map<number, Client>();
  private readonly injectedCallIds = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly wss: WebSocketServer;
  private modeChange: Promise<void> = Promise.resolve();

  private constructor(port: number, upstreamUrl: string, host: string) {
    this.port = port;
    this.host = host;
    this.url = `ws://${host}:${port}`;
    this.upstreamUrl = upstreamUrl;
    this.wss = new WebSocketServer({
      noServer: true,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
      // Pongs are sent by hand, so a blackholed flow does not answer pings.
      autoPong: false,
    });
  }

  /** Starts a front in `opts.mode` (default 'forward'). */
  static async start(opts: WsFrontOptions): Promise<WsFront> {
    const front = new WsFront(
      opts.port ?? (await freePort('tcp')),
      opts.upstreamUrl,
      opts.host ?? LAB_HOST,
    );
    await front.setMode(opts.mode ?? 'forward');
    return front;
  }

  /** Current mode. */
  get mode(): WsFrontMode {
    return this.currentMode;
  }

  /** Number of connected WebSocket clients. */
  get clientCount(): number {
    return this.clients.size;
  }

  /** Switches mode; resolves once the port is closed ('down') or listening again. */
  setMode(mode: WsFrontMode): Promise<void> {
    this.modeChange = this.modeChange.then(() => this.applyMode(mode));
    return this.modeChange;
  }

  private async applyMode(mode: WsFrontMode): Promise<void> {
    const previous = this.currentMode;
    this.currentMode = mode;
    if (mode === 'down') {
      this.dropClients();
      await this.closeServer();
      return;
    }
    if (mode === 'blackhole' || mode === 'stall') {
      for (const c of this.clients.values()) {
        c.blackholed = true;
      }
    } else if (mode === 'forward') {
      for (const c of this.clients.values()) {
        if (c.blackholed) {
          c.blackholed = false;
          this.connectUpstream(c);
        }
      }
    }
    if (previous === 'down' || this.server === undefined) {
      await this.listen();
    }
  }

  private async listen(): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      const server = createServer((req, res) => {
        this.httpCount++;
        res.writeHead(404, { 'Content-Type': 'text/plain', Connection: 'close' });
        res.end('not found\n');
      });
      server.on('connection', (socket) => this.track(socket));
      server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) =>
        this.onUpgrade(req, socket, head),
      );
      try {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(this.port, this.host, () => {
            server.removeListener('error', reject);
            resolve();
          });
        });
        this.server = server;
        return;
      } catch (error) {
        if (attempt >= 50) {
          throw error;
        }
        await delay(50);
      }
    }
  }

  private track(socket: Socket | Duplex): void {
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
  }

  private async closeServer(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) {
      return;
    }
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) {
      socket.destroy();
    }
    this.sockets.clear();
    await closed;
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.track(socket);
    if (this.currentMode === 'refuse') {
      this.refusedCount++;
      socket.end(
        'HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: 10\r\n\r\nforbidden\n',
      );
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => this.onClient(ws));
  }

  private onClient(ws: WebSocket): void {
    this.connectionCount++;
    const id = this.connectionCount;
    const client: Client = {
      id,
      ws,
      upstream: undefined,
      queue: [],
      blackholed: this.currentMode === 'blackhole',
    };
    this.clients.set(id, client);
    this.notify();
    if (!client.blackholed) {
      this.connectUpstream(client);
    }
    ws.on('error', () => undefined);
    ws.on('ping', (data) => {
      const frame: WsFrame = {
        dir: 'up',
        t: eventNow(),
        text: data.toString('utf8'),
        client: id,
        ping: true,
      };
      if (client.blackholed) {
        frame.dropped = true;
      }
      this.record(frame);
      if (!client.blackholed) {
        ws.pong(data);
      }
    });
    ws.on('message', (data, isBinary) => this.onClientFrame(client, data, isBinary));
    ws.on('close', () => {
      this.clients.delete(id);
      const upstream = client.upstream;
      if (upstream?.readyState === WebSocket.CONNECTING) {
        upstream.terminate();
      } else if (upstream?.readyState === WebSocket.OPEN) {
        upstream.close();
      }
      this.notify();
    });
  }

  /** Opens the client's upstream connection (once) and pipes Kamailio's frames to the client. */
  private connectUpstream(client: Client): void {
    if (client.upstream !== undefined) {
      return;
    }
    const { ws, id } = client;
    const upstream = new WebSocket(this.upstreamUrl, 'sip');
    client.upstream = upstream;
    upstream.on('open', () => {
      for (const item of client.queue) {
        upstream.send(item.data, { binary: item.isBinary });
      }
      client.queue = [];
    });
    upstream.on('message', (data, isBinary) => {
      const frame: WsFrame = { dir: 'down', t: eventNow(), text: rawToText(data), client: id };
      if (client.blackholed) {
        frame.dropped = true;
      }
      this.record(frame);
      if (!client.blackholed && ws.readyState === WebSocket.OPEN) {
        ws.send(data, { binary: isBinary });
      }
    });
    upstream.on('error', () => undefined);
    upstream.on('close', () => {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING) {
        ws.close(1001, 'upstream closed');
      }
    });
  }

  private onClientFrame(client: Client, data: WebSocket.RawData, isBinary: boolean): void {
    const text = rawToText(data);
    const callId = callIdOf(text);
    const swallow = callId !== '' && this.injectedCallIds.has(callId);
    const frame: WsFrame = { dir: 'up', t: eventNow(), text, client: client.id };
    if (swallow) {
      frame.swallowed = true;
    } else if (client.blackholed) {
      frame.dropped = true;
    }
    this.record(frame);
    const upstream = client.upstream;
    if (swallow || client.blackholed || upstream === undefined) {
      return;
    }
    if (upstream.readyState === WebSocket.OPEN) {
      upstream.send(data, { binary: isBinary });
    } else if (upstream.readyState === WebSocket.CONNECTING) {
      client.queue.push({ data, isBinary });
    }
  }

  private record(frame: WsFrame): void {
    this.#frameLog.push(frame);
  }

  private notify(): void {
    for (const l of [...this.listeners]) {
      l();
    }
  }

  /**
   * Sends `text` to the most recently connected client (or to all with `toAll`) as if it came
   * from the server. When `text` is a request, later client frames with its Call-ID (responses,
   * ACKs) are swallowed instead of forwarded. Returns the number of clients reached; throws when
   * no client is connected. A Buffer goes out as a binary frame, byte-exact (SIP over WebSocket
   * allows both, RFC 7118 §5); a string as a text frame.
   */
  inject(message: string | Buffer, opts: { toAll?: boolean } = {}): number {
    const text = typeof message === 'string' ? message : message.toString('latin1');
    const open = [...this.clients.values()].filter((c) => c.ws.readyState === WebSocket.OPEN);
    const last = open[open.length - 1];
    if (last === undefined) {
      throw new Error('WsFront.inject: no client connected');
    }
    if (!text.startsWith('SIP/2.0 ')) {
      const callId = callIdOf(text);
      if (callId !== '') {
        this.injectedCallIds.add(callId);
      }
    }
    const targets = opts.toAll === true ? open : [last];
    for (const c of targets) {
      this.record({ dir: 'down', t: eventNow(), text, client: c.id, injected: true });
      c.ws.send(message, { binary: typeof message !== 'string' });
    }
    return targets.length;
  }

  /**
   * Resolves with the first frame (index >= `fromIndex` in {@link frames}) matching `pred`,
   * waiting up to `timeoutMs` (default 10 s).
   */
  waitForFrame(pred: (f: WsFrame) => boolean, timeoutMs = 10_000, fromIndex = 0): Promise<WsFrame> {
    return this.#frameLog.waitFor(pred, timeoutMs, fromIndex);
  }

  /** Resolves once at least `n` clients (default 1) are connected. */
  waitForClients(n = 1, timeoutMs = 10_000): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (this.clients.size >= n) {
          cleanup();
          resolve();
        }
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`WsFront: fewer than ${n} clients after ${timeoutMs} ms`));
      }, timeoutMs);
      const cleanup = (): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  /** Destroys every client socket (no close handshake, like a network loss) and their upstreams. */
  dropClients(): void {
    for (const c of this.clients.values()) {
      c.ws.terminate();
      c.upstream?.terminate();
    }
    this.clients.clear();
    this.notify();
  }

  /** Closes everything. */
  async stop(): Promise<void> {
    await this.setMode('down');
    this.wss.close();
  }
}

/** Starts a {@link WsFront}. */
export function startWsFront(opts: WsFrontOptions): Promise<WsFront> {
  return WsFront.start(opts);
}
