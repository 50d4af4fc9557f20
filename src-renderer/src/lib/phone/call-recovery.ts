// Calls that survive a replaced connection or a failed ICE connection (issue 20):
// - When the connection drops (or the keep-alive replaces it) during a call, the call waits for
//   the account to be registered on a fresh connection, then sends a re-INVITE with an ICE
//   restart over the new flow. JsSIP builds that offer with the call's hold direction, so a held
//   call stays held.
// - When the call's ICE connection fails while the signalling connection is fine, the call is
//   re-INVITEd with an ICE restart at once, and recovered once ICE connects again.
// - When the connection drops while a re-INVITE of ours is unanswered (a hold, a resume, a
//   session refresh, or the recovery's own re-INVITE), JsSIP would end the call; the call hands
//   it to recovery instead (jssip-internals.ts `interceptTerminate`): that re-INVITE is given up,
//   and the recovery offer carries the hold state the user asked for and settles the hold.
// - When the connection drops while an incoming call rings (or its answer is being made), the
//   call rings on: its INVITE transaction outlives the connection and the replies that could
//   not go wait for the next one (jssip-internals.ts `HeldReplies`); the proxy matches them by
//   their Via branch, so the answer reaches the caller over the new flow. The call is
//   recovered once the account is registered again.
// - When the connection drops while a call we placed is not answered yet, its INVITE cannot
//   move (the answer would come back over the old connection): it is CANCELled over the new
//   connection (engine.ts) and, once the account is registered again, the call is placed again
//   to the same target (`PhoneCall.placeAgain`); the far end rings again.
// Recovery is bounded: a call not recovered within CALL_RECOVERY_S ends with a stated cause.
// Meanwhile the call shows "Reconnecting…" (its trouble), and its ghost watch stays quiet.
// A re-INVITE JsSIP cannot send yet (another offer in flight) or that the far end turns away
// for now (491, or 500/503 while it still waits for an ACK) is tried again every RETRY_MS.
// The recovery offer waits (within the ICE-gathering cap) for a routable candidate when the call
// had one (ice-restart.ts). If it still went out without one (the browser had not learned the
// new address yet), the far end cannot reach us there: once answered, it is made again as soon
// as the browser gathers a routable candidate (it learns of a new address on its own, ~2 s after
// the change in Chromium on Linux), or else RETRY_MS later and twice as long each time (the far
// end restarts ICE for each), until one carries a routable address. At the bound such a call is
// left to its ICE connection and ghost watch instead of being ended: the far end took our
// offers, and the address may simply be loopback from now on.
import { createLogger } from '../logger';
import type { PhoneCall } from './call';
import {
  captureLocalOffer,
  hasRoutableCandidate,
  onRoutableCandidate,
  routableExpected,
} from './ice-restart';
import { sendIceRestart } from './jssip-internals';
import type { CallEnd, CallTrouble } from './types';

const log = createLogger('recovery');

/** Seconds a call may wait for its connection and re-INVITE before it ends. */
export const CALL_RECOVERY_S = 20;

/** What recovery needs of a call (PhoneCall satisfies it). */
type Recoverable = Pick<
  PhoneCall,
  'status' | 'session' | 'peerConnection' | 'fail' | 'on' | 'setTrouble' | 'placeAgain'
>;

/** How long a recovery re-INVITE that could not go out, or was turned away for now, waits. */
export const RETRY_MS = 1000;

/** Answers to a recovery re-INVITE that mean "not now" (RFC 3261 §14.1, §21.5.1, §21.5.4). */
const TRANSIENT = new Set([491, 500, 503]);

/**
 * Why a call is being recovered: an answered call's connection or ICE, the connection of an
 * incoming call not answered yet (ringing) or of one we placed (placing).
 */
type Loss = 'connection' | 'ice' | 'ringing' | 'placing';

/** Statuses of an incoming call not answered yet whose connection can be replaced. */
const RINGING = new Set<string>(['incoming', 'answering']);
/** Statuses of a call we placed that is not answered yet. */
const PLACING = new Set<string>(['dialing', 'ringing']);

