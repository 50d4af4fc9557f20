// Owns the decisions around one subscription's lifetime (RFC 6665): when to refresh it, and
// after it ended — a terminated NOTIFY, an error response, no response — whether and when to
// start a new one. Pure: the caller feeds what happened and its count of consecutive failures;
// the randomness is injectable. Running the plans at a bounded rate is resubscribe-queue.ts's job.
//
// After a terminated NOTIFY (RFC 6665 §4.1.3):
//   deactivated, timeout     → new subscription at once (backed off if it keeps happening)
//   probation, giveup        → after retry-after, else after a back-off
//   rejected, noresource,
//   invariant                → stop: retrying cannot help
//   no or unknown reason     → after retry-after, else after a back-off (not immediately)
// A retry-after is honoured for every reason that allows a retry, capped at maxRetryAfterMs, with
// up to `jitter` added so that many subscriptions ended together do not return together.
// After an error response: 481 → new subscription at once; 423 → again with Min-Expires;
// 401/407, 3xx, 400, 403, 404, 405, 415, 420, 488, 489, 501, 603, 604, 606 → stop; anything else
// (408, 480, 5xx, 6xx…) → after Retry-After, else a back-off. No response → back-off.

import { MAX_DELTA_SECONDS } from './subscription-state';

export interface RetryPolicy {
  /** First back-off; doubles with each consecutive failure. */
  baseBackoffMs: number;
  /** Longest back-off. */
  maxBackoffMs: number;
  /** Longest Retry-After / retry-after honoured (a server asking for a day gets an hour). */
  maxRetryAfterMs: number;
  /** Random spread: back-offs vary by ±jitter, server-given delays grow by up to +jitter. */
  jitter: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseBackoffMs: 5_000,
  maxBackoffMs: 10 * 60_000,
  maxRetryAfterMs: 60 * 60_000,
  jitter: 0.2,
};

/** How a subscription ended. */
export type SubscriptionEnd =
  | { kind: 'notify-terminated'; reason: string | null; retryAfterS: number | null }
  | {
      kind: 'response';
      status: number;
      retryAfterS?: number | null;
      minExpiresS?: number | null;
    }
  /** A final non-2xx response whose code is not known (JsSIP's Subscriber does not pass it on). */
  | { kind: 'non-ok-response' }
  | { kind: 'timeout' }
  | { kind: 'transport-error' }
  | { kind: 'auth-failed' }
  | { kind: 'bad-notify' }
  | { kind: 'bad-ok-response' }
  | { kind: 'unsubscribed' };

export type ResubscribePlan =
  | {
      action: 'resubscribe';
      delayMs: number;
      /** One sentence: why the subscription ended. */
      cause: string;
      /** Ask for this Expires in the new SUBSCRIBE (after a 423). */
      expiresS?: number;
    }
  | { action: 'stop'; cause: string };

export interface PlanOptions {
  policy?: Partial<RetryPolicy>;
  /** Uniform in [0, 1); Math.random by default. */
  random?: () => number;
}

const STOP_STATUS: Readonly<Record<number, string>> = {
  400: 'The server did not understand the subscription.',
  401: 'The server did not accept our credentials for the subscription.',
  403: 'The server refused the subscription.',
  404: 'The server does not know this address.',
  405: 'The server does not accept subscriptions.',
  407: 'The proxy did not accept our credentials for the subscription.',
  415: 'The server cannot send the body format we accept.',
  420: 'The server does not support an extension we require.',
  488: 'The server did not accept the subscription.',
  489: 'The server does not support this event package.',
  501: 'The server does not accept subscriptions.',
  603: 'The subscription was declined.',
  604: 'The address does not exist anywhere.',
  606: 'The server did not accept the subscription.',
};

const STOP_REASON: Readonly<Record<string, string>> = {
  rejected: 'The server rejected the subscription.',
  noresource: 'The server has no such resource any more.',
  invariant: 'The server says this state never changes.',
};

/** Back-off for the n-th consecutive failure (0-based), with ±jitter. */
export function backoffMs(failures: number, options: PlanOptions = {}): number {
  const p = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const random = options.random ?? Math.random;
  const exp = Math.min(Math.max(0, Math.floor(failures)), 30);
  const base = Math.min(p.maxBackoffMs, p.baseBackoffMs * 2 ** exp);
  return Math.round(base * (1 + p.jitter * (random() * 2 - 1)));
}

function serverDelay(seconds: number, options: PlanOptions): number {
  const p = { ...DEFAULT_RETRY_POLICY, ...options.policy };
  const random = options.random ?? Math.random;
  const ms = Math.min(Math.min(seconds, MAX_DELTA_SECONDS) * 1000, p.maxRetryAfterMs);
  return Math.round(ms * (1 + p.jitter * random()));
}

/** At once the first time; backed off when it keeps happening (a server looping on us). */
function soon(failures: number, options: PlanOptions): number {
  return failures <= 0 ? 0 : backoffMs(failures - 1, options);
}

