// The line manager on the in-memory SIP server: real JsSIP and real engines, fake WebRTC, the
// fake clock. Every call enters through the engines' events; policies (DND, lines full,
// auto-answer, intercom) and every multi-call action (call waiting, switching, consult and
// transfer, conference) are checked on the wire and in the lines.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DialTarget } from '../../../src-main/shared/dial-target';
import type { PhoneCall } from '../../../src-renderer/src/lib/phone/call';
import type { PolicySettings } from '../../../src-renderer/src/lib/phone/call-policy';
import type { LocalConference } from '../../../src-renderer/src/lib/phone/conference';
import {
  LineManager,
  type EndedCall,
  type LineManagerDeps,
} from '../../../src-renderer/src/lib/phone/lines';
import { accountHintFor, dialPlan } from '../../../src-renderer/src/lib/phone/target';
import { peerConnections, setGatheringScript } from '../../support/fake-webrtc';
import { header, SERVER_SDP, type SipMessage } from '../../support/loop-sip';
import { LINE_POLICY, advance, harness, registered, type Harness } from './harness';

beforeEach(() => {
  vi.useFakeTimers();
  setGatheringScript({ kind: 'candidates', at: [{ ms: 1, typ: 'host' }], completeAtMs: 5 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A fake local conference that records what the manager asks of it. */
class FakeConference {
  calls: PhoneCall[];
  started = false;
  stopped = false;
  muted = false;
  mutedFor = new Map<string, boolean>();
  constructor(calls: readonly PhoneCall[]) {
    this.calls = [...calls];
  }
  async start(): Promise<void> {
    this.started = true;
  }
  async add(call: PhoneCall): Promise<void> {
    this.calls.push(call);
  }
  async remove(call: PhoneCall): Promise<readonly PhoneCall[]> {
    this.calls = this.calls.filter((c) => c !== call);
    return this.calls;
  }
  setMuted(muted: boolean): void {
    this.muted = muted;
  }
  setMutedFor(call: PhoneCall, muted: boolean): void {
    this.mutedFor.set(call.id, muted);
  }
  async stop(): Promise<void> {
    this.stopped = true;
  }
}

interface Setup {
  h: Harness;
  lines: LineManager;
  policy: PolicySettings;
  ended: EndedCall[];
  started: PhoneCall[];
  conferences: FakeConference[];
}

async function setup(
  policy: Partial<PolicySettings> = {},
  createConference?: LineManagerDeps['createConference'],
): Promise<Setup> {
  const h = harness();
  const settings = { ...LINE_POLICY, ...policy };
  const conferences: FakeConference[] = [];
  const lines = new LineManager({
    settings: () => settings,
    createConference:
      createConference ??
      ((calls) => {
        const conference = new FakeConference(calls);
        conferences.push(conference);
        return conference as unknown as LocalConference;
      }),
  });
  lines.attach(h.engine);
  const ended: EndedCall[] = [];
  const started: PhoneCall[] = [];
  lines.on('ended', (e) => ended.push(e));
  lines.on('started', (c) => started.push(c));
  h.server.onInvite = (invite) => h.server.reply(invite, 200, 'OK', { body: SERVER_SDP });
  await registered(h);
  return { h, lines, policy: settings, ended, started, conferences };
}

/** An incoming call from `from`, once it rings (or was refused) in the manager. */
async function incoming(s: Setup, from = 'bob', headers: string[] = []): Promise<string> {
  const callId = s.h.server.invite('alice', `sip:${from}@example.com`, from, headers);
  await advance(20);
  return callId;
}

/** Lets the fake clock run until `pending` (which needs the loop's timers) settles. */
async function run<T>(pending: Promise<T>, ms = 200): Promise<T> {
  await advance(ms);
  return pending;
}

function sentResponses(h: Harness, code: number): SipMessage[] {
  return h.server.received.filter((m) => m.startLine.startsWith(`SIP/2.0 ${code}`));
}

function direction(sdp: string): string | undefined {
  return /a=(sendrecv|sendonly|recvonly|inactive)/.exec(sdp)?.[1];
}

/** Requests and responses the client sent, as short labels, in order. */
function wire(h: Harness): string[] {
  return h.server.received.map((m) => {
    if (m.head.kind === 'request') {
      const dir = m.head.method === 'INVITE' ? `(${direction(m.body) ?? ''})` : '';
      return `${m.head.method}${dir}`;
    }
    return `${m.startLine.slice(8, 11)} ${header(m, 'cseq')?.split(' ')[1] ?? ''}`;
  });
}

describe('one path for every call', () => {
  it('adopts a placed call through the engine event, focuses it, and lets it go when it ends', async () => {
    const s = await setup();
    const call = await run(s.lines.place(s.h.engine, 'bob'), 100);
    expect(s.started).toEqual([call]);
    expect(s.lines.lines.map((l) => l.id)).toEqual([call.id]);
    expect(s.lines.current?.status).toBe('active');
    s.lines.hangup(call.id);
    await advance(50);
    expect(s.lines.lines).toEqual([]);
    expect(s.lines.object(call.id)).toBeNull();
    expect(s.ended.map((e) => [e.snapshot.id, e.autoDeclined, e.consultFor])).toEqual([
      [call.id, null, null],
    ]);
  });

  it('adopts the call a REFER asks for, marked as transferred, with the focus', async () => {
    const s = await setup();
    const first = await run(s.lines.place(s.h.engine, 'bob'), 100);
    const invite = s.h.server.requests('INVITE')[0]!;
    s.h.server.inDialog(invite, 'REFER', { headers: ['Refer-To: <sip:carol@example.com>'] });
    await advance(100);
    const referred = s.started.find((c) => c !== first);
    expect(referred?.info.transferredBy).toMatchObject({ user: 'bob', uri: 'sip:bob@example.com' });
    expect(s.lines.current?.id).toBe(referred?.id);
    expect(s.h.server.requests('INVITE').some((m) => /^INVITE sip:carol@/.test(m.startLine))).toBe(
      true,
    );
  });

  it('keeps a link target whole: a global phone-context makes the number, the extension follows answer', async () => {
    const s = await setup();
    const target: DialTarget = {
      kind: 'number',
      dial: '5550100',
      display: '555 0100',
      scheme: 'tel',
      extension: '42',
      phoneContext: '+4930',
      dropped: [],
    };
    const call = await run(s.lines.place(s.h.engine, target));
    expect(call.info.extension).toBe('42');
    expect(call.snapshot.party.user).toBe('+49305550100');
    await advance(100);
    expect(s.h.server.requests('INVITE')[0]!.startLine).toBe(
      'INVITE sip:+49305550100@example.com SIP/2.0',
    );
    const dtmf = peerConnections.at(-1)!.getSenders()[0]!.dtmf;
    expect(dtmf.sent).toEqual([]);
    await advance(1000);
    expect(dtmf.sent).toEqual(['42']);
  });

  it('dials a number local to a domain as that number, and the plan says which domain', async () => {
    const s = await setup();
    const local: DialTarget = {
      kind: 'number',
      dial: '1234',
      display: '1234',
      scheme: 'tel',
      phoneContext: 'branch.example.org',
      dropped: [],
    };
    await run(s.lines.place(s.h.engine, local), 50);
    expect(s.h.server.requests('INVITE')[0]!.startLine).toBe('INVITE sip:1234@example.com SIP/2.0');
    expect(dialPlan(local, 'sip:alice@example.com')).toEqual({
      calls: '1234',
      willDial: null,
      refused: null,
      extension: null,
      foreignContext: 'branch.example.org',
      callerId: null,
    });
    expect(dialPlan({ ...local, phoneContext: 'example.com' }, 'sip:alice@example.com')).toEqual({
      calls: '1234',
      willDial: null,
      refused: null,
      extension: null,
      foreignContext: null,
      callerId: null,
    });
  });

  it('picks the account a link names by its domain', () => {
    const accounts = [
      { id: 'office', sipUri: 'sip:1001@pbx.office.test' },
      { id: 'branch', sipUri: 'sip:alice@branch.example.org' },
    ];
    const tel: DialTarget = {
      kind: 'number',
      dial: '1234',
      display: '1234',
      scheme: 'tel',
      phoneContext: 'branch.example.org',
      dropped: [],
    };
    expect(accountHintFor(tel, accounts)).toBe('branch');
    expect(accountHintFor({ ...tel, phoneContext: '+4930' }, accounts)).toBeNull();
    const sip: DialTarget = {
      kind: 'address',
      dial: 'sip:bob@pbx.office.test',
      display: 'bob@pbx.office.test',
      scheme: 'sip',
      dropped: [],
    };
    expect(accountHintFor(sip, accounts)).toBe('office');
    expect(accountHintFor({ ...sip, dial: 'sip:bob@elsewhere.test' }, accounts)).toBeNull();
  });
});

describe('incoming calls and call waiting', () => {
  it('rings, then answers into a line with the focus', async () => {
    const s = await setup();
    await incoming(s);
    expect(s.lines.incoming).toHaveLength(1);
    expect(s.lines.waiting).toBeNull();
    const id = s.lines.incoming[0]!.id;
    await run(s.lines.answer(id), 100);
    expect(s.lines.incoming).toEqual([]);
    expect(s.lines.current).toMatchObject({ id, status: 'active' });
  });

  it('holds the call in progress before answering a waiting call, in that order', async () => {
    const s = await setup();
    const first = await run(s.lines.place(s.h.engine, 'carol'), 100);
    await incoming(s, 'dave');
    expect(s.lines.waiting?.party.user).toBe('dave');
    const answering = s.lines.answer(s.lines.waiting!.id);
    await advance(200);
    await answering;
    const labels = wire(s.h);
    expect(labels.indexOf('INVITE(sendonly)')).toBeGreaterThan(-1);
    expect(labels.indexOf('INVITE(sendonly)')).toBeLessThan(labels.indexOf('200 INVITE'));
    expect(first.snapshot.hold.local).toBe(true);
    expect(s.lines.current?.party.user).toBe('dave');
    expect(s.lines.lines).toHaveLength(2);
  });

  it('takes more than two lines when the setting allows it', async () => {
    const s = await setup({ maxLines: 4 });
    for (const who of ['bob', 'carol', 'dave']) {
      await run(s.lines.place(s.h.engine, who), 100);
    }
    expect(s.lines.lines.map((l) => l.party.user)).toEqual(['bob', 'carol', 'dave']);
    expect(s.lines.lines.filter((l) => l.hold.local).map((l) => l.party.user)).toEqual([
      'bob',
      'carol',
    ]);
  });
});

describe('policies', () => {
  it.each([486, 480, 603] as const)(
    'do-not-disturb answers %i at once, never rings, and logs the call as declined by policy',
    async (code) => {
      const s = await setup({ doNotDisturb: true, dndCode: code });
      await incoming(s);
      expect(sentResponses(s.h, code)).toHaveLength(1);
      expect(s.lines.incoming).toEqual([]);
      expect(s.started).toEqual([]);
      expect(s.ended.map((e) => e.autoDeclined)).toEqual(['dnd']);
    },
  );

  it('refuses a call with 486 when every line is taken, and refuses to place one', async () => {
    const s = await setup({ maxLines: 1 });
    await run(s.lines.place(s.h.engine, 'bob'), 100);
    await incoming(s, 'carol');
    expect(sentResponses(s.h, 486)).toHaveLength(1);
    expect(s.ended.map((e) => e.autoDeclined)).toEqual(['lines-full']);
    await expect(s.lines.place(s.h.engine, 'dave')).rejects.toThrow(
      'A call is already in progress',
    );
    expect(s.h.server.requests('INVITE')).toHaveLength(1);
  });

  it('auto-answers when idle with the setting on, and never over a call in progress', async () => {
    const s = await setup({ autoAnswer: true });
    await incoming(s, 'bob');
    await advance(100);
    expect(s.lines.current).toMatchObject({ status: 'active' });
    await incoming(s, 'carol');
    await advance(5000);
    expect(s.lines.waiting?.party.user).toBe('carol');
    expect(
      sentResponses(s.h, 200).filter((m) => /INVITE/.test(header(m, 'cseq') ?? '')),
    ).toHaveLength(1);
  });

  it('answers after the delay an intercom caller asks for, only when the account allows it', async () => {
    const allowed = await setup({ allowAutoAnswerHeader: true });
    await incoming(allowed, 'bob', ['Call-Info: <sip:example.com>;answer-after=2']);
    await advance(1900);
    expect(allowed.lines.incoming).toHaveLength(1);
    await advance(300);
    expect(allowed.lines.current).toMatchObject({ status: 'active' });

    const refused = await setup({ allowAutoAnswerHeader: false });
    await incoming(refused, 'bob', ['Call-Info: <sip:example.com>;answer-after=0']);
    await advance(3000);
    expect(refused.lines.incoming).toHaveLength(1);
  });

  it('drops a pending auto-answer when the user declines first', async () => {
    const s = await setup({ allowAutoAnswerHeader: true });
    await incoming(s, 'bob', ['Call-Info: <sip:example.com>;answer-after=3']);
    s.lines.decline(s.lines.incoming[0]!.id);
    await advance(4000);
    expect(sentResponses(s.h, 200).filter((m) => /INVITE/.test(header(m, 'cseq') ?? ''))).toEqual(
      [],
    );
  });
});

describe('switching, transfers and conference', () => {
  async function twoLines(s: Setup): Promise<[PhoneCall, PhoneCall]> {
    const a = await run(s.lines.place(s.h.engine, 'bob'), 100);
    const b = await run(s.lines.place(s.h.engine, 'carol'), 100);
    return [a, b];
  }

  it('switches lines: holds the one in view, then resumes the other', async () => {
    const s = await setup();
    const [a, b] = await twoLines(s);
    const before = s.h.server.requests('INVITE').length;
    await run(s.lines.switchTo(a.id), 100);
    const reinvites = s.h.server.requests('INVITE').slice(before);
    expect(
      reinvites.map((m) => [/^INVITE sip:server/.test(m.startLine), direction(m.body)]),
    ).toEqual([
      [true, 'sendonly'],
      [true, 'sendrecv'],
    ]);
    expect(s.lines.current?.id).toBe(a.id);
    expect(b.snapshot.hold.local).toBe(true);
    expect(a.snapshot.hold.local).toBe(false);
  });

  it('consults and completes an attended transfer with Replaces; both calls end as transferred', async () => {
    const s = await setup();
    const original = await run(s.lines.place(s.h.engine, 'bob'), 100);
    await run(s.lines.consult(original.id, s.h.engine, 'carol'), 100);
    const consult = s.lines.current!;
    expect(s.lines.consultFor(consult.id)).toBe(original.id);
    await run(s.lines.completeTransfer(consult.id), 100);
    const refer = s.h.server.requests('REFER')[0]!;
    expect(header(refer, 'refer-to')).toMatch(/carol@example\.com.*Replaces=/i);
    expect(s.ended.map((e) => [e.snapshot.end?.cause, e.consultFor])).toEqual([
      ['transferred', original.id],
      ['transferred', null],
    ]);
  });

  it('keeps the line when a blind transfer is refused, and says why', async () => {
    const s = await setup();
    const call = await run(s.lines.place(s.h.engine, 'bob'), 100);
    s.h.server.onRefer = (refer) => s.h.server.reply(refer, 403, 'Forbidden');
    await run(s.lines.blindTransfer(call.id, s.h.engine, 'carol'), 100);
    expect(call.status).toBe('active');
    expect(s.lines.notice).toMatch(/refused the transfer \(SIP 403\)/);
  });

  it('merges three calls, mutes one party alone, keeps going when one leaves, ends with two left', async () => {
    const s = await setup();
    const [a, b] = await twoLines(s);
    const c = await run(s.lines.place(s.h.engine, 'dave'), 100);
    await run(s.lines.merge(), 100);
    const conference = s.conferences[0]!;
    expect(conference.started).toBe(true);
    expect(s.lines.conferenceIds).toEqual([a.id, b.id, c.id]);
    expect([a, b, c].map((x) => x.snapshot.hold.local)).toEqual([false, false, false]);

    s.lines.toggleMute(b.id);
    expect(conference.mutedFor.get(b.id)).toBe(true);
    expect(conference.muted).toBe(false);

    s.lines.hangup(c.id);
    await advance(100);
    expect(s.lines.conferenceIds).toEqual([a.id, b.id]);
    expect(conference.stopped).toBe(false);

    s.lines.hangup(b.id);
    await advance(100);
    expect(conference.stopped).toBe(true);
    expect(s.lines.conferenceIds).toBeNull();
    expect(s.lines.lines.map((l) => l.id)).toEqual([a.id]);
  });

  it('keeps both calls and says why when the conference code cannot load', async () => {
    const s = await setup({}, () =>
      Promise.reject(
        new Error('Conference and transfer are unavailable: the app could not load their code.'),
      ),
    );
    const [a, b] = await twoLines(s);
    await run(s.lines.merge(), 100);
    expect(s.lines.conferenceIds).toBeNull();
    expect(s.lines.notice).toMatch(/Conference and transfer are unavailable/);
    expect([a.status, b.status]).toEqual(['active', 'active']);
  });

  it('ends the whole conference at once', async () => {
    const s = await setup();
    await twoLines(s);
    await run(s.lines.merge(), 100);
    s.lines.endConference();
    await advance(100);
    expect(s.lines.lines).toEqual([]);
    expect(s.h.server.requests('BYE')).toHaveLength(2);
  });

  it('holds every party of the conference before answering a third call', async () => {
    const s = await setup();
    const [a, b] = await twoLines(s);
    await run(s.lines.merge(), 100);
    await incoming(s, 'erin');
    await run(s.lines.answer(s.lines.waiting!.id), 200);
    expect([a, b].map((x) => x.snapshot.hold.local)).toEqual([true, true]);
    expect(s.lines.current?.party.user).toBe('erin');
  });
});
