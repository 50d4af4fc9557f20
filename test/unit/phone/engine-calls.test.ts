import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PhoneCall } from '../../../src-renderer/src/lib/phone/call';
import { peerConnections, setGatheringScript } from '../../support/fake-webrtc';
import { header, SERVER_SDP } from '../../support/loop-sip';
import { advance, harness, registered, ringing, type Harness } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
  setGatheringScript({ kind: 'candidates', at: [{ ms: 2, typ: 'host' }], completeAtMs: 400 });
});
afterEach(() => {
  vi.useRealTimers();
});

function inviteSentAt(h: Harness, since: number): number | null {
  return h.server.requests('INVITE').length > 0 ? Date.now() - since : null;
}

async function untilInvite(h: Harness, limitMs: number): Promise<number | null> {
  const start = Date.now();
  for (let t = 0; t < limitMs; t += 1) {
    await vi.advanceTimersByTimeAsync(1);
    const at = inviteSentAt(h, start);
    if (at !== null) {
      return at;
    }
  }
  return null;
}

describe('ICE policy in real calls', () => {
  it('sends the INVITE within the cap when gathering never finishes', async () => {
    const h = harness({ iceGatheringCapMs: 300 });
    await registered(h);
    setGatheringScript({ kind: 'never' });
    h.engine.call('sip:bob@example.com');
    const at = await untilInvite(h, 1000);
    expect(at).not.toBeNull();
    expect(at!).toBeGreaterThanOrEqual(295);
    expect(at!).toBeLessThanOrEqual(320);
  });

  it('with no servers, sends as soon as the host candidates are in, not when gathering ends', async () => {
    const h = harness({ iceGatheringCapMs: 5000 });
    await registered(h);
    h.engine.call('sip:bob@example.com');
    const sentAt = await untilInvite(h, 1000);
    expect(sentAt).not.toBeNull();
    expect(sentAt!).toBeLessThan(60);
    expect(h.server.requests('INVITE')[0]?.body).toMatch(/typ host/);
  });

  it('with STUN configured, waits for the server-reflexive candidate', async () => {
    const h = harness({ iceServers: [{ urls: 'stun:127.0.0.1:3478' }], iceGatheringCapMs: 2000 });
    await registered(h);
    setGatheringScript({
      kind: 'candidates',
      at: [
        { ms: 2, typ: 'host' },
        { ms: 150, typ: 'srflx' },
      ],
      completeAtMs: null,
    });
    h.engine.call('sip:bob@example.com');
    const at = await untilInvite(h, 3000);
    expect(at!).toBeGreaterThanOrEqual(150);
    expect(at!).toBeLessThan(250);
    expect(h.server.requests('INVITE')[0]?.body).toMatch(/typ srflx/);
  });

  it('with a silent STUN server, sends at the cap with the host candidates', async () => {
    const h = harness({ iceServers: [{ urls: 'stun:127.0.0.1:3478' }], iceGatheringCapMs: 700 });
    await registered(h);
    setGatheringScript({ kind: 'candidates', at: [{ ms: 2, typ: 'host' }], completeAtMs: null });
    h.engine.call('sip:bob@example.com');
    const at = await untilInvite(h, 3000);
    expect(at!).toBeGreaterThanOrEqual(695);
    expect(at!).toBeLessThanOrEqual(720);
    expect(h.server.requests('INVITE')[0]?.body).toMatch(/typ host/);
  });

  it('does not hold the INVITE back for the microphone', async () => {
    const h = harness();
    await registered(h);
    h.media.delayMs = 3000;
    const call = h.engine.call('sip:bob@example.com');
    const at = await untilInvite(h, 1000);
    expect(at!).toBeLessThan(60);
    expect(h.server.requests('INVITE')[0]?.body).toMatch(/a=sendrecv/);
    const pc = peerConnections.at(-1)!;
    expect(pc.getSenders()[0]?.track).toBeNull();
    await advance(3100, 50);
    expect(pc.getSenders()[0]?.track).toBe(h.media.opened[0]);
    call.hangup();
  });
});

