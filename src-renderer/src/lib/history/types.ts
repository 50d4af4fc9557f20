// Owns the shape of a call history entry and of its outcome and quality figures.
import type { CallDirection, CallEndCause } from '../phone';

/**
 * How a call turned out, from the user's point of view:
 * - answered: talked (either direction);
 * - missed: incoming, never answered here and not declined by the user (caller gave up,
 *   no answer, line dropped while ringing, or declined automatically, e.g. do-not-disturb);
 * - declined: incoming declined by the user, or outgoing declined by the other side (603/4xx);
 * - cancelled: outgoing, we hung up before it was answered;
 * - busy: outgoing, the other side was busy;
 * - failed: could not be set up (not found, unavailable, no answer to our call, errors);
 * - transferred: answered, then handed on to someone else;
 * - answered-elsewhere: incoming, picked up on another device of ours. Not missed: nobody
 *   needs to call back, so it does not count towards the missed-call badge.
 */
export type CallOutcome =
  | 'answered'
  | 'missed'
  | 'declined'
  | 'cancelled'
  | 'failed'
  | 'transferred'
  | 'busy'
  | 'answered-elsewhere';

/** Every outcome, in a stable order (for filters and tests). */
export const CALL_OUTCOMES: readonly CallOutcome[] = [
  'answered',
  'missed',
  'declined',
  'cancelled',
  'failed',
  'transferred',
  'busy',
  'answered-elsewhere',
];

/** Audio quality figures of a call (filled in by the call-quality work; optional). */
export interface CallQuality {
  /** Estimated mean opinion score, 1..5 (null when too little audio was measured). */
  mos: number | null;
  jitterMs: number | null;
  lossPct: number | null;
  rttMs: number | null;
  codec: string | null;
  /** Share of audio concealed by the decoder, 0..100. */
  concealedPct: number | null;
}

/** One call in the history. */
export interface HistoryEntry {
  /** The call id (CallSnapshot.id). */
  id: string;
  /** epoch ms when the call was created */
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** Talk time in whole seconds (0 when never answered). */
  durationS: number;
  direction: CallDirection;
  outcome: CallOutcome;
  accountId: string;
  /** The account's label when the call happened (accounts may be renamed or removed later). */
  accountLabel: string;
  partyName: string | null;
  partyUser: string;
  partyUri: string;
  /**
   * Lookup key of the party's number (see contacts/normalize.ts numberKey): the last 9
   * significant digits, '' when the party is not a number. Indexed since schema v2.
   */
  partyKey: string;
  endCause: CallEndCause | null;
  endCode: number | null;
  quality?: CallQuality;
  /**
   * Recordings made of this call: ids in main's list of recordings (recording/list), oldest
   * first. Not indexed: looked up only from the entry.
   */
  recordings?: string[];
  /** Whether the user has seen it; only unseen missed calls count towards the badge. */
  seen: boolean;
}

/** Where a page of history ends; pass it back to get the next (older) page. */
export interface HistoryCursor {
  startedAt: number;
  id: string;
}

/** A page of entries, newest first, and the cursor of the next page (null at the end). */
export interface HistoryPage {
  entries: HistoryEntry[];
  next: HistoryCursor | null;
}

/** A search result: ids newest first, read by position (nothing is copied per row). */
export interface HistoryResults {
  readonly count: number;
  idAt(position: number): string | undefined;
}

/** What changed, for listeners (the UI state drops cached rows on these). */
export type HistoryChange =
  | { kind: 'added'; entry: HistoryEntry }
  | { kind: 'updated'; id: string }
  | { kind: 'removed'; id: string }
  | { kind: 'cleared' }
  | { kind: 'seen' }
  | { kind: 'indexed' };
