// The answer of an incoming call prepared while it rings (answer-ahead.ts), with real JsSIP on
// the loop server and the fake browser: what is done ahead, that nothing is applied or sent
// before the user answers, that the answer then uses it, and every way a ringing call ends.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RTCSession } from 'jssip/lib/RTCSession';
import { prepareAnswer } from '../../../src-renderer/src/lib/phone/answer-ahead';
import type { PhoneCall } from '../../../src-renderer/src/lib/phone/call';
import type { CallSnapshot } from '../../../src-renderer/src/lib/phone/types';
import {
  FakePeerConnection,
  peerConnections,
  setGatheringScript,
  setSdpRefusals,
} from '../../support/fake-webrtc';
import { header, type SipMessage } from '../../support/loop-sip';
import { advance, harness, ringing, type Harness } from './harness';

let spies: Record<
  'setRemoteDescription' | 'createAnswer' | 'setLocalDescription',
  ReturnType<typeof vi.spyOn>
>;

beforeEach(() => {
  vi.useFakeTimers();
  setGatheringScript({ kind: 'candidates', at: [{ ms: 2, typ: 'host' }], completeAtMs: 400 });
  peerConnections.length = 0;
  spies = {
    setRemoteDescription: vi.spyOn(FakePeerConnection.prototype, 'setRemoteDescription'),
    createAnswer: vi.spyOn(FakePeerConnection.prototype, 'createAnswer'),
    setLocalDescription: vi.spyOn(FakePeerConnection.prototype, 'setLocalDescription'),
  };
});
afterEach(() => {
  setSdpRefusals([]);
  vi.restoreAllMocks();
  vi.useRealTimers();
});

function replies(h: Harness, code: number): SipMessage[] {
  return h.server.received.filter(
    (m) => m.startLine.startsWith(`SIP/2.0 ${code}`) && /INVITE/.test(header(m, 'cseq') ?? ''),
  );
}

function marks(call: PhoneCall): string[] {
  const names: string[] = [];
  call.on('mark', ({ name }) => names.push(name));
  return names;
}

/** A ringing call whose answer has been prepared; `seen` holds its marks from then on. */
async function prepared(): Promise<{
  h: Harness;
  call: PhoneCall;
  callId: string;
  seen: string[];
}> {
  const h = harness();
  const { call, callId } = await ringing(h);
  const seen = marks(call);
  call.prepareAnswer();
  await advance(50);
  return { h, call, callId, seen };
}

