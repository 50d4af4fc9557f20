// Transfers we start (RFC 3515 REFER, with Replaces for an attended transfer, RFC 3891): the
// REFER as a promise that follows the transferee's NOTIFY progress, and the TransferState the
// call shows while it runs. The call that was transferred ends only once the transfer succeeded.
import type { RTCSession } from 'jssip/lib/RTCSession';
import { CallOperationError } from './session-ops';
import type { TransferState } from './types';

/** Progress of a transfer as the transferee reports it (NOTIFY sipfrag). */
export type ReferProgress = 'requested' | 'trying' | 'ringing';

/**
 * Sends a REFER (with Replaces when `replaces` is given) and resolves when the transferee
 * reports success (a 2xx NOTIFY). Rejects with a sentence when the REFER is refused or the
 * transferee's new call fails; the original call is left as it was.
 */
export function referSession(
  session: RTCSession,
  target: string,
  opts: { replaces?: RTCSession; onProgress?: (p: ReferProgress) => void; timeoutMs?: number } = {},
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new CallOperationError('The transfer got no answer in time.')),
      opts.timeoutMs ?? 60_000,
    );
    const fail = (message: string): void => {
      clearTimeout(timer);
      reject(new CallOperationError(message));
    };
    const code = (e: {
      response?: { status_code?: number };
      status_line?: { status_code?: number };
    }): string => {
      const status = e.response?.status_code ?? e.status_line?.status_code;
      return status ? ` (SIP ${status})` : '';
    };
    try {
      session.refer(target, {
        ...(opts.replaces ? { replaces: opts.replaces } : {}),
        eventHandlers: {
          requestSucceeded: () => opts.onProgress?.('requested'),
          requestFailed: (e: { response?: { status_code?: number } }) =>
            fail(`The other side refused the transfer${code(e)}.`),
          trying: () => opts.onProgress?.('trying'),
          progress: () => opts.onProgress?.('ringing'),
          accepted: () => {
            clearTimeout(timer);
            resolve();
          },
          failed: (e: { status_line?: { status_code?: number } }) =>
            fail(`The transfer target could not be reached${code(e)}.`),
        },
      });
    } catch (error: unknown) {
      fail(
        error instanceof Error
          ? `The transfer target is not valid: ${error.message}`
          : 'The transfer failed.',
      );
    }
  });
}

/**
 * Runs a transfer of `session` to `target` and reports each step through `report`: requesting,
 * the transferee's progress, then succeeded or failed (with the sentence for the user). Rejects
 * when the transfer failed; the call is left as it was.
 */
export async function runTransfer(
  session: RTCSession,
  kind: TransferState['kind'],
  target: string,
  replaces: RTCSession | null,
  report: (state: TransferState) => void,
): Promise<void> {
  report({ kind, target, state: 'requesting', message: null });
  try {
    await referSession(session, target, {
      ...(replaces ? { replaces } : {}),
      onProgress: (p) => report({ kind, target, state: p, message: null }),
    });
  } catch (error: unknown) {
    const message = error instanceof Error ? error.message : 'The transfer failed.';
    report({ kind, target, state: 'failed', message });
    throw error;
  }
  report({ kind, target, state: 'succeeded', message: null });
}
