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
