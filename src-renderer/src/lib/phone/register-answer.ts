// What a registrar's answer to our REGISTER really says, read from the wire beside JsSIP.
// JsSIP 3.13.8 silently ignores a 2xx whose CSeq is not the one it sent, that has no Contact,
// or whose Contact is not ours (topology-hiding SBCs rewrite it), and turns an `Expires` that
// is not a number, 0 or too large into a NaN/overflowing timer (a REGISTER storm). The engine
// uses these pure pieces to bound every wait and to own the refresh schedule itself.
import { parseSipHead, type SipHead } from './sip-screen';

/** The refresh is never sooner than this after a successful REGISTER, whatever the registrar says. */
export const REFRESH_FLOOR_S = 30;
/** A granted lifetime longer than this (a day) is treated as this. */
export const EXPIRES_CEILING_S = 86_400;
/** Lifetime asked for once after a 423 without Min-Expires. */
export const INTERVAL_TOO_BRIEF_RETRY_S = 3600;

/** How the registrar answered one REGISTER, as far as the engine cares. */
export type RegisterAnswer =
  | { kind: 'bound'; expiresS: number; cseq: number; flowTimerS: number | null }
  | { kind: 'unusable'; reason: 'cseq-mismatch' | 'no-contact' | 'foreign-contact'; cseq: number }
  | { kind: 'removed'; cseq: number }
  | { kind: 'other'; code: number; cseq: number };

/**
 * A registrar's expires value: a non-negative decimal integer (RFC 3261 delta-seconds), or null
 * for anything else (`abc`, `-5`, `1e3`, empty). Values above the ceiling are clamped to it.
 */
export function parseExpires(value: string | undefined | null): number | null {
  const text = (value ?? '').trim().replace(/^"|"$/g, '');
  if (!/^\d{1,12}$/.test(text)) {
    return null;
  }
  return Math.min(Number(text), EXPIRES_CEILING_S);
}

/**
 * When to refresh a registration the registrar granted for `grantedS` seconds (null or 0 when
 * its answer carried no usable value: then the lifetime we asked for counts; a registrar may
 * shorten the lifetime but not lengthen it, RFC 3261 §10.3 step 7, so more than we asked for
 * counts as what we asked for). Halfway to expiry with up to 10 % jitter, never sooner than
 * the floor: a bounded REGISTER rate even when a registrar answers nonsense.
 */
export function refreshDelayMs(
  grantedS: number | null,
  requestedS: number,
  random: () => number = Math.random,
): number {
  const lifetime = grantedS !== null && grantedS > 0 ? Math.min(grantedS, requestedS) : requestedS;
  const bounded = Math.min(Math.max(lifetime, 1), EXPIRES_CEILING_S);
  const half = bounded * (0.5 + 0.1 * random());
  return Math.round(Math.max(REFRESH_FLOOR_S, half) * 1000);
}

/** Our side of a REGISTER: what the Contact we sent looks like and the lifetime we asked for. */
interface SentRegister {
  cseq: number;
  callId: string;
  contactUser: string | null;
  instance: string | null;
  requestedS: number | null;
}

const cseqOf = (head: SipHead): { n: number; method: string } | null => {
  const m = /^\s*(\d+)\s+(\S+)/.exec(head.headers.get('cseq')?.[0] ?? '');
  return m ? { n: Number(m[1]), method: (m[2] ?? '').toUpperCase() } : null;
};

const contactUser = (value: string): string | null =>
  /<?\s*sips?:([^@;>\s]+)@/i.exec(value)?.[1] ?? null;

const paramOf = (value: string, name: string): string | null => {
  const m = new RegExp(`;\\s*${name.replace(/[+.]/g, '\\$&')}\\s*=\\s*("[^"]*"|[^;,\\s]+)`, 'i');
  return m.exec(value)?.[1] ?? null;
};

// Splits a Contact header value on the commas between contacts (not inside <> or quotes).
function splitContacts(values: string[]): string[] {
  const out: string[] = [];
  for (const value of values) {
    let depth = 0;
    let quoted = false;
    let start = 0;
    for (let i = 0; i < value.length; i += 1) {
      const c = value[i];
      if (c === '"') {
        quoted = !quoted;
      } else if (!quoted && c === '<') {
        depth += 1;
      } else if (!quoted && c === '>') {
        depth -= 1;
      } else if (!quoted && depth === 0 && c === ',') {
        out.push(value.slice(start, i).trim());
        start = i + 1;
      }
    }
    out.push(value.slice(start).trim());
  }
  return out.filter((v) => v !== '');
}

/**
 * Follows the REGISTER transactions on one connection: fed every message sent and received
 * (the socket tap), it returns a verdict for each final answer to one of our REGISTERs.
 */
export class RegisterTracker {
  #sent: SentRegister | null = null;

