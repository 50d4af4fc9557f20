// Owns what a lamp's buttons put on the wire, through the real line manager, engine and JsSIP
// on the loop server: a call to the colleague; a pickup with the account's feature code, or an
// INVITE with Replaces (and Require: replaces) toward the caller built from the dialog
// information; a blind transfer (REFER to the lamp) and an attended one (consult the lamp, then
// REFER with Replaces); "Call voicemail" with the account's number or the mailbox the server
// named; and a sentence — never a request — when an action cannot work.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ACCOUNT, type AccountSettings } from '@shared/settings-types';
import { LineManager } from '../../../src-renderer/src/lib/phone/lines';
import { deriveLamp, type Lamp } from '../../../src-renderer/src/lib/presence/lamp';
import {
  applyDialogInfo,
  UNKNOWN_DIALOGS,
} from '../../../src-renderer/src/lib/presence/dialog-state';
import { parseDialogInfo } from '../../../src-renderer/src/lib/presence/dialog-info';
import type { VoicemailState } from '../../../src-renderer/src/lib/presence/presence-agent';
import { LampActions, type LampRef } from '../../../src-renderer/src/lib/state/lamp-actions';
import { setGatheringScript } from '../../support/fake-webrtc';
import { header, SERVER_SDP, type SipMessage } from '../../support/loop-sip';
import { LINE_POLICY, advance, harness, registered, type Harness } from '../phone/harness';
import { dialog, dialogInfo } from './agent-harness';

beforeEach(() => {
  vi.useFakeTimers();
  setGatheringScript({ kind: 'candidates', at: [{ ms: 1, typ: 'host' }], completeAtMs: 5 });
});
afterEach(() => {
  vi.useRealTimers();
});

const LAMP = 'sip:201@example.com';

interface Setup {
  h: Harness;
  lines: LineManager;
  actions: LampActions;
  account: AccountSettings;
  voicemail: { state: VoicemailState | null };
}

async function setup(patch: Partial<AccountSettings> = {}): Promise<Setup> {
  const h = harness();
  const account: AccountSettings = {
    ...DEFAULT_ACCOUNT,
    id: 'acc-1',
    label: 'Office',
    websocketUri: 'wss://pbx.example.com/ws',
    sipUri: 'sip:alice@example.com',
    ...patch,
  };
  const lines = new LineManager({ settings: () => LINE_POLICY });
  lines.attach(h.engine);
  const voicemail = { state: null as VoicemailState | null };
  const actions = new LampActions({
    settings: { account: (id) => (id === account.id ? account : null) },
    lines,
    engineOf: (id) => (id === account.id ? h.engine : null),
    voicemailOf: () => voicemail.state,
  });
  h.server.onInvite = (invite) => h.server.reply(invite, 180, 'Ringing');
  await registered(h);
  return { h, lines, actions, account, voicemail };
}

/** A lamp of 201 as the dialog information leaves it. */
function lampOf(dialogs: string): Lamp {
  return deriveLamp(
    applyDialogInfo(UNKNOWN_DIALOGS, parseDialogInfo(dialogInfo(1, 'full', dialogs))).state,
  );
}

function ref(lamp: Lamp): LampRef {
  return { accountId: 'acc-1', aor: LAMP, lamp, name: 'Bob' };
}

const invites = (h: Harness): SipMessage[] =>
  h.server.requests('INVITE').filter((m) => !/;\s*tag=/.test(header(m, 'to') ?? ''));

