// Key presses (DTMF): which characters may be sent, and a sentence when sending fails.

const ALLOWED = /^[0-9A-D*#,]+$/;

/** Upper-cases and checks keys; throws a TypeError with a plain message for anything else. */
export function normalizeDtmf(keys: string): string {
  const tones = keys.toUpperCase().replace(/\s+/g, '');
  if (!ALLOWED.test(tones)) {
    throw new TypeError('Only 0-9, *, #, A-D and "," (pause) can be sent as key presses.');
  }
  return tones;
}

/** A plain sentence for a DTMF failure. */
export function describeDtmfError(error: unknown): string {
  return `Key presses could not be sent: ${error instanceof Error ? error.message : String(error)}`;
}

/** Clock rates of the audio section of an SDP: the first (send) codec's, and telephone-event's. */
export function dtmfClocks(sdp: string): { send: number | null; events: number[] } {
  const media = /^m=audio \S+ \S+ ([\d ]+)\r?$/m.exec(sdp);
  const first = media?.[1]?.trim().split(' ')[0];
  const rate = (pt: string | undefined): number | null => {
    const match = pt ? new RegExp(`^a=rtpmap:${pt} [^/]+/(\\d+)`, 'm').exec(sdp) : null;
    return match?.[1] ? Number(match[1]) : null;
  };
  const events = [...sdp.matchAll(/^a=rtpmap:\d+ telephone-event\/(\d+)/gm)].map((m) =>
    Number(m[1]),
  );
  return { send: rate(first), events };
}

/**
 * The clock of the telephone-event Chromium sends RFC 4733 events on, given the answer's
 * telephone-event clocks and the send codec's: the 8 kHz one whenever the answer has it (seen
 * with Linphone, whose answer carries telephone-event at 48000 and 8000: Chromium sent on the
 * 8 kHz payload type), else the one at the send codec's clock, else the lowest.
 */
export function dtmfEventClock(send: number, events: readonly number[]): number | null {
  if (events.length === 0) {
    return null;
  }
  if (events.includes(8000)) {
    return 8000;
  }
  return events.includes(send) ? send : Math.min(...events);
}

/**
 * The duration to ask RTCDTMFSender for so that a key lasts `ms` on the wire. When Chromium
 * sends telephone-event at 8 kHz while it sends Opus at 48 kHz, it counts the event in 48 kHz
 * units against the 8 kHz target, so a 100 ms key ends at once: three end packets with the
 * marker bit and no start, which baresip ignores and Linphone takes as three presses. Scaling
 * by the clock ratio restores one real 100 ms event, whichever rates the answer offers.
 */
export function dtmfRequestMs(sdp: string | null | undefined, ms: number): number {
  const { send, events } = dtmfClocks(sdp ?? '');
  const event = send ? dtmfEventClock(send, events) : null;
  if (!send || event === null || event === send) {
    return ms;
  }
  return Math.min(6000, Math.round((ms * send) / event));
}
