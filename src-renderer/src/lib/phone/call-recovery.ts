// Calls that survive a replaced connection (issue 20): when the connection drops (or the
// keep-alive replaces it) during a call, the call waits for the account to be registered on
// a fresh connection, then sends a re-INVITE with an ICE restart over the new flow. Recovery
// is bounded: a call not recovered within CALL_RECOVERY_S ends with a stated cause.
import { createLogger } from '../logger';
import type { PhoneCall } from './call';

const log = createLogger('recovery');

/** Seconds a call may wait for its connection and re-INVITE before it ends. */
export const CALL_RECOVERY_S = 20;

/** What recovery needs of a call (PhoneCall satisfies it). */
type Recoverable = Pick<PhoneCall, 'status' | 'session' | 'fail' | 'on'>;

export class CallRecovery {
  readonly #pending = new Map<Recoverable, ReturnType<typeof setTimeout>>();

  /** Calls being recovered now. */
  get recovering(): number {
    return this.#pending.size;
  }

  /** The connection under these calls was lost: each established call starts its bound. */
  lost(calls: Iterable<Recoverable>): void {
    for (const call of calls) {
      if (call.status !== 'active' || this.#pending.has(call)) {
        continue;
      }
      const timer = setTimeout(() => this.#giveUp(call), CALL_RECOVERY_S * 1000);
      this.#pending.set(call, timer);
      call.on('ended', () => this.#settle(call));
    }
  }

  /** The account is registered on a fresh connection: re-INVITE each waiting call with an ICE restart. */
  restored(): void {
    for (const call of this.#pending.keys()) {
      const session = call.session;
      const sent =
        session?.renegotiate({ rtcOfferConstraints: { iceRestart: true } }, () =>
          this.#settle(call),
        ) ?? false;
      if (!sent) {
        // A re-INVITE is already in flight (or the call is ending): the bound still holds.
        log.info('call recovery: re-INVITE not possible yet');
      }
    }
  }

  /** Stops every bound (the engine stops). */
  dispose(): void {
    for (const timer of this.#pending.values()) {
      clearTimeout(timer);
    }
    this.#pending.clear();
  }

  #settle(call: Recoverable): void {
    const timer = this.#pending.get(call);
    if (timer !== undefined) {
      clearTimeout(timer);
      this.#pending.delete(call);
    }
  }

  #giveUp(call: Recoverable): void {
    this.#pending.delete(call);
    call.fail({
      cause: 'connection-lost',
      code: null,
      message: `The connection to the server was lost and the call could not be recovered within ${CALL_RECOVERY_S} s.`,
    });
  }
}
