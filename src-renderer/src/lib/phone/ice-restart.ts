// ICE restarts of an established call: our recovery offer (call-recovery.ts) and our answer to
// a far end's offer that restarts ICE. Both need the candidates of a NEW gathering round, which
// JsSIP 3.13.8 does not reliably wait for (`RTCSession._createLocalDescription`):
// - it answers at once when `iceGatheringState` reads 'complete' unless its own constraints ask
//   for an ICE restart; when the far end's offer restarts ICE, the browser starts gathering
//   again only after setLocalDescription (Chromium flips the state a task later), so the answer
//   went out with the old, finished state: no candidate at all (`c=IN IP4 0.0.0.0`);
// - it also resolves at once when the state reads 'gathering' while its `_iceReady` flag is still
//   set from an earlier round (our gathering policy ends rounds before the browser does);
// - when the previous round still gathers at the restart, Chromium reports that round's end
//   (state 'complete', a null candidate) after the restart's setLocalDescription, and JsSIP
//   takes it for the end of the new round: an offer without any candidate.
// `watchIceRestarts` wraps that one private method: an answer to an ICE-restarting offer is made
// with the `iceRestart` flag (JsSIP then waits for gathering, as for its own restart offers),
// `_iceReady` is cleared for every restart, a restart waits (within the cap) for a running round
// to end, and the call is told, so that it starts a fresh gathering round (ice-policy.ts) that
// ends the wait within its cap. An ordinary re-offer (hold, resume, a session refresh: same ICE
// credentials) is left alone: no gathering follows it.
// A restart round waits for a candidate the far end can reach (UDP, not loopback, not
// link-local) when the call had one before: right after an address change the browser may list
// 127.0.0.1 first, and an offer sent on it alone cannot be reached by the far end. A host whose
// only address is loopback (the lab's app ↔ rtpengine calls may be such) never waits for one.
// Chromium (156) on Linux learns of a changed address only ~2 s later (measured: the new host
// candidate of the running round appears 2.0 s after the change); until then its list still
// holds the removed address, on which it offers a TCP candidate (`tcptype active`, port 9: it
// binds nothing until it connects) but no UDP one. `onRoutableCandidate` reports the candidate
// that arrives then, so that the recovery can offer it at once.
import type { RTCSession } from 'jssip/lib/RTCSession';

/** Which local description of an ICE restart is being made. */
export type IceRestartKind = 'offer' | 'answer';

interface LocalDescriptionInternals {
  _connection: RTCPeerConnection | null;
  _iceReady: boolean;
  _createLocalDescription(
    type: 'offer' | 'answer',
    constraints?: (RTCOfferOptions & RTCAnswerOptions) | null,
  ): Promise<string>;
}

/** JsSIP's 'sdp' event: an SDP about to be sent or just received. */
interface SdpEvent {
  originator: 'local' | 'remote';
  type: 'offer' | 'answer';
  sdp: string;
}

interface SdpEmitter {
  on(event: 'sdp', listener: (e: SdpEvent) => void): unknown;
  removeListener(event: 'sdp', listener: (e: SdpEvent) => void): unknown;
}

// candidate:<foundation> <component> <transport> <priority> <address> <port> typ …
const CANDIDATE = /^(?:a=)?candidate:\S+ \d+ (\S+) \d+ (\S+) \d+ typ /i;

/** The address of an ICE candidate line (`candidate:…` or `a=candidate:…`), or null. */
export function candidateAddress(line: string): string | null {
  return CANDIDATE.exec(line.trim())?.[2] ?? null;
}

/**
 * Whether the far end can reach an ICE candidate from beyond this machine: a UDP candidate whose
 * address is not loopback (127.0.0.0/8, ::1) and not link-local (169.254.0.0/16, fe80::/10). An
 * mDNS name (`….local`) counts (it stands for a LAN address). TCP candidates do not: the browser
 * lists them on addresses it has lost (see the header).
 */
export function isRoutableCandidate(line: string): boolean {
  const m = CANDIDATE.exec(line.trim());
  if (m?.[1]?.toLowerCase() !== 'udp') {
    return false;
  }
  return !/^(?:127\.|169\.254\.|::1$|fe[89ab][0-9a-f]:)/i.test(m[2] ?? '');
}

/** Whether an SDP carries a routable candidate (see {@link isRoutableCandidate}). */
export function hasRoutableCandidate(sdp: string | null | undefined): boolean {
  return (sdp ?? '')
    .split(/\r?\n/)
    .some((l) => l.startsWith('a=candidate:') && isRoutableCandidate(l));
}

/** The ICE credentials (ufrag and pwd lines, in order) an SDP carries. */
function iceCredentials(sdp: string | undefined): string {
  return (sdp ?? '')
    .split(/\r?\n/)
    .filter((l) => /^a=ice-(?:ufrag|pwd):/.test(l))
    .join('\n');
}

