// Owns how a history entry is shown and called back: the dial string, talk time, a relative
// date, the outcome in words and its icon. Pure.
import { dialNumber } from '../contacts/normalize';
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

/** The line under the name: outcome (or talk time) and direction, and whether it was recorded. */
export function summaryOf(entry: HistoryEntry): string {
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