describe('outgoing calls', () => {
  it('a call JsSIP refuses to place ends where its listeners hear it, and leaves the engine', async () => {
    const h = harness();
    await registered(h);
    vi.spyOn(h.engine.ua!, 'call').mockImplementation(() => {
      throw new Error('Invalid target');
    });
    const call = h.engine.call('sip:bob@example.com');
    const ended = vi.fn();
    call.on('ended', ended); // attached once the call is returned, as the lines do
    expect(h.engine.calls).toEqual([call]);
    await advance(0);
    expect(ended).toHaveBeenCalledTimes(1);
    expect(call.snapshot.end?.cause).toBe('error');
    expect(h.engine.calls).toEqual([]);
  });

  async function placed(h: Harness): Promise<{ call: PhoneCall; statuses: string[] }> {
    await registered(h);
    const call = h.engine.call('sip:bob@example.com');
    const statuses: string[] = [call.status];
    call.on('changed', (s) => {
      if (statuses.at(-1) !== s.status) {
        statuses.push(s.status);
      }
    });
    await advance(100);
    return { call, statuses };
  }

  it('rings, is answered, plays remote audio, and hangs up with BYE releasing the microphone', async () => {
    const h = harness();
    h.server.onInvite = (invite) => {
      h.server.reply(invite, 100, 'Trying');
      h.server.reply(invite, 180, 'Ringing');
      setTimeout(() => h.server.reply(invite, 200, 'OK', { body: SERVER_SDP }), 50);
    };
    const { call, statuses } = await placed(h);
    await advance(200);
    expect(statuses).toEqual(['dialing', 'ringing', 'active']);
    expect(h.server.requests('ACK')).toHaveLength(1);
    expect(call.snapshot.remoteAudio).toBe(true);
    expect(h.media.elements[0]?.playing).toBe(true);
    expect(h.media.opened[0]?.readyState).toBe('live');

    call.hangup();
    await advance(50);
    expect(h.server.requests('BYE')).toHaveLength(1);
    expect(call.snapshot.end).toMatchObject({ cause: 'hangup-local' });
    expect(h.media.opened[0]?.readyState).toBe('ended');
    expect(h.media.elements[0]?.playing).toBe(false);
  });

  it('routes REGISTER and INVITE through the outbound proxy, and nothing without one', async () => {
    const routeOf = (raw: string | undefined): string | null =>
      /^Route: (.*)$/im.exec(raw ?? '')?.[1]?.trim() ?? null;
    const answer = (h: Harness): void => {
      h.server.onInvite = (invite) => h.server.reply(invite, 200, 'OK', { body: SERVER_SDP });
    };
    const proxied = harness({ outboundProxy: 'sip:proxy.example.com:5070;transport=tcp' });
    answer(proxied);
    const { call } = await placed(proxied);
    await advance(200);
    const expected = '<sip:proxy.example.com:5070;transport=tcp;lr>';
    expect(proxied.server.requests('REGISTER').map((r) => routeOf(r.raw))).toEqual([
      expected,
      expected,
    ]);
    expect(routeOf(proxied.server.requests('INVITE')[0]?.raw)).toBe(expected);
    call.hangup();
    await advance(50);
    // In-dialog requests follow the dialog's route set, not the pre-loaded route.
    expect(routeOf(proxied.server.requests('BYE')[0]?.raw)).toBeNull();

    const direct = harness();
    answer(direct);
    await placed(direct);
    expect(direct.server.requests('REGISTER').map((r) => routeOf(r.raw))).toEqual([null, null]);
    expect(routeOf(direct.server.requests('INVITE')[0]?.raw)).toBeNull();
  });

  it('ends busy on 486 with the code and a sentence', async () => {
    const h = harness();
    h.server.onInvite = (invite) => h.server.reply(invite, 486, 'Busy Here');
    const { call } = await placed(h);
    expect(call.snapshot.end).toEqual({ cause: 'busy', code: 486, message: 'The line is busy.' });
    expect(h.media.opened.every((t) => t.readyState === 'ended')).toBe(true);
  });

  it('maps 404, 480 and 603 to their causes', async () => {
    for (const [code, cause] of [
      [404, 'not-found'],
      [480, 'unavailable'],
      [603, 'declined'],
    ] as const) {
      const h = harness();
      h.server.onInvite = (invite) => h.server.reply(invite, code, 'No');
      const { call } = await placed(h);
      expect(call.snapshot.end).toMatchObject({ cause, code });
      const stopped = h.engine.stop(0);
      await advance(10);
      await stopped;
    }
  });

  it('cancels a ringing call with CANCEL', async () => {
    const h = harness();
    h.server.onInvite = (invite) => h.server.reply(invite, 180, 'Ringing');
    const { call } = await placed(h);
    call.hangup();
    await advance(50);
    expect(h.server.requests('CANCEL')).toHaveLength(1);
    expect(call.snapshot.end?.cause).toBe('canceled-local');
  });

  it('ends with a clear message when the microphone is refused, cancelling the INVITE', async () => {
    const h = harness();
    h.media.delayMs = 50;
    h.media.error = new DOMException('denied', 'NotAllowedError');
    h.server.onInvite = (invite) => h.server.reply(invite, 180, 'Ringing');
    const { call } = await placed(h);
    await advance(100);
    expect(call.snapshot.end).toMatchObject({ cause: 'microphone-unavailable' });
    expect(call.snapshot.end?.message).toMatch(/Microphone access was denied/);
    expect(h.server.requests('CANCEL')).toHaveLength(1);
  });

  it('opens the microphone only once its INVITE is on the socket', async () => {
    const h = harness();
    h.server.onInvite = (invite) => h.server.reply(invite, 180, 'Ringing');
    await registered(h);
    let invitesSent = 0;
    const send = h.socket.send.bind(h.socket);
    h.socket.send = (message) => {
      invitesSent += message.startsWith('INVITE ') ? 1 : 0;
      return send(message);
    };
    const invitesAtOpen: number[] = [];
    const open = h.media.getUserMedia;
    h.media.getUserMedia = () => {
      invitesAtOpen.push(invitesSent);
      return open();
    };
    const call = h.engine.call('sip:bob@example.com');
    expect(invitesAtOpen).toEqual([]);
    await advance(100);
    expect(h.server.requests('INVITE')).toHaveLength(1);
    expect(invitesAtOpen).toEqual([1]);
    expect(h.media.opened).toHaveLength(1);
    expect(call.status).toBe('ringing');
  });

  it('never opens the microphone for a call hung up before its INVITE went out', async () => {
    const h = harness();
    await registered(h);
    const call = h.engine.call('sip:bob@example.com');
    call.hangup();
    await advance(100);
    expect(h.server.requests('INVITE')).toHaveLength(0);
    expect(call.snapshot.end).not.toBeNull();
    expect(h.media.opened).toHaveLength(0);
  });

  it('refuses to dial when not registered, with a human message', () => {
    const h = harness();
    expect(() => h.engine.call('1002')).toThrow(/not registered/);
  });
});

