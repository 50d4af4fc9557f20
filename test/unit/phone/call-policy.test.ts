// The call policies as pure decisions: every combination of do-not-disturb, lines in use,
// the auto-answer setting and a caller's intercom request.
import { describe, expect, it } from 'vitest';
import {
  autoAnswerStillApplies,
  decideIncoming,
  outgoingRefusal,
} from '../../../src-renderer/src/lib/phone/call-policy';
import { LINE_POLICY } from './harness';

const PLAIN = { replacesCallId: null, autoAnswerAfterS: null };
const IDLE = { lines: 0, ringing: 0 };

describe('decideIncoming', () => {
  it('rings a plain call when idle', () => {
    expect(decideIncoming(PLAIN, LINE_POLICY, IDLE)).toEqual({
      kind: 'ring',
      autoAnswerMs: null,
      autoAnswerBy: null,
    });
  });

  it('lets a replacing call (attended transfer to us) through even under do-not-disturb', () => {
    expect(
      decideIncoming(
        { ...PLAIN, replacesCallId: 'call-1' },
        { ...LINE_POLICY, doNotDisturb: true },
        { lines: 4, ringing: 0 },
      ),
    ).toEqual({ kind: 'replace', replacesCallId: 'call-1' });
  });

  it.each([486, 480, 603] as const)('declines with %i under do-not-disturb', (code) => {
    expect(
      decideIncoming(PLAIN, { ...LINE_POLICY, doNotDisturb: true, dndCode: code }, IDLE),
    ).toEqual({ kind: 'decline', code, reason: 'dnd' });
  });

  it('declines with 486 when calls in progress and ringing fill every line', () => {
    const full = { ...LINE_POLICY, maxLines: 2 };
    expect(decideIncoming(PLAIN, full, { lines: 1, ringing: 1 })).toEqual({
      kind: 'decline',
      code: 486,
      reason: 'lines-full',
    });
    expect(decideIncoming(PLAIN, full, { lines: 1, ringing: 0 }).kind).toBe('ring');
  });

  it('treats a line limit below one as one', () => {
    expect(decideIncoming(PLAIN, { ...LINE_POLICY, maxLines: 0 }, IDLE).kind).toBe('ring');
    expect(
      decideIncoming(PLAIN, { ...LINE_POLICY, maxLines: 0 }, { lines: 1, ringing: 0 }).kind,
    ).toBe('decline');
  });

  it('auto-answers at once with the setting, only when nothing else is up', () => {
    const on = { ...LINE_POLICY, autoAnswer: true };
    expect(decideIncoming(PLAIN, on, IDLE)).toEqual({
      kind: 'ring',
      autoAnswerMs: 0,
      autoAnswerBy: 'setting',
    });
    expect(decideIncoming(PLAIN, on, { lines: 1, ringing: 0 }).kind).toBe('ring');
    expect(decideIncoming(PLAIN, on, { lines: 1, ringing: 0 })).toMatchObject({
      autoAnswerMs: null,
    });
    expect(decideIncoming(PLAIN, on, { lines: 0, ringing: 1 })).toMatchObject({
      autoAnswerMs: null,
    });
  });

  it('honours a caller’s answer-after only where the account allows it, and prefers it to the setting', () => {
    const intercom = { ...PLAIN, autoAnswerAfterS: 3 };
    expect(decideIncoming(intercom, LINE_POLICY, IDLE)).toMatchObject({ autoAnswerMs: null });
    expect(
      decideIncoming(
        intercom,
        { ...LINE_POLICY, allowAutoAnswerHeader: true, autoAnswer: true },
        IDLE,
      ),
    ).toEqual({ kind: 'ring', autoAnswerMs: 3000, autoAnswerBy: 'caller' });
  });

  it('lets do-not-disturb win over intercom', () => {
    expect(
      decideIncoming(
        { ...PLAIN, autoAnswerAfterS: 0 },
        { ...LINE_POLICY, allowAutoAnswerHeader: true, doNotDisturb: true },
        IDLE,
      ).kind,
    ).toBe('decline');
  });
});

describe('autoAnswerStillApplies', () => {
  it('only for a call still ringing while no line opened meanwhile', () => {
    expect(autoAnswerStillApplies('incoming', IDLE)).toBe(true);
    expect(autoAnswerStillApplies('ended', IDLE)).toBe(false);
    expect(autoAnswerStillApplies('incoming', { lines: 1, ringing: 0 })).toBe(false);
  });
});

describe('outgoingRefusal', () => {
  it('allows a call while a line is free and says why not otherwise', () => {
    expect(outgoingRefusal({ maxLines: 3 }, { lines: 2, ringing: 0 })).toBeNull();
    expect(outgoingRefusal({ maxLines: 3 }, { lines: 2, ringing: 1 })).toBe(
      'All 3 lines are in use. End or transfer a call first, or allow more lines in Settings.',
    );
    expect(outgoingRefusal({ maxLines: 1 }, { lines: 1, ringing: 0 })).toBe(
      'A call is already in progress. End it first, or allow more lines in Settings.',
    );
  });
});
