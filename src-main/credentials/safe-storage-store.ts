// Secrets encrypted by Electron's safeStorage (OS-backed key: Keychain, DPAPI, kwallet or
// libsecret), kept as ciphertext in one file of the user data folder. Only used when the OS
// gives a real backend: on Linux 'basic_text' means a hard-coded key, which we refuse.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write';
import type { SecretStore } from './secret-store';

/** The part of Electron's safeStorage we use. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/** Whether safeStorage protects secrets with an OS key on this machine. */
export function safeStorageUsable(
  safeStorage: SafeStorageLike,
  platform: NodeJS.Platform,
): boolean {
  if (!safeStorage.isEncryptionAvailable()) {
    return false;
  }
  if (platform !== 'linux') {
    return true;
  }
  const backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
  return backend !== 'basic_text' && backend !== 'unknown';
}

export class SafeStorageStore implements SecretStore {
  readonly backend = 'safe-storage';
  #chain: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly safeStorage: SafeStorageLike,
    private readonly file: string,
  ) {}

  async get(key: string): Promise<string | null> {
    const blob = (await this.#read())[key];
    return blob ? this.safeStorage.decryptString(Buffer.from(blob, 'base64')) : null;
  }

  set(key: string, secret: string): Promise<void> {
    return this.#mutate((all) => {
      all[key] = this.safeStorage.encryptString(secret).toString('base64');
    });
  }

  delete(key: string): Promise<void> {
    return this.#mutate((all) => {
      delete all[key];
    });
  }

  async #read(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.file, 'utf8'));
      return typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, string>)
        : {};
    } catch {
      return {};
    }
  }

  #mutate(change: (all: Record<string, string>) => void): Promise<void> {
    const next = this.#chain
      .catch(() => {})
      .then(async () => {
        const all = await this.#read();
        change(all);
        await mkdir(dirname(this.file), { recursive: true, mode: 0o700 });
        await writeFileAtomic(this.file, JSON.stringify(all));
      });
    this.#chain = next;
    return next;
  }
}
