// Issue 13, stuck and leaking call paths, on the loop server with real JsSIP: every ended call
// closes its peer connection and leaves nothing in the UA; a hold answered only by 1xx is
// bounded, cancelled and recovered; an unanswered outgoing call is bounded with a cause; a 1xx
// whose SDP the browser refuses still shows the far end ringing; a re-INVITE the browser
// cannot apply is answered 488 and leaves the call as it was.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PhoneCall } from '../../../src-renderer/src/lib/phone/call';
import { AUDIO_LOST_NOTICE, FROZEN_NOTICE } from '../../../src-renderer/src/lib/phone/call';
import {
  DIALING_LIMIT_MS,
  PROVISIONAL_GAP_MS,
} from '../../../src-renderer/src/lib/phone/call-bounds';
import { CANCELLED_INVITE_MS } from '../../../src-renderer/src/lib/phone/jssip-internals';
import {
  AUDIO_WATCH_MS,
  payloadTypeConflict,
} from '../../../src-renderer/src/lib/phone/reinvite-guard';
import { REOFFER_BOUNDS } from '../../../src-renderer/src/lib/phone/session-ops';
import {
  peerConnections,
  setGatheringScript,
  setSdpRefusals,
  type FakePeerConnection,
} from '../../support/fake-webrtc';
import { header, SERVER_SDP, type SipMessage } from '../../support/loop-sip';
import { advance, answeredCall, harness, registered, type Harness } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
  setGatheringScript({ kind: 'candidates', at: [{ ms: 1, typ: 'host' }], completeAtMs: 5 });
  setSdpRefusals([]);
});
afterEach(() => {
  setSdpRefusals([]);
  vi.useRealTimers();
});

/** An SDP the fake browser refuses (as Chromium refuses what it cannot apply). */
const BAD_SDP = SERVER_SDP.replace('a=sendrecv', 'a=sendrecv\r\na=x-refused-by-browser');
const refuseBad = (step: 'setRemoteDescription' | 'createAnswer' | 'setLocalDescription') => ({
  step,
  when: (sdp: string) => sdp.includes('x-refused-by-browser'),
});

function openPeerConnections(since: number): FakePeerConnection[] {
  return peerConnections.slice(since).filter((pc) => !pc.closed);
}

describe('every ended call releases its peer connection, session, dialog and microphone', () => {
  it('over 60 calls answered by a 2xx without SDP, with SDP the browser refuses, or after we cancelled', async () => {
    const h = harness();
    await registered(h);
    setSdpRefusals([refuseBad('setRemoteDescription')]);
    // The far end answers 200 to the INVITE we cancel (the race every phone must survive).
    h.server.cancelReply = 'ok';
    const since = peerConnections.length;
    const kinds = ['no-sdp', 'refused-sdp', 'late-2xx'] as const;
    const calls: PhoneCall[] = [];
    for (let i = 0; i < 60; i += 1) {
      const kind = kinds[i % kinds.length]!;
      h.server.onInvite = (invite) => {
        if (kind === 'late-2xx') {
          h.server.reply(invite, 180, 'Ringing');
          setTimeout(() => h.server.reply(invite, 200, 'OK', { body: SERVER_SDP }), 30);
          return;
        }
        h.server.reply(invite, 200, 'OK', kind === 'no-sdp' ? {} : { body: BAD_SDP });
      };
      const call = h.engine.call('sip:bob@example.com');
      calls.push(call);
      if (kind === 'late-2xx') {
        await advance(15);
        call.hangup();
      }
      await advance(100);
    }
    expect(calls.every((c) => c.status === 'ended')).toBe(true);
    expect(openPeerConnections(since)).toEqual([]);
    expect(h.media.opened.every((t) => t.readyState === 'ended')).toBe(true);
    expect(h.engine.footprint).toMatchObject({ sessions: 0, dialogs: 0 });
    // Each far end that answered got ACK and BYE.
    expect(h.server.requests('BYE').length).toBe(60);
  });

  it('gives up a cancelled INVITE whose 487 never comes after 64×T1', async () => {
    const h = harness();
    await registered(h);
    h.server.onInvite = (invite) => h.server.reply(invite, 180, 'Ringing');
    h.server.cancelReply = 'none';
    const call = h.engine.call('sip:bob@example.com');
    await advance(100);
    call.hangup();
    await advance(100);
    expect(h.server.requests('CANCEL')).toHaveLength(1);
    expect(h.engine.footprint.transactions).toBeGreaterThan(0);
    await advance(CANCELLED_INVITE_MS + 100, 100);
    expect(h.engine.footprint).toEqual({ sessions: 0, dialogs: 0, transactions: 0 });
  });
});

