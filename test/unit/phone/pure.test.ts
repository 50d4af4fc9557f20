import { describe, expect, it, vi } from 'vitest';
import { dtmfClocks, dtmfRequestMs } from '../../../src-renderer/src/lib/phone/dtmf';
import {
  callEnd,
  mapSessionEnd,
  type SessionEndInfo,
} from '../../../src-renderer/src/lib/phone/call-end';
import {
  candidateType,
  IceGatheringRound,
  wantedCandidate,
} from '../../../src-renderer/src/lib/phone/ice-policy';
import {
  classifyRegistrationFailure,
  describeConnectFailure,
  httpProbeUrl,
  RetrySchedule,
} from '../../../src-renderer/src/lib/phone/registration';

describe('wantedCandidate', () => {
  it('waits for host, srflx or relay depending on the servers', () => {
    expect(wantedCandidate([])).toBe('host');
    expect(wantedCandidate([{ urls: 'stun:stun.example.com' }])).toBe('srflx');
    expect(wantedCandidate([{ urls: ['stun:a', 'turn:b?transport=udp'] }])).toBe('relay');
    expect(wantedCandidate([{ urls: 'turns:b:443' }])).toBe('relay');
  });
  it('reads the candidate type', () => {
    expect(
      candidateType({ candidate: 'candidate:1 1 udp 1 1.2.3.4 5 typ srflx raddr 0.0.0.0' }),
    ).toBe('srflx');
    expect(candidateType({ candidate: 'garbage' })).toBeNull();
  });
});

describe('IceGatheringRound', () => {
  function round(servers: RTCIceServer[], capMs = 1000) {
    vi.useFakeTimers();
    const peer = new EventTarget();
    const ended: unknown[] = [];
    peer.addEventListener('icecandidate', (e) =>
      ended.push((e as Event & { candidate: unknown }).candidate),
    );
    const decisions: string[] = [];
    const r = new IceGatheringRound(peer, { servers, capMs, settleMs: 20 }, (d) =>
      decisions.push(d),
    );
    return { r, ended, decisions };
  }

  it('calls ready once the burst after the first wanted candidate goes quiet', () => {
    const { r, decisions } = round([]);
    const ready = vi.fn();
    r.candidate({ candidate: 'candidate:1 1 udp 1 10.0.0.1 5 typ host' }, ready);
    vi.advanceTimersByTime(3);
    r.candidate({ candidate: 'candidate:2 1 udp 1 fd00::1 6 typ host' }, ready);
    vi.advanceTimersByTime(4);
    expect(ready).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(ready).toHaveBeenCalledOnce();
    expect(decisions).toEqual(['wanted-candidate']);
    vi.useRealTimers();
  });

  it('stops waiting for the burst to end after the settle time', () => {
    const { r } = round([]);
    const ready = vi.fn();
    for (let t = 0; t < 19; t += 3) {
      r.candidate({ candidate: `candidate:${t} 1 udp 1 10.0.0.${t} 5 typ host` }, ready);
      vi.advanceTimersByTime(3);
    }
    expect(ready).toHaveBeenCalledOnce();
    vi.useRealTimers();
  });

  it('ignores host candidates when STUN is configured, until the cap', () => {
    const { r, decisions } = round([{ urls: 'stun:x' }], 500);
    const ready = vi.fn();
    r.candidate({ candidate: 'candidate:1 1 udp 1 10.0.0.1 5 typ host' }, ready);
    vi.advanceTimersByTime(499);
    expect(ready).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(ready).toHaveBeenCalledOnce();
    expect(decisions).toEqual(['cap']);
    vi.useRealTimers();
  });

  it('ends gathering through a null candidate event when nothing ever arrived', () => {
    const { ended, decisions } = round([], 300);
    vi.advanceTimersByTime(300);
    expect(ended).toEqual([null]);
    expect(decisions).toEqual(['cap']);
    vi.useRealTimers();
  });

  it('does nothing after dispose', () => {
    const { r, ended, decisions } = round([], 300);
    r.dispose();
    vi.advanceTimersByTime(1000);
    expect(ended).toEqual([]);
    expect(decisions).toEqual([]);
    vi.useRealTimers();
  });
});

describe('classifyRegistrationFailure', () => {
  it('treats 401/407/403 as wrong credentials with no retry', () => {
    for (const code of [401, 407, 403]) {
      const v = classifyRegistrationFailure('Authentication Error', code, null);
      expect(v).toMatchObject({ cause: 'wrong-credentials', retry: false });
    }
    expect(classifyRegistrationFailure('SIP Failure Code', 403, null).message).toMatch(
      /403 Forbidden/,
    );
  });
  it('retries timeouts and server errors, keeping Retry-After', () => {
    expect(classifyRegistrationFailure('Request Timeout', null, null)).toMatchObject({
      cause: 'timeout',
      retry: true,
    });
    expect(classifyRegistrationFailure('SIP Failure Code', 503, 60)).toMatchObject({
      cause: 'server-error',
      retry: true,
      retryAfterS: 60,
    });
  });
  it('does not retry a 404 or another 4xx', () => {
    expect(classifyRegistrationFailure('SIP Failure Code', 404, null)).toMatchObject({
      cause: 'rejected',
      retry: false,
    });
    expect(classifyRegistrationFailure('SIP Failure Code', 420, null).message).toMatch(/SIP 420/);
  });
});

