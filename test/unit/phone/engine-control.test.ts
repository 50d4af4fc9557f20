import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PhoneCall } from '../../../src-renderer/src/lib/phone/call';
import { autoAnswerDelay } from '../../../src-renderer/src/lib/phone/auto-answer';
import { peerConnections, setGatheringScript } from '../../support/fake-webrtc';
import { header, SERVER_SDP, type SipMessage } from '../../support/loop-sip';
import { advance, harness, registered, type Harness } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
  setGatheringScript({ kind: 'candidates', at: [{ ms: 1, typ: 'host' }], completeAtMs: 5 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** An answered outgoing call to bob. */
async function activeCall(h: Harness, target = 'sip:bob@example.com'): Promise<PhoneCall> {
  h.server.onInvite = (invite) => h.server.reply(invite, 200, 'OK', { body: SERVER_SDP });
  await registered(h);
  const call = h.engine.call(target);
  await advance(100);
  expect(call.status).toBe('active');
  return call;
}

function direction(sdp: string): string | undefined {
  return /a=(sendrecv|sendonly|recvonly|inactive)/.exec(sdp)?.[1];
}

describe('hold and resume', () => {
  it('holds with a sendonly re-INVITE, mutes the microphone, and resumes', async () => {
    const h = harness();
    const call = await activeCall(h);
    const hold = call.hold();
    await advance(50);
    await hold;
    const reinvites = h.server.requests('INVITE').slice(1);
    expect(reinvites).toHaveLength(1);
    expect(direction(reinvites[0]!.body)).toBe('sendonly');
    expect(call.snapshot.hold).toEqual({ local: true, remote: false });
    expect(h.media.opened[0]?.enabled).toBe(false);

    const resume = call.resume();
    await advance(50);
    await resume;
    expect(direction(h.server.requests('INVITE').at(-1)!.body)).toBe('sendrecv');
    expect(call.snapshot.hold.local).toBe(false);
    expect(h.media.opened[0]?.enabled).toBe(true);
  });

  it('serializes hold and resume asked for at once (no overlapping re-INVITEs)', async () => {
    const h = harness();
    const call = await activeCall(h);
    const pending: SipMessage[] = [];
    h.server.onReinvite = (invite) => pending.push(invite);
    const both = Promise.all([call.hold(), call.resume(), call.hold()]);
    await advance(30);
    expect(pending).toHaveLength(1);
    for (let i = 0; i < 3; i += 1) {
      h.server.reply(pending[i]!, 200, 'OK', { body: SERVER_SDP });
      await advance(30);
    }
    await both;
    expect(pending.map((m) => direction(m.body))).toEqual(['sendonly', 'sendrecv', 'sendonly']);
    expect(call.snapshot.hold.local).toBe(true);
  });

  it('shows when the other side holds us', async () => {
    const h = harness();
    const call = await activeCall(h);
    const invite = h.server.requests('INVITE')[0]!;
    h.server.inDialog(invite, 'INVITE', { body: SERVER_SDP.replace('a=sendrecv', 'a=sendonly') });
    await advance(50);
    expect(call.snapshot.hold).toEqual({ local: false, remote: true });
  });

  it('keeps mute across hold and resume', async () => {
    const h = harness();
    const call = await activeCall(h);
    call.setMuted(true);
    const cycle = call.hold().then(() => call.resume());
    await advance(100);
    await cycle;
    expect(call.snapshot.muted).toBe(true);
    expect(h.media.opened[0]?.enabled).toBe(false);
  });
});

describe('DTMF', () => {
  it('sends RFC 4733 telephone-events through the audio sender by default', async () => {
    const h = harness();
    const call = await activeCall(h);
    call.sendDtmf('12#');
    const pc = peerConnections.at(-1)!;
    expect(pc.getSenders()[0]!.dtmf.sent).toEqual(['12#']);
    expect(h.server.requests('INFO')).toHaveLength(0);
  });

  it('sends SIP INFO per key when the account says so', async () => {
    const h = harness({ dtmfMode: 'info' });
    const call = await activeCall(h);
    call.sendDtmf('5*');
    await advance(1000);
    const infos = h.server.requests('INFO');
    expect(infos.map((m) => /Signal=(.)/.exec(m.body)?.[1])).toEqual(['5', '*']);
    expect(header(infos[0]!, 'content-type')).toBe('application/dtmf-relay');
  });

  it('refuses characters that are not keys, with a sentence', async () => {
    const h = harness();
    const call = await activeCall(h);
    expect(() => call.sendDtmf('12x')).toThrow(/Only 0-9/);
  });

  it('dials the ;ext= of a tel link as key presses after answer', async () => {
    const h = harness();
    const call = await activeCall(h, 'tel:+4930123456;ext=77');
    expect(h.server.requests('INVITE')[0]!.startLine).toBe(
      'INVITE sip:+4930123456@example.com SIP/2.0',
    );
    await advance(900);
    expect(peerConnections.at(-1)!.getSenders()[0]!.dtmf.sent).toEqual(['77']);
    call.hangup();
  });
});

describe('blind transfer', () => {
  it('sends REFER, follows the NOTIFYs and ends the call as transferred', async () => {
    const h = harness();
    const call = await activeCall(h);
    const states: string[] = [];
    call.on(
      'changed',
      (s) => s.transfer && states.at(-1) !== s.transfer.state && states.push(s.transfer.state),
    );
    const transfer = call.blindTransfer('sip:carol@example.com');
    await advance(100);
    await transfer;
    const refer = h.server.requests('REFER')[0]!;
    expect(header(refer, 'refer-to')).toBe('<sip:carol@example.com>');
    expect(states).toEqual(['requesting', 'requested', 'trying', 'succeeded']);
    expect(call.snapshot.end?.cause).toBe('transferred');
    expect(h.server.requests('BYE')).toHaveLength(1);
  });

  it('leaves the call intact when the target cannot be reached', async () => {
    const h = harness();
    const call = await activeCall(h);
    h.server.onRefer = (refer) => {
      h.server.reply(refer, 202, 'Accepted');
      h.server.notifyRefer(refer, 'SIP/2.0 486 Busy Here');
    };
    const transfer = expect(call.blindTransfer('sip:carol@example.com')).rejects.toThrow(
      /could not be reached \(SIP 486\)/,
    );
    await advance(100);
    await transfer;
    expect(call.status).toBe('active');
    expect(call.snapshot.transfer).toMatchObject({ state: 'failed' });
    expect(h.server.requests('BYE')).toHaveLength(0);
  });

  it('leaves the call intact when the REFER is refused', async () => {
    const h = harness();
    const call = await activeCall(h);
    h.server.onRefer = (refer) => h.server.reply(refer, 403, 'Forbidden');
    const transfer = expect(call.blindTransfer('sip:carol@example.com')).rejects.toThrow(
      /refused the transfer \(SIP 403\)/,
    );
    await advance(100);
    await transfer;
    expect(call.status).toBe('active');
  });
});

describe('being transferred', () => {
  it('calls the Refer-To target when the other side transfers us', async () => {
    const h = harness();
    const call = await activeCall(h);
    const outgoing = new Promise<PhoneCall>((resolve) => h.engine.on('outgoing', resolve));
    h.server.inDialog(h.server.requests('INVITE')[0]!, 'REFER', {
      headers: ['Refer-To: <sip:dave@example.com>'],
    });
    await advance(100);
    const next = await outgoing;
    expect(next.snapshot.party.uri).toBe('sip:dave@example.com');
    expect(next.snapshot.info.transferredBy).toMatchObject({
      user: 'bob',
      uri: 'sip:bob@example.com',
    });
    expect(h.server.requests('INVITE').at(-1)!.startLine).toBe(
      'INVITE sip:dave@example.com SIP/2.0',
    );
    expect(call.status).toBe('active');
  });
});

describe('session timers', () => {
  it('calls again with the server’s Min-SE after a 422', async () => {
    const h = harness({ sessionTimers: true, sessionExpires: 90 });
    await registered(h);
    h.server.onInvite = (invite) => {
      if (h.server.requests('INVITE').length === 1) {
        h.server.reply(invite, 422, 'Session Interval Too Small', { headers: ['Min-SE: 1800'] });
      } else {
        h.server.reply(invite, 200, 'OK', {
          body: SERVER_SDP,
          headers: ['Session-Expires: 1800;refresher=uac', 'Require: timer'],
        });
      }
    };
    const call = h.engine.call('sip:bob@example.com');
    await advance(200);
    const invites = h.server.requests('INVITE');
    expect(header(invites[0]!, 'session-expires')).toMatch(/^90\b/);
    expect(header(invites[1]!, 'session-expires')).toMatch(/^1800\b/);
    expect(call.status).toBe('active');
    // The microphone opened with the first INVITE stays open for the second.
    expect(h.media.opened).toHaveLength(1);
    expect(h.media.opened[0]?.readyState).toBe('live');
  });

  it('gives up after one retry', async () => {
    const h = harness({ sessionTimers: true, sessionExpires: 90 });
    await registered(h);
    h.server.onInvite = (invite) =>
      h.server.reply(invite, 422, 'Session Interval Too Small', { headers: ['Min-SE: 1800'] });
    const call = h.engine.call('sip:bob@example.com');
    await advance(200);
    expect(h.server.requests('INVITE')).toHaveLength(2);
    expect(call.snapshot.end).toMatchObject({ cause: 'error', code: 422 });
  });

  it('sends no Session-Expires when session timers are off', async () => {
    const h = harness({ sessionTimers: false });
    await registered(h);
    h.engine.call('sip:bob@example.com');
    await advance(50);
    expect(header(h.server.requests('INVITE')[0]!, 'session-expires')).toBeUndefined();
  });
});

describe('anonymous calls', () => {
  it('hides our identity in From', async () => {
    const h = harness();
    await registered(h);
    h.engine.call('sip:bob@example.com', { anonymous: true });
    await advance(50);
    expect(header(h.server.requests('INVITE')[0]!, 'from')).toMatch(/anonymous@anonymous\.invalid/);
  });
});

describe('auto-answer requests', () => {
  it.each([
    [['<sip:pbx>;answer-after=0'], [], 0],
    [['<http://x>;answer-after=5'], [], 5],
    [[';answer-after'], [], 0],
    [[], ['<http://127.0.0.1/Bellcore-dr4>'], null],
    [[], ['<http://x>;info=alert-autoanswer;delay=3'], 3],
    [[], ['<sip:x>;info=intercom'], 0],
    [[], ['Auto Answer'], 0],
    [['<http://x>;answer-after=999'], [], 60],
    [[], [], null],
  ] as const)('Call-Info %j Alert-Info %j → %s', (callInfo, alertInfo, expected) => {
    expect(autoAnswerDelay(callInfo, alertInfo)).toBe(expected);
  });

  it('reads it from an incoming INVITE', async () => {
    const h = harness();
    await registered(h);
    const incoming = new Promise<PhoneCall>((resolve) => h.engine.on('incoming', resolve));
    h.server.invite('alice', 'sip:bob@example.com', 'Bob', [
      'Call-Info: <sip:example.com>;answer-after=0',
    ]);
    await advance(20);
    expect((await incoming).info.autoAnswerAfterS).toBe(0);
  });
});
