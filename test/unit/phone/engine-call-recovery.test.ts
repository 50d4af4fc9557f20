// Calls that survive a network change (issue 20): after the connection under an answered call
// is replaced, the call is re-INVITEd with an ICE restart once registered again; when that is
// not possible within the bound, the call ends with a stated cause.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PhoneCall } from '../../../src-renderer/src/lib/phone';
import { EARLY_CONNECTION_LOST } from '../../../src-renderer/src/lib/phone/call';
import { CALL_RECOVERY_S } from '../../../src-renderer/src/lib/phone/call-recovery';
import type { FakePeerConnection } from '../../support/fake-webrtc';
import { header } from '../../support/loop-sip';
import { advance, harness, registered, ringing, type Harness } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

async function answeredCall(h: Harness): Promise<{ call: PhoneCall; callId: string }> {
  await registered(h);
  const incoming = new Promise<PhoneCall>((resolve) => h.engine.on('incoming', resolve));
  const callId = h.server.invite('alice');
  await advance(20);
  const call = await incoming;
  call.answer();
  await advance(100);
  expect(call.status).toBe('active');
  return { call, callId };
}

const reinvites = (h: Harness, callId: string) =>
  h.server
    .requests('INVITE')
    .filter((m) => header(m, 'call-id') === callId && /;\s*tag=/i.test(header(m, 'to') ?? ''));

describe('call recovery', () => {
  it('re-INVITEs an answered call with an ICE restart over the new connection', async () => {
    const h = harness();
    const { call, callId } = await answeredCall(h);
    h.socket.drop();
    await advance(10);
    expect(h.engine.registration.status).toBe('failed');
    expect(call.snapshot).toMatchObject({ status: 'active', end: null });
    await advance(10_000, 100);
    expect(h.engine.registration.status).toBe('registered');
    expect(reinvites(h, callId)).toHaveLength(1);
    const pc = call.peerConnection as unknown as FakePeerConnection;
    expect(pc.offerOptions.at(-1)).toMatchObject({ iceRestart: true });
    // The re-INVITE was answered: the call stays up past the bound.
    await advance(CALL_RECOVERY_S * 1000 + 1000, 500);
    expect(call.status).toBe('active');
  });

  it('ends the call with a stated cause when the connection does not come back in time', async () => {
    const h = harness();
    const { call } = await answeredCall(h);
    h.socket.reachable = false;
    h.socket.drop();
    await advance(CALL_RECOVERY_S * 1000 + 500, 500);
    expect(call.snapshot.status).toBe('ended');
    expect(call.snapshot.end).toMatchObject({ cause: 'connection-lost' });
    expect(call.snapshot.end?.message).toMatch(/could not be recovered within 20 s/);
  });

  it('ends the call with a stated cause when the re-INVITE is never answered', async () => {
    const h = harness();
    const { call, callId } = await answeredCall(h);
    h.server.onReinvite = () => {}; // a far end that vanished with the old network
    h.socket.drop();
    await advance(CALL_RECOVERY_S * 1000 + 500, 500);
    expect(reinvites(h, callId)).toHaveLength(1);
    expect(call.snapshot.status).toBe('ended');
    expect(call.snapshot.end).toMatchObject({ cause: 'connection-lost' });
  });
});

