// Owns how a history entry is shown and called back: the dial string, talk time, a relative
// date, the outcome and why the call ended in words, and its icon. Pure.
import { dialNumber } from '../contacts/normalize';
import type { CallEndCause } from '../phone';
import type { CallOutcome, HistoryEntry } from './types';

/**
 * What to dial to call the party back: the number when the party is a telephone number (so it
 * goes through our own account's server), otherwise their SIP address.
 */
export function dialStringOf(entry: Pick<HistoryEntry, 'partyUser' | 'partyUri'>): string {
  return dialNumber(entry.partyUser) !== null ? entry.partyUser : entry.partyUri;
}

/** Talk time as 'm:ss' or 'h:mm:ss'. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function startOfDay(t: number): number {
  const d = new Date(t);
  d.setHours(0, 0, 0, 0);
  return d.getTime();
}

/** When a call was: the time today, 'Yesterday 14:05', a short date this year, else the date. */
export function formatWhen(t: number, now: number, locale?: string): string {
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' }).format(t);
  const days = Math.round((startOfDay(now) - startOfDay(t)) / 86_400_000);
  if (days === 0) {
    return time;
  }
  if (days === 1) {
    return `Yesterday ${time}`;
  }
  const sameYear = new Date(t).getFullYear() === new Date(now).getFullYear();
  const date = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    ...(sameYear ? {} : { year: 'numeric' }),
  }).format(t);
  return sameYear ? `${date} ${time}` : date;
}

const OUTCOME_WORDS: Record<CallOutcome, string> = {
  answered: 'Answered',
  missed: 'Missed',
  declined: 'Declined',
  cancelled: 'Cancelled',
  failed: 'Failed',
  transferred: 'Transferred',
  busy: 'Busy',
  'answered-elsewhere': 'Answered elsewhere',
};

/** The outcome in words. */
export function outcomeText(outcome: CallOutcome): string {
  return OUTCOME_WORDS[outcome];
}

// Why a call ended, where the outcome alone does not say it. Hang-ups, cancels, declines, busy,
// transfers and "answered elsewhere" are the outcome already and get no phrase.
const END_REASONS: Partial<Record<CallEndCause, string>> = {
  'connection-lost': 'connection lost',
  'media-failed': 'audio failed',
  'no-answer': 'no answer',
  'no-response': 'no response',
  'not-found': 'number not found',
  unavailable: 'unavailable',
  rejected: 'rejected',
  'address-incomplete': 'incomplete number',
  'incompatible-media': 'no common audio format',
  'microphone-unavailable': 'microphone unavailable',
  'auth-failed': 'not authorised',
  interrupted: 'app closed during the call',
  error: 'error',
};

/**
 * Why the call ended as a short phrase ('connection lost'), or null when the outcome says it
 * (or the stored cause is not one this version knows).
 */
export function endReasonText(cause: string | null): string | null {
  return cause !== null && Object.hasOwn(END_REASONS, cause)
    ? (END_REASONS[cause as CallEndCause] ?? null)
    : null;
}

/** A small decorative glyph for a row (always paired with text for assistive technology). */
export function outcomeIcon(entry: Pick<HistoryEntry, 'direction' | 'outcome'>): string {
  switch (entry.outcome) {
    case 'missed':
      return '↙';
    case 'declined':
    case 'busy':
      return '⊘';
    case 'failed':
      return '!';
    case 'transferred':
      return '⇄';
    case 'answered-elsewhere':
      return '↪';
    default:
      return entry.direction === 'incoming' ? '↙' : '↗';
  }
}

/**
 * The line under the name: outcome (or talk time) and direction, whether it was recorded, and
 * why it ended when the outcome does not say it ('Outgoing, 2:05, connection lost').
 */
export function summaryOf(entry: HistoryEntry): string {
  const reason = endReasonText(entry.endCause);
  const summary = outcomeSummary(entry);
  return reason === null ? summary : `${summary}, ${reason}`;
}

function outcomeSummary(entry: HistoryEntry): string {
  const direction = entry.direction === 'incoming' ? 'Incoming' : 'Outgoing';
  if (entry.outcome === 'answered' || entry.outcome === 'transferred') {
    const talk = formatDuration(entry.durationS);
    const recorded = entry.recordings?.length ? ', recorded' : '';
    return entry.outcome === 'transferred'
      ? `${direction}, transferred, ${talk}${recorded}`
      : `${direction}, ${talk}${recorded}`;
  }
  return entry.outcome === 'missed'
    ? 'Missed call'
    : `${direction}, ${outcomeText(entry.outcome).toLowerCase()}`;
}
