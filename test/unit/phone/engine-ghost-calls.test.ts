// Ghost calls (issue 20): an answered call from which neither audio (inbound RTP packets in the
// connection's statistics) nor signalling of its dialog arrives is first shown as silent, then
// ended with "connection lost"; a BYE the vanished peer never answers does not hold the end back.
// Held calls, calls whose audio comes back and calls whose far end still signals stay up.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  GHOST_END_S,
  GHOST_POLL_S,
  GHOST_WARN_S,
} from '../../../src-renderer/src/lib/phone/ghost-watch';
import type { FakePeerConnection } from '../../support/fake-webrtc';
import { header } from '../../support/loop-sip';
import { advance, answeredCall, harness, type Harness } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const pcOf = (call: { peerConnection: RTCPeerConnection | null }): FakePeerConnection =>
  call.peerConnection as unknown as FakePeerConnection;

/** An answered call that received audio until now (the first statistics read is done). */
async function talking(h: Harness) {
  const answered = await answeredCall(h);
  pcOf(answered.call).inboundPackets = 50;
  await advance(GHOST_POLL_S * 1000 + 100, 50);
  return answered;
}

const byes = (h: Harness, callId: string) =>
  h.server.requests('BYE').filter((m) => header(m, 'call-id') === callId);

describe('ghost calls', () => {
  it('warns, then ends a call from which nothing arrives, without waiting for the BYE', async () => {
    const h = harness();
    const { call, invite } = await talking(h);
    h.server.onBye = () => {}; // the far end vanished: nobody answers the BYE either

    await advance(GHOST_WARN_S * 1000 + 500, 50);
    expect(call.snapshot.status).toBe('active');
    expect(call.snapshot.trouble).toMatchObject({ kind: 'silent' });
    expect(call.snapshot.trouble?.message).toMatch(/Nothing has come from the other side/);

    await advance((GHOST_END_S - GHOST_WARN_S) * 1000, 50);
    expect(call.snapshot.status).toBe('ended');
    expect(call.snapshot.end).toMatchObject({ cause: 'connection-lost', code: null });
    expect(call.snapshot.end?.message).toMatch(
      new RegExp(`nothing came from the other side for ${GHOST_END_S} s`),
    );
    expect(call.snapshot.trouble).toBeNull();
    // The BYE went out, and the call ended although it was never answered.
    expect(byes(h, header(invite, 'call-id') ?? '')).toHaveLength(1);
  });

  it('takes the warning back when the audio returns', async () => {
    const h = harness();
    const { call } = await talking(h);
    await advance(GHOST_WARN_S * 1000 + 500, 50);
    expect(call.snapshot.trouble?.kind).toBe('silent');

    pcOf(call).inboundPackets = 80;
    await advance(GHOST_POLL_S * 1000 + 100, 50);
    expect(call.snapshot.trouble).toBeNull();
    await advance(GHOST_END_S * 1000 - 5000, 50); // silent again, but not long enough
    expect(call.snapshot.status).toBe('active');
  });

  it('keeps a call whose far end still signals, though no audio arrives', async () => {
    const h = harness();
    const { call, invite } = await talking(h);
    for (let s = 0; s < GHOST_END_S * 2; s += GHOST_WARN_S - GHOST_POLL_S) {
      h.server.inDialog(invite, 'INFO', { body: 'ping', contentType: 'text/plain' });
      await advance((GHOST_WARN_S - GHOST_POLL_S) * 1000, 50);
    }
    expect(call.snapshot.status).toBe('active');
    expect(call.snapshot.trouble).toBeNull();
  });

  it('never calls a held call a ghost', async () => {
    const h = harness();
    const { call } = await talking(h);
    const held = call.hold();
    await advance(100);
    await held;
    expect(call.snapshot.hold.local).toBe(true);
    await advance(GHOST_END_S * 2000, 50);
    expect(call.snapshot.status).toBe('active');
    expect(call.snapshot.trouble).toBeNull();
  });

  it('claims nothing for a call that never received audio statistics', async () => {
    const h = harness();
    const { call } = await answeredCall(h); // the fake connection reports no inbound-rtp at all
    await advance(GHOST_END_S * 2000, 50);
    expect(call.snapshot.status).toBe('active');
    expect(call.snapshot.trouble).toBeNull();
  });
});
