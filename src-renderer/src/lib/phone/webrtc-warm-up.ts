// The browser starts its WebRTC stack with the first peer connection a page makes: the factory
// and its threads (11–16 ms of the main thread in Chromium 156 here), then the first offer
// (4–7 ms, against 2–5 for the next ones). Without a warm-up that start falls on the first
// call: its click before the INVITE, or its ring (the answer is prepared while it rings). Made
// once the phone has registered and the page is idle, a connection with one audio section
// makes an offer and is closed at once, so that start is behind the phone before any call.
// It never applies the offer: no local description means no candidate gathered, no socket
// opened, no mDNS name registered, nothing sent anywhere. It is also relay-only with no relay
// configured, so even applied it could gather nothing (and tests tell it from a call's by that).

import { CALL_PEER_POLICIES } from './call-session';

/** The part of RTCPeerConnection the warm-up uses (a fake in unit tests). */
export interface WarmablePeer {
  addTransceiver(kind: 'audio', init: RTCRtpTransceiverInit): unknown;
  createOffer(): Promise<unknown>;
  close(): void;
}

/** The warm-up connection's configuration: a call's (call-session.ts), relay-only, no server. */
export const WARM_UP_CONFIG: RTCConfiguration = {
  ...CALL_PEER_POLICIES,
  iceTransportPolicy: 'relay',
  iceServers: [],
};

function browserPeer(): WarmablePeer | null {
  if (typeof RTCPeerConnection !== 'function') {
    return null;
  }
  return new RTCPeerConnection(WARM_UP_CONFIG);
}

/**
 * Starts the WebRTC stack ahead of the first call. Resolves once the warm-up connection is
 * closed; never rejects (a browser that refuses is warmed by the first call instead).
 */
export async function warmUpWebRtc(create: () => WarmablePeer | null = browserPeer): Promise<void> {
  let peer: WarmablePeer | null = null;
  try {
    peer = create();
    if (!peer) {
      return;
    }
    peer.addTransceiver('audio', { direction: 'sendrecv' });
    await peer.createOffer();
  } catch {
    // Nothing to do: the first call starts the stack as it would have.
  } finally {
    peer?.close();
  }
}
