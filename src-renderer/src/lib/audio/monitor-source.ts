// What a call's quality monitor (and its level meter) reads from the call, and the adapters
// from a PhoneCall: apart from the monitor and the meter so the app can hand a call over
// without loading their code (it loads with the first call).
import type { StatsInput } from './quality';
import type { CallSnapshot } from '../phone';

/** What the monitor reads from a call. */
export interface MonitorSource {
  /** Stats of the call's peer connection; null while there is none yet. */
  getStats(): Promise<StatsInput> | null;
  /** RTCPeerConnection.iceConnectionState, or null without a connection. */
  iceState(): string | null;
  /** The call's state: audio is expected only while active and not on hold here. */
  callState(): { active: boolean; heldLocal: boolean; heldRemote: boolean };
}

/** The parts of PhoneCall the adapter reads. */
export interface MonitoredCall {
  readonly peerConnection: RTCPeerConnection | null;
  readonly snapshot: Pick<CallSnapshot, 'status' | 'hold'>;
}

/** Adapts a PhoneCall (or anything shaped like it) to a monitor source. */
export function monitorSourceFor(call: MonitoredCall): MonitorSource {
  return {
    getStats: () => call.peerConnection?.getStats() ?? null,
    iceState: () => call.peerConnection?.iceConnectionState ?? null,
    callState: () => {
      const s = call.snapshot;
      return { active: s.status === 'active', heldLocal: s.hold.local, heldRemote: s.hold.remote };
    },
  };
}

/** Stats of the sender of a call's audio; null while the call has none. */
export type SenderStats = () => Promise<RTCStatsReport> | null;

/** The stats of a call's audio sender (what the call's level meter reads). */
export function senderStatsOf(call: Pick<MonitoredCall, 'peerConnection'>): SenderStats {
  return () => {
    const transceiver = call.peerConnection
      ?.getTransceivers()
      .find((t) => t.receiver.track.kind === 'audio');
    return transceiver ? transceiver.sender.getStats() : null;
  };
}
