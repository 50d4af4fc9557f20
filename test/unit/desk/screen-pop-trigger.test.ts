// When the phone asks for a screen-pop: calls on the real line manager over real JsSIP (the
// in-memory SIP server), each event put to the account's choice, sent once per call and event
// with the same id for every event of a call, and nothing for a call do-not-disturb or a full
// set of lines declined — not even when the account opens its page as calls end.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ScreenPopRequest } from '@shared/ipc-contract';
import { DEFAULT_SCREEN_POP, type ScreenPopSettings } from '@shared/settings-types';
import { ScreenPopTrigger } from '../../../src-renderer/src/lib/desk/screen-pop-trigger';
import { setGatheringScript } from '../../support/fake-webrtc';
import { advance } from '../phone/harness';
import { deskSetup, ringIn, type DeskSetup } from './setup';

beforeEach(() => {
  vi.useFakeTimers();
  setGatheringScript({ kind: 'candidates', at: [{ ms: 1, typ: 'host' }], completeAtMs: 5 });
});
afterEach(() => {
  vi.useRealTimers();
});

const URL = 'https://crm.example.com/pop?n={number}';

function trigger(s: DeskSetup, settings: Partial<ScreenPopSettings>) {
  const sent: ScreenPopRequest[] = [];
  let ids = 0;
  const pop = new ScreenPopTrigger(s.lines, {
    settingsOf: (id) => (id === 'acc-1' ? { ...DEFAULT_SCREEN_POP, url: URL, ...settings } : null),
    nameOf: (snapshot) => (snapshot.party.user === 'bob' ? 'Bob Example' : null),
    open: async (request) => {
      sent.push(request);
      return { opened: true, message: null };
    },
    newId: () => `pop-${(ids += 1)}`,
  });
  return { pop, sent, events: () => sent.map((r) => `${r.event}:${r.call.callId}`) };
}

describe('screen-pop on call events', () => {
  it('opens an incoming call’s page as it rings, once, with its number and name', async () => {
    const s = await deskSetup();
    const t = trigger(s, { on: 'ringing', direction: 'incoming' });
    await ringIn(s, 'bob');
    await s.lines.answer(s.lines.incoming[0]!.id);
    await advance(200);
    s.lines.hangup(s.lines.current!.id);
    await advance(100);
    expect(t.sent).toEqual([
      {
        accountId: 'acc-1',
        event: 'ringing',
        call: { callId: 'pop-1', number: 'bob', name: 'Bob Example', direction: 'incoming' },
      },
    ]);
  });

  it('opens on answer or at the end when the account says so, for the chosen direction', async () => {
    const s = await deskSetup();
    const answered = trigger(s, { on: 'answered', direction: 'both' });
    const ended = trigger(s, { on: 'ended', direction: 'outgoing' });
    await ringIn(s, 'bob');
    await s.lines.answer(s.lines.incoming[0]!.id);
    await advance(200);
    s.lines.hangup(s.lines.current!.id);
    await advance(100);
    await s.lines.place(s.h.engine, 'carol');
    await advance(200);
    s.lines.hangup(s.lines.current!.id);
    await advance(100);
    expect(answered.events()).toEqual(['answered:pop-1', 'answered:pop-2']);
    expect(answered.sent.map((r) => r.call.direction)).toEqual(['incoming', 'outgoing']);
    expect(ended.events()).toEqual(['ended:pop-1']);
    expect(ended.sent[0]?.call).toMatchObject({ number: 'carol', name: null });
  });

  it('opens an outgoing call’s page once the far end rings', async () => {
    const s = await deskSetup();
    s.h.server.onInvite = (invite) => s.h.server.reply(invite, 180, 'Ringing');
    const t = trigger(s, { on: 'ringing', direction: 'outgoing' });
    await s.lines.place(s.h.engine, 'carol');
    await advance(5);
    expect(s.lines.current?.status).not.toBe('ringing');
    expect(t.sent).toEqual([]);
    await advance(200);
    expect(s.lines.current?.status).toBe('ringing');
    expect(t.events()).toEqual(['ringing:pop-1']);
  });

  it('opens nothing for a call do-not-disturb declined, even on "ended"', async () => {
    const s = await deskSetup({ doNotDisturb: true });
    const ringing = trigger(s, { on: 'ringing', direction: 'both' });
    const ended = trigger(s, { on: 'ended', direction: 'both' });
    await ringIn(s, 'bob');
    await advance(100);
    expect(s.ended.map((e) => e.autoDeclined)).toEqual(['dnd']);
    expect(ringing.sent).toEqual([]);
    expect(ended.sent).toEqual([]);
  });

  it('opens nothing for a call refused because every line is taken', async () => {
    const s = await deskSetup({ maxLines: 1 });
    await s.lines.place(s.h.engine, 'carol');
    await advance(200);
    const t = trigger(s, { on: 'ended', direction: 'incoming' });
    await ringIn(s, 'bob');
    await advance(100);
    expect(s.ended.map((e) => e.autoDeclined)).toEqual(['lines-full']);
    expect(t.sent).toEqual([]);
  });

  it('opens nothing when the account has no address, and stops on dispose', async () => {
    const s = await deskSetup();
    const off = trigger(s, { url: '' });
    const on = trigger(s, { on: 'ringing', direction: 'incoming' });
    on.pop.dispose();
    await ringIn(s, 'bob');
    await advance(50);
    expect(off.sent).toEqual([]);
    expect(on.sent).toEqual([]);
  });
});
