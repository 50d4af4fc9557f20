// Mid-call operations on a JsSIP session as promises: hold and resume, each bounded by a
// timeout and rejected if the call ends meanwhile (transfers are in call-transfer.ts). An
// OpQueue serializes them per call so that a hold and a resume can never overlap (JsSIP refuses
// a re-INVITE while another offer is pending, and would drop the second silently).
import type { RTCSession } from 'jssip/lib/RTCSession';

/** A refusal or failure of a mid-call operation, with a sentence for the user. */
export class CallOperationError extends Error {
  override name = 'CallOperationError';
}

/** Runs async operations one after another, in call order. */
export class OpQueue {
  #tail: Promise<unknown> = Promise.resolve();

  run<T>(op: () => Promise<T>): Promise<T> {
    const next = this.#tail.catch(() => {}).then(op);
    this.#tail = next;
    return next;
  }
}

interface EmitterLike {
  on(event: string, listener: (...args: never[]) => void): unknown;
  removeListener(event: string, listener: (...args: never[]) => void): unknown;
}

/** Resolves when `start` calls back done; rejects when the session ends first or on timeout. */
function untilDone(
  session: RTCSession,
  what: string,
  timeoutMs: number,
  start: (done: () => void) => boolean,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const emitter = session as unknown as EmitterLike;
    const onEnd = (): void =>
      finish(new CallOperationError(`The call ended before the ${what} completed.`));
    const timer = setTimeout(
      () => finish(new CallOperationError(`The ${what} got no answer in time.`)),
      timeoutMs,
    );
    const finish = (error?: Error): void => {
      clearTimeout(timer);
      emitter.removeListener('ended', onEnd);
      emitter.removeListener('failed', onEnd);
      if (error) {
        reject(error);
      } else {
        resolve();
      }
    };
    emitter.on('ended', onEnd);
    emitter.on('failed', onEnd);
    if (!start(() => finish())) {
      finish(new CallOperationError(`The ${what} is not possible right now.`));
    }
  });
}

/** Puts the session on hold (re-INVITE with a=sendonly); resolves once the server confirmed. */
export function holdSession(session: RTCSession, timeoutMs = 10_000): Promise<void> {
  if (session.isOnHold().local) {
    return Promise.resolve();
  }
  return untilDone(session, 'hold', timeoutMs, (done) => session.hold({}, done));
}

/** Takes the session off hold. */
export function resumeSession(session: RTCSession, timeoutMs = 10_000): Promise<void> {
  if (!session.isOnHold().local) {
    return Promise.resolve();
  }
  return untilDone(session, 'resume', timeoutMs, (done) => session.unhold({}, done));
}
