// The CallInfo of a plain call (nothing asked for, nothing transferred), and call snapshots
// built on it, for fixtures.
import type { CallInfo, CallSnapshot } from '../../src-renderer/src/lib/phone/types';

export const PLAIN_CALL_INFO: CallInfo = {
  anonymous: false,
  autoAnswerAfterS: null,
  replacesCallId: null,
  transferredBy: null,
  extension: null,
};

/** A call snapshot (an active outgoing call with Bob Example unless overridden). */
export function snapshot(over: Partial<CallSnapshot> = {}): CallSnapshot {
  return {
    id: 'call-1',
    accountId: 'acc-1',
    direction: 'outgoing',
    status: 'active',
    party: { name: 'Bob Example', user: '1002', uri: 'sip:1002@pbx.example.com' },
    createdAt: Date.now() - 65_000,
    answeredAt: Date.now() - 61_000,
    endedAt: null,
    end: null,
    muted: false,
    remoteAudio: true,
    hold: { local: false, remote: false },
    earlyMedia: false,
    trouble: null,
    transfer: null,
    info: { ...PLAIN_CALL_INFO },
    ...over,
  };
}
