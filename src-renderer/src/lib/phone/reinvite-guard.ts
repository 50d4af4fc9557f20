// A new offer from the far end (re-INVITE or UPDATE) that the browser cannot apply must leave
// the call as it was. JsSIP 3.13 answers `500 JsSIP Internal Error` when the answer cannot be
// created or set, and leaves the peer connection in have-remote-offer and its own `_rtcReady`
// false: the call shows active with the old audio possibly gone, and the next hold ends it with
// BYE "Hold Failed". Seen with Linphone, which reuses payload type 96 (earlier Opus) for
// telephone-event in a re-INVITE; Chromium refuses the remapping.
//
// Here every final error JsSIP gives to such a request goes out as 488 Not Acceptable Here
// (RFC 3261 §14.2: the offer is refused, the session stays as it was, §14.1 for the far end)
// once the peer connection is rolled back to its last stable state; the remote-hold flag that
// JsSIP may have flipped meanwhile is put back, and the call is told so it can watch the audio.
import type { RTCSession } from 'jssip/lib/RTCSession';
import { createLogger } from '../logger';
import { isRemoteHold, markRtcReady, setHold } from './jssip-internals';

const log = createLogger('reinvite');

type Reply = (
  code: number,
  reason?: string | null,
  extraHeaders?: string[],
  body?: string,
  onSuccess?: () => void,
  onFailure?: () => void,
) => void;

interface OfferRequest {
  body?: string | null;
  reply: Reply;
}

/** The Warning a refused offer carries (RFC 3261 §20.43, 305 Incompatible media format). */
export const REFUSED_OFFER_WARNING = 'Warning: 305 open-softphone "Incompatible media format"';

/**
 * Watches `session` for offers from the far end; `onRefused` runs after one was refused and the
 * call put back as it was.
 */
export function guardRemoteOffers(session: RTCSession, onRefused: () => void): void {
  const watch = (data: { request: OfferRequest }): void => {
    guardOne(session, data.request, onRefused);
  };
  session.on('reinvite', watch as never);
  session.on('update', watch as never);
}

function guardOne(session: RTCSession, request: OfferRequest, onRefused: () => void): void {
  const original = request.reply.bind(request);
  const heldBefore = isRemoteHold(session);
  let answered = false;
  request.reply = (code, reason, extraHeaders, body, onSuccess, onFailure) => {
    if (answered) {
      // After its own failure JsSIP goes on to "send the answer" with no SDP: never twice.
      return;
    }
    answered = code >= 200;
    if (code < 300 || code === 415 || code === 491) {
      original(code, reason, extraHeaders, body, onSuccess, onFailure);
      return;
    }
    void restore(session, heldBefore).then(() => {
      log.warn(
        `refused a new offer from the other side (JsSIP said ${code}); kept the call as it was`,
      );
      original(488, 'Not Acceptable Here', [REFUSED_OFFER_WARNING]);
      onRefused();
    });
  };
}

// Back to the last negotiated state: the connection, JsSIP's readiness and the remote-hold flag.
async function restore(session: RTCSession, heldBefore: boolean): Promise<void> {
  await rollBackOffer(session.connection);
  markRtcReady(session);
  setHold(session, 'remote', heldBefore);
}

/**
 * Takes back a pending offer (ours or theirs) so the connection is back to its last stable
 * description; the rollback is done on the side the pending offer is on, as the spec requires.
 */
export async function rollBackOffer(pc: RTCPeerConnection | null | undefined): Promise<void> {
  const state = pc?.signalingState;
  if (!pc || (state !== 'have-remote-offer' && state !== 'have-local-offer')) {
    return;
  }
  const rollback = { type: 'rollback' } as const;
  try {
    await (state === 'have-remote-offer'
      ? pc.setRemoteDescription(rollback)
      : pc.setLocalDescription(rollback));
  } catch (error: unknown) {
    log.warn(`rollback failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** How long the audio is watched after a refused offer before the user is told it stopped. */
export const AUDIO_WATCH_MS = 4000;

/**
 * Whether audio still arrives on `pc`: the packets received grow over `ms`. Null when the
 * connection gives no inbound audio statistics (then nothing is claimed).
 */
export async function audioStillFlows(pc: RTCPeerConnection, ms: number): Promise<boolean | null> {
  const before = await inboundPackets(pc);
  await new Promise((resolve) => setTimeout(resolve, ms));
  const after = await inboundPackets(pc);
  return before === null || after === null ? null : after > before;
}

async function inboundPackets(pc: RTCPeerConnection): Promise<number | null> {
  if (pc.signalingState === 'closed') {
    return null;
  }
  try {
    let total: number | null = null;
    (await pc.getStats()).forEach(
      (entry: { type?: string; kind?: string; packetsReceived?: unknown }) => {
        if (
          entry.type === 'inbound-rtp' &&
          entry.kind === 'audio' &&
          typeof entry.packetsReceived === 'number'
        ) {
          total = (total ?? 0) + entry.packetsReceived;
        }
      },
    );
    return total;
  } catch {
    return null;
  }
}
