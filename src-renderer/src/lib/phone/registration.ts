// Registration failures: which cause, what to tell the user, and whether and when to retry.
// Pure functions; the engine applies them. A wrong password is never retried on its own
// (no REGISTER storm): the engine waits until the user changes the credentials or asks.

import type { RegistrationFailure } from './types';

export interface FailureVerdict {
  cause: RegistrationFailure;
  message: string;
  /** Whether the engine should try again by itself. */
  retry: boolean;
  /** Server-requested delay (Retry-After), in seconds. */
  retryAfterS: number | null;
}

/** Classifies a registrar's refusal (JsSIP's registrationFailed). */
export function classifyRegistrationFailure(
  jssipCause: string,
  code: number | null,
  retryAfterS: number | null,
): FailureVerdict {
  const verdict = (
    cause: RegistrationFailure,
    message: string,
    retry: boolean,
  ): FailureVerdict => ({
    cause,
    message,
    retry,
    retryAfterS,
  });
  if (jssipCause === 'Authentication Error' || code === 401 || code === 407 || code === 403) {
    const detail = code === 403 ? ' (403 Forbidden)' : '';
    return verdict(
      'wrong-credentials',
      `The server did not accept the user name or password${detail}. Check them and save the account again.`,
      false,
    );
  }
  if (jssipCause === 'Request Timeout' || code === 408) {
    return verdict('timeout', 'The server did not answer the registration in time.', true);
  }
  if (jssipCause === 'Connection Error') {
    return verdict('connection-lost', 'The connection to the server was lost.', true);
  }
  if (code !== null && (code >= 500 || code === 480)) {
    return verdict(
      'server-error',
      `The server could not register the account right now (SIP ${code}).`,
      true,
    );
  }
  if (code === 404) {
    return verdict(
      'rejected',
      'The server does not know this account (SIP 404). Check the SIP address.',
      false,
    );
  }
  const shown = code !== null ? ` (SIP ${code})` : '';
  return verdict('rejected', `The server refused the registration${shown}.`, false);
}

/** Exponential backoff with jitter for registration retries: 5 s, 10 s, 20 s … up to 5 min. */
export class RetrySchedule {
  #attempt = 0;
  readonly #baseS: number;
  readonly #maxS: number;
  readonly #random: () => number;

  constructor(baseS = 5, maxS = 300, random: () => number = Math.random) {
    this.#baseS = baseS;
    this.#maxS = maxS;
    this.#random = random;
  }

  /** Delay before the next attempt in ms; a server's Retry-After wins when it is longer. */
  next(retryAfterS: number | null = null): number {
    const exp = Math.min(this.#maxS, this.#baseS * 2 ** this.#attempt);
    this.#attempt += 1;
    const jittered = exp * (0.8 + 0.4 * this.#random());
    return Math.round(Math.max(jittered, retryAfterS ?? 0) * 1000);
  }

  reset(): void {
    this.#attempt = 0;
  }
}

/** What probing a server that refused or failed the WebSocket found. */
export type ProbeResult = 'answered' | 'unreachable' | 'local-network-blocked';

/** Message for a WebSocket that could not be opened, after probing the server over HTTP. */
export function describeConnectFailure(
  url: string,
  probe: ProbeResult,
): { cause: RegistrationFailure; message: string } {
  if (probe === 'local-network-blocked') {
    return {
      cause: 'local-network-blocked',
      message: `The connection to ${url} was blocked by the system's local-network policy: Open Softphone is not allowed to reach servers on your local network. Allow it (macOS: System Settings › Privacy & Security › Local Network) or ask your administrator; it connects by itself once allowed.`,
    };
  }
  if (probe === 'answered') {
    return {
      cause: 'websocket-refused',
      message: `The server at ${url} answered but refused the WebSocket connection. Check the WebSocket address (path and port). Trying again automatically.`,
    };
  }
  const tls = url.startsWith('wss:') ? ', or its certificate is not trusted' : '';
  return {
    cause: 'server-unreachable',
    message: `Can't reach ${url}: the server is down, the address is wrong${tls}, or the network is offline. Trying again automatically.`,
  };
}

/** The http(s) address that answers at the same host and path as a ws(s) address. */
export function httpProbeUrl(wsUrl: string): string | null {
  const match = /^ws(s?):\/\/(.+)$/i.exec(wsUrl);
  return match ? `http${match[1] ?? ''}://${match[2] ?? ''}` : null;
}

/** Chromium's Local Network Access address space of a server: by IP literal or name. */
export type AddressSpace = 'loopback' | 'local' | 'public' | 'unknown';

/**
 * The address space a ws(s) URL's host is in, as far as the page can tell: IP literals and
 * `localhost`/`.local` names are classified (RFC 1918, RFC 6598, link-local, RFC 4193 ULA);
 * any other name is 'unknown' (the page cannot resolve it).
 */
export function addressSpace(wsUrl: string): AddressSpace {
  let host: string;
  try {
    host = new URL(wsUrl).hostname.toLowerCase().replace(/^\[|\]$/g, '');
  } catch {
    return 'unknown';
  }
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') {
    return 'loopback';
  }
  const v4 = /^(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(host)?.slice(1).map(Number);
  if (v4) {
    const [a = 0, b = 0] = v4;
    if (a === 127) {
      return 'loopback';
    }
    const local =
      a === 10 ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 169 && b === 254) ||
      (a === 100 && b >= 64 && b <= 127) ||
      a === 0;
    return local ? 'local' : 'public';
  }
  if (host.includes(':')) {
    return /^(f[cd]|fe[89ab])/.test(host) ? 'local' : 'public';
  }
  return host.endsWith('.local') || !host.includes('.') ? 'local' : 'unknown';
}

const PRIVACY: Record<AddressSpace, number> = { public: 0, unknown: 1, local: 1, loopback: 2 };

/**
 * The address space of the page itself, as Chromium's Local Network Access sees it: a page
 * served by the app's own protocol (app://) has no remote address and counts as public; an
 * http(s) page by its host, a name the page cannot resolve counting as public too.
 */
export function pageAddressSpace(pageUrl: string): AddressSpace {
  if (!/^https?:/i.test(pageUrl)) {
    return 'public';
  }
  const space = addressSpace(pageUrl);
  return space === 'unknown' ? 'public' : space;
}

/**
 * Whether Local Network Access checks apply to a connection from `pageUrl` to `targetUrl`: the
 * target is (or, for a name, may be) in a more private address space than the page.
 */
export function localNetworkChecked(pageUrl: string, targetUrl: string): boolean {
  const page = pageAddressSpace(pageUrl);
  const target = addressSpace(targetUrl);
  return target !== 'public' && PRIVACY[target] > PRIVACY[page];
}

/** The permission names Chromium checks for a connection into `space`, most specific first. */
export function localNetworkPermissions(space: AddressSpace): string[] {
  switch (space) {
    case 'loopback':
      return ['loopback-network', 'local-network-access'];
    case 'local':
      return ['local-network', 'local-network-access'];
    case 'unknown':
      return ['local-network-access'];
    default:
      return [];
  }
}
