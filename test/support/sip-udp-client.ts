// Raw SIP-over-UDP client for lab tests: a SipClient on its own loopback UDP socket, talking to one server address.
import { createSocket, type Socket } from 'node:dgram';
import { SipClient } from './sip-client';

/** Options for {@link SipUdpClient.listen}. */
export interface SipUdpClientOptions {
  /** Server (e.g. the lab Kamailio) every request and response is sent to. */
  serverHost: string;
  serverPort: number;
  /** Local address to bind (default 127.0.0.1). */
  localHost?: string;
  /** Local port (default: any free one). */
  localPort?: number;
  /** Default From AOR until {@link SipClient.register} sets it. */
  aor?: string;
}

/**
 * A raw SIP UA on one UDP socket. Requests and responses always go to the configured server (an
 * outbound proxy, like a phone with an outbound proxy set); requests the server relays to the
 * client's Contact arrive on the same socket. No retransmissions: loopback does not lose datagrams.
 */
export class SipUdpClient extends SipClient {
  readonly viaHost: string;
  protected readonly viaTransport = 'UDP';
  /** Local address and port. */
  readonly localHost: string;
  readonly localPort: number;
  private closed = false;

  private constructor(
    private readonly socket: Socket,
    private readonly opts: SipUdpClientOptions,
  ) {
    super(opts.aor ?? 'sip:anonymous@anonymous.invalid');
    const address = socket.address();
    this.localHost = address.address;
    this.localPort = address.port;
    this.viaHost = `${this.localHost}:${this.localPort}`;
    socket.on('message', (msg) => {
      const text = msg.toString('utf8');
      // RFC 5626 keep-alive pongs and stray CRLFs are not SIP messages.
      if (text.trim() !== '') {
        this.receive(text);
      }
    });
  }

  /** Binds a UDP socket and resolves with the client. */
  static listen(opts: SipUdpClientOptions): Promise<SipUdpClient> {
    return new Promise<SipUdpClient>((resolve, reject) => {
      const socket = createSocket('udp4');
      socket.once('error', reject);
      socket.bind(opts.localPort ?? 0, opts.localHost ?? '127.0.0.1', () => {
        socket.removeListener('error', reject);
        socket.on('error', () => undefined);
        resolve(new SipUdpClient(socket, opts));
      });
    });
  }

  /** True until {@link close}. */
  get open(): boolean {
    return !this.closed;
  }

  /** Sends one datagram to the server. */
  send(text: string): void {
    if (this.closed) {
      throw new Error('SipUdpClient: closed');
    }
    this.socket.send(text, this.opts.serverPort, this.opts.serverHost);
  }

  /** `sip:user@host:port` of this socket. */
  contactUri(user: string): string {
    return `sip:${user}@${this.viaHost}`;
  }

  /** Closes the socket. */
  close(): Promise<void> {
    if (this.closed) {
      return Promise.resolve();
    }
    this.closed = true;
    return new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
