// SDP offers for raw SIP clients in lab tests: one shaped like Chromium's (DTLS fingerprint,
// ICE, opus, G.711, telephone-event at 48 and 8 kHz), which a real Chromium or rtpengine takes.

/** What an offer may change: its version, payload types and their rtpmaps, direction. */
export interface OfferShape {
  /** o= session version (a re-offer increments it). */
  version?: number;
  /** Payload types on the m= line and their rtpmap lines (default Chromium's). */
  payloads?: { types: string; rtpmaps: string[] };
  direction?: 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
  /** DTLS role: actpass in an offer (default); an answer takes active or passive. */
  setup?: 'actpass' | 'active' | 'passive';
}

const CHROMIUM_PAYLOADS = {
  types: '111 0 8 110 126',
  rtpmaps: [
    'a=rtpmap:111 opus/48000/2',
    'a=fmtp:111 minptime=10;useinbandfec=1',
    'a=rtpmap:0 PCMU/8000',
    'a=rtpmap:8 PCMA/8000',
    'a=rtpmap:110 telephone-event/48000',
    'a=rtpmap:126 telephone-event/8000',
  ],
};

/**
 * An offer shaped like Chromium's: opus/111, PCMU, PCMA, telephone-event at 48000 (110) and 8000
 * (126); with `setup` active or passive, an answer to such an offer.
 */
export function chromiumLikeOffer(shape: OfferShape = {}): string {
  const fingerprint = Array.from({ length: 32 }, (_, i) =>
    ((i * 11 + 3) % 256).toString(16).padStart(2, '0'),
  )
    .join(':')
    .toUpperCase();
  const payloads = shape.payloads ?? CHROMIUM_PAYLOADS;
  return [
    'v=0',
    `o=- 5611731400430051336 ${shape.version ?? 2} IN IP4 127.0.0.1`,
    's=-',
    't=0 0',
    'a=group:BUNDLE 0',
    `m=audio 40400 UDP/TLS/RTP/SAVPF ${payloads.types}`,
    'c=IN IP4 127.0.0.1',
    'a=ice-ufrag:Lb7f',
    'a=ice-pwd:q0dVf3xQdQ6Kp7rBJbS4jXy2',
    `a=fingerprint:sha-256 ${fingerprint}`,
    `a=setup:${shape.setup ?? 'actpass'}`,
    'a=mid:0',
    `a=${shape.direction ?? 'sendrecv'}`,
    'a=rtcp-mux',
    ...payloads.rtpmaps,
    'a=candidate:1 1 udp 2122260223 127.0.0.1 40400 typ host generation 0',
    '',
  ].join('\r\n');
}
