// Which tones should sound for the calls there are, as a pure function of their snapshots:
// the ringtone on the ringer device, or the call-waiting tone / ringback in the call's output.
// The audio state re-evaluates it on every call change, so ringing stops the moment an
// incoming call is answered (here or elsewhere), declined or cancelled.
import type { CallSnapshot } from '../phone';

/** What should play now. */
export interface TonePlan {
  /** The ringtone on the ringer device. */
  ringer: 'ringtone' | null;
  /** A tone in the call output (the headset): call waiting wins over ringback. */
  callTone: 'call-waiting' | 'ringback' | null;
}

/** The snapshot fields the policy reads. */
export type PolicyCall = Pick<CallSnapshot, 'status' | 'direction' | 'earlyMedia' | 'hold'>;

const IN_PROGRESS = new Set(['dialing', 'ringing', 'answering', 'active']);

/**
 * - An incoming call rings on the ringer device, unless the user is in another call (one in
 *   progress and not on hold locally): then a soft call-waiting tone plays in the call output.
 * - An outgoing call that rings without early media plays local ringback in the call output.
 */
export function tonePlan(calls: readonly PolicyCall[]): TonePlan {
  const incoming = calls.some((c) => c.status === 'incoming');
  const engaged = calls.some((c) => IN_PROGRESS.has(c.status) && !c.hold.local);
  if (incoming) {
    return engaged
      ? { ringer: null, callTone: 'call-waiting' }
      : { ringer: 'ringtone', callTone: null };
  }
  const ringback = calls.some(
    (c) => c.direction === 'outgoing' && c.status === 'ringing' && !c.earlyMedia,
  );
  return { ringer: null, callTone: ringback ? 'ringback' : null };
}
