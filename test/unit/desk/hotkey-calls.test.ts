// Main's hotkey actions ('hotkeys/action') on the real line manager over real JsSIP: answer
// takes the oldest ringing call, mute toggles the call in view (the whole conference's voice
// when it is one), hang up ends the call in view or, with none, declines the ringing call; with
// nothing to act on, nothing happens.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runHotkey } from '../../../src-renderer/src/lib/desk/call-actions';
import { setGatheringScript } from '../../support/fake-webrtc';
import { header } from '../../support/loop-sip';
import { advance } from '../phone/harness';
import { deskSetup, responses, ringIn, type DeskSetup } from './setup';

beforeEach(() => {
  vi.useFakeTimers();
  setGatheringScript({ kind: 'candidates', at: [{ ms: 1, typ: 'host' }], completeAtMs: 5 });
});
afterEach(() => {
  vi.useRealTimers();
});

async function hotkey(s: DeskSetup, action: 'answer' | 'hang-up' | 'mute'): Promise<string> {
  const outcome = runHotkey(s.lines, action);
  await advance(200);
  return outcome;
}

describe('hotkey actions on the calls', () => {
  it('answers, mutes, unmutes and hangs up', async () => {
    const s = await deskSetup();
    await ringIn(s, 'bob');
    await ringIn(s, 'carol');
    expect(await hotkey(s, 'answer')).toBe('answered');
    expect(s.lines.current?.party.user).toBe('bob');
    expect(responses(s, 200).filter((m) => /INVITE/.test(header(m, 'cseq') ?? ''))).toHaveLength(1);
    expect(await hotkey(s, 'mute')).toBe('muted');
    expect(s.lines.current?.muted).toBe(true);
    expect(await hotkey(s, 'mute')).toBe('unmuted');
    expect(s.lines.current?.muted).toBe(false);
    expect(await hotkey(s, 'hang-up')).toBe('hung-up');
    expect(s.h.server.requests('BYE')).toHaveLength(1);
    expect(s.lines.lines).toEqual([]);
    // With no call in progress, hang up declines the call still ringing.
    expect(await hotkey(s, 'hang-up')).toBe('declined');
    expect(responses(s, 486)).toHaveLength(1);
    expect(s.lines.incoming).toEqual([]);
  });

  it('does nothing with no call', async () => {
    const s = await deskSetup();
    expect(await hotkey(s, 'answer')).toBe('nothing');
    expect(await hotkey(s, 'mute')).toBe('nothing');
    expect(await hotkey(s, 'hang-up')).toBe('nothing');
    expect(s.h.server.received.filter((m) => m.head.kind === 'response')).toEqual([]);
  });
});
