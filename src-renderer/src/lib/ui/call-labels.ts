// Words on call buttons that say what a click will do, decided from the lines (pure). The
// answer label mirrors what the line manager does before it answers: the line in view, or the
// whole conference, is put on hold first.
import type { CallParty, CallSnapshot } from '../phone';

/** What Answer does for a call that rings while `current` is on screen. */
export function answerLabel(
  current: CallSnapshot | null,
  conferenceIds: readonly string[] | null,
  nameOf: (party: CallParty) => string,
): string {
  if (!current || current.status !== 'active' || current.hold.local) {
    return 'Answer';
  }
  if (conferenceIds?.includes(current.id)) {
    return 'Hold conference and answer';
  }
  return `Hold ${nameOf(current.party)} and answer`;
}

/** The state of one line in a few words. */
export function lineStateText(line: CallSnapshot, inConference: boolean): string {
  if (line.hold.local) {
    return 'On hold';
  }
  if (inConference) {
    return 'In conference';
  }
  if (line.status === 'active') {
    return line.hold.remote ? 'Held by them' : 'Active';
  }
  return line.status === 'ringing' ? 'Ringing…' : 'Calling…';
}