describe('RetrySchedule', () => {
  it('doubles from 5 s up to 5 min with ±20 % jitter', () => {
    const s = new RetrySchedule(5, 300, () => 0.5);
    expect([1, 2, 3, 4, 5, 6, 7, 8].map(() => s.next())).toEqual([
      5000, 10000, 20000, 40000, 80000, 160000, 300000, 300000,
    ]);
    const low = new RetrySchedule(5, 300, () => 0);
    expect(low.next()).toBe(4000);
  });
  it('lets a longer Retry-After win, and resets', () => {
    const s = new RetrySchedule(5, 300, () => 0.5);
    expect(s.next(120)).toBe(120000);
    s.reset();
    expect(s.next()).toBe(5000);
  });
});

describe('connect failures', () => {
  it('maps ws to http for the probe', () => {
    expect(httpProbeUrl('wss://pbx.example.com:8089/ws')).toBe('https://pbx.example.com:8089/ws');
    expect(httpProbeUrl('ws://127.0.0.1:5066')).toBe('http://127.0.0.1:5066');
    expect(httpProbeUrl('http://x')).toBeNull();
  });
  it('explains refused and unreachable servers', () => {
    expect(describeConnectFailure('ws://a', 'answered').cause).toBe('websocket-refused');
    expect(describeConnectFailure('wss://a', 'unreachable').message).toMatch(/certificate/);
  });
});

describe('mapSessionEnd', () => {
  const base: SessionEndInfo = {
    originator: 'remote',
    cause: 'Terminated',
    code: null,
    reasonHeader: null,
    established: true,
    direction: 'outgoing',
  };
  it.each([
    [{ originator: 'local' }, 'hangup-local'],
    [{}, 'hangup-remote'],
    [{ cause: 'Canceled', originator: 'local' }, 'canceled-local'],
    [{ cause: 'Canceled', originator: 'local', direction: 'incoming' }, 'declined-local'],
    [{ cause: 'Canceled', direction: 'incoming' }, 'canceled-remote'],
    [
      { cause: 'Canceled', direction: 'incoming', reasonHeader: 'SIP;cause=200;text="x"' },
      'answered-elsewhere',
    ],
    [{ cause: 'Rejected', originator: 'local' }, 'declined-local'],
    [{ cause: 'Rejected', code: 603 }, 'declined'],
    [{ cause: 'Rejected', code: 403 }, 'rejected'],
    [{ cause: 'Busy', code: 486 }, 'busy'],
    [{ cause: 'RTP Timeout', originator: 'system' }, 'media-failed'],
    [{ cause: 'User Denied Media Access', originator: 'local' }, 'microphone-unavailable'],
    [{ cause: 'SIP Failure Code', code: 488 }, 'error'],
  ] as const)('%j → %s', (patch, cause) => {
    expect(mapSessionEnd({ ...base, ...patch }).cause).toBe(cause);
  });
  it('puts the SIP code in the message of an unknown failure', () => {
    expect(callEnd('error', 488).message).toBe('The call failed (SIP 488).');
  });
});

describe('DTMF durations', () => {
  const answer = (lines: string[]): string => ['v=0', ...lines, ''].join('\r\n');
  it('reads the send codec and telephone-event clocks', () => {
    const sdp = answer([
      'm=audio 1 RTP/SAVPF 111 0 126',
      'a=rtpmap:111 opus/48000/2',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:126 telephone-event/8000',
    ]);
    expect(dtmfClocks(sdp)).toEqual({ send: 48000, events: [8000] });
  });
  it('scales the duration when telephone-event runs at another clock than the send codec', () => {
    const mismatch = answer([
      'm=audio 1 RTP/SAVPF 111 126',
      'a=rtpmap:111 opus/48000/2',
      'a=rtpmap:126 telephone-event/8000',
    ]);
    expect(dtmfRequestMs(mismatch, 100)).toBe(600);
    // Issue 13: Linphone answers with telephone-event at 48000 and 8000; Chromium sends on the
    // 8 kHz one, so the duration is scaled too (100 ms here gave three end packets per key).
    const linphone = answer([
      'm=audio 1 RTP/SAVPF 96 110 126',
      'a=rtpmap:96 opus/48000/2',
      'a=rtpmap:110 telephone-event/48000',
      'a=rtpmap:126 telephone-event/8000',
    ]);
    expect(dtmfRequestMs(linphone, 100)).toBe(600);
    const only48k = answer([
      'm=audio 1 RTP/SAVPF 111 110',
      'a=rtpmap:111 opus/48000/2',
      'a=rtpmap:110 telephone-event/48000',
    ]);
    expect(dtmfRequestMs(only48k, 100)).toBe(100);
    const wideband = answer([
      'm=audio 1 RTP/SAVPF 111 101',
      'a=rtpmap:111 opus/48000/2',
      'a=rtpmap:101 telephone-event/16000',
    ]);
    expect(dtmfRequestMs(wideband, 100)).toBe(300);
    const g711 = answer([
      'm=audio 1 RTP/AVP 0 101',
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
    ]);
    expect(dtmfRequestMs(g711, 100)).toBe(100);
    expect(dtmfRequestMs(null, 100)).toBe(100);
  });
});