interface Pending {
  loss: Loss;
  timer: ReturnType<typeof setTimeout>;
  /** The next attempt at the re-INVITE, while one is scheduled. */
  retry: ReturnType<typeof setTimeout> | null;
  /** Stops waiting for a routable candidate to offer (while awaiting an address). */
  unwatchAddress: (() => void) | null;
  /** A recovery re-INVITE is out and not answered yet. */
  sending: boolean;
  /** The far end took a recovery offer that carried no routable address: another one follows. */
  awaitingAddress: boolean;
  /** Recovery offers the far end took without a routable address so far. */
  unroutableOffers: number;
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
  ringing: {
    kind: 'reconnecting',
    message: `Reconnecting… The connection to the server was lost. The call can still be answered; the answer goes out once the connection is back (at most ${CALL_RECOVERY_S} s).`,
  },
  placing: {
    kind: 'reconnecting',
    message: `Reconnecting… The connection to the server was lost before the call was answered. It is placed again once the connection is back (at most ${CALL_RECOVERY_S} s); the other side rings again.`,
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
  ringing: {
    cause: 'connection-lost',
    code: null,
    message: `The connection to the server was lost while the call was ringing, and it was not back within ${CALL_RECOVERY_S} s.`,
  },
  placing: {
    cause: 'connection-lost',
    code: null,
    message: `The connection to the server was lost before the call was answered, and it was not back within ${CALL_RECOVERY_S} s to place the call again.`,
  },
};

export class CallRecovery {
  readonly #pending = new Map<Recoverable, Pending>();
  readonly #bound = new WeakSet<Recoverable>();
  readonly #canSend: () => boolean;

  /** `canSend`: whether the account is registered on a live connection (a re-INVITE can go). */
  constructor(canSend: () => boolean = () => true) {
    this.#canSend = canSend;
  }

  /** Calls being recovered now. */
  get recovering(): number {
    return this.#pending.size;
  }

  /**
   * The connection under these calls was lost: each established call, and each incoming call
   * not answered yet, starts its bound. Outgoing calls not answered yet are not recovered
   * (their answer would come back over the old connection).
   */
  lost(calls: Iterable<Recoverable>): void {
    for (const call of calls) {
      this.#begin(call, RINGING.has(call.status) ? 'ringing' : 'connection');
    }
  }

  /**
   * The transport under a request of this call failed (JsSIP would end the call: a re-INVITE
   * was in flight, or a request could not be sent). Returns whether recovery took it on (an
   * answered call); the re-INVITE follows `restored()`.
   */
  connectionFailed(call: Recoverable): boolean {
    if (call.status !== 'active') {
      return false;
    }
    const pending = this.#pending.get(call);
    if (pending) {
      // Our own re-INVITE was lost with the connection: the next registration sends another.
      pending.sending = false;
    } else {
      this.#begin(call, 'connection');
    }
    return true;
  }

  /**
   * A call we placed lost its connection before it was answered (its session ended with it).
   * Returns whether recovery took it on: it is placed again after `restored()`.
   */
  placeLater(call: Recoverable): boolean {
    return this.#begin(call, 'placing');
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

  /**
   * The account is registered on a fresh connection: re-INVITE each waiting answered call with
   * an ICE restart; a ringing call is reachable again (its held replies went when the
   * connection came up).
   */
  restored(): void {
    for (const [call, pending] of this.#pending) {
      if (pending.loss === 'ringing') {
        this.#settle(call);
      } else if (pending.loss === 'placing') {
        this.#settle(call);
        call.placeAgain();
      } else {
        this.#reinvite(call);
      }
    }
  }

  /** Stops every bound (the engine stops). */
  dispose(): void {
    for (const pending of this.#pending.values()) {
      clearTimeout(pending.timer);
      this.#clearRetry(pending);
      pending.unwatch();
    }
    this.#pending.clear();
  }

  #begin(call: Recoverable, loss: Loss): boolean {
    const can =
      loss === 'ringing'
        ? RINGING.has(call.status)
        : loss === 'placing'
          ? PLACING.has(call.status)
          : call.status === 'active';
    if (!can || this.#pending.has(call)) {
      return false;
    }
    const timer = setTimeout(() => this.#giveUp(call), CALL_RECOVERY_S * 1000);
    const unwatch = loss === 'ice' ? this.#watchIce(call) : () => {};
    this.#pending.set(call, {
      loss,
      timer,
      retry: null,
      unwatchAddress: null,
      sending: false,
      awaitingAddress: false,
      unroutableOffers: 0,
      unwatch,
    });
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
    if (!pending || !session || pending.sending) {
      return;
    }
    this.#clearRetry(pending);
    const offered = captureLocalOffer(session);
    const sent = sendIceRestart(session, {
      // A replaced connection is recovered once the far end took the new offer; a failed
      // ICE connection once ICE connects again (#watchIce).
      succeeded: () => {
        pending.sending = false;
        pending.awaitingAddress = loopbackOnly(call.peerConnection, offered());
        if (pending.awaitingAddress) {
          log.info('call recovery: the new offer carried no routable address; offering again');
          this.#retryLater(call, pending, RETRY_MS * 2 ** pending.unroutableOffers);
          pending.unroutableOffers += 1;
          this.#reofferOnAddress(call, pending);
        } else if (pending.loss === 'connection') {
          this.#settle(call);
        }
      },
      failed: (code) => {
        pending.sending = false;
        this.#refused(call, pending, code);
      },
    });
    pending.sending = sent;
    if (!sent) {
      offered();
      // Another offer is still in flight (or its offer is being made): try again shortly.
      log.info('call recovery: re-INVITE not possible yet');
      this.#retryLater(call, pending);
    }
  }

