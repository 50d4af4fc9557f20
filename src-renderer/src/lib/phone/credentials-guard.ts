// Answers digest challenges only where a challenge is legitimate. JsSIP 3.13's RequestSender
// answers a 401/407 to ANY request it sent, a BYE or a re-INVITE included, with the account's
// credentials for whatever realm the challenger names, then stores that realm and its HA1 in the
// UA configuration (UA.set('realm'/'ha1'), which also deletes the password). A far end, or
// anything on its path, can so make the phone compute a digest response to its own nonce and
// crack the password offline (the "SIP digest leak", Enable Security 2009), and break the next
// re-registration. Upstream has no hook for it, so the guard works at the two edges it owns:
//
// - the socket: a challenge in a response to an in-dialog request (or to CANCEL, which can never
//   be challenged, RFC 3261 §22.1), or naming a realm the account does not use, is removed from
//   the response before JsSIP reads it. JsSIP then sees a plain 401/407 and fails the request
//   ("cannot authenticate"), which is what a refusal is.
// - the UA: `set('realm')` and `set('ha1')` are ignored, so the configuration keeps the user's
//   password and realm; JsSIP recomputes the HA1 from them at each challenge.
//
// Legitimate: REGISTER (the registrar behind the configured WebSocket) and requests outside a
// dialog, toward the account's own server, for a trusted realm: the configured realm when there
// is one; otherwise the realm the registrar itself challenged with, or the account's domain.
import type { UA } from 'jssip';
import { createLogger } from '../logger';
import { tagOf, topBranch } from './cancel-screen';
import type { SipHead } from './sip-screen';

const log = createLogger('credentials');

/** What the guard remembers of a request we sent. */
interface SentRequest {
  method: string;
  inDialog: boolean;
}

/** How many sent requests are remembered (the oldest are forgotten first). */
const REMEMBERED = 256;

const CHALLENGE = /^(www-authenticate|proxy-authenticate)[ \t]*:/i;

/** The realm parameter of a Digest challenge, or null. */
export function challengeRealm(value: string): string | null {
  const match = /(?:^|[\s,])realm\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/i.exec(value);
  if (!match) {
    return null;
  }
  return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : (match[2] ?? null);
}

export class CredentialsGuard {
  readonly #configuredRealm: string | null;
  readonly #domain: string;
  #registrarRealm: string | null = null;
  readonly #sent = new Map<string, SentRequest>();

  /** `realm` is the configured one ('' for none); `domain` the host of the account's SIP URI. */
  constructor(realm: string, domain: string) {
    this.#configuredRealm = realm.trim() || null;
    this.#domain = domain.toLowerCase();
  }

  /** Realms a challenge to an out-of-dialog request may name. */
  get trustedRealms(): string[] {
    if (this.#configuredRealm) {
      return [this.#configuredRealm];
    }
    return [this.#registrarRealm, this.#domain].filter((r): r is string => r !== null);
  }

  /** Remembers a request JsSIP sends (socket edge, outbound). */
  noteSent(head: SipHead): void {
    const branch = topBranch(head);
    if (head.kind !== 'request' || !branch || !head.method) {
      return;
    }
    this.#sent.delete(branch);
    this.#sent.set(branch, {
      method: head.method.toUpperCase(),
      inDialog: tagOf(head.headers.get('to')?.[0] ?? null) !== null,
    });
    for (const key of this.#sent.keys()) {
      if (this.#sent.size <= REMEMBERED) {
        break;
      }
      this.#sent.delete(key);
    }
  }

  /** A response from the network with every challenge we must not answer removed. */
  filter(text: string, head: SipHead): string {
    if (head.kind !== 'response' || (head.status !== 401 && head.status !== 407)) {
      return text;
    }
    const branch = topBranch(head);
    const request = branch ? this.#sent.get(branch) : undefined;
    const split = text.search(/\r?\n\r?\n/);
    const headPart = split >= 0 ? text.slice(0, split) : text;
    const lines = headPart.split(/\r?\n/);
    const kept: string[] = [];
    let dropping = false;
    for (const line of lines) {
      if (/^[ \t]/.test(line) && kept.length > 0) {
        if (!dropping) {
          kept.push(line); // a folded continuation of a header we keep
        }
        continue;
      }
      dropping = false;
      if (CHALLENGE.test(line) && !this.#answerable(request, line.slice(line.indexOf(':') + 1))) {
        dropping = true;
        continue;
      }
      kept.push(line);
    }
    if (kept.length === lines.length) {
      return text;
    }
    // Only header lines were removed; the body and its Content-Length are unchanged.
    return kept.join('\r\n') + (split >= 0 ? text.slice(split) : '');
  }

  #answerable(request: SentRequest | undefined, challenge: string): boolean {
    const realm = challengeRealm(challenge);
    if (!request || realm === null) {
      log.warn('refused a digest challenge to a request we do not know');
      return false;
    }
    if (request.method === 'REGISTER' && !this.#configuredRealm) {
      this.#registrarRealm = realm;
      return true;
    }
    if (request.inDialog || request.method === 'CANCEL' || request.method === 'ACK') {
      log.warn(`refused a digest challenge to an in-dialog ${request.method}`);
      return false;
    }
    if (!this.trustedRealms.includes(realm)) {
      log.warn(
        `refused a digest challenge for a realm this account does not use (${request.method})`,
      );
      return false;
    }
    return true;
  }
}

/**
 * Stops JsSIP from storing a challenger's realm and HA1 in the UA configuration (RequestSender
 * calls `ua.set('realm')` and `ua.set('ha1')` after each challenge, and `set('ha1')` deletes the
 * password). The user's own credentials stay as configured.
 */
export function keepConfiguredCredentials(ua: UA): void {
  const original = ua.set.bind(ua);
  const guarded: UA['set'] = (parameter, value) =>
    parameter === 'realm' || parameter === 'ha1' ? false : original(parameter, value);
  Object.defineProperty(ua, 'set', { value: guarded, configurable: true, writable: true });
}