  /** A message we handed to the network. */
  sent(text: string): void {
    const head = parseSipHead(text);
    if (head?.kind !== 'request' || head.method?.toUpperCase() !== 'REGISTER') {
      return;
    }
    const cseq = cseqOf(head);
    const contact = head.headers.get('contact')?.[0] ?? '';
    this.#sent = {
      cseq: cseq?.n ?? -1,
      callId: head.headers.get('call-id')?.[0]?.trim() ?? '',
      contactUser: contactUser(contact),
      instance: paramOf(contact, '+sip.instance'),
      requestedS:
        parseExpires(paramOf(contact, 'expires')) ?? parseExpires(head.headers.get('expires')?.[0]),
    };
  }

  /** A message from the network; a verdict when it is a final answer to our REGISTER. */
  received(text: string): RegisterAnswer | null {
    const head = parseSipHead(text);
    const sent = this.#sent;
    const code = Number(/^SIP\/\d+\.\d+ +(\d{3})/.exec(text)?.[1] ?? 0);
    if (head?.kind !== 'response' || sent === null || code < 200) {
      return null;
    }
    const cseq = cseqOf(head);
    const callId = head.headers.get('call-id')?.[0]?.trim() ?? '';
    if (cseq?.method !== 'REGISTER' || callId !== sent.callId) {
      return null;
    }
    if (code >= 300) {
      return { kind: 'other', code, cseq: cseq.n };
    }
    if (cseq.n !== sent.cseq) {
      return { kind: 'unusable', reason: 'cseq-mismatch', cseq: cseq.n };
    }
    if (sent.requestedS === 0) {
      return { kind: 'removed', cseq: cseq.n };
    }
    return this.#bound(head, sent, cseq.n);
  }

  #bound(head: SipHead, sent: SentRegister, cseq: number): RegisterAnswer {
    const contacts = splitContacts(head.headers.get('contact') ?? []);
    if (contacts.length === 0) {
      return { kind: 'unusable', reason: 'no-contact', cseq };
    }
    // JsSIP's own matching (Registrator.js): +sip.instance (with reg-id), else the URI user.
    const ours = contacts.find(
      (c) =>
        (sent.instance !== null && paramOf(c, '+sip.instance') === sent.instance) ||
        (sent.contactUser !== null && contactUser(c) === sent.contactUser),
    );
    if (ours === undefined) {
      return { kind: 'unusable', reason: 'foreign-contact', cseq };
    }
    const granted =
      parseExpires(paramOf(ours, 'expires')) ?? parseExpires(head.headers.get('expires')?.[0]);
    // RFC 5626 §4.4.1: an edge proxy's Flow-Timer is how often it needs to hear from us.
    const flowTimerS = parseExpires(head.headers.get('flow-timer')?.[0]);
    return { kind: 'bound', expiresS: granted ?? 0, cseq, flowTimerS };
  }
}

/** One plain sentence for the user about a 2xx the phone cannot use. */
export function describeUnusableAnswer(
  reason: 'cseq-mismatch' | 'no-contact' | 'foreign-contact',
): string {
  switch (reason) {
    case 'cseq-mismatch':
      return 'The server answered the registration with a 200 OK for a different request (CSeq mismatch), so the phone cannot tell whether it is registered. Trying again automatically.';
    case 'no-contact':
      return 'The server answered the registration with a 200 OK that lists no Contact, so the phone cannot tell whether it is registered. Trying again automatically.';
    default:
      return "The server answered the registration with a 200 OK that does not list this phone's Contact (a server or SBC that rewrites it), so the phone cannot tell whether calls will reach it. Trying again automatically.";
  }
}

/** No REGISTER waits longer than this for a usable outcome (JsSIP's Timer F is 32 s). */
export const REGISTER_WATCHDOG_S = 40;
/** Unusable answers retried on their own (with backoff) before waiting for the user or the network. */
export const UNUSABLE_RETRIES = 5;

/**
 * A refusal whose form makes JsSIP's reading of it wrong: a 401/407 without a challenge is
 * not "wrong password", a 423 without Min-Expires is not final. Null for any other answer.
 */
export function malformedRefusal(
  code: number | null,
  has: (header: string) => boolean,
): { kind: 'no-challenge' | 'no-min-expires'; message: string } | null {
  if (code === 401 || code === 407) {
    const header = code === 401 ? 'WWW-Authenticate' : 'Proxy-Authenticate';
    return has(header)
      ? null
      : {
          kind: 'no-challenge',
          message: `The server refused the registration with ${code} but sent no usable ${header} challenge, so the password was never tried. The server is misconfigured; trying again automatically.`,
        };
  }
  if (code === 423 && !has('Min-Expires')) {
    return {
      kind: 'no-min-expires',
      message:
        'The server found the registration interval too brief (423) but did not say which interval it accepts (no Min-Expires), and a longer one was refused too.',
    };
  }
  return null;
}
