// The SecretStore port and its three backends (DESIGN.md §5): the OS keychain through keytar,
// Electron safeStorage when keytar cannot load but a real OS encryption backend exists, and
// session-only memory with a plain message. A password never goes to a plain file.
import { withTimeout } from '../with-timeout';

/** Where secrets go. Keys are opaque account keys (see `secretKey`). */
export interface SecretStore {
  readonly backend: 'keychain' | 'safe-storage' | 'session';
  get(key: string): Promise<string | null>;
  set(key: string, secret: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** The keychain service name every secret is stored under (documented in the README). */
export const KEYCHAIN_SERVICE = 'Open Softphone';

/** Keychain account key of an account's SIP secret or TURN credential. */
export function secretKey(accountId: string, kind: 'sip' | 'turn'): string {
  return `${kind}:${accountId}`;
}

/**
 * How long a keychain call may take before the user is told the keychain did not answer. An
 * unlock prompt nobody sees, or a stuck secret service, leaves a libsecret call waiting with no
 * bound of its own (a prompt is waited for without a timeout): an account would sit in
 * "connecting" and a save would never end. 20 s leaves time to type the keychain's password
 * into its prompt.
 */
export const KEYCHAIN_WAIT_MS = 20_000;

/** A keychain call that did not settle within its bound (it may still settle later). */
export class KeychainTimeout extends Error {
  override name = 'KeychainTimeout';
  constructor(readonly waitedMs: number) {
    super(`no answer within ${Math.round(waitedMs / 1000)} s`);
  }
}

/** `work`, or a KeychainTimeout once `ms` have passed without it settling. */
export function withinKeychainWait<T>(work: Promise<T>, ms: number): Promise<T> {
  return withTimeout(work, ms, () => new KeychainTimeout(ms));
}

/** The part of keytar's API we use. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
}

/** Secrets in the OS keychain (macOS Keychain, Windows Credential Vault, libsecret). */
export class KeytarStore implements SecretStore {
  readonly backend = 'keychain';
  constructor(
    private readonly keytar: KeytarLike,
    private readonly service = KEYCHAIN_SERVICE,
  ) {}
  get(key: string): Promise<string | null> {
    return this.keytar.getPassword(this.service, key);
  }
  set(key: string, secret: string): Promise<void> {
    return this.keytar.setPassword(this.service, key, secret);
  }
  async delete(key: string): Promise<void> {
    await this.keytar.deletePassword(this.service, key);
  }
}

/** Secrets only in this process's memory: lost at quit, by design. */
export class SessionStore implements SecretStore {
  readonly backend = 'session';
  #secrets = new Map<string, string>();
  get(key: string): Promise<string | null> {
    return Promise.resolve(this.#secrets.get(key) ?? null);
  }
  set(key: string, secret: string): Promise<void> {
    this.#secrets.set(key, secret);
    return Promise.resolve();
  }
  delete(key: string): Promise<void> {
    this.#secrets.delete(key);
    return Promise.resolve();
  }
}