/**
 * Whether the far end's offer being answered restarts ICE (RFC 8839 §4.4.1.1.1: new ufrag and
 * pwd): the pending remote offer's credentials differ from the last negotiated ones. False for
 * an initial offer (nothing negotiated yet) and when no offer is pending.
 */
export function offerRestartsIce(pc: {
  readonly currentRemoteDescription: RTCSessionDescriptionInit | null;
  readonly pendingRemoteDescription: RTCSessionDescriptionInit | null;
}): boolean {
  const current = pc.currentRemoteDescription;
  const pending = pc.pendingRemoteDescription;
  if (!current || !pending || pending.type !== 'offer') {
    return false;
  }
  return iceCredentials(pending.sdp) !== iceCredentials(current.sdp);
}

/** Peer connections that carried a routable candidate in a local description. */
const routable = new WeakSet<object>();

/**
 * Whether a restart of this peer connection should wait for a routable candidate: one of its
 * local descriptions carried one (remembered, so that a restart made after an offer that went
 * out on loopback alone still waits).
 */
export function routableExpected(pc: Pick<RTCPeerConnection, 'localDescription'>): boolean {
  if (hasRoutableCandidate(pc.localDescription?.sdp)) {
    routable.add(pc);
  }
  return routable.has(pc);
}

/**
 * Makes `session` wait for a new gathering round whenever it makes the local description of an
 * ICE restart (see the header), and calls `onRestart` right before, while the browser has not
 * gathered any candidate of the round yet. A restart made while the previous round still
 * gathers first waits for that round to end, at most `gatheringCapMs`: Chromium reports the end
 * of the old round (state 'complete', a null candidate) after the restart's setLocalDescription,
 * and JsSIP would take it for the end of the new one (an offer without any candidate).
 */
export function watchIceRestarts(
  session: RTCSession,
  gatheringCapMs: number,
  onRestart: (kind: IceRestartKind, pc: RTCPeerConnection) => void,
): void {
  const s = session as unknown as LocalDescriptionInternals;
  const original = s._createLocalDescription.bind(session);
  s._createLocalDescription = (type, constraints) => {
    const pc = s._connection;
    const restart =
      pc !== null && (type === 'offer' ? constraints?.iceRestart === true : offerRestartsIce(pc));
    if (!restart) {
      return original(type, constraints);
    }
    return gatheringEnded(pc, gatheringCapMs).then(() => {
      routableExpected(pc); // remembers the last negotiated candidates before they are replaced
      s._iceReady = false;
      onRestart(type, pc);
      return original(type, { ...constraints, iceRestart: true });
    });
  };
}

/** Resolves once `pc` is not gathering (at once when it is not), or after `boundMs`. */
function gatheringEnded(pc: RTCPeerConnection, boundMs: number): Promise<void> {
  if (pc.iceGatheringState !== 'gathering') {
    return Promise.resolve();
  }
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', onChange);
      resolve();
    };
    const onChange = (): void => {
      if (pc.iceGatheringState !== 'gathering') {
        done();
      }
    };
    const timer = setTimeout(done, boundMs);
    pc.addEventListener('icegatheringstatechange', onChange);
  });
}

/**
 * Records the next offer `session` sends (JsSIP's 'sdp' event, local offer: the SDP as it goes
 * out, not the local description, which gathers on). The returned function gives it (null when
 * none was sent) and stops listening.
 */
export function captureLocalOffer(session: RTCSession): () => string | null {
  // JsSIP's typings leave out the EventEmitter methods it inherits.
  const emitter = session as unknown as SdpEmitter;
  let offer: string | null = null;
  const listener = (e: SdpEvent): void => {
    if (offer === null && e.originator === 'local' && e.type === 'offer') {
      offer = e.sdp;
    }
  };
  emitter.on('sdp', listener);
  return () => {
    emitter.removeListener('sdp', listener);
    return offer;
  };
}

/**
 * Calls `found` once, for the first routable candidate (see {@link isRoutableCandidate}) the
 * peer connection gathers from now on (Chromium gathers again on the running round when it
 * learns of a new address). Returns the function that stops listening.
 */
export function onRoutableCandidate(
  pc: Pick<RTCPeerConnection, 'addEventListener' | 'removeEventListener'>,
  found: () => void,
): () => void {
  const listener = (e: RTCPeerConnectionIceEvent): void => {
    if (e.candidate && isRoutableCandidate(e.candidate.candidate)) {
      pc.removeEventListener('icecandidate', listener);
      found();
    }
  };
  pc.addEventListener('icecandidate', listener);
  return () => pc.removeEventListener('icecandidate', listener);
}
