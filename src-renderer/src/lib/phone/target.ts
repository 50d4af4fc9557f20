// Turns what the user dials (number, user name, SIP address, link) into the SIP URI the
// engine calls, using the account's domain for numbers and bare names, and the account's dial
// rules for telephone numbers. Every dial path (typed, links, history, contacts, the tray,
// transfers, redial) resolves here, so the rules apply once and everywhere; the party keeps
// the number as picked (history and contacts match it, and calling it back rules it once).
// The parser and the rules are a chunk of their own, loaded before any account starts
// (dial-code.ts).
import type { DialTarget } from '@shared/dial-target';
import { dialCode } from './dial-code';
import { networkLabel } from '@shared/network-text';
import type { DialRules } from '@shared/settings-types';
import type { CallParty } from './types';

export interface CallTarget {
  uri: string;
  party: CallParty;
  /** DTMF digits to send after answer (RFC 3966 ;ext=). */
  extension: string | null;
  /** A '#31#' / '*31#' prefix the user dialled: hide or show our identity for this call. */
  callerId: 'hidden' | 'shown' | null;
}

/** Error for input that cannot be dialled; `message` is meant for the user. */
export class DialError extends Error {
  override name = 'DialError';
}

/** The host (and port) part of an account's SIP URI, e.g. 'pbx.example.com'. */
export function accountDomain(sipUri: string): string {
  const match = /^sips?:(?:[^@]*@)?([^;?>]+)/i.exec(sipUri.trim());
  if (!match?.[1]) {
    throw new DialError(`The account's SIP address "${sipUri}" has no domain.`);
  }
  return match[1].toLowerCase();
}

/** Longest SIP user part shown (a number or a user name). */
const USER_MAX = 128;

/**
 * A CallParty from the parts of a SIP URI that came from the network (a caller's From, a
 * REFER's target): every part is cleaned to one inert line here, where it enters the phone, so
 * no surface downstream (views, history, notification, popup, tray) sees markup-looking
 * controls, bidi overrides or a name of ten thousand characters (@shared/network-text).
 */
export function partyFromUri(name: string | null, user: string, host: string): CallParty {
  const cleanUser = networkLabel(user, USER_MAX);
  const cleanHost = networkLabel(host, USER_MAX);
  return {
    name: networkLabel(name ?? '') || null,
    user: cleanUser,
    uri: `sip:${cleanUser}@${cleanHost}`,
  };
}

/**
 * Resolves dial input against the account; throws DialError with a human message. A telephone
 * number is rewritten by the account's dial rules (`rules`, none when absent) in the
 * Request-URI; the party keeps the number as picked. A local
 * number in a global context (a tel: link's "phone-context=+1-212-555") is dialled as the
 * global number the context makes of it (RFC 3966 §5.1.5: the context's digits are the
 * prefix). A domain context is not sent: JsSIP %-escapes ';' in a Request-URI user part, which
 * would change its meaning (RFC 3261 §19.1.6), so the dialer picks the account of that domain
 * instead and says so when none matches (see dialPlan).
 */
export function resolveCallTarget(
  input: string | DialTarget,
  accountSipUri: string,
  rules?: DialRules,
): CallTarget {
  const target = typeof input === 'string' ? parsed(input) : input;
  const domain = accountDomain(accountSipUri);
  if (target.kind === 'number' || !/^sips?:/i.test(target.dial)) {
    const user = globalInContext(target);
    const dialled = target.kind === 'number' ? ruled(user, rules) : user;
    return {
      uri: `sip:${encodeUser(dialled)}@${domain}`,
      party: { name: target.name ?? null, user, uri: `sip:${user}@${domain}` },
      extension: target.extension ?? null,
      callerId: target.callerId ?? null,
    };
  }
  const match = /^sips?:([^@]+)@(.+)$/i.exec(target.dial);
  const user = match?.[1] ?? target.dial;
  return {
    uri: target.dial,
    party: { name: target.name ?? null, user: decodeURIComponentSafe(user), uri: target.dial },
    extension: target.extension ?? null,
    callerId: target.callerId ?? null,
  };
}

/**
 * The account a link is meant for: the one whose domain the link names (a sip: address's host
 * or a tel: link's phone-context), or null when none does.
 */
export function accountHintFor(
  target: DialTarget,
  accounts: readonly { id: string; sipUri: string }[],
): string | null {
  const host =
    target.kind === 'number'
      ? target.phoneContext
      : /^sips?:[^@]+@([^;?>]+)(?:;[^?>]*)?$/i.exec(target.dial)?.[1]?.toLowerCase();
  if (!host || host.startsWith('+')) {
    return null;
  }
  const match = accounts.find((a) => domainOrNull(a.sipUri) === host);
  return match?.id ?? null;
}

/** What will happen when `target` is called on an account (shown before the call). */
export interface DialPlan {
  /** The number or address that will be called (after the account's dial rules). */
  calls: string;
  /** "Will dial …" when the dial rules change the number, else null. */
  willDial: string | null;
  /** Why the dial rules refuse the number, in a sentence (the call would fail), else null. */
  refused: string | null;
  /** Digits sent as key presses after answer. */
  extension: string | null;
  /** A domain the number is local to that is not the account's (shown, since it is not sent). */
  foreignContext: string | null;
  /** Our identity for this call, when a '#31#' / '*31#' prefix decides it. */
  callerId: 'hidden' | 'shown' | null;
}

/** Explains how `target` will be dialled on the account with `accountSipUri` and its `rules`. */
export function dialPlan(target: DialTarget, accountSipUri: string, rules?: DialRules): DialPlan {
  const context = target.kind === 'number' ? target.phoneContext : undefined;
  const domain = domainOrNull(accountSipUri);
  const number = target.kind === 'number' ? globalInContext(target) : null;
  const code = dialCode();
  const result = number !== null && rules ? code.applyDialRules(number, rules) : null;
  return {
    calls: result?.ok ? result.dial : (number ?? target.display),
    willDial: result ? code.willDialText(result) : null,
    refused: result && !result.ok ? result.message : null,
    extension: target.extension ?? null,
    foreignContext:
      context && !context.startsWith('+') && context !== domain?.replace(/:\d+$/, '')
        ? context
        : null,
    callerId: target.callerId ?? null,
  };
}

// A local number in a global context becomes that global number; anything else is kept.
function globalInContext(target: DialTarget): string {
  const context = target.kind === 'number' ? target.phoneContext : undefined;
  if (!context?.startsWith('+') || !/^[0-9]+$/.test(target.dial)) {
    return target.dial;
  }
  const global = `${context}${target.dial}`;
  return global.length <= 16 ? global : target.dial;
}

// The number the account's dial rules make of `number`; refused numbers throw DialError.
function ruled(number: string, rules: DialRules | undefined): string {
  if (!rules) {
    return number;
  }
  const result = dialCode().applyDialRules(number, rules);
  if (!result.ok) {
    throw new DialError(result.message);
  }
  return result.dial;
}

function domainOrNull(sipUri: string): string | null {
  try {
    return accountDomain(sipUri);
  } catch {
    return null;
  }
}

function parsed(input: string): DialTarget {
  const result = dialCode().parseTypedDial(input);
  if (!result.ok) {
    throw new DialError(result.message);
  }
  return result.target;
}

// '#' must be escaped in a SIP URI user part (RFC 3261 §19.1.2); '*' and '+' need not be.
function encodeUser(user: string): string {
  return user.replace(/#/g, '%23');
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
