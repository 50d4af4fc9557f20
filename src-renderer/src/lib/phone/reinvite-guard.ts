// A new offer from the far end (re-INVITE or UPDATE) that the browser cannot apply must leave
// the call as it was. JsSIP 3.13 answers `500 JsSIP Internal Error` when the answer cannot be
// created or set, and leaves the peer connection in have-remote-offer and its own `_rtcReady`
// false: the call shows active, and the next hold ends it with BYE "Hold Failed". Seen with
// Linphone, which reuses payload type 96 (earlier Opus) for telephone-event in a re-INVITE.
// Chromium (156, checked) takes such an offer, creates an answer, then fails to set it, and after
// that failure even a rollback fails (session error): the old media keeps flowing, but no new
// offer can ever be made on that connection.
//
// So, in order:
// 1. Before JsSIP applies an offer, a payload type whose codec differs from what it meant so far
//    in this call (RFC 3264 §8.3.2: the mapping must not change within a session) is refused at
//    once with 488 and a Warning naming it; nothing is applied, the call is as it was.
// 2. Any other final error JsSIP gives to such a request goes out as 488 Not Acceptable Here
//    (RFC 3261 §14.2; the far end keeps the old session, §14.1) after the connection is rolled
//    back; the remote-hold flag JsSIP may have flipped is put back.
// 3. The call is told, with whether the connection got back to its last negotiated state (when
//    it did not, the call can no longer be held or resumed), so it can tell the user.
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

/** JsSIP's 'reinvite' / 'update' event data. */
interface OfferEvent {
  request: OfferRequest;
  reject(options: { status_code: number; reason_phrase?: string; extraHeaders?: string[] }): void;
}

/** What became of a refused offer. */
export interface RefusedOffer {
  /** The connection is back to its last negotiated state (false: it cannot make offers any more). */
  recovered: boolean;
}

/** The Warning a refused offer carries (RFC 3261 §20.43, 305 Incompatible media format). */
export function refusedOfferWarning(text = 'Incompatible media format'): string {
  return `Warning: 305 open-softphone "${text.replace(/["\\]/g, '')}"`;
}

/**
 * Watches `session` for offers from the far end; `onRefused` runs after one was refused (and
 * the call put back as it was, when the connection allowed it).
 */
export function guardRemoteOffers(
  session: RTCSession,
  onRefused: (refused: RefusedOffer) => void,
): void {
  const watch = (data: OfferEvent): void => {
    const pc = session.connection as RTCPeerConnection | null | undefined;
    const conflict = payloadTypeConflict(data.request.body ?? '', [
      pc?.remoteDescription?.sdp,
      pc?.localDescription?.sdp,
    ]);
    if (conflict) {
      log.warn(`refused a new offer from the other side: ${conflict}`);
      data.reject({
        status_code: 488,
        reason_phrase: 'Not Acceptable Here',
        extraHeaders: [refusedOfferWarning(conflict)],
      });
      onRefused({ recovered: true });
      return;
    }
    guardOne(session, data.request, onRefused);
  };
  session.on('reinvite', watch as never);
  session.on('update', watch as never);
}

function guardOne(
  session: RTCSession,
  request: OfferRequest,
  onRefused: (refused: RefusedOffer) => void,
): void {
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
    void restore(session, heldBefore).then((recovered) => {
      log.warn(`refused a new offer from the other side (JsSIP said ${code})`);
      original(488, 'Not Acceptable Here', [refusedOfferWarning()]);
      onRefused({ recovered });
    });
  };
}

// Back to the last negotiated state: the connection, JsSIP's readiness and the remote-hold
// flag. False when the browser could not roll the connection back.
async function restore(session: RTCSession, heldBefore: boolean): Promise<boolean> {
  const pc = session.connection as RTCPeerConnection | null | undefined;
  await rollBackOffer(pc);
  setHold(session, 'remote', heldBefore);
  const state = pc?.signalingState;
  if (state === 'have-remote-offer' || state === 'have-local-offer') {
    return false;
  }
  markRtcReady(session);
  return true;
}

/** An SDP media section's payload types, each with its codec ('opus/48000/2'), in order. */
function audioPayloads(sdp: string): Map<string, string> {
  const section = /^m=audio [^\r\n]*(?:\r?\n(?!m=)[^\r\n]*)*/m.exec(sdp)?.[0] ?? '';
  const pts = (/^m=audio \S+ \S+ ([^\r\n]*)/.exec(section)?.[1]?.trim().split(/\s+/) ?? []).filter(
    (pt) => /^\d{1,3}$/.test(pt),
  );
  const payloads = new Map<string, string>();
  for (const pt of pts) {
    const rtpmap = new RegExp(`^a=rtpmap:${pt} ([^/\\s]+)/(\\d+)(?:/(\\d+))?`, 'm').exec(section);
    const codec = rtpmap
      ? `${(rtpmap[1] ?? '').toLowerCase()}/${rtpmap[2] ?? ''}/${rtpmap[3] ?? '1'}`
      : STATIC_PAYLOADS[pt];
    if (codec) {
      payloads.set(pt, codec);
    }
  }
  return payloads;
}

/** RFC 3551 static payload types an audio section may use without an rtpmap. */
const STATIC_PAYLOADS: Record<string, string> = {
  '0': 'pcmu/8000/1',
  '3': 'gsm/8000/1',
  '8': 'pcma/8000/1',
  '9': 'g722/8000/1',
  '18': 'g729/8000/1',
};

/**
 * The first payload type of `offer` that names another codec than in the session's current
 * descriptions, as a sentence for the Warning; null when none does.
 */
export function payloadTypeConflict(
  offer: string,
  current: readonly (string | undefined)[],
): string | null {
  const wanted = audioPayloads(offer);
  for (const sdp of current) {
    if (!sdp) {
      continue;
    }
    for (const [pt, codec] of audioPayloads(sdp)) {
      const now = wanted.get(pt);
      if (now !== undefined && now !== codec) {
        return `payload type ${pt} changed from ${codec} to ${now}`;
      }
    }
  }
  return null;
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

/**
 * Inbound audio packets received so far on `pc`; null when its statistics claim nothing. Asks
 * for the audio receiver's statistics only (a selector): cheaper than the whole report, which
 * the quality monitor already reads each second while the call view shows it.
 */
export async function inboundPackets(pc: RTCPeerConnection): Promise<number | null> {
  if (pc.signalingState === 'closed') {
    return null;
  }
  try {
    let total: number | null = null;
    const audio = pc.getReceivers().find((r) => r.track.kind === 'audio')?.track ?? null;
    (await pc.getStats(audio)).forEach(
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
