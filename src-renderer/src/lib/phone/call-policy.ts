// Call policies as pure decisions: what happens to a call that arrives (ring, decline for
// do-not-disturb or because every line is taken, answer by itself for the auto-answer setting
// or a caller's intercom request), and whether another outgoing line may open. The line
// manager (lines.ts) applies them; nothing here touches a call.
import type { CallInfo } from './types';

/** The settings the policies read, at the moment a call arrives. */
export interface PolicySettings {
  doNotDisturb: boolean;
  /** The answer sent while do-not-disturb is on. */
  dndCode: 486 | 480 | 603;
  /** Answer every call by itself (when no other call is up). */
  autoAnswer: boolean;
  /** The call's account honours a caller's request to be answered by itself. */
  allowAutoAnswerHeader: boolean;
  /** Lines the user allows at once (calls in progress plus ringing ones). */
  maxLines: number;
}

/** The lines in use when a call arrives or is placed. */
export interface LineUse {
  /** Calls in progress (dialling, ringing out, active, held). */
  lines: number;
  /** Incoming calls still ringing. */
  ringing: number;
}

/** What to do with an incoming call. */
export type IncomingDecision =
  /** It takes over one of our calls (we are the target of an attended transfer): answer at once. */
  | { kind: 'replace'; replacesCallId: string }
  /** Refuse it without ringing; it is logged as missed with `reason`. */
  | { kind: 'decline'; code: 486 | 480 | 603; reason: 'dnd' | 'lines-full' }
  /** Ring; when `autoAnswerMs` is set, answer by itself after that long unless a line opens. */
  | { kind: 'ring'; autoAnswerMs: number | null; autoAnswerBy: 'setting' | 'caller' | null };

/** Decides how an incoming call is treated. */
export function decideIncoming(
  info: Pick<CallInfo, 'replacesCallId' | 'autoAnswerAfterS'>,
  settings: PolicySettings,
  use: LineUse,
): IncomingDecision {
  if (info.replacesCallId) {
    return { kind: 'replace', replacesCallId: info.replacesCallId };
  }
  if (settings.doNotDisturb) {
    return { kind: 'decline', code: settings.dndCode, reason: 'dnd' };
  }
  if (use.lines + use.ringing >= Math.max(1, settings.maxLines)) {
    return { kind: 'decline', code: 486, reason: 'lines-full' };
  }
  // Never answer by itself over a call in progress (or another one ringing).
  if (use.lines > 0 || use.ringing > 0) {
    return { kind: 'ring', autoAnswerMs: null, autoAnswerBy: null };
  }
  const asked = info.autoAnswerAfterS;
  if (asked !== null && settings.allowAutoAnswerHeader) {
    return { kind: 'ring', autoAnswerMs: asked * 1000, autoAnswerBy: 'caller' };
  }
  if (settings.autoAnswer) {
    return { kind: 'ring', autoAnswerMs: 0, autoAnswerBy: 'setting' };
  }
  return { kind: 'ring', autoAnswerMs: null, autoAnswerBy: null };
}

/** Whether an auto-answer scheduled earlier still applies when its time comes. */
export function autoAnswerStillApplies(status: string, use: LineUse): boolean {
  return status === 'incoming' && use.lines === 0;
}

/** Why another outgoing call cannot be placed, or null when it can. */
export function outgoingRefusal(
  settings: Pick<PolicySettings, 'maxLines'>,
  use: LineUse,
): string | null {
  const max = Math.max(1, settings.maxLines);
  if (use.lines + use.ringing < max) {
    return null;
  }
  return max === 1
    ? 'A call is already in progress. End it first, or allow more lines in Settings.'
    : `All ${max} lines are in use. End or transfer a call first, or allow more lines in Settings.`;
}
