// Owns turning the end of a call (a CallSnapshot) into a history outcome and a history entry.
// Pure: the rules are documented on CallOutcome in ./types.
import { numberKey } from '../contacts/normalize';
import type { CallEndCause, CallSnapshot } from '../phone';
import type { CallOutcome, CallQuality, HistoryEntry } from './types';

/** What the snapshot alone cannot tell. */
export interface OutcomeFlags {
  /** The call was answered and then transferred to someone else. */
  transferred?: boolean;
  /** An incoming call was declined by the app itself (do-not-disturb, busy on another call). */
  autoDeclined?: boolean;
}

/** What the history needs besides the snapshot. */
export interface EntryInfo extends OutcomeFlags {
  accountLabel: string;
  quality?: CallQuality;
  /** Ids of the recordings made of the call. */
  recordings?: string[];
}

const OUTGOING: Partial<Record<CallEndCause, CallOutcome>> = {
  'canceled-local': 'cancelled',
  busy: 'busy',
  declined: 'declined',
};

const INCOMING_MISSED: ReadonlySet<CallEndCause> = new Set<CallEndCause>([
  'canceled-remote',
  'no-answer',
  'connection-lost',
  'interrupted',
  'busy',
]);

/** The outcome of a call from its final snapshot (see CallOutcome for the rules). */
export function deriveOutcome(call: CallSnapshot, flags: OutcomeFlags = {}): CallOutcome {
  const cause = call.end?.cause ?? null;
  // JsSIP reports a hang-up only for established sessions, so one without answeredAt still talked.
  if (call.answeredAt !== null || cause === 'hangup-local' || cause === 'hangup-remote') {
    return flags.transferred || cause === 'transferred' ? 'transferred' : 'answered';
  }
  if (call.direction === 'outgoing') {
    return (cause && OUTGOING[cause]) ?? 'failed';
  }
  if (cause === 'answered-elsewhere') {
    return 'answered-elsewhere';
  }
  if (cause === 'declined-local') {
    return flags.autoDeclined ? 'missed' : 'declined';
  }
  // No end at all means the app stopped while it rang: the user did not take it.
  return cause === null || INCOMING_MISSED.has(cause) ? 'missed' : 'failed';
}

/** A history entry for a call that has ended. Only missed calls start unseen. */
export function entryFromCall(call: CallSnapshot, info: EntryInfo): HistoryEntry {
  const outcome = deriveOutcome(call, info);
  const durationS =
    call.answeredAt !== null && call.endedAt !== null
      ? Math.max(0, Math.round((call.endedAt - call.answeredAt) / 1000))
      : 0;
  const entry: HistoryEntry = {
    id: call.id,
    startedAt: call.createdAt,
    answeredAt: call.answeredAt,
    endedAt: call.endedAt,
    durationS,
    direction: call.direction,
    outcome,
    accountId: call.accountId,
    accountLabel: info.accountLabel,
    partyName: call.party.name,
    partyUser: call.party.user,
    partyUri: call.party.uri,
    partyKey: numberKey(call.party.user),
    endCause: call.end?.cause ?? null,
    endCode: call.end?.code ?? null,
    seen: outcome !== 'missed',
  };
  if (info.quality) {
    entry.quality = info.quality;
  }
  if (info.recordings && info.recordings.length > 0) {
    entry.recordings = [...info.recordings];
  }
  return entry;
}