  // The far end answered the recovery re-INVITE with an error, or its answer could not be
  // applied. "Not now" answers are tried again within the bound; anything else ends the call.
  #refused(call: Recoverable, pending: Pending, code: number | null): void {
    if (this.#pending.get(call) !== pending) {
      return;
    }
    if (code !== null && TRANSIENT.has(code)) {
      this.#retryLater(call, pending);
      return;
    }
    log.warn(`call recovery: re-INVITE refused (${code ?? 'not applied'})`);
    clearTimeout(pending.timer);
    this.#giveUp(call, code);
  }

  #retryLater(call: Recoverable, pending: Pending, delayMs = RETRY_MS): void {
    this.#clearRetry(pending);
    pending.retry = setTimeout(() => {
      pending.retry = null;
      if (this.#pending.get(call) === pending && this.#canSend()) {
        this.#reinvite(call);
      }
    }, delayMs);
  }

  // The browser gathers a routable candidate (it learned of the new address): offer it now
  // rather than at the next retry.
  #reofferOnAddress(call: Recoverable, pending: Pending): void {
    const pc = call.peerConnection;
    if (!pc) {
      return;
    }
    pending.unwatchAddress = onRoutableCandidate(pc, () => {
      pending.unwatchAddress = null;
      if (this.#pending.get(call) === pending && this.#canSend()) {
        log.info('call recovery: a routable address appeared; offering it');
        this.#reinvite(call);
      }
    });
  }

  #clearRetry(pending: Pending): void {
    if (pending.retry !== null) {
      clearTimeout(pending.retry);
      pending.retry = null;
    }
    pending.unwatchAddress?.();
    pending.unwatchAddress = null;
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
    this.#clearRetry(pending);
    pending.unwatch();
    this.#pending.delete(call);
    call.setTrouble(null);
  }

  #giveUp(call: Recoverable, refused?: number | null): void {
    const pending = this.#pending.get(call);
    if (pending === undefined) {
      return;
    }
    if (refused === undefined && pending.loss === 'connection' && pending.awaitingAddress) {
      log.info('call recovery: no routable address within the bound; the call goes on as it is');
      this.#settle(call);
      return;
    }
    this.#clearRetry(pending);
    pending.unwatch();
    this.#pending.delete(call);
    call.fail(giveUpEnd(pending.loss, refused));
  }
}

// Whether the recovery offer the far end just took carried no candidate it can reach (only
// loopback, link-local or TCP ones: ice-restart.ts) although the call had one.
function loopbackOnly(pc: RTCPeerConnection | null, offer: string | null): boolean {
  return pc !== null && offer !== null && routableExpected(pc) && !hasRoutableCandidate(offer);
}

// How a recovery ends: at its bound (`refused` undefined), or at once because the far end
// refused the recovery re-INVITE (its status) or its answer could not be applied (null).
function giveUpEnd(loss: Loss, refused: number | null | undefined): CallEnd {
  const end = GIVE_UP[loss];
  if (refused === undefined) {
    return end;
  }
  const head = end.message.replace(/ within \d+ s\.$/, '');
  return refused === null
    ? { ...end, message: `${head}: the answer to the new offer could not be applied.` }
    : {
        ...end,
        code: refused,
        message: `${head}: the other side refused the new connection (SIP ${refused}).`,
      };
}
