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
 * The duration to ask RTCDTMFSender for so that a key lasts `ms` on the wire. When the far end
 * offers telephone-event only at 8 kHz while we send Opus at 48 kHz, Chromium counts the event
 * in 48 kHz units against an 8 kHz target, so a 100 ms key ends at once (end packets only, which
 * baresip and others ignore). Scaling by the clock ratio restores a real 100 ms event.
 */
export function dtmfRequestMs(sdp: string | null | undefined, ms: number): number {
  const { send, events } = dtmfClocks(sdp ?? '');
  if (!send || events.length === 0 || events.includes(send)) {
    return ms;
  }
  const event = events.includes(8000) ? 8000 : (events[0] ?? send);
  return Math.min(6000, Math.round((ms * send) / event));
}
