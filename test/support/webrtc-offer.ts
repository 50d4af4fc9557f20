// SDP fixtures shaped like Chromium's WebRTC audio offer, for lab tests that send an offer (or a
// re-offer, or an answer to the app's offer) by hand.

/** Payload types on the m= line and their rtpmap/fmtp lines. */
export interface OfferPayloads {
  types: string;
  rtpmaps: string[];
}

/** Options for {@link webrtcOffer}. */
export interface WebrtcOfferOptions {
  /**
   * Media port of the host candidate. Without it the offer is what Chromium writes before ICE
   * gathering (port 9, c=0.0.0.0); with it, c= and the candidate use 127.0.0.1:port.
   */
  port?: number;
  /** Add telephone-event at 48000 (PT 110) and 8000 (PT 126), as Chromium offers. */
  telephoneEvents?: boolean;
  /** Payload types and their rtpmaps instead of Chromium's (overrides `telephoneEvents`). */
  payloads?: OfferPayloads;
  /** o= session version (a re-offer increments it; default 2). */
  version?: number;
  /** Media direction (default sendrecv). */
  direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  /** DTLS role: actpass in an offer (default); an answer takes active or passive. */
  setup?: 'actpass' | 'active' | 'passive';
}

const TELEPHONE_EVENTS = [
  'a=rtpmap:110 telephone-event/48000',
  'a=rtpmap:126 telephone-event/8000',
];

function chromiumPayloads(telephoneEvents: boolean): OfferPayloads {
  return {
    types: `111 0 8${telephoneEvents ? ' 110 126' : ''}`,
    rtpmaps: [
      'a=rtpmap:111 opus/48000/2',
      'a=fmtp:111 minptime=10;useinbandfec=1',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:8 PCMA/8000',
      ...(telephoneEvents ? TELEPHONE_EVENTS : []),
    ],
  };
}

/**
 * A WebRTC audio offer: opus/111, PCMU, PCMA over UDP/TLS/RTP/SAVPF with ICE, DTLS (actpass) and
 * rtcp-mux; its ICE credentials and fingerprint never change, so a re-offer continues the session.
 */
export function webrtcOffer(opts: WebrtcOfferOptions = {}): string {
  const fingerprint = Array.from({ length: 32 }, (_, i) =>
    (i * 7 + 16).toString(16).padStart(2, '0'),
  )
    .join(':')
    .toUpperCase();
  const port = opts.port ?? 9;
  const address = opts.port === undefined ? '0.0.0.0' : '127.0.0.1';
  const payloads = opts.payloads ?? chromiumPayloads(opts.telephoneEvents === true);
  return [
    'v=0',
    `o=- 4611731400430051336 ${opts.version ?? 2} IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    'a=msid-semantic: WMS',
    `m=audio ${port} UDP/TLS/RTP/SAVPF ${payloads.types}`,
    `c=IN IP4 ${address}`,
    ...(opts.port === undefined ? ['a=rtcp:9 IN IP4 0.0.0.0'] : []),
    'a=ice-ufrag:lbXf',
    'a=ice-pwd:q0dVf3xQdQ6Kp7rBJbS4jXy1',
    'a=ice-options:trickle',
    `a=fingerprint:sha-256 ${fingerprint}`,
    `a=setup:${opts.setup ?? 'actpass'}`,
    'a=mid:0',
    `a=${opts.direction ?? 'sendrecv'}`,
    'a=rtcp-mux',
    ...payloads.rtpmaps,
    `a=candidate:1 1 udp 2122260223 127.0.0.1 ${port} typ host generation 0`,
    '',
  ].join('\r\n');
}
