// Owns parsing the Subscription-State header of a NOTIFY (RFC 6665 §8.2.3 and §4.1.3):
//   Subscription-State: active;expires=3600
//   Subscription-State: terminated;reason=probation;retry-after=30
// Bounded (MAX_HEADER_LENGTH), case-insensitive, quoted generic parameters skipped correctly;
// a value it cannot read is an error, never an exception.

export type SubstateValue = 'active' | 'pending' | 'terminated';

/** RFC 6665 §6.2 (IANA registry) termination reasons. */
export type TerminationReason =
  'deactivated' | 'probation' | 'rejected' | 'timeout' | 'giveup' | 'noresource' | 'invariant';

export interface SubscriptionState {
  /** null for an extension value this code does not know (see `value`). */
  state: SubstateValue | null;
  /** The substate value as sent, lower case. */
  value: string;
  /** expires=, seconds. */
  expiresS: number | null;
  /** reason= when it is a registered reason; null otherwise (see reasonText). */
  reason: TerminationReason | null;
  /** reason= as sent, lower case, when present. */
  reasonText: string | null;
  /** retry-after=, seconds. */
  retryAfterS: number | null;
}

export type SubscriptionStateResult =
  { ok: true; value: SubscriptionState } | { ok: false; message: string };

export const MAX_HEADER_LENGTH = 1024;
/** delta-seconds are capped at 2^32 - 1 (RFC 3261 §20.19's rule for Expires). */
export const MAX_DELTA_SECONDS = 2 ** 32 - 1;

const STATES: ReadonlySet<string> = new Set(['active', 'pending', 'terminated']);
const REASONS: ReadonlySet<string> = new Set([
  'deactivated',
  'probation',
  'rejected',
  'timeout',
  'giveup',
  'noresource',
  'invariant',
]);
const TOKEN = /^[A-Za-z0-9\-.!%*_+`'~]+$/;

/** Splits on ';' outside double quotes; null when a quote is left open. */
function splitParams(value: string): string[] | null {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!;
    if (quoted && ch === '\\') {
      current += ch + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (ch === '"') {
      quoted = !quoted;
    }
    if (ch === ';' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (quoted) {
    return null;
  }
  parts.push(current);
  return parts.map((p) => p.trim());
}

/** delta-seconds: 1*DIGIT, capped; null when not digits. */
export function parseDeltaSeconds(value: string | null | undefined): number | null {
  const v = value?.trim() ?? '';
  if (!/^[0-9]{1,20}$/.test(v)) {
    return null;
  }
  return Math.min(Number(v), MAX_DELTA_SECONDS);
}

/** Parses a Subscription-State header value. Never throws. */
export function parseSubscriptionState(header: string | null | undefined): SubscriptionStateResult {
  if (typeof header !== 'string' || header.trim() === '') {
    return { ok: false, message: 'The NOTIFY has no Subscription-State.' };
  }
  if (header.length > MAX_HEADER_LENGTH) {
    return { ok: false, message: 'The Subscription-State header is longer than allowed.' };
  }
  const parts = splitParams(header);
  const value = parts?.[0]?.toLowerCase() ?? '';
  if (!parts || !TOKEN.test(value)) {
    return { ok: false, message: 'The Subscription-State header is malformed.' };
  }
  const state: SubscriptionState = {
    state: STATES.has(value) ? (value as SubstateValue) : null,
    value,
    expiresS: null,
    reason: null,
    reasonText: null,
    retryAfterS: null,
  };
  for (const param of parts.slice(1)) {
    if (param === '') {
      continue;
    }
    const eq = param.indexOf('=');
    const name = (eq === -1 ? param : param.slice(0, eq)).trim().toLowerCase();
    const raw = eq === -1 ? '' : param.slice(eq + 1).trim();
    if (name === 'expires' && state.expiresS === null) {
      state.expiresS = parseDeltaSeconds(raw);
    } else if (name === 'retry-after' && state.retryAfterS === null) {
      state.retryAfterS = parseDeltaSeconds(raw);
    } else if (name === 'reason' && state.reasonText === null && TOKEN.test(raw)) {
      const reason = raw.toLowerCase();
      state.reasonText = reason;
      state.reason = REASONS.has(reason) ? (reason as TerminationReason) : null;
    }
  }
  return { ok: true, value: state };
}