function afterNotify(
  end: { reason: string | null; retryAfterS: number | null },
  failures: number,
  options: PlanOptions,
): ResubscribePlan {
  const reason = end.reason?.toLowerCase() ?? null;
  const stop = reason !== null && Object.hasOwn(STOP_REASON, reason) ? STOP_REASON[reason] : null;
  if (stop) {
    return { action: 'stop', cause: stop };
  }
  const cause = `The server ended the subscription${reason ? ` (${reason})` : ''}.`;
  if (end.retryAfterS !== null && end.retryAfterS >= 0) {
    return { action: 'resubscribe', delayMs: serverDelay(end.retryAfterS, options), cause };
  }
  if (reason === 'deactivated' || reason === 'timeout') {
    return { action: 'resubscribe', delayMs: soon(failures, options), cause };
  }
  return { action: 'resubscribe', delayMs: backoffMs(failures, options), cause };
}

function afterResponse(
  end: Extract<SubscriptionEnd, { kind: 'response' }>,
  failures: number,
  options: PlanOptions,
): ResubscribePlan {
  const status = end.status;
  const stop = Object.hasOwn(STOP_STATUS, status) ? STOP_STATUS[status] : null;
  if (stop) {
    return { action: 'stop', cause: `${stop.slice(0, -1)} (${status}).` };
  }
  if (status >= 300 && status < 400) {
    return { action: 'stop', cause: `The server redirected the subscription (${status}).` };
  }
  if (status === 481) {
    const cause = 'The server no longer knows the subscription (481).';
    return { action: 'resubscribe', delayMs: soon(failures, options), cause };
  }
  if (status === 423) {
    const min = end.minExpiresS ?? null;
    const cause = 'The server asked for a longer subscription (423).';
    return min !== null && min > 0 && min <= 86_400
      ? { action: 'resubscribe', delayMs: soon(failures, options), cause, expiresS: min }
      : { action: 'stop', cause: `${cause.slice(0, -1)} without saying how long.` };
  }
  const cause = `The subscription failed (${status}).`;
  const retryAfter = end.retryAfterS ?? null;
  return retryAfter !== null && retryAfter >= 0
    ? { action: 'resubscribe', delayMs: serverDelay(retryAfter, options), cause }
    : { action: 'resubscribe', delayMs: backoffMs(failures, options), cause };
}

const RETRY_CAUSE: Readonly<Record<string, string>> = {
  'non-ok-response': 'The server answered the subscription with an error.',
  timeout: 'The server did not answer the subscription.',
  'transport-error': 'The connection failed while subscribing.',
  'bad-notify': 'The server sent a notification without a valid Subscription-State.',
  'bad-ok-response': 'The server accepted the subscription without a Contact.',
};

/**
 * What to do after a subscription ended. `failures` counts the consecutive failed attempts
 * before this one (reset it when a subscription becomes active).
 */
export function planResubscribe(
  end: SubscriptionEnd,
  failures: number,
  options: PlanOptions = {},
): ResubscribePlan {
  switch (end.kind) {
    case 'notify-terminated':
      return afterNotify(end, failures, options);
    case 'response':
      return afterResponse(end, failures, options);
    case 'auth-failed':
      return { action: 'stop', cause: 'The server did not accept our credentials.' };
    case 'unsubscribed':
      return { action: 'stop', cause: 'The subscription was ended on purpose.' };
    default:
      return {
        action: 'resubscribe',
        delayMs: backoffMs(failures, options),
        cause: RETRY_CAUSE[end.kind] ?? 'The subscription failed.',
      };
  }
}

/**
 * When to refresh a subscription that the server granted for `expiresS` seconds. The rule
 * JsSIP's own registrator and subscriber use: for 140 s or more, uniformly between half the
 * lifetime and 70 s before its end (which also spreads many refreshes apart); below that, 5 s
 * before the end, but never before half of it.
 */
export function refreshDelayMs(expiresS: number, random: () => number = Math.random): number {
  const e = Math.min(Math.max(0, expiresS), MAX_DELTA_SECONDS) * 1000;
  if (e >= 140_000) {
    return Math.floor(e / 2 + (e / 2 - 70_000) * random());
  }
  return Math.max(e - 5_000, e / 2);
}

/**
 * Maps JsSIP 3.13's Subscriber 'terminated' event (code, reason, retryAfter) to an end. The
 * codes are JsSIP's Subscriber.C values, repeated here because this module does not import JsSIP.
 */
export function endFromSubscriberTermination(
  code: number,
  reason?: string,
  retryAfter?: number,
): SubscriptionEnd {
  switch (code) {
    case 0:
      return { kind: 'timeout' };
    case 1:
      return { kind: 'transport-error' };
    case 2:
      return { kind: 'non-ok-response' };
    case 3:
      return { kind: 'bad-ok-response' };
    case 4:
      return { kind: 'auth-failed' };
    case 5:
      return { kind: 'unsubscribed' };
    case 6:
      return {
        kind: 'notify-terminated',
        reason: reason ?? null,
        retryAfterS:
          typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0
            ? retryAfter
            : null,
      };
    default:
      return { kind: 'bad-notify' };
  }
}
