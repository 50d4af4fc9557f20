// Where a call's outgoing chain (outgoing-chain.ts) puts what is to be sent: a call's audio
// RTCRtpSender (replaceTrack: no renegotiation), or anything with the same two verbs (tests).

export interface TrackTarget {
  /** The track the other side hears now (null while nothing is sent). */
  current(): MediaStreamTrack | null;
  /** Sends `track` instead, without renegotiation. */
  replace(track: MediaStreamTrack | null): Promise<void>;
}

/** An RTCRtpSender as a TrackTarget. */
export function senderTarget(sender: RTCRtpSender): TrackTarget {
  return { current: () => sender.track, replace: (track) => sender.replaceTrack(track) };
}
