// Owns the hands-free call actions: what "answer", "hang up", "mute" and "flash" mean when
// they come without a click on a particular call — from a headset button or a global hotkey.
// Each picks its call from the line manager's state (the oldest ringing call, the line in
// view, the conference it is part of) and acts through the line manager, so the same queue
// orders them with the window's own actions. Framework-free.
import type { HotkeyCallAction } from '@shared/ipc-contract';
import type { CallSnapshot, LineManager } from '../phone';

/** The parts of the line manager the hands-free actions use. */
export type DeskLines = Pick<
  LineManager,
  | 'lines'
  | 'incoming'
  | 'current'
  | 'waiting'
  | 'conferenceIds'
  | 'conferenceMuted'
  | 'answer'
  | 'decline'
  | 'hangup'
  | 'endConference'
  | 'toggleMute'
  | 'toggleConferenceMute'
  | 'toggleHold'
  | 'switchTo'
>;

/** What a hands-free action did, for the log and the tests. */
export type DeskOutcome =
  | 'answered'
  | 'hung-up'
  | 'ended-conference'
  | 'declined'
  | 'muted'
  | 'unmuted'
  | 'held'
  | 'resumed'
  | 'switched'
  | 'redialled'
  | 'nothing';

function inConference(lines: DeskLines, call: CallSnapshot | null): boolean {
  return call !== null && (lines.conferenceIds?.includes(call.id) ?? false);
}

/** Whether the user's voice is muted in the call in view (the conference's, when it is one). */
export function isMuted(lines: DeskLines): boolean {
  const current = lines.current;
  if (!current) {
    return false;
  }
  return inConference(lines, current) ? lines.conferenceMuted : current.muted;
}

/** Answers the oldest ringing call (the line in progress is held first). */
export async function answerRinging(lines: DeskLines): Promise<DeskOutcome> {
  const ringing = lines.incoming.find((c) => c.status === 'incoming');
  if (!ringing) {
    return 'nothing';
  }
  await lines.answer(ringing.id);
  return 'answered';
}

/**
 * Hangs up the call in view (every party, when it is the conference); with no call in progress,
 * declines the ringing call (busy).
 */
export function hangUp(lines: DeskLines): DeskOutcome {
  const current = lines.current;
  if (current && inConference(lines, current)) {
    lines.endConference();
    return 'ended-conference';
  }
  if (current) {
    lines.hangup(current.id);
    return 'hung-up';
  }
  const ringing = lines.incoming[0];
  if (ringing) {
    lines.decline(ringing.id, 486);
    return 'declined';
  }
  return 'nothing';
}

/** Mutes or unmutes the user's voice in the call in view; nothing without a call. */
export function setMuted(lines: DeskLines, muted: boolean): DeskOutcome {
  const current = lines.current;
  if (!current) {
    return 'nothing';
  }
  if (isMuted(lines) !== muted) {
    if (inConference(lines, current)) {
      lines.toggleConferenceMute();
    } else {
      lines.toggleMute(current.id);
    }
  }
  return muted ? 'muted' : 'unmuted';
}

/** Mutes when unmuted and the other way round. */
export function toggleMuted(lines: DeskLines): DeskOutcome {
  return setMuted(lines, !isMuted(lines));
}

/**
 * The flash button: a call waiting is answered (the line in view is held first); with two or
 * more lines, the next one is brought in (the one in view is held); with one line, it is held
 * or resumed.
 */
export async function flash(lines: DeskLines): Promise<DeskOutcome> {
  if (lines.waiting) {
    return answerRinging(lines);
  }
  const current = lines.current;
  if (!current) {
    return 'nothing';
  }
  // The line after the one in view, round the list.
  const at = lines.lines.findIndex((l) => l.id === current.id);
  const next = lines.lines[at + 1] ?? lines.lines[0];
  if (next && next.id !== current.id) {
    await lines.switchTo(next.id);
    return 'switched';
  }
  const wasHeld = current.hold.local;
  await lines.toggleHold(current.id);
  return wasHeld ? 'resumed' : 'held';
}

/** A global hotkey's call action (main sends it as 'hotkeys/action'). */
export function runHotkey(lines: DeskLines, action: HotkeyCallAction): Promise<DeskOutcome> {
  switch (action) {
    case 'answer':
      return answerRinging(lines);
    case 'hang-up':
      return Promise.resolve(hangUp(lines));
    case 'mute':
      return Promise.resolve(toggleMuted(lines));
  }
}
