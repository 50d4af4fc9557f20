// The answer of an incoming call, prepared while it rings. JsSIP 3.13.8 does all of its work
// after the user clicks Answer (RTCSession.answer): it creates the peer connection, applies
// the caller's offer, creates the answer, applies it and gathers candidates, and only then
// sends the 200 OK, ~40 ms on an idle machine, longer while the page renders the call view on
// the same thread. None of the first three steps sends anything to the caller, so they are
// done while the call rings, once its view has been painted:
// - the peer connection, made by JsSIP's own `_createRTCConnection` (its 'peerconnection'
//   event and ICE-failure handler as usual), with a pool of one candidate set
//   (`iceCandidatePoolSize`): the browser gathers our own candidates ahead (host ones; a
//   STUN or TURN server of ours is asked, never the caller);
// - the caller's offer applied, the audio section made sendrecv (`prepareSender`) and the
//   answer created, but NOT applied. Applying the local answer is what starts ICE checks to
//   the caller's candidates (and DTLS and media after them), so it stays behind the click:
//   nothing reaches the caller before the user answers.
// When the user answers, JsSIP's `answer()` runs as always, but finds the work done: its
// `_createRTCConnection` keeps the prepared connection, `setRemoteDescription` with the same
// offer returns the prepared step, and `createAnswer` returns the answer made ahead, once.
// What differs (an offer changed meanwhile, a step that failed ahead) falls through to the
// browser's own methods, so JsSIP reports any failure as it did (488, 500). A call that ends
// while it rings is closed by JsSIP (`_close` closes `_connection`), prepared or not.
import type { RTCSession } from 'jssip/lib/RTCSession';

/** JsSIP's RTCSession.C.STATUS_WAITING_FOR_ANSWER: an incoming call ringing, not answered. */
const WAITING_FOR_ANSWER = 4;

interface AnswerInternals {
  _direction: 'incoming' | 'outgoing' | null;
  _status: number;
  _late_sdp: boolean;
  _connection: RTCPeerConnection | null;
  _request: { body?: string } | null;
  _createRTCConnection(pcConfig: RTCConfiguration, rtcConstraints: unknown): void;
}

/** What the answer made ahead needs from its call. */
export interface AnswerAheadOptions {
  /** The peer connection's configuration, as the answer will pass it. */
  pcConfig: RTCConfiguration;
  /** Makes the audio section sendrecv before the answer is created (CallAudio.prepareSender). */
  prepareSender(pc: RTCPeerConnection): void;
}

/** How the preparation went, for the call's marks and the tests. */
export type AnswerAheadOutcome = 'prepared' | 'offer-refused' | 'answer-failed' | 'ended';

/**
 * Prepares the answer to `session` while it rings. Returns null when there is nothing to do
 * ahead (not a ringing incoming call, an INVITE without an offer, a connection already made,
 * a JsSIP without the internals this relies on: the answer is then made as JsSIP makes it),
 * else a promise of how it went; the call's answer needs nothing from it.
 */
export function prepareAnswer(
  session: RTCSession,
  opts: AnswerAheadOptions,
): Promise<AnswerAheadOutcome> | null {
  const s = session as unknown as AnswerInternals;
  const offer = s._request?.body;
  if (
    typeof s._createRTCConnection !== 'function' ||
    s._direction !== 'incoming' ||
    s._status !== WAITING_FOR_ANSWER ||
    s._connection !== null ||
    s._late_sdp ||
    !offer
  ) {
    return null;
  }
  s._createRTCConnection({ ...opts.pcConfig, iceCandidatePoolSize: 1 }, null);
  const pc = s._connection as RTCPeerConnection | null;
  if (!pc) {
    return null;
  }
  const own = pc as unknown as Record<'setRemoteDescription' | 'createAnswer', unknown>;
  // The browser's own method: the one below stands in for it on this connection from now on.
  const createAnswer = pc.createAnswer.bind(pc);
  let answer: RTCSessionDescriptionInit | null = null;
  // The offer as the browser holds it (it serialises what it parsed, not the text it was given).
  let pending: string | undefined;

  const applied = pc.setRemoteDescription({ type: 'offer', sdp: offer });
  const prepared: Promise<AnswerAheadOutcome> = applied.then(
    async () => {
      if (session.isEnded()) {
        return 'ended';
      }
      pending = pc.pendingRemoteDescription?.sdp;
      try {
        opts.prepareSender(pc);
        answer = await createAnswer();
        return 'prepared';
      } catch {
        // JsSIP creates the answer again when the user answers, and reports what fails then.
        return session.isEnded() ? 'ended' : 'answer-failed';
      }
    },
    () => (session.isEnded() ? 'ended' : 'offer-refused'),
  );

  // answer(): keep this connection (JsSIP would make a new one and leave this one open).
  s._createRTCConnection = (pcConfig: RTCConfiguration, rtcConstraints: unknown): void => {
    delete (s as Partial<AnswerInternals>)._createRTCConnection;
    if (s._connection !== pc || pc.signalingState === 'closed') {
      s._createRTCConnection(pcConfig, rtcConstraints);
    }
  };
  // The same offer: the step is done (or failed, and JsSIP answers 488 as it would have).
  own.setRemoteDescription = (desc: RTCSessionDescriptionInit): Promise<void> => {
    delete own.setRemoteDescription;
    if (desc.type === 'offer' && desc.sdp === offer) {
      return applied.then(() => prepared.then(() => undefined));
    }
    return pc.setRemoteDescription(desc);
  };
  // The answer made ahead, once, while the offer it answers is still the one pending.
  own.createAnswer = (options?: RTCAnswerOptions): Promise<RTCSessionDescriptionInit> => {
    delete own.createAnswer;
    const ready = answer;
    answer = null;
    if (
      ready &&
      pc.signalingState === 'have-remote-offer' &&
      pending !== undefined &&
      pc.pendingRemoteDescription?.sdp === pending
    ) {
      return Promise.resolve(ready);
    }
    return pc.createAnswer(options);
  };
  return prepared;
}
