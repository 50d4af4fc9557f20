import { describe, expect, it } from 'vitest';
import {
  warmUpWebRtc,
  WARM_UP_CONFIG,
  type WarmablePeer,
} from '../../../src-renderer/src/lib/phone/webrtc-warm-up';

/** A peer connection that records what the warm-up does with it. */
class FakePeer implements WarmablePeer {
  readonly calls: string[] = [];
  constructor(private readonly offer: () => Promise<unknown> = async () => ({ type: 'offer' })) {}
  addTransceiver(kind: 'audio', init: RTCRtpTransceiverInit): unknown {
    this.calls.push(`addTransceiver ${kind} ${init.direction}`);
    return {};
  }
  createOffer(): Promise<unknown> {
    this.calls.push('createOffer');
    return this.offer();
  }
  setLocalDescription(): Promise<void> {
    this.calls.push('setLocalDescription');
    return Promise.resolve();
  }
  close(): void {
    this.calls.push('close');
  }
}

describe('warmUpWebRtc', () => {
  it('uses a relay-only connection with no relay: even applied, its offer could gather nothing', () => {
    expect(WARM_UP_CONFIG).toEqual({
      bundlePolicy: 'balanced',
      rtcpMuxPolicy: 'require',
      iceTransportPolicy: 'relay',
      iceServers: [],
    });
  });

  it('makes an offer on an audio connection and closes it, without applying the offer', async () => {
    const peer = new FakePeer();
    await warmUpWebRtc(() => peer);
    expect(peer.calls).toEqual(['addTransceiver audio sendrecv', 'createOffer', 'close']);
  });

  it('closes the connection when the offer fails, and does not throw', async () => {
    const peer = new FakePeer(() => Promise.reject(new DOMException('no', 'OperationError')));
    await expect(warmUpWebRtc(() => peer)).resolves.toBeUndefined();
    expect(peer.calls).toEqual(['addTransceiver audio sendrecv', 'createOffer', 'close']);
  });

  it('does nothing where the browser has no RTCPeerConnection or refuses to make one', async () => {
    await expect(warmUpWebRtc(() => null)).resolves.toBeUndefined();
    await expect(
      warmUpWebRtc(() => {
        throw new DOMException('refused', 'NotSupportedError');
      }),
    ).resolves.toBeUndefined();
    // In Node (the unit tests) there is no RTCPeerConnection: the default makes nothing.
    expect(typeof (globalThis as { RTCPeerConnection?: unknown }).RTCPeerConnection).toBe(
      'undefined',
    );
    await expect(warmUpWebRtc()).resolves.toBeUndefined();
  });
});
