// Bounds on an outgoing call that has not been answered, so it never stays "dialing" or
// "ringing" forever. JsSIP bounds only the wait for the first response (Timer B, 32 s); after a
// 100 Trying, or between provisional responses, a UAC waits as long as the far end likes.
// - Nothing but 100 Trying for DIALING_LIMIT_MS: the call is cancelled, "did not respond". The
//   limit is longer than Timer B so a proxy's own 408 for an unreachable callee arrives first.
// - Then, like a proxy's Timer C (RFC 3261 §16.6 step 11, at least 3 minutes), no provisional
//   response for PROVISIONAL_GAP_MS: the call is cancelled, "nobody answered". A UAS that needs
//   longer sends a provisional response every minute (§13.3.1.1), which restarts the bound.

/** Longest wait for ringing (or an answer) after the INVITE left. */
export const DIALING_LIMIT_MS = 40_000;
/** Longest gap between provisional responses of a ringing call (Timer C). */
export const PROVISIONAL_GAP_MS = 180_000;

/** Why an unanswered call was given up. */
export type UnansweredCause = 'no-response' | 'no-answer';

export class OutgoingBounds {
  readonly #onExpired: (cause: UnansweredCause) => void;
  #timer: ReturnType<typeof setTimeout> | null = null;

  /** `onExpired` cancels the call with the cause. */
  constructor(onExpired: (cause: UnansweredCause) => void) {
    this.#onExpired = onExpired;
  }

  /** The INVITE left: wait for ringing or an answer. */
  sent(): void {
    this.#arm(DIALING_LIMIT_MS, 'no-response');
  }

  /** A provisional response (other than 100) arrived: the far end rings. */
  provisional(): void {
    this.#arm(PROVISIONAL_GAP_MS, 'no-answer');
  }

  /** Answered or ended: no bound any more. */
  stop(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer);
      this.#timer = null;
    }
  }

  #arm(ms: number, cause: UnansweredCause): void {
    this.stop();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#onExpired(cause);
    }, ms);
  }
}
