// SIP digest authentication (RFC 2617/3261, MD5, qop=auth): challenge parsing and Authorization header values.
import { createHash, randomBytes } from 'node:crypto';

/** A parsed WWW-Authenticate / Proxy-Authenticate Digest challenge. */
export interface DigestChallenge {
  realm: string;
  nonce: string;
  opaque?: string;
  /** 'MD5' (default) or 'MD5-sess'. */
  algorithm: string;
  /** Offered qop values, e.g. ['auth', 'auth-int']; empty when none. */
  qop: string[];
  stale: boolean;
}

/** Parses a Digest challenge header value (`Digest realm="…", nonce="…", qop="auth"`). */
export function parseDigestChallenge(value: string): DigestChallenge {
  const match = /^\s*Digest\s+(.*)$/is.exec(value);
  if (match === null) {
    throw new Error(`not a Digest challenge: ${value}`);
  }
  const params = new Map<string, string>();
  const re = /([A-Za-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let m = re.exec(match[1] ?? ''); m !== null; m = re.exec(match[1] ?? '')) {
    params.set((m[1] ?? '').toLowerCase(), m[2] ?? m[3] ?? '');
  }
  const realm = params.get('realm');
  const nonce = params.get('nonce');
  if (realm === undefined || nonce === undefined) {
    throw new Error(`Digest challenge without realm/nonce: ${value}`);
  }
  const challenge: DigestChallenge = {
    realm,
    nonce,
    algorithm: params.get('algorithm') ?? 'MD5',
    qop: (params.get('qop') ?? '')
      .split(',')
      .map((q) => q.trim())
      .filter((q) => q !== ''),
    stale: (params.get('stale') ?? '').toLowerCase() === 'true',
  };
  const opaque = params.get('opaque');
  if (opaque !== undefined) {
    challenge.opaque = opaque;
  }
  return challenge;
}

/** Hex MD5 of a UTF-8 string. */
export function md5(text: string): string {
  return createHash('md5').update(text, 'utf8').digest('hex');
}

/** Inputs of {@link digestAuthorization}. */
export interface DigestCredentialsInput {
  challenge: DigestChallenge;
  method: string;
  /** The digest-uri (normally the Request-URI). */
  uri: string;
  username: string;
  password: string;
  /** Nonce count (default 1). */
  nc?: number;
  /** Client nonce (default random). */
  cnonce?: string;
}

/**
 * Builds the Authorization / Proxy-Authorization header value answering `challenge`
 * (MD5 or MD5-sess; qop=auth when offered, else the RFC 2069 form).
 */
export function digestAuthorization(input: DigestCredentialsInput): string {
  const { challenge, method, uri, username, password } = input;
  const algorithm = challenge.algorithm.toUpperCase();
  if (algorithm !== 'MD5' && algorithm !== 'MD5-SESS') {
    throw new Error(`unsupported digest algorithm ${challenge.algorithm}`);
  }
  const cnonce = input.cnonce ?? randomBytes(8).toString('hex');
  const nc = (input.nc ?? 1).toString(16).padStart(8, '0');
  let ha1 = md5(`${username}:${challenge.realm}:${password}`);
  if (algorithm === 'MD5-SESS') {
    ha1 = md5(`${ha1}:${challenge.nonce}:${cnonce}`);
  }
  const ha2 = md5(`${method}:${uri}`);
  const useQop = challenge.qop.includes('auth');
  const response = useQop
    ? md5(`${ha1}:${challenge.nonce}:${nc}:${cnonce}:auth:${ha2}`)
    : md5(`${ha1}:${challenge.nonce}:${ha2}`);
  const parts = [
    `username="${username}"`,
    `realm="${challenge.realm}"`,
    `nonce="${challenge.nonce}"`,
    `uri="${uri}"`,
    `response="${response}"`,
    `algorithm=${challenge.algorithm}`,
  ];
  if (challenge.opaque !== undefined) {
    parts.push(`opaque="${challenge.opaque}"`);
  }
  if (useQop) {
    parts.push('qop=auth', `nc=${nc}`, `cnonce="${cnonce}"`);
  }
  return `Digest ${parts.join(', ')}`;
}
