// The JsSIP side of one call: the options JsSIP needs to create or answer a session, and the
// binding of a JsSIP RTCSession's loosely typed events to a call's typed handlers. Nothing
// here decides anything; PhoneCall (call.ts) owns the state machine.
import type { EndEvent, IceCandidateEvent, RTCSession } from 'jssip/lib/RTCSession';
import type { ReferRequest, ReplacesRequest } from './types';

/** JsSIP's options for creating a session (call, answer, accepting a REFER). */
export type SessionOptions = Parameters<RTCSession['answer']>[0] & {
  eventHandlers?: { peerconnection: (e: { peerconnection: RTCPeerConnection }) => void };
};

/** What the end of a session carried, reduced to plain data. */
export interface SessionEnd {
  originator: 'local' | 'remote' | 'system';
  /** JsSIP's cause string (JsSIP.C.causes). */
  cause: string;
  /** Final SIP status code, when the end came with a response. */
  code: number | null;
  /** A header of the final response or of the BYE/CANCEL, when there was one. */
  header(name: string): string | null;
}

/** What a call does with each event of its session. */
export interface SessionHandlers {
  /** JsSIP is about to create the offer or the answer (the peer connection exists). */
  connecting(): void;
  iceCandidate(event: IceCandidateEvent): void;
  /** The INVITE leaves. */
  sending(): void;
  /** A provisional response from the other side; `withBody` when it carried SDP. */
  progress(withBody: boolean): void;
  /** The browser refused the SDP of a provisional response (JsSIP then reports no progress). */
  earlyAnswerRefused(): void;
  accepted(): void;
  confirmed(): void;
  muteChanged(): void;
  holdChanged(byRemote: boolean, held: boolean): void;
  dtmf(tone: string): void;
  refer(request: ReferRequest): void;
  replaces(request: ReplacesRequest): void;
  ended(end: SessionEnd, established: boolean): void;
}

/** How every call's peer connection bundles and multiplexes (the warm-up's too). */
export const CALL_PEER_POLICIES = {
  // 'balanced', not 'max-bundle': many PBXs and media relays (rtpengine, Asterisk) answer a
  // single audio section without a BUNDLE group, which max-bundle refuses.
  bundlePolicy: 'balanced',
  rtcpMuxPolicy: 'require',
} as const satisfies RTCConfiguration;

/** The options of a session: our audio container, the ICE servers, session timers. */
export function sessionOptions(
  container: MediaStream,
  iceServers: RTCIceServer[],
  onPeerConnection: (pc: RTCPeerConnection) => void,
  sessionExpires: number | null,
): SessionOptions {
  return {
    mediaStream: container,
    pcConfig: { iceServers, ...CALL_PEER_POLICIES },
    eventHandlers: { peerconnection: (e) => onPeerConnection(e.peerconnection) },
    ...(sessionExpires ? { sessionTimersExpires: sessionExpires } : {}),
  };
}

/**
 * Binds `session`'s events to `handlers`. Events of a session that is no longer the call's
 * (`isCurrent` false: the call was placed again after a 422) are ignored where they would
 * change the call's state.
 */
export function bindSession(
  session: RTCSession,
  handlers: SessionHandlers,
  isCurrent: () => boolean,
): void {
  const remote = (originator: unknown): boolean => String(originator) === 'remote';
  session.on('connecting', () => isCurrent() && handlers.connecting());
  session.on('icecandidate', (e: IceCandidateEvent) => isCurrent() && handlers.iceCandidate(e));
  session.on('sending', () => handlers.sending());
  session.on('progress', (e: { originator: string; response?: { body?: string } }) => {
    if (isCurrent() && remote(e.originator)) {
      handlers.progress(Boolean(e.response?.body));
    }
  });
  session.on('peerconnection:setremotedescriptionfailed', () => {
    if (isCurrent() && !session.isEstablished() && !session.isEnded()) {
      handlers.earlyAnswerRefused();
    }
  });
  session.on('accepted', () => handlers.accepted());
  session.on('confirmed', () => handlers.confirmed());
  session.on('muted', () => handlers.muteChanged());
  session.on('unmuted', () => handlers.muteChanged());
  session.on('hold', (e: { originator: string }) =>
    handlers.holdChanged(remote(e.originator), true),
  );
  session.on('unhold', (e: { originator: string }) =>
    handlers.holdChanged(remote(e.originator), false),
  );
  session.on('newDTMF', (e: { originator: string; dtmf: { tone: string } }) => {
    if (remote(e.originator)) {
      handlers.dtmf(e.dtmf.tone);
    }
  });
  // JsSIP types these loosely (Function); the shapes are in types.ts.
  session.on('refer', (e) => handlers.refer(e as unknown as ReferRequest));
  session.on('replaces', (e) => handlers.replaces(e as unknown as ReplacesRequest));
  session.on('ended', (e: EndEvent) => isCurrent() && handlers.ended(sessionEnd(e), true));
  session.on('failed', (e: EndEvent) => isCurrent() && handlers.ended(sessionEnd(e), false));
}

/** Reads JsSIP's end event into plain data. */
export function sessionEnd(event: EndEvent): SessionEnd {
  const message = event.message as {
    status_code?: unknown;
    getHeader?: (n: string) => unknown;
  } | null;
  return {
    originator: event.originator,
    cause: String(event.cause),
    code: typeof message?.status_code === 'number' ? message.status_code : null,
    header: (name) => {
      const value = typeof message?.getHeader === 'function' ? message.getHeader(name) : null;
      return typeof value === 'string' ? value : null;
    },
  };
}
