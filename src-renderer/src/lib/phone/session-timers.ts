// Session timers (RFC 4028) for outgoing calls: when the server answers 422 Session Interval
// Too Small, the call is placed once more with the interval its Min-SE header asks for.

/** The smallest interval RFC 4028 §4 allows (seconds). */
export const MIN_SESSION_INTERVAL_S = 90;

/**
 * The session interval to place the call again with after a failure, or null when the failure
 * is not a 422 that can be retried (answered calls, a missing or unreadable Min-SE).
 */
export function intervalAfter422(
  code: number | null,
  minSeHeader: string | null,
  established: boolean,
): number | null {
  if (established || code !== 422) {
    return null;
  }
  const minSe = Number.parseInt(minSeHeader ?? '', 10);
  if (!Number.isFinite(minSe) || minSe <= 0) {
    return null;
  }
  return Math.max(minSe, MIN_SESSION_INTERVAL_S);
}

/** Places an outgoing call again once after a 422, with the server's Min-SE. */
export class SessionIntervalRetry {
  #place: ((expires: number) => void) | null;

  /** `place` sends the INVITE again with the given Session-Expires. */
  constructor(place: (expires: number) => void) {
    this.#place = place;
  }

  /** Retries when the failure allows it; true when the call was placed again. */
  retry(code: number | null, minSeHeader: string | null, established: boolean): boolean {
    const place = this.#place;
    const interval = intervalAfter422(code, minSeHeader, established);
    if (!place || interval === null) {
      return false;
    }
    this.#place = null;
    place(interval);
    return true;
  }
}
