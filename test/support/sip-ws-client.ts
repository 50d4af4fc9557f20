// Raw SIP-over-WebSocket client for lab tests: a SipClient over one WebSocket connection (subprotocol `sip`).
import WebSocket from 'ws';
import { SipClient, sipToken } from './sip-client';

export * from './sip-client';

/** Converts a `ws` message payload to a UTF-8 string. */
export function rawDataToText(data: WebSocket.RawData): string {
  if (Array.isArray(data)) {
    return Buffer.concat(data).toString('utf8');
  }
  return Buffer.isBuffer(data) ? data.toString('utf8') : Buffer.from(data).toString('utf8');
}

/**
 * A raw SIP UA over one WebSocket connection (subprotocol `sip`). Every received message is kept
 * in {@link SipClient.received}; responses are matched to requests by Call-ID + CSeq.
 */
export class SipWsClient extends SipClient {
  /** Host used in Via/Contact, like JsSIP's random `.invalid` host. */
  readonly viaHost = `${sipToken(5)}.invalid`;
  protected readonly viaTransport = 'WS';

  private constructor(
    readonly ws: WebSocket,
    aor: string,
  ) {
    super(aor);
    ws.on('message', (data) => this.receive(rawDataToText(data)));
  }

  /** Opens a WebSocket (subprotocol `sip`) and resolves once it is open; rejects on error or non-101 reply. */
  static connect(
    url: string,
    opts: { aor?: string; timeoutMs?: number } = {},
  ): Promise<SipWsClient> {
    return new Promise<SipWsClient>((resolve, reject) => {
      const ws = new WebSocket(url, 'sip', { handshakeTimeout: opts.timeoutMs ?? 5000 });
      ws.once('open', () => {
        ws.removeAllListeners('error');
        ws.on('error', () => undefined);
        resolve(new SipWsClient(ws, opts.aor ?? 'sip:anonymous@anonymous.invalid'));
      });
      ws.once('error', (error) => reject(error));
      ws.once('unexpected-response', (_req, res) => {
        ws.terminate();
        reject(new Error(`unexpected-response ${res.statusCode ?? '?'}`));
      });
    });
  }

  /** True while the WebSocket is open. */
  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Sends a raw text frame. */
  send(text: string): void {
    this.ws.send(text);
  }

  /** Sends a binary frame (a SIP message whose body is not UTF-8). */
  override sendBytes(bytes: Uint8Array): void {
    this.ws.send(bytes, { binary: true });
  }

  /** Resolves when the server closes the connection. */
  closed(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.ws.once('close', () => resolve()));
  }

  /** `sip:user@<random>.invalid;transport=ws`, what JsSIP registers. */
  contactUri(user: string): string {
    return `sip:${user}@${this.viaHost};transport=ws`;
  }

  /** Closes the WebSocket and resolves once closed. */
  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.ws.terminate();
        resolve();
      }, 1000);
      this.ws.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      this.ws.close();
    });
  }
}