describe('incoming calls', () => {
  it('rings with the caller, answers with a sendrecv 200 OK and becomes active on ACK', async () => {
    const h = harness();
    const { call } = await ringing(h);
    expect(call.snapshot).toMatchObject({ status: 'incoming', direction: 'incoming' });
    expect(call.snapshot.party).toEqual({ name: 'Bob', user: 'bob', uri: 'sip:bob@example.com' });
    expect(h.media.opened).toHaveLength(0);

    call.answer();
    await advance(100);
    const ok = h.server.received.find(
      (m) => m.startLine.startsWith('SIP/2.0 200') && /INVITE/.test(header(m, 'cseq') ?? ''),
    );
    expect(ok?.body).toMatch(/a=sendrecv/);
    expect(h.media.opened).toHaveLength(1);
    expect(call.status).toBe('active');
  });

  it('declines with 603 when asked', async () => {
    const h = harness();
    const { call } = await ringing(h);
    call.decline(603);
    await advance(20);
    expect(h.server.received.some((m) => m.startLine.startsWith('SIP/2.0 603'))).toBe(true);
    expect(call.snapshot.end?.cause).toBe('declined-local');
  });

  it('declines with 486 by default', async () => {
    const h = harness();
    const { call } = await ringing(h);
    call.hangup();
    await advance(20);
    expect(h.server.received.some((m) => m.startLine.startsWith('SIP/2.0 486'))).toBe(true);
  });

  it('reports a call cancelled by the caller, and one answered elsewhere', async () => {
    const h = harness();
    const first = await ringing(h);
    h.server.cancel(first.callId);
    await advance(20);
    expect(first.call.snapshot.end?.cause).toBe('canceled-remote');

    const incoming = new Promise<PhoneCall>((resolve) => h.engine.on('incoming', resolve));
    const callId = h.server.invite('alice');
    await advance(20);
    const second = await incoming;
    h.server.cancel(callId, 'SIP ;cause=200 ;text="Call completed elsewhere"');
    await advance(20);
    expect(second.snapshot.end?.cause).toBe('answered-elsewhere');
  });
});