describe('calling and picking up from a lamp', () => {
  it('calls the colleague', async () => {
    const s = await setup();
    await s.actions.call(ref(lampOf('')));
    await advance(50);
    expect(invites(s.h).map((m) => m.head.requestUri)).toEqual([LAMP]);
    expect(s.lines.lines).toHaveLength(1);
  });

  it('picks up with an INVITE carrying Replaces toward the caller', async () => {
    const s = await setup();
    const lamp = lampOf(dialog('early'));
    expect(lamp.state).toBe('ringing');
    await s.actions.pickUp(ref(lamp));
    await advance(50);
    const [invite] = invites(s.h);
    // The caller (Carol, in our domain) is where the early dialog can be replaced.
    expect(invite?.head.requestUri).toBe('sip:carol@example.com');
    expect(header(invite!, 'replaces')).toBe(
      'call-1@host;to-tag=caroltag;from-tag=bobtag;early-only',
    );
    expect(header(invite!, 'require')).toBe('replaces');
    expect(s.actions.notice).toBeNull();
  });

  it('picks up with the account feature code when one is set', async () => {
    const s = await setup({ pickupCode: '*8' });
    await s.actions.pickUp(ref(lampOf(dialog('early'))));
    await advance(50);
    const [invite] = invites(s.h);
    expect(invite?.head.requestUri).toBe('sip:*8201@example.com');
    expect(header(invite!, 'replaces')).toBeUndefined();
  });

  it('says why instead of sending anything when a pickup cannot work', async () => {
    const s = await setup();
    await s.actions.pickUp(ref(lampOf(dialog('confirmed'))));
    expect(s.actions.notice).toBe('Bob is not ringing any more.');
    await s.actions.pickUp(ref(lampOf(dialog('early', { ids: false }))));
    expect(s.actions.notice).toMatch(
      /^The phone system does not say which call is ringing there\./,
    );
    await advance(50);
    expect(invites(s.h)).toEqual([]);
  });

  it('says the account is not connected', async () => {
    const s = await setup();
    const stopped = s.h.engine.stop(0);
    await advance(50);
    await stopped;
    await s.actions.call(ref(lampOf('')));
    expect(s.actions.notice).toBe('The account is not connected, so calls cannot be placed yet.');
  });
});

describe('transferring to a lamp', () => {
  /** An answered incoming call from carol, the line in view. */
  async function inCall(s: Setup): Promise<string> {
    s.h.server.invite('alice', 'sip:carol@example.com', 'Carol');
    await advance(20);
    const id = s.lines.incoming[0]!.id;
    await s.lines.answer(id);
    await advance(100);
    expect(s.lines.current?.status).toBe('active');
    return id;
  }

  it('blind: sends REFER to the lamp', async () => {
    const s = await setup();
    await inCall(s);
    const done = s.actions.transfer(ref(lampOf('')), 'blind');
    await advance(200);
    await done;
    const [refer] = s.h.server.requests('REFER');
    expect(header(refer!, 'refer-to')).toBe(`<${LAMP}>`);
  });

  it('attended: consults the lamp, then completes with REFER carrying Replaces', async () => {
    const s = await setup();
    s.h.server.onInvite = (invite) => s.h.server.reply(invite, 200, 'OK', { body: SERVER_SDP });
    const original = await inCall(s);
    const consulting = s.actions.transfer(ref(lampOf('')), 'attended');
    await advance(200);
    await consulting;
    const consultId = s.actions.consultTo({ aor: LAMP });
    expect(consultId).not.toBeNull();
    expect(s.lines.consultFor(consultId!)).toBe(original);
    const completing = s.actions.completeTransfer(consultId!);
    await advance(200);
    await completing;
    const [refer] = s.h.server.requests('REFER');
    expect(header(refer!, 'refer-to')).toMatch(/^<sip:201@example\.com\?Replaces=/);
  });

  it('says there is nothing to transfer without a call', async () => {
    const s = await setup();
    await s.actions.transfer(ref(lampOf('')), 'blind');
    expect(s.actions.notice).toBe('There is no call to transfer.');
  });
});

describe('calling voicemail', () => {
  it("dials the account's voicemail number", async () => {
    const s = await setup({ voicemailNumber: '*97' });
    await s.actions.callVoicemail('acc-1');
    await advance(50);
    expect(invites(s.h).map((m) => m.head.requestUri)).toEqual(['sip:*97@example.com']);
  });

  it('falls back to the mailbox the server named, else says what to set', async () => {
    const s = await setup();
    await s.actions.callVoicemail('acc-1');
    expect(s.actions.notice).toMatch(/^Set the voicemail number of the account/);
    s.voicemail.state = {
      waiting: true,
      newCount: 1,
      oldCount: 0,
      urgentNew: 0,
      messageAccount: 'sip:vm-alice@example.com',
    };
    await s.actions.callVoicemail('acc-1');
    await advance(50);
    expect(invites(s.h).map((m) => m.head.requestUri)).toEqual(['sip:vm-alice@example.com']);
    expect(s.actions.notice).toBeNull();
  });
});