describe('a hold answered only by a provisional response', () => {
  async function holdUnanswered(cancelAnswered: boolean): Promise<{ h: Harness; call: PhoneCall }> {
    const h = harness();
    const { call } = await answeredCall(h);
    const reinvites: SipMessage[] = [];
    h.server.onReinvite = (reinvite) => {
      reinvites.push(reinvite);
      h.server.reply(reinvite, 100, 'Trying');
      h.server.reply(reinvite, 180, 'Ringing');
    };
    h.server.cancelReply = cancelAnswered ? 'ok-and-487' : 'none';
    const hold = call.hold();
    const result = hold.then(
      () => 'held',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    await advance(REOFFER_BOUNDS.answerMs + REOFFER_BOUNDS.cancelMs + 200, 50);
    expect(await result).toMatch(/did not answer the hold in time; the call goes on as before/);
    expect(reinvites).toHaveLength(1);
    expect(h.server.requests('CANCEL')).toHaveLength(1);
    expect(header(h.server.requests('CANCEL')[0]!, 'cseq')).toBe(
      (header(reinvites[0]!, 'cseq') ?? '').replace('INVITE', 'CANCEL'),
    );
    return { h, call };
  }

  for (const cancelAnswered of [true, false]) {
    it(`is cancelled and the call recovers (${cancelAnswered ? 'the CANCEL answered 487' : 'no answer to the CANCEL either'})`, async () => {
      const { h, call } = await holdUnanswered(cancelAnswered);
      expect(call.status).toBe('active');
      expect(call.snapshot.hold.local).toBe(false);
      expect(h.media.opened[0]?.enabled).toBe(true);
      expect(h.server.requests('BYE')).toHaveLength(0);
      expect(call.peerConnection?.signalingState).toBe('stable');

      // The dialog is free again: the next hold goes out and works.
      h.server.onReinvite = (reinvite) => h.server.reply(reinvite, 200, 'OK', { body: SERVER_SDP });
      const next = call.hold();
      await advance(200);
      await next;
      expect(call.snapshot.hold.local).toBe(true);
      expect(h.server.requests('INVITE')).toHaveLength(3);
    });
  }

  it('a refused hold (488) keeps the call up and unheld instead of ending it', async () => {
    const h = harness();
    const { call } = await answeredCall(h);
    h.server.onReinvite = (reinvite) => h.server.reply(reinvite, 488, 'Not Acceptable Here');
    await advance(1);
    const result = call.hold().then(
      () => null,
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    );
    await advance(200);
    expect(await result).toBe(
      'The other side refused the hold (SIP 488); the call goes on as before.',
    );
    expect(call.status).toBe('active');
    expect(call.snapshot.hold.local).toBe(false);
    expect(h.server.requests('BYE')).toHaveLength(0);
  });
});

describe('an outgoing call that is not answered', () => {
  async function place(h: Harness, onInvite: (invite: SipMessage) => void): Promise<PhoneCall> {
    await registered(h);
    h.server.onInvite = onInvite;
    const call = h.engine.call('sip:bob@example.com');
    await advance(100);
    return call;
  }

  it('after a lone 100 Trying is cancelled with a cause', async () => {
    const h = harness();
    const since = peerConnections.length;
    const call = await place(h, (invite) => h.server.reply(invite, 100, 'Trying'));
    expect(call.status).toBe('dialing');
    await advance(DIALING_LIMIT_MS - 200, 100);
    expect(call.status).toBe('dialing');
    await advance(300, 50);
    expect(call.snapshot.end).toEqual({
      cause: 'no-response',
      code: null,
      message: 'The other side did not respond.',
    });
    expect(header(h.server.requests('CANCEL')[0]!, 'reason')).toMatch(/cause=408/);
    expect(openPeerConnections(since)).toEqual([]);
  });

  it('ringing with no provisional response for 3 minutes is cancelled; one every minute keeps it', async () => {
    const h = harness();
    let keepAlive = true;
    const call = await place(h, (invite) => {
      h.server.reply(invite, 180, 'Ringing');
      const again = (): void => {
        if (keepAlive) {
          h.server.reply(invite, 180, 'Ringing');
          setTimeout(again, 60_000);
        }
      };
      setTimeout(again, 60_000);
    });
    await advance(PROVISIONAL_GAP_MS * 2, 500);
    expect(call.status).toBe('ringing');
    keepAlive = false;
    await advance(PROVISIONAL_GAP_MS + 60_000, 500);
    expect(call.snapshot.end?.cause).toBe('no-answer');
    expect(h.server.requests('CANCEL')).toHaveLength(1);
  });

  it('a 183 whose SDP the browser refuses shows ringing (no early media), and the answer decides', async () => {
    setSdpRefusals([refuseBad('setRemoteDescription')]);
    for (const answerSdp of [SERVER_SDP, BAD_SDP]) {
      const h = harness();
      const call = await place(h, (invite) => {
        h.server.reply(invite, 183, 'Session Progress', { body: BAD_SDP });
        setTimeout(() => h.server.reply(invite, 200, 'OK', { body: answerSdp }), 1000);
      });
      expect(call.status).toBe('ringing');
      expect(call.snapshot.earlyMedia).toBe(false);
      await advance(1100, 20);
      if (answerSdp === SERVER_SDP) {
        expect(call.status).toBe('active');
        call.hangup();
      } else {
        expect(call.snapshot.end?.cause).toBe('incompatible-media');
      }
      await advance(50);
      expect(h.engine.footprint).toMatchObject({ sessions: 0, dialogs: 0 });
    }
  });
});

describe('a re-INVITE from the other side that the browser cannot apply', () => {
  /** Our answers to in-dialog INVITEs: final ones only. */
  const finalAnswers = (h: Harness): SipMessage[] =>
    h.server.received.filter(
      (m) =>
        m.head.kind === 'response' &&
        (header(m, 'cseq') ?? '').endsWith(' INVITE') &&
        (m.head.status ?? 0) >= 200 &&
        header(m, 'cseq') !== header(h.server.requests('INVITE')[0]!, 'cseq'),
    );

  async function holdWorks(h: Harness, call: PhoneCall): Promise<void> {
    h.server.onReinvite = (r) => h.server.reply(r, 200, 'OK', { body: SERVER_SDP });
    const held = call.hold();
    await advance(100);
    await held;
    expect(call.snapshot.hold.local).toBe(true);
    expect(h.server.requests('BYE')).toHaveLength(0);
  }

  it('that reuses a payload type for another codec is refused before anything is applied', async () => {
    // Linphone's re-INVITE: payload type 111 (Opus so far) now names telephone-event.
    const remap = SERVER_SDP.replace(
      'a=rtpmap:111 opus/48000/2',
      'a=rtpmap:111 telephone-event/48000',
    );
    const h = harness();
    const { call, invite } = await answeredCall(h);
    const pc = peerConnections.at(-1)!;
    const before = pc.remoteDescription;
    h.server.inDialog(invite, 'INVITE', { body: remap });
    await advance(100);
    const [answer, ...more] = finalAnswers(h);
    expect(more).toEqual([]);
    expect(answer?.startLine).toBe('SIP/2.0 488 Not Acceptable Here');
    expect(header(answer!, 'warning')).toBe(
      '305 open-softphone "payload type 111 changed from opus/48000/2 to telephone-event/48000/1"',
    );
    expect(pc.remoteDescription).toBe(before);
    expect(pc.signalingState).toBe('stable');
    await holdWorks(h, call);
  });

  for (const step of ['createAnswer', 'setRemoteDescription'] as const) {
    it(`is answered 488 once, rolled back, and the call goes on (${step} refused)`, async () => {
      const h = harness();
      const { call, invite } = await answeredCall(h);
      setSdpRefusals([refuseBad(step)]);
      const notices: string[] = [];
      call.on('notice', (n) => notices.push(n));
      h.server.inDialog(invite, 'INVITE', { body: BAD_SDP });
      await advance(100);
      // One final answer, 488 (JsSIP's own was 500, then a 200 without SDP).
      expect(finalAnswers(h).map((m) => m.startLine)).toEqual(['SIP/2.0 488 Not Acceptable Here']);
      expect(call.peerConnection?.signalingState).toBe('stable');
      expect(call.status).toBe('active');
      await holdWorks(h, call);
      expect(notices).toEqual([]);
    });
  }

  it('and cannot go back (answer refused: Chromium cannot roll back) says so and keeps the call up', async () => {
    const h = harness();
    const { call, invite } = await answeredCall(h);
    setSdpRefusals([refuseBad('setLocalDescription')]);
    const notices: string[] = [];
    call.on('notice', (n) => notices.push(n));
    h.server.inDialog(invite, 'INVITE', { body: BAD_SDP });
    await advance(100);
    expect(finalAnswers(h).map((m) => m.startLine)).toEqual(['SIP/2.0 488 Not Acceptable Here']);
    expect(notices).toEqual([FROZEN_NOTICE]);
    expect(call.status).toBe('active');
    const reinvites = h.server.requests('INVITE').length;
    await expect(call.hold()).rejects.toThrow(FROZEN_NOTICE);
    expect(h.server.requests('INVITE')).toHaveLength(reinvites);
    expect(h.server.requests('BYE')).toHaveLength(0);
    expect(call.status).toBe('active');
  });

  it('tells the user when the audio stopped after the refusal, and only then', async () => {
    for (const audioGoesOn of [true, false]) {
      const h = harness();
      const { call, invite } = await answeredCall(h);
      setSdpRefusals([refuseBad('createAnswer')]);
      const pc = peerConnections.at(-1)!;
      pc.inboundPackets = 500;
      const flowing = setInterval(() => {
        if (audioGoesOn) {
          pc.inboundPackets = (pc.inboundPackets ?? 0) + 50;
        }
      }, 1000);
      const notices: string[] = [];
      call.on('notice', (n) => notices.push(n));
      h.server.inDialog(invite, 'INVITE', { body: BAD_SDP });
      await advance(AUDIO_WATCH_MS + 500, 50);
      clearInterval(flowing);
      expect(notices).toEqual(audioGoesOn ? [] : [AUDIO_LOST_NOTICE]);
    }
  });
});

describe('RFC 4733 key presses toward a phone that answers telephone-event at 48 and 8 kHz', () => {
  // Linphone's answer: Chromium sends on the 8 kHz payload type, so each key is asked for six
  // times as long; at 100 ms each key became three end packets, which Linphone took as three.
  const LINPHONE_SDP = SERVER_SDP.replace(
    'm=audio 40000 UDP/TLS/RTP/SAVPF 111',
    'm=audio 40000 UDP/TLS/RTP/SAVPF 96 110 126',
  ).replace(
    'a=rtpmap:111 opus/48000/2',
    'a=rtpmap:96 opus/48000/2\r\na=rtpmap:110 telephone-event/48000\r\na=rtpmap:126 telephone-event/8000',
  );

  it('asks RTCDTMFSender for a duration on the 8 kHz clock', async () => {
    const h = harness();
    await registered(h);
    h.server.onInvite = (invite) => h.server.reply(invite, 200, 'OK', { body: LINPHONE_SDP });
    const call = h.engine.call('sip:bob@example.com');
    await advance(100);
    call.sendDtmf('123#9*0');
    await advance(10);
    const dtmf = peerConnections.at(-1)!.getSenders()[0]!.dtmf;
    expect(dtmf.sent).toEqual(['123#9*0']);
    expect(dtmf.durations).toEqual([600]);
  });
});

describe('payloadTypeConflict', () => {
  const sdp = (pts: string, maps: string[]): string =>
    [
      'v=0',
      `m=audio 1 RTP/AVP ${pts}`,
      ...maps,
      'm=video 2 RTP/AVP 96',
      'a=rtpmap:96 VP8/90000',
      '',
    ].join('\r\n');
  const was = sdp('96 0 101', ['a=rtpmap:96 opus/48000/2', 'a=rtpmap:101 telephone-event/8000']);

  it.each([
    [
      'the same mapping',
      sdp('96 0 101', ['a=rtpmap:96 OPUS/48000/2', 'a=rtpmap:101 telephone-event/8000']),
      null,
    ],
    [
      'new payload types only',
      sdp('96 0 101 110', ['a=rtpmap:96 opus/48000/2', 'a=rtpmap:110 telephone-event/48000']),
      null,
    ],
    [
      'Opus’s type reused for telephone-event',
      sdp('97 96', ['a=rtpmap:97 opus/48000/2', 'a=rtpmap:96 telephone-event/48000']),
      'payload type 96 changed from opus/48000/2 to telephone-event/48000/1',
    ],
    [
      'a static type renamed',
      sdp('0', ['a=rtpmap:0 PCMA/8000']),
      'payload type 0 changed from pcmu/8000/1 to pcma/8000/1',
    ],
    [
      'hostile payload type tokens',
      sdp('(.* 96', ['a=rtpmap:(.* x/1', 'a=rtpmap:96 opus/48000/2']),
      null,
    ],
    ['no audio section', 'v=0\r\n', null],
  ])('%s', (_what, offer, conflict) => {
    expect(payloadTypeConflict(offer, [was, undefined])).toBe(conflict);
  });
});
