// Calls that survive a replaced connection or a failed ICE connection (issue 20):
// - When the connection drops (or the keep-alive replaces it) during a call, the call waits for
//   the account to be registered on a fresh connection, then sends a re-INVITE with an ICE
//   restart over the new flow. JsSIP builds that offer with the call's hold direction, so a held
//   call stays held.
// - When the call's ICE connection fails while the signalling connection is fine, the call is
//   re-INVITEd with an ICE restart at once, and recovered once ICE connects again.
// Recovery is bounded: a call not recovered within CALL_RECOVERY_S ends with a stated cause.
// Meanwhile the call shows "Reconnecting…" (its trouble), and its ghost watch stays quiet.
import { createLogger } from '../logger';
import type { PhoneCall } from './call';
import type { CallEnd, CallTrouble } from './types';

const log = createLogger('recovery');

/** Seconds a call may wait for its connection and re-INVITE before it ends. */
export const CALL_RECOVERY_S = 20;

/** What recovery needs of a call (PhoneCall satisfies it). */
type Recoverable = Pick<
  PhoneCall,
  'status' | 'session' | 'peerConnection' | 'fail' | 'on' | 'setTrouble'
>;

/** Why a call is being recovered. */
type Loss = 'connection' | 'ice';

interface Pending {
  loss: Loss;
  timer: ReturnType<typeof setTimeout>;
  /** Stops listening to the peer connection (ICE recovery). */
  unwatch: () => void;
}

const TROUBLE: Record<Loss, CallTrouble> = {
  connection: {
    kind: 'reconnecting',
    message: `Reconnecting… The connection to the server was lost; the call goes on once it is back (at most ${CALL_RECOVERY_S} s).`,
  },
  ice: {
    kind: 'reconnecting',
    message: `Reconnecting… The audio connection failed; a new one is being set up (at most ${CALL_RECOVERY_S} s).`,
  },
};

const GIVE_UP: Record<Loss, CallEnd> = {
  connection: {
    cause: 'connection-lost',
    code: null,
    message: `The connection to the server was lost and the call could not be recovered within ${CALL_RECOVERY_S} s.`,
  },
  ice: {
    cause: 'media-failed',
    code: null,
    message: `The audio connection failed and could not be set up again within ${CALL_RECOVERY_S} s.`,
  },
};

export class CallRecovery {
  readonly #pending = new Map<Recoverable, Pending>();
  readonly #bound = new WeakSet<Recoverable>();

  /** Calls being recovered now. */
  get recovering(): number {
    return this.#pending.size;
  }

  /** The connection under these calls was lost: each established call starts its bound. */
  lost(calls: Iterable<Recoverable>): void {
    for (const call of calls) {
      this.#begin(call, 'connection');
    }
  }

  /**
   * The call's ICE connection failed. Returns whether recovery took it on (an answered call);
   * `registered` says whether the re-INVITE can leave now or waits for `restored()`.
   */
  iceFailed(call: Recoverable, registered: boolean): boolean {
    if (call.status !== 'active') {
      return false;
    }
    if (!this.#pending.has(call) && this.#begin(call, 'ice') && registered) {
      this.#reinvite(call);
    }
    return true;
  }

  /** The account is registered on a fresh connection: re-INVITE each waiting call with an ICE restart. */
  restored(): void {
    for (const call of this.#pending.keys()) {
      this.#reinvite(call);
    }
  }

  /** Stops every bound (the engine stops). */
  dispose(): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      pending.unwatch();
    }
    this.#pending.clear();
  }

  #begin(call: Recoverable, loss: Loss): boolean {
    if (call.status !== 'active' || this.#pending.has(call)) {
      return false;
    }
    const timer = setTimeout(() => this.#giveUp(call), CALL_RECOVERY_S * 1000);
    const unwatch = loss === 'ice' ? this.#watchIce(call) : () => {};
    this.#pending.set(call, { loss, timer, unwatch });
    if (!this.#bound.has(call)) {
      this.#bound.add(call);
      call.on('ended', () => this.#settle(call));
    }
    call.setTrouble(TROUBLE[loss]);
    return true;
  }

  #reinvite(call: Recoverable): void {
    const pending = this.#pending.get(call);
    const session = call.session;
    const sent =
      session?.renegotiate({ rtcOfferConstraints: { iceRestart: true } }, () => {
        // A replaced connection is recovered once the far end took the new offer; a failed
        // ICE connection once ICE connects again (#watchIce).
        if (pending?.loss === 'connection') {
          this.#settle(call);
        }
      }) ?? false;
    if (!sent) {
      // A re-INVITE is already in flight (or the call is ending): the bound still holds.
      log.info('call recovery: re-INVITE not possible yet');
    }
  }

  #watchIce(call: Recoverable): () => void {
    const pc = call.peerConnection;
    if (!pc) {
      return () => {};
    }
    const onChange = (): void => {
      if (pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed') {
        this.#settle(call);
      }
    };
    pc.addEventListener('iceconnectionstatechange', onChange);
    return () => pc.removeEventListener('iceconnectionstatechange', onChange);
  }

  #settle(call: Recoverable): void {
    const pending = this.#pending.get(call);
    if (pending === undefined) {
      return;
    }
    clearTimeout(pending.timer);
    pending.unwatch();
    this.#pending.delete(call);
    call.setTrouble(null);
  }

  #giveUp(call: Recoverable): void {
    const pending = this.#pending.get(call);
    if (pending === undefined) {
      return;
    }
    pending.unwatch();
    this.#pending.delete(call);
    call.fail(GIVE_UP[pending.loss]);
  }
}
