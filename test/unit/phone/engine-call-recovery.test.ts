// Calls that survive a network change (issue 20): after the connection under an answered call
// is replaced, the call is re-INVITEd with an ICE restart once registered again; when that is
// not possible within the bound, the call ends with a stated cause.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PhoneCall } from '../../../src-renderer/src/lib/phone';
import { PROVISIONAL_GAP_MS } from '../../../src-renderer/src/lib/phone/call-bounds';
import { CALL_RECOVERY_S } from '../../../src-renderer/src/lib/phone/call-recovery';
import type { FakePeerConnection } from '../../support/fake-webrtc';
import { header, SERVER_SDP, type SipMessage } from '../../support/loop-sip';
import {
  advance,
  answeredCall as answeredHarnessCall,
  harness,
  registered,
  ringing,
  type Harness,
} from './harness';

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

describe('call recovery when the network comes back', () => {
  it('connects at once during a call instead of waiting out the reconnection backoff', async () => {
    const h = harness();
    const { call, callId } = await answeredCall(h);
    h.socket.reachable = false;
    h.socket.drop();
    await advance(12_000, 100); // failed attempts: JsSIP's next one is up to 16 s away
    const connects = h.socket.connects;
    h.socket.reachable = true;
    h.engine.reconnectNow(); // the window heard `online`
    await advance(500, 20);
    expect(h.socket.connects).toBe(connects + 1);
    expect(h.engine.registration.status).toBe('registered');
    await advance(200, 20);
    expect(reinvites(h, callId)).toHaveLength(1);
    expect(call.snapshot).toMatchObject({ status: 'active', trouble: null });
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

// "Recovered call on network switch" in the early state, outgoing: the INVITE cannot move (its
// answer would come back over the old connection), so it is CANCELled over the new connection
// and the call is placed again there.
describe('a call we placed ringing when the connection drops', () => {
  /** A ringing call to bob; returns it and its INVITE. */
  async function ringingOut(h: Harness): Promise<{ call: PhoneCall; invite: SipMessage }> {
    await registered(h);
    h.server.onInvite = (invite) => h.server.reply(invite, 180, 'Ringing');
    const call = h.engine.call('sip:bob@example.com');
    await advance(100);
    expect(call.status).toBe('ringing');
    return { call, invite: h.server.requests('INVITE')[0]! };
  }

  it('CANCELs its INVITE over the new connection, then places the call again there', async () => {
    const h = harness();
    const { call, invite } = await ringingOut(h);
    h.socket.drop();
    await advance(10);
    // Not "you cancelled", not ended: it waits for the connection.
    expect(call.snapshot).toMatchObject({ status: 'ringing', end: null });
    expect(call.snapshot.trouble).toMatchObject({ kind: 'reconnecting' });
    expect(call.snapshot.trouble?.message).toMatch(/placed again once the connection is back/);
    expect(h.server.requests('CANCEL')).toEqual([]);
    h.server.onInvite = (again) => {
      h.server.reply(again, 180, 'Ringing');
      setTimeout(() => h.server.reply(again, 200, 'OK', { body: SERVER_SDP }), 100);
    };
    await advance(10_000, 100);
    expect(h.socket.connects).toBe(2);
    const cancels = h.server.requests('CANCEL');
    expect(cancels).toHaveLength(1);
    const [cancel] = cancels;
    // RFC 3261 §9.1: the INVITE's Request-URI, Call-ID, CSeq number, From, To and Via.
    expect(cancel!.startLine).toBe(invite.startLine.replace(/^INVITE/, 'CANCEL'));
    for (const name of ['via', 'call-id', 'from', 'to']) {
      expect(header(cancel!, name), name).toBe(header(invite, name));
    }
    expect(header(cancel!, 'cseq')).toBe(header(invite, 'cseq')?.replace(/INVITE$/, 'CANCEL'));
    // The new INVITE: same target, a new dialog, after the CANCEL.
    const invites = h.server.requests('INVITE');
    const again = invites.at(-1)!;
    expect(invites).toHaveLength(2);
    expect(again.startLine).toBe(invite.startLine);
    expect(header(again, 'call-id')).not.toBe(header(invite, 'call-id'));
    expect(h.server.received.indexOf(again)).toBeGreaterThan(h.server.received.indexOf(cancel!));
    expect(call.snapshot).toMatchObject({ status: 'active', end: null, trouble: null });
    await advance(CALL_RECOVERY_S * 1000 + 1000, 500);
    expect(call.status).toBe('active');
  });

  it('ends with the connection as the cause when it is not back within the bound', async () => {
    const h = harness();
    const { call } = await ringingOut(h);
    h.socket.reachable = false;
    h.socket.drop();
    await advance(CALL_RECOVERY_S * 1000 - 1000, 500);
    expect(call.snapshot).toMatchObject({ status: 'ringing', end: null });
    await advance(1500, 500);
    expect(call.snapshot.status).toBe('ended');
    expect(call.snapshot.end).toMatchObject({ cause: 'connection-lost' });
    expect(call.snapshot.end?.message).toMatch(/not back within 20 s to place the call again/);
  });

  it('hung up while it waits: ends as the user cancelled it, and is not placed again', async () => {
    const h = harness();
    const { call } = await ringingOut(h);
    h.socket.reachable = false;
    h.socket.drop();
    await advance(1000);
    call.hangup();
    expect(call.snapshot.status).toBe('ended');
    expect(call.snapshot.end?.cause).toBe('canceled-local');
    h.socket.reachable = true;
    await advance(15_000, 100);
    expect(h.engine.registration.status).toBe('registered');
    // The far end still hears the CANCEL; no second INVITE.
    expect(h.server.requests('CANCEL')).toHaveLength(1);
    expect(h.server.requests('INVITE')).toHaveLength(1);
  });

  // The call ends at the 20 s bound; its CANCEL still goes while a proxy may keep the far end
  // ringing (Timer C, over 3 minutes), and not after.
  it.each([
    { downMs: 60_000, cancels: 1 },
    { downMs: PROVISIONAL_GAP_MS + 10_000, cancels: 0 },
  ])('a connection back after $downMs ms sends $cancels CANCEL', async ({ downMs, cancels }) => {
    const h = harness();
    const { call } = await ringingOut(h);
    h.socket.reachable = false;
    h.socket.drop();
    await advance(downMs, 1000);
    expect(call.snapshot.end).toMatchObject({ cause: 'connection-lost' });
    h.socket.reachable = true;
    await advance(40_000, 1000);
    expect(h.engine.registration.status).toBe('registered');
    expect(h.server.requests('CANCEL')).toHaveLength(cancels);
    expect(h.server.requests('INVITE')).toHaveLength(1);
  });
});

// "Recovered call on network switch" in the early state, incoming: the INVITE's server
// transaction outlives the connection; the replies that could not go wait for the next one,
// and a proxy (here the loop server) takes them by their Via branch from any connection.
describe('an incoming call ringing when the connection drops', () => {
  const finalAnswers = (h: Harness, callId: string) =>
    h.server.received.filter(
      (m) =>
        m.head.kind === 'response' &&
        header(m, 'call-id') === callId &&
        /\bINVITE$/.test(header(m, 'cseq') ?? '') &&
        !/^SIP\/2\.0 1\d\d/.test(m.startLine),
    );

  it('rings on, says it is reconnecting, and is answered over the new connection', async () => {
    const h = harness();
    const { call, callId } = await ringing(h);
    h.socket.drop();
    await advance(10);
    expect(call.snapshot).toMatchObject({ status: 'incoming', end: null });
    expect(call.snapshot.trouble).toMatchObject({ kind: 'reconnecting' });
    expect(call.snapshot.trouble?.message).toMatch(/can still be answered/);
    await advance(10_000, 100);
    expect(h.engine.registration.status).toBe('registered');
    expect(h.socket.connects).toBe(2);
    expect(call.snapshot.trouble).toBeNull();
    call.answer();
    await advance(100);
    expect(finalAnswers(h, callId).map((m) => m.startLine)).toEqual(['SIP/2.0 200 OK']);
    expect(call.status).toBe('active');
    // The loop server ACKed the 200: the call outlives JsSIP's ACK bound (Timer H) and ours.
    await advance(CALL_RECOVERY_S * 1000 + 33_000, 1000);
    expect(call.snapshot).toMatchObject({ status: 'active', end: null });
  });

  it('answered while the connection is down, its 200 OK goes out once one is back', async () => {
    const h = harness();
    const { call, callId } = await ringing(h);
    h.socket.reachable = false;
    h.socket.drop();
    await advance(10);
    call.answer();
    await advance(3000, 100);
    expect(finalAnswers(h, callId)).toEqual([]);
    expect(call.snapshot.end).toBeNull();
    h.socket.reachable = true;
    await advance(15_000, 100);
    expect(h.engine.registration.status).toBe('registered');
    // Sent once the connection was back (then retransmitted until the loop server's ACK).
    const answers = finalAnswers(h, callId);
    expect(answers.length).toBeGreaterThanOrEqual(1);
    expect(answers.every((m) => m.startLine === 'SIP/2.0 200 OK')).toBe(true);
    expect(call.snapshot).toMatchObject({ status: 'active', end: null, trouble: null });
    await advance(CALL_RECOVERY_S * 1000 + 33_000, 1000);
    expect(call.snapshot).toMatchObject({ status: 'active', end: null });
  });

  it('declined while the connection is down, the 486 reaches the caller once it is back', async () => {
    const h = harness();
    const { call, callId } = await ringing(h);
    h.socket.reachable = false;
    h.socket.drop();
    await advance(10);
    call.decline(486);
    await advance(100);
    expect(call.snapshot.status).toBe('ended');
    expect(finalAnswers(h, callId)).toEqual([]);
    h.socket.reachable = true;
    await advance(15_000, 100);
    expect(finalAnswers(h, callId).map((m) => m.startLine)).toEqual(['SIP/2.0 486 Busy Here']);
  });

  it('a CANCEL over the new connection still finds the call and stops it ringing', async () => {
    const h = harness();
    const { call, callId } = await ringing(h);
    h.socket.drop();
    await advance(10_000, 100);
    expect(h.engine.registration.status).toBe('registered');
    h.server.cancel(callId);
    await advance(100);
    expect(call.snapshot.status).toBe('ended');
    expect(call.snapshot.end?.cause).toBe('canceled-remote');
    expect(finalAnswers(h, callId).map((m) => m.startLine)).toEqual([
      'SIP/2.0 487 Request Terminated',
    ]);
  });

  it('ends with the connection as the cause when it is not back within the bound', async () => {
    const h = harness();
    const { call } = await ringing(h);
    h.socket.reachable = false;
    h.socket.drop();
    await advance(CALL_RECOVERY_S * 1000 - 1000, 500);
    expect(call.status).toBe('incoming');
    await advance(1500, 500);
    expect(call.snapshot.status).toBe('ended');
    expect(call.snapshot.end).toMatchObject({ cause: 'connection-lost' });
    expect(call.snapshot.end?.message).toMatch(/while the call was ringing.*within 20 s/);
  });
});

// The other side of it: the callee answered over a new connection, and a proxy aliased the
// 2xx's Contact to that connection. JsSIP 3.13 kept the 1xx's Contact as the remote target,
// so the ACK and the BYE went to the callee's dead connection.
describe('a call we placed that the far end answers over another connection', () => {
  it('sends the ACK and the BYE to the Contact of the 2xx, not of the 180', async () => {
    const h = harness();
    await registered(h);
    h.server.onInvite = (invite) => {
      h.server.reply(invite, 180, 'Ringing', {
        headers: ['Contact: <sip:bob@127.0.0.1:5060;transport=ws;alias=old-flow>'],
      });
      setTimeout(() => h.server.reply(invite, 200, 'OK', { body: SERVER_SDP }), 50);
    };
    const call = h.engine.call('sip:bob@example.com');
    await advance(300);
    expect(call.status).toBe('active');
    const [ack] = h.server.requests('ACK');
    expect(ack?.startLine).toBe('ACK sip:server@127.0.0.1:5060;transport=ws SIP/2.0');
    call.hangup();
    await advance(100);
    const [bye] = h.server.requests('BYE');
    expect(bye?.startLine).toBe('BYE sip:server@127.0.0.1:5060;transport=ws SIP/2.0');
  });
});

// "Recovered call on network switch … during a re-INVITE": JsSIP 3.13 ends the whole call
// ("Connection Error") when the connection drops under a re-INVITE of ours that has no final
// answer yet; the phone gives that re-INVITE up and recovers the call instead.
describe('call recovery during a re-INVITE', () => {
  const lastSdpDirection = (m: { body: string } | undefined): string =>
    /a=(sendrecv|sendonly|recvonly|inactive)/.exec(m?.body ?? '')?.[1] ?? '';
  const cseqOf = (m: SipMessage | undefined): number =>
    Number.parseInt(header(m as SipMessage, 'cseq') ?? '', 10);

  /** The next re-INVITE gets no answer (`reply` lets it get a provisional one); later ones are answered. */
  function swallowNextReinvite(h: Harness, reply?: (invite: SipMessage) => void): void {
    const answer = h.server.onReinvite;
    h.server.onReinvite = (invite) => {
      h.server.onReinvite = answer;
      reply?.(invite);
    };
  }

  it('recovers a call whose hold re-INVITE was unanswered when the connection dropped, held', async () => {
    const h = harness();
    const { call, callId } = await answeredCall(h);
    swallowNextReinvite(h);
    const outcome = call.hold().then(
      () => 'held',
      (e: unknown) => String(e),
    );
    await advance(50);
    const hold = reinvites(h, callId).at(-1);
    expect(lastSdpDirection(hold)).toBe('sendonly');
    h.socket.drop();
    await advance(10);
    // JsSIP alone ends the call here with "Connection Error".
    expect(call.snapshot).toMatchObject({ status: 'active', trouble: { kind: 'reconnecting' } });
    await advance(10_000, 100);
    expect(h.engine.registration.status).toBe('registered');
    const sent = reinvites(h, callId);
    expect(sent).toHaveLength(2);
    // The recovery re-INVITE carries the hold the user asked for, with an ICE restart…
    expect(lastSdpDirection(sent[1])).toBe('sendonly');
    const pc = call.peerConnection as unknown as FakePeerConnection;
    expect(pc.offerOptions.at(-1)).toMatchObject({ iceRestart: true });
    // …after an ACK for the given-up hold, in case the far end answered it over the dead flow.
    const ack = h.server
      .requests('ACK')
      .find((m) => header(m, 'call-id') === callId && cseqOf(m) === cseqOf(hold));
    expect(ack).toBeDefined();
    expect(h.server.received.indexOf(ack!)).toBeLessThan(h.server.received.indexOf(sent[1]!));
    // The hold completes with the recovery, and stays: its own bound (cancel at 10 s, give up
    // at 15 s) is not left to cancel or undo anything afterwards.
    expect(await outcome).toBe('held');
    await advance(CALL_RECOVERY_S * 1000 + 1000, 500);
    expect(call.snapshot).toMatchObject({ status: 'active', trouble: null });
    expect(call.snapshot.hold.local).toBe(true);
    expect(h.server.requests('CANCEL')).toHaveLength(0);
    expect(reinvites(h, callId)).toHaveLength(2);
  });

  it("keeps the hold asked for when the connection takes longer than the hold's own bound", async () => {
    const h = harness();
    const { call, callId } = await answeredCall(h);
    swallowNextReinvite(h);
    const outcome = call.hold().then(
      () => 'held',
      (e: unknown) => String(e),
    );
    await advance(50);
    h.socket.reachable = false;
    h.socket.drop();
    // Past the hold's 10 s + 5 s bound: it must not give up (or undo) the hold meanwhile.
    await advance(16_000, 100);
    expect(call.snapshot.hold.local).toBe(true);
    h.socket.reachable = true;
    h.engine.reconnectNow(); // the network is back (the window heard `online`)
    await advance(3000, 100);
    const sent = reinvites(h, callId);
    expect(sent).toHaveLength(2);
    expect(lastSdpDirection(sent[1])).toBe('sendonly');
    expect(await outcome).toBe('held');
    expect(call.snapshot).toMatchObject({ status: 'active', trouble: null });
    expect(call.snapshot.hold.local).toBe(true);
  });

  it('recovers a call whose resume got only a provisional answer, resumed', async () => {
    const h = harness();
    const { call, callId } = await answeredCall(h);
    await Promise.all([call.hold(), advance(100)]);
    swallowNextReinvite(h, (invite) => h.server.reply(invite, 100, 'Trying'));
    const outcome = call.resume().then(
      () => 'resumed',
      (e: unknown) => String(e),
    );
    await advance(50);
    expect(lastSdpDirection(reinvites(h, callId).at(-1))).toBe('sendrecv');
    h.socket.drop();
    await advance(10_000, 100);
    expect(call.snapshot).toMatchObject({ status: 'active', trouble: null });
    const sent = reinvites(h, callId);
    expect(sent).toHaveLength(3); // hold, the lost resume, the recovery
    expect(lastSdpDirection(sent[2])).toBe('sendrecv');
    expect(await outcome).toBe('resumed');
    expect(call.snapshot.hold.local).toBe(false);
  });

  it("recovers a call whose session refresh (JsSIP's own UPDATE) was in flight", async () => {
    const h = harness({ sessionTimers: true, sessionExpires: 90 });
    const { call, invite } = await answeredHarnessCall(h);
    const callId = header(invite, 'call-id') ?? '';
    const updates = (): number =>
      h.server.requests('UPDATE').filter((m) => header(m, 'call-id') === callId).length;
    await advance(46_000, 500); // the refresh goes at half the interval; the loop never answers it
    expect(updates()).toBe(1);
    h.socket.drop();
    await advance(10_000, 100);
    expect(call.snapshot).toMatchObject({ status: 'active', trouble: null });
    // The recovery re-INVITE refreshes the session too.
    const sent = reinvites(h, callId);
    expect(sent).toHaveLength(1);
    expect(header(sent[0]!, 'session-expires')).toMatch(/^90/);
    await advance(40_000, 500); // past the lost UPDATE's Timer F
    expect(call.status).toBe('active');
  });

  it('sends another recovery re-INVITE when the new connection drops under the first', async () => {
    const h = harness();
    const { call, callId } = await answeredCall(h);
    h.socket.drop();
    swallowNextReinvite(h); // the recovery re-INVITE on the second connection is lost too
    await advance(3000, 50);
    expect(reinvites(h, callId)).toHaveLength(1);
    h.socket.drop();
    await advance(10);
    expect(call.snapshot).toMatchObject({ status: 'active', trouble: { kind: 'reconnecting' } });
    await advance(10_000, 100);
    expect(reinvites(h, callId)).toHaveLength(2);
    expect(call.snapshot).toMatchObject({ status: 'active', trouble: null });
    await advance(CALL_RECOVERY_S * 1000, 500);
    expect(call.status).toBe('active');
  });

  it('recovers a call put on hold while its connection was down: the recovery offer holds it', async () => {
    const h = harness();
    const { call, callId } = await answeredCall(h);
    h.socket.reachable = false;
    h.socket.drop();
    await advance(10);
    const outcome = call.hold().then(
      () => 'held',
      (e: unknown) => String(e),
    );
    await advance(100);
    // JsSIP alone ends the call when the hold cannot be sent.
    expect(call.snapshot).toMatchObject({ status: 'active', trouble: { kind: 'reconnecting' } });
    h.socket.reachable = true;
    await advance(10_000, 100);
    const sent = reinvites(h, callId);
    expect(sent).toHaveLength(1);
    expect(lastSdpDirection(sent[0])).toBe('sendonly');
    expect(await outcome).toBe('held');
    expect(call.snapshot).toMatchObject({ status: 'active', trouble: null });
  });

  it('tries the recovery re-INVITE again while the far end answers "not now" (500 Retry-After)', async () => {
    const h = harness();
    const { call, callId } = await answeredCall(h);
    const answer = h.server.onReinvite;
    let turnedAway = 0;
    h.server.onReinvite = (invite) => {
      if (turnedAway < 2) {
        turnedAway += 1;
        h.server.reply(invite, 500, 'Server Internal Error', { headers: ['Retry-After: 1'] });
        return;
      }
      answer(invite);
    };
    h.socket.drop();
    await advance(15_000, 100);
    expect(reinvites(h, callId)).toHaveLength(3);
    expect(call.snapshot).toMatchObject({ status: 'active', trouble: null });
  });

  it('ends the call at once with the cause when the far end refuses the recovery re-INVITE', async () => {
    const h = harness();
    const { call } = await answeredCall(h);
    h.server.onReinvite = (invite) => h.server.reply(invite, 488, 'Not Acceptable Here');
    h.socket.drop();
    await advance(10_000, 100);
    expect(call.snapshot.status).toBe('ended');
    expect(call.snapshot.end).toMatchObject({ cause: 'connection-lost', code: 488 });
    expect(call.snapshot.end?.message).toMatch(/refused the new connection \(SIP 488\)/);
  });

  it('restarts ICE once a hold in flight when ICE failed is answered', async () => {
    const h = harness();
    const { call, callId } = await answeredCall(h);
    let holdInvite: SipMessage | undefined;
    swallowNextReinvite(h, (invite) => {
      holdInvite = invite;
      h.server.reply(invite, 100, 'Trying');
    });
    const held = call.hold();
    await advance(50);
    const pc = call.peerConnection as unknown as FakePeerConnection;
    pc.iceConnectionState = 'failed';
    pc.dispatchEvent(new Event('iceconnectionstatechange'));
    await advance(2000, 100);
    expect(reinvites(h, callId)).toHaveLength(1); // JsSIP refuses a second offer meanwhile
    h.server.reply(holdInvite!, 200, 'OK', { body: SERVER_SDP });
    await Promise.all([held, advance(2000, 100)]);
    const sent = reinvites(h, callId);
    expect(sent).toHaveLength(2);
    expect(lastSdpDirection(sent[1])).toBe('sendonly');
    expect(pc.offerOptions.at(-1)).toMatchObject({ iceRestart: true });
    pc.iceConnectionState = 'connected';
    pc.dispatchEvent(new Event('iceconnectionstatechange'));
    expect(call.snapshot).toMatchObject({ status: 'active', trouble: null });
  });
});