describe('call recovery, as the call shows it', () => {
  it('says "Reconnecting…" while the call waits for its connection, and no more once recovered', async () => {
    const h = harness();
    const { call } = await answeredCall(h);
    h.socket.drop();
    await advance(10);
    expect(call.snapshot.trouble).toMatchObject({ kind: 'reconnecting' });
    expect(call.snapshot.trouble?.message).toMatch(/^Reconnecting…/);
    await advance(10_000, 100);
    expect(h.engine.registration.status).toBe('registered');
    expect(call.snapshot).toMatchObject({ status: 'active', trouble: null });
  });

  it('keeps a held call held: the recovery re-INVITE offers sendonly', async () => {
    const h = harness();
    const { call, callId } = await answeredCall(h);
    const held = call.hold();
    await advance(100);
    await held;
    expect(call.snapshot.hold.local).toBe(true);
    const before = reinvites(h, callId).length;
    h.socket.drop();
    await advance(10_000, 100);
    const sent = reinvites(h, callId);
    expect(sent).toHaveLength(before + 1);
    expect(sent.at(-1)?.body).toMatch(/a=(sendonly|inactive)/);
    expect(sent.at(-1)?.body).not.toMatch(/a=sendrecv/);
    const pc = call.peerConnection as unknown as FakePeerConnection;
    expect(pc.offerOptions.at(-1)).toMatchObject({ iceRestart: true });
    expect(call.snapshot).toMatchObject({ status: 'active', trouble: null });
    expect(call.snapshot.hold.local).toBe(true);
  });
});

describe('ICE failure without a connection change', () => {
  const failIce = (pc: FakePeerConnection, state: RTCIceConnectionState): void => {
    pc.iceConnectionState = state;
    pc.dispatchEvent(new Event('iceconnectionstatechange'));
  };

  it('restarts ICE with a re-INVITE instead of ending the call', async () => {
    const h = harness();
    const { call, callId } = await answeredCall(h);
    const pc = call.peerConnection as unknown as FakePeerConnection;
    failIce(pc, 'failed');
    await advance(100);
    expect(call.snapshot).toMatchObject({ status: 'active', trouble: { kind: 'reconnecting' } });
    expect(reinvites(h, callId)).toHaveLength(1);
    expect(pc.offerOptions.at(-1)).toMatchObject({ iceRestart: true });
    // Answered, but recovered only once ICE connects again.
    await advance(1000, 100);
    expect(call.snapshot.trouble?.kind).toBe('reconnecting');
    failIce(pc, 'connected');
    expect(call.snapshot.trouble).toBeNull();
    await advance(CALL_RECOVERY_S * 1000 + 1000, 500);
    expect(call.status).toBe('active');
  });

  it('ends the call with a stated cause when ICE does not connect within the bound', async () => {
    const h = harness();
    const { call, callId } = await answeredCall(h);
    const pc = call.peerConnection as unknown as FakePeerConnection;
    failIce(pc, 'failed');
    await advance(CALL_RECOVERY_S * 1000 - 1000, 500);
    expect(call.status).toBe('active');
    failIce(pc, 'failed'); // the restarted checks fail too: still one recovery, one re-INVITE
    expect(reinvites(h, callId)).toHaveLength(1);
    await advance(1500, 500);
    expect(call.snapshot.status).toBe('ended');
    expect(call.snapshot.end).toMatchObject({ cause: 'media-failed' });
    expect(call.snapshot.end?.message).toMatch(/could not be set up again within 20 s/);
  });
});

describe('calls not answered yet when the connection drops', () => {
  it('ends a ringing outgoing call with the connection as the cause (not "you cancelled")', async () => {
    const h = harness();
    await registered(h);
    h.server.onInvite = (invite) => h.server.reply(invite, 180, 'Ringing');
    const call = h.engine.call('sip:bob@example.com');
    await advance(100);
    expect(call.status).toBe('ringing');
    h.socket.drop();
    await advance(10);
    expect(call.snapshot.status).toBe('ended');
    expect(call.snapshot.end).toEqual(EARLY_CONNECTION_LOST);
  });

  it('ends a ringing incoming call with the cause instead of letting it ring on', async () => {
    const h = harness();
    const { call } = await ringing(h);
    expect(call.status).toBe('incoming');
    h.socket.drop();
    await advance(10);
    expect(call.snapshot.status).toBe('ended');
    expect(call.snapshot.end).toEqual(EARLY_CONNECTION_LOST);
    expect(call.snapshot.end?.message).toMatch(/before the call was answered/);
  });
});
