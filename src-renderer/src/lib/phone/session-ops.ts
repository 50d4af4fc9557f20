// Mid-call operations on a JsSIP session as promises: hold and resume, each bounded (a re-INVITE
// left with a 1xx is cancelled, then given up) and rejected if the call ends meanwhile; a refused
// or unanswered one leaves the call as it was (transfers are in call-transfer.ts); one whose
// connection drops before its answer is settled by the call's recovery offer. An OpQueue
// serializes them per call so that a hold and a resume can never overlap (JsSIP refuses a
// re-INVITE while another offer is pending, and would drop the second silently; op-queue.ts).
import type { RTCSession } from 'jssip/lib/RTCSession';
import {
  abandonReoffer,
  cancelReoffer,
  markRtcReady,
  sendReoffer,
  setHold,
} from './jssip-internals';
import { rollBackOffer } from './reinvite-guard';

/** A refusal or failure of a mid-call operation, with a sentence for the user. */
export class CallOperationError extends Error {
  override name = 'CallOperationError';
}

interface EmitterLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}

/**
 * Bounds of a hold or resume re-INVITE. JsSIP never times out a re-INVITE that got a 1xx (a
 * UAC has no Timer C), so after `answerMs` without a final answer we CANCEL it, and after
 * `cancelMs` more we give it up; either way the call goes on as it was before.
 */
export interface ReofferBounds {
  answerMs: number;
  cancelMs: number;
}

export const REOFFER_BOUNDS: ReofferBounds = { answerMs: 10_000, cancelMs: 5_000 };

/** Puts the session on hold (re-INVITE with a=sendonly); resolves once the far end accepted. */
export function holdSession(session: RTCSession, bounds = REOFFER_BOUNDS): Promise<void> {
  if (session.isOnHold().local) {
    return Promise.resolve();
  }
  return reoffer(session, true, bounds);
}

/** Takes the session off hold. */
export function resumeSession(session: RTCSession, bounds = REOFFER_BOUNDS): Promise<void> {
  if (!session.isOnHold().local) {
    return Promise.resolve();
  }
  return reoffer(session, false, bounds);
}

// One hold/resume re-INVITE, bounded. A refusal, a failure to apply the answer or a missing
// answer never ends the call (JsSIP's own hold() would, with BYE "Hold Failed"): the hold flag
// and the peer connection go back to what they were and the promise rejects with a sentence.
function reoffer(session: RTCSession, held: boolean, bounds: ReofferBounds): Promise<void> {
  const what = held ? 'hold' : 'resume';
  return new Promise<void>((resolve, reject) => {
    const emitter = session as unknown as EmitterLike;
    let settled = false;
    let reverting = false;
    let cancelled = false;
    const timers: ReturnType<typeof setTimeout>[] = [];
    const finish = (error?: Error): void => {
      if (settled) {
        return;
      }
      settled = true;
      timers.forEach(clearTimeout);
      emitter.removeListener('ended', onEnd);
      emitter.removeListener('failed', onEnd);
      if (error) {
        reject(error);
      } else {
        resolve();
      }
    };
    const revert = (message: string): void => {
      if (settled || reverting) {
        return;
      }
      reverting = true;
      timers.forEach(clearTimeout);
      setHold(session, 'local', !held);
      void rollBack(session).finally(() => finish(new CallOperationError(message)));
    };
    const onEnd = (): void =>
      finish(new CallOperationError(`The call ended before the ${what} completed.`));
    const unanswered = `The other side did not answer the ${what} in time; the call goes on as before.`;
    emitter.on('ended', onEnd);
    emitter.on('failed', onEnd);
    const started = sendReoffer(session, held, {
      succeeded: () => finish(),
      // The connection dropped before the answer: the call's recovery offer carries this hold
      // state and settles us (its own bound ends the call otherwise), so our bounds stop here;
      // cancelling or abandoning now would hit the recovery's re-INVITE.
      lost: () => timers.forEach(clearTimeout),
      failed: (code) =>
        revert(
          cancelled
            ? unanswered
            : `The other side refused the ${what}${code ? ` (SIP ${code})` : ''}; the call goes on as before.`,
        ),
    });
    if (!started) {
      finish(new CallOperationError(`The ${what} is not possible right now.`));
      return;
    }
    timers.push(
      setTimeout(() => {
        cancelled = true;
        cancelReoffer(session, `SIP ;cause=408 ;text="No final answer to the re-INVITE"`);
        timers.push(
          setTimeout(() => {
            abandonReoffer(session);
            revert(unanswered);
          }, bounds.cancelMs),
        );
      }, bounds.answerMs),
    );
  });
}

// Takes back an offer of ours the far end never accepted (have-local-offer → stable).
async function rollBack(session: RTCSession): Promise<void> {
  await rollBackOffer(session.connection);
  markRtcReady(session);
}