describe('the answer prepared while the call rings', () => {
  it('applies the offer and creates the answer, but applies nothing of ours and sends nothing', async () => {
    const h = harness();
    const { call } = await ringing(h);
    const seen = marks(call);
    const sentBefore = h.server.received.length;

    call.prepareAnswer();
    await advance(50);

    expect(seen).toEqual(['answer-ahead', 'answer-ahead-prepared']);
    expect(peerConnections).toHaveLength(1);
    const pc = peerConnections[0]!;
    expect(pc.config.iceCandidatePoolSize).toBe(1);
    expect(pc.signalingState).toBe('have-remote-offer');
    expect(pc.remoteDescription?.type).toBe('offer');
    // The answer exists, sendrecv, but is not applied: no ICE checks, no DTLS, no media.
    expect(spies.createAnswer).toHaveBeenCalledTimes(1);
    expect(await spies.createAnswer.mock.results[0]!.value).toMatchObject({
      sdp: expect.stringMatching(/a=sendrecv/),
    });
    expect(spies.setLocalDescription).not.toHaveBeenCalled();
    expect(pc.localDescription).toBeNull();
    expect(pc.iceGatheringState).toBe('new');
    expect(h.server.received.slice(sentBefore)).toEqual([]);
    expect(call.status).toBe('incoming');
    expect(h.media.opened).toHaveLength(0);
    // The caller's track exists once the offer is applied; it is not played while ringing.
    expect(h.media.elements.filter((e) => e.playing)).toEqual([]);
  });

  it('answers with what was prepared: one peer connection, the offer applied and the answer made once', async () => {
    const { h, call } = await prepared();

    call.answer();
    await advance(100);

    expect(replies(h, 200)).toHaveLength(1);
    expect(replies(h, 200)[0]!.body).toMatch(/a=sendrecv/);
    expect(call.status).toBe('active');
    expect(peerConnections).toHaveLength(1);
    expect(spies.setRemoteDescription).toHaveBeenCalledTimes(1);
    expect(spies.createAnswer).toHaveBeenCalledTimes(1);
    expect(spies.setLocalDescription).toHaveBeenCalledTimes(1);
    expect(h.media.opened).toHaveLength(1);
    // The caller's track, held while ringing, plays once the 200 OK has gone.
    expect(h.media.elements.filter((e) => e.playing)).toHaveLength(1);
  });

  it('answers at once when Answer comes before the preparation has finished', async () => {
    const h = harness();
    const { call } = await ringing(h);
    call.prepareAnswer();
    call.answer();
    await advance(100);

    expect(replies(h, 200)).toHaveLength(1);
    expect(call.status).toBe('active');
    expect(peerConnections).toHaveLength(1);
    expect(spies.createAnswer).toHaveBeenCalledTimes(1);
  });

  it('is done once, and not at all for a call no longer ringing', async () => {
    const h = harness();
    const { call } = await ringing(h);
    call.prepareAnswer();
    call.prepareAnswer();
    await advance(50);
    expect(peerConnections).toHaveLength(1);

    call.answer();
    await advance(100);
    call.prepareAnswer();
    await advance(20);
    expect(peerConnections).toHaveLength(1);
    expect(spies.createAnswer).toHaveBeenCalledTimes(1);
  });

  it('closes the prepared connection when the caller cancels', async () => {
    const { h, call, callId } = await prepared();

    h.server.cancel(callId);
    await advance(20);

    expect(call.snapshot.end?.cause).toBe('canceled-remote');
    expect(peerConnections[0]!.closed).toBe(true);
    expect(spies.setLocalDescription).not.toHaveBeenCalled();
  });

  it('closes the prepared connection when the user declines', async () => {
    const { h, call } = await prepared();

    call.decline(603);
    await advance(20);

    expect(replies(h, 603)).toHaveLength(1);
    expect(peerConnections[0]!.closed).toBe(true);
  });

  it('refuses an offer the browser refused ahead with 488 when answered, as without it', async () => {
    setSdpRefusals([{ step: 'setRemoteDescription', when: () => true }]);
    const { h, call, seen } = await prepared();
    expect(seen).toContain('answer-ahead-offer-refused');
    // Nothing final before the user answers: the refusal is JsSIP's, when answered.
    expect(
      h.server.received.filter(
        (m) => /^SIP\/2\.0 [2-6]\d\d/.test(m.startLine) && /INVITE/.test(header(m, 'cseq') ?? ''),
      ),
    ).toEqual([]);

    call.answer();
    await advance(100);

    expect(replies(h, 488)).toHaveLength(1);
    expect(replies(h, 200)).toHaveLength(0);
    expect(call.status).toBe('ended');
    expect(peerConnections[0]!.closed).toBe(true);
  });

  it('creates the answer again when answering if making it ahead failed', async () => {
    let refuse = true;
    setSdpRefusals([{ step: 'createAnswer', when: () => refuse }]);
    const { h, call, seen } = await prepared();
    expect(seen).toContain('answer-ahead-answer-failed');

    refuse = false;
    call.answer();
    await advance(100);

    expect(spies.createAnswer).toHaveBeenCalledTimes(2);
    expect(replies(h, 200)).toHaveLength(1);
    expect(call.status).toBe('active');
  });
});

describe('prepareAnswer on its own', () => {
  it('leaves the answer to JsSIP when the internals it relies on are missing (another JsSIP)', () => {
    const ringingSession = {
      _direction: 'incoming',
      _status: 4,
      _connection: null,
      _late_sdp: false,
      _request: { body: 'v=0\r\n' },
      isEnded: () => false,
    } as unknown as RTCSession;
    const prepareSender = vi.fn();
    expect(prepareAnswer(ringingSession, { pcConfig: {}, prepareSender })).toBeNull();
    expect(peerConnections).toHaveLength(0);
    expect(prepareSender).not.toHaveBeenCalled();
  });
});

describe('what Answer shows, and when', () => {
  function statuses(call: PhoneCall): CallSnapshot['status'][] {
    const seen: CallSnapshot['status'][] = [];
    call.on('changed', (s) => seen.push(s.status));
    return seen;
  }

  it('shows the answer with the 200 OK: the next change is the call in progress', async () => {
    const { h, call } = await prepared();
    const seen = statuses(call);

    call.answer();
    expect(call.status).toBe('answering');
    expect(seen).toEqual([]);
    await advance(100);

    expect(replies(h, 200)).toHaveLength(1);
    expect(seen[0]).toBe('active');
    expect(seen).not.toContain('answering');
  });

  it("shows 'answering' after 50 ms when the 200 OK cannot go yet, and a second click does nothing", async () => {
    setGatheringScript({ kind: 'never' });
    const { h, call } = await prepared();
    const seen = statuses(call);

    call.answer();
    await advance(45, 1);
    expect(seen).toEqual([]);
    call.answer();
    await advance(10, 1);

    expect(seen).toEqual(['answering']);
    expect(replies(h, 200)).toHaveLength(0);
    expect(h.media.opened).toHaveLength(1);
    // The gathering cap (1 s) still sends the answer.
    await advance(1000);
    expect(replies(h, 200)).toHaveLength(1);
    expect(seen.at(-1)).toBe('active');
  });
});
