// The settings file: one versioned JSON file in the user data folder, validated on load and
// written atomically (temp file + fsync + rename). A corrupt or hand-edited file is kept aside
// as a dated backup, the user is told, and the app starts with what could be recovered.
// Never holds a secret: the schemas are strict, so no password field can be written. Every
// change, whoever made it (the window, the tray, a handler), is announced to `onChange`
// listeners once it is on disk: the shell forwards it to the window as `settings/changed`.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { settingsPatchSchema } from '@shared/settings-schema';
import { describeIssues } from '@shared/ipc-schemas';
import type { AccountSettings, AppSettings, AppSettingsPatch } from '@shared/settings-types';
import { DEFAULT_SETTINGS } from '@shared/settings-types';
import { writeFileAtomic } from '../files/atomic-write';
import { recoverSettings } from './recover';
import { redactSecretFields } from './secret-fields';

export const SETTINGS_FILE = 'settings.json';

/** Called with the new settings after every saved change. */
export type SettingsListener = (settings: AppSettings) => void;

export class SettingsStore {
  readonly path: string;
  readonly #dir: string;
  #settings: AppSettings = structuredClone(DEFAULT_SETTINGS);
  #writing: Promise<void> = Promise.resolve();
  #now: () => Date;
  readonly #listeners = new Set<SettingsListener>();

  constructor(dir: string, now: () => Date = () => new Date()) {
    this.#dir = dir;
    this.path = join(dir, SETTINGS_FILE);
    this.#now = now;
  }

  /** Loads the file; returns sentences for the user about anything that was lost or set aside. */
  async load(): Promise<string[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error: unknown) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        return [];
      }
      throw error;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      const backup = await this.#setAside();
      await this.#write();
      return [
        `The settings file was damaged and was set aside as ${backup}. The phone started with default settings.`,
      ];
    }
    const { settings, problems } = recoverSettings(raw);
    this.#settings = settings;
    if (problems.length === 0) {
      return [];
    }
    const backup = await this.#setAside(raw);
    await this.#write();
    return [...problems, `The original settings file was kept as ${backup}.`];
  }

  get(): AppSettings {
    return structuredClone(this.#settings);
  }

  /** Listens to every saved change; returns the unsubscribe function. */
  onChange(listener: SettingsListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Applies a validated patch of app settings. */
  async update(patch: AppSettingsPatch): Promise<AppSettings> {
    const parsed = settingsPatchSchema.safeParse(patch);
    if (!parsed.success) {
      throw new Error(`Invalid settings: ${describeIssues(parsed.error)}`);
    }
    this.#settings = { ...this.#settings, ...parsed.data };
    return this.#commit();
  }

  /** Adds or replaces an account (validated by the caller's schema). */
  async saveAccount(account: AccountSettings): Promise<AppSettings> {
    const accounts = this.#settings.accounts.filter((a) => a.id !== account.id);
    const index = this.#settings.accounts.findIndex((a) => a.id === account.id);
    accounts.splice(index >= 0 ? index : accounts.length, 0, account);
    this.#settings = {
      ...this.#settings,
      accounts,
      defaultAccountId: this.#settings.defaultAccountId ?? account.id,
    };
    return this.#commit();
  }

  async deleteAccount(id: string): Promise<AppSettings> {
    const accounts = this.#settings.accounts.filter((a) => a.id !== id);
    const defaultAccountId =
      this.#settings.defaultAccountId === id
        ? (accounts[0]?.id ?? null)
        : this.#settings.defaultAccountId;
    this.#settings = { ...this.#settings, accounts, defaultAccountId };
    return this.#commit();
  }

  // Saves the current settings, then tells every listener (a listener's failure is its own).
  async #commit(): Promise<AppSettings> {
    await this.#write();
    const next = this.get();
    for (const listener of [...this.#listeners]) {
      try {
        listener(structuredClone(next));
      } catch {
        // A listener (window gone, tray destroyed) must not fail the save that already happened.
      }
    }
    return next;
  }

  // Writes are serialized so two quick saves cannot interleave.
  #write(): Promise<void> {
    const snapshot = JSON.stringify(this.#settings, null, 2);
    this.#writing = this.#writing.catch(() => {}).then(() => this.#writeAtomically(snapshot));
    return this.#writing;
  }

  #writeAtomically(text: string): Promise<void> {
    return this.#writeFileAtomically(this.path, text);
  }

  async #writeFileAtomically(path: string, text: string): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(path, `${text}\n`);
  }

  // The backup is the file as it was, except that secret fields a hand edit put there are
  // redacted: a password must not survive in a plain file, not even in a backup.
  async #setAside(parsed?: unknown): Promise<string> {
    const stamp = this.#now().toISOString().replace(/[:.]/g, '-');
    const name = `settings.corrupt-${stamp}.json`;
    const redacted = parsed === undefined ? null : redactSecretFields(parsed);
    if (redacted && redacted.paths.length > 0) {
      await this.#writeFileAtomically(
        join(this.#dir, name),
        JSON.stringify(redacted.value, null, 2),
      );
    } else {
      await copyFile(this.path, join(this.#dir, name));
    }
    return name;
  }
}
