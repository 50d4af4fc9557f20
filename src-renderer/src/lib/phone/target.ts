// Turns what the user dials (number, user name, SIP address, link) into the SIP URI the
// engine calls, using the account's domain for numbers and bare names.
import { parseTypedDial, type DialTarget } from '@shared/dial-target';
import type { CallParty } from './types';

export interface CallTarget {
  uri: string;
  party: CallParty;
  /** DTMF digits to send after answer (RFC 3966 ;ext=). */
  extension: string | null;
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

/** A CallParty from the parts of a SIP URI. */
export function partyFromUri(name: string | null, user: string, host: string): CallParty {
  return { name: name?.trim() || null, user, uri: `sip:${user}@${host}` };
}

/** Resolves dial input against the account; throws DialError with a human message. */
export function resolveCallTarget(input: string | DialTarget, accountSipUri: string): CallTarget {
  const target = typeof input === 'string' ? parsed(input) : input;
  const domain = accountDomain(accountSipUri);
  if (target.kind === 'number' || !/^sips?:/i.test(target.dial)) {
    const user = target.dial;
    return {
      uri: `sip:${encodeUser(user)}@${domain}`,
      party: { name: target.name ?? null, user, uri: `sip:${user}@${domain}` },
      extension: target.extension ?? null,
    };
  }
  const match = /^sips?:([^@]+)@(.+)$/i.exec(target.dial);
  const user = match?.[1] ?? target.dial;
  return {
    uri: target.dial,
    party: { name: target.name ?? null, user: decodeURIComponentSafe(user), uri: target.dial },
    extension: target.extension ?? null,
  };
}

function parsed(input: string): DialTarget {
  const result = parseTypedDial(input);
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
