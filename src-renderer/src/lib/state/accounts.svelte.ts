// The running accounts: one phone engine per enabled account, started with its secret fetched
// from main just in time, and the reactive registration state of each. Saving or deleting an
// account goes through main (which keeps the secret in the keychain) and restarts its engine.
// Every engine is attached to the line manager, so every call it creates becomes a line.
import type { AppInfo, InvokeResponse } from '@shared/ipc-contract';
import type { AccountSettings } from '@shared/settings-types';
import { BridgeError, invoke } from '../bridge';
import { TypedEmitter } from '../emitter';
import {
  earlySockets,
  PhoneEngine,
  type LineManager,
  type MediaEnvironment,
  type MicrophoneOptions,
  type RegistrationState,
} from '../phone';
import { engineAccount, serverUrl } from './account-engine';
import type { SettingsState } from './settings.svelte';

type Credentials = InvokeResponse<'accounts/get-credentials'>;

export interface AccountsEvents {
  /** An account's registration changed. */
  registration: { accountId: string; state: RegistrationState };
  /** An account's engine was created (before it starts) or stopped (null): features bind to it. */
  engine: { accountId: string; engine: PhoneEngine | null };
}

/** What new engines need besides the account. */
export interface AccountsDeps {
  settings: SettingsState;
  lines: LineManager;
  media: MediaEnvironment;
  /** The microphone and speaker choices new calls start with. */
  audioDefaults(): { microphone: MicrophoneOptions; speakerId: string | null };
}

export class AccountsState extends TypedEmitter<AccountsEvents> {
  #registrations = $state<Record<string, RegistrationState>>({});
  // Engines are not UI state: the UI reads registrations.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #engines = new Map<string, { engine: PhoneEngine; detach: () => void }>();
  /** Per account, the newest start: an older one still reading the password gives up. */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #starts = new Map<string, number>();
  /** Per account, its password asked for ahead of its first start (prepare). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #early = new Map<string, Promise<Credentials>>();
  readonly #deps: AccountsDeps;

  constructor(deps: AccountsDeps) {
    super();
    this.#deps = deps;
  }

  /** An account's registration ('stopped' when it is not running). */
  registrationOf(id: string): RegistrationState {
    return this.#registrations[id] ?? { status: 'stopped' };
  }

  /** The engine of a running account. */
  engineOf(id: string): PhoneEngine | null {
    return this.#engines.get(id)?.engine ?? null;
  }

  /** Every running engine. */
  get engines(): PhoneEngine[] {
    return [...this.#engines.values()].map((e) => e.engine);
  }

  /**
   * Readies the enabled accounts' start while the rest of the window's start runs (issue 19:
   * page load → registered): each one's password is asked of main (the OS keychain) and its
   * server's connection opened (phone/early-socket.ts), which only the settings need. Both
   * waited for the call code before; startEnabled() now finds them under way or done. Nothing
   * is sent to the server before the account starts.
   */
  prepare(): void {
    for (const account of this.#deps.settings.enabledAccounts) {
      if (this.#engines.has(account.id) || this.#early.has(account.id)) {
        continue;
      }
      const credentials = readCredentials(account.id);
      // Its failure is reported by the start that reads it.
      credentials.catch(() => {});
      this.#early.set(account.id, credentials);
      earlySockets.preconnect(serverUrl(account));
    }
  }

  /** Starts every enabled account. */
  async startEnabled(): Promise<void> {
    try {
      await Promise.all(this.#deps.settings.enabledAccounts.map((a) => this.#start(a)));
    } finally {
      // A password read ahead for an account no longer enabled is not kept.
      this.#early.clear();
    }
  }

  /** Saves an account (and its secrets when given) and (re)starts it. */
  async save(
    account: AccountSettings,
    secret: string | null,
    turnCredential: string | null = null,
  ): Promise<AppInfo['secrets']> {
    const result = await invoke('accounts/save', { account, secret, turnCredential });
    await this.#deps.settings.reload();
    await this.#stop(account.id);
    if (result.account.enabled) {
      await this.#start(result.account);
    }
    return result.storage;
  }

  /** Removes an account, its engine and its secret. */
  async delete(id: string): Promise<void> {
    await this.#stop(id);
    await invoke('accounts/delete', { id });
    await this.#deps.settings.reload();
  }

  /**
   * Asks every engine to reconnect and re-register now (resume, unlock, network back), and
   * starts again the accounts that stopped before their engine existed (the keychain was locked).
   */
  reconnectAll(): void {
    for (const engine of this.engines) {
      engine.reconnectNow();
    }
    for (const account of this.#deps.settings.enabledAccounts) {
      if (!this.#engines.has(account.id)) {
        this.retry(account.id);
      }
    }
  }

  /**
   * Retries one account after a failure the engine does not retry by itself. An account whose
   * password could not be read has no engine: it is started again, reading the password anew.
   */
  retry(id: string): void {
    const engine = this.engineOf(id);
    if (engine) {
      engine.retryNow();
      return;
    }
    const account = this.#deps.settings.enabledAccounts.find((a) => a.id === id);
    if (account && this.registrationOf(id).status === 'failed') {
      this.#setRegistration(id, { status: 'connecting', attempt: 1 });
      void this.#start(account);
    }
  }

  /** New calls of every account start with these devices. */
  setAudio(microphone: MicrophoneOptions, speakerId: string | null): void {
    for (const engine of this.engines) {
      engine.setAudio(microphone, speakerId);
    }
  }

  /** Unregisters every account and ends its calls (quit). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#engines.keys()].map((id) => this.#stop(id)));
  }

  async #start(account: AccountSettings): Promise<void> {
    const start = (this.#starts.get(account.id) ?? 0) + 1;
    this.#starts.set(account.id, start);
    const current = (): boolean =>
      this.#starts.get(account.id) === start && !this.#engines.has(account.id);
    const secret = await this.#secretOf(account, current);
    if (secret === null || !current()) {
      earlySockets.drop(serverUrl(account));
      return;
    }
    const engine = new PhoneEngine(engineAccount(account, secret), { media: this.#deps.media });
    const { microphone, speakerId } = this.#deps.audioDefaults();
    engine.setAudio(microphone, speakerId);
    const detach = this.#deps.lines.attach(engine);
    this.#engines.set(account.id, { engine, detach });
    engine.on('registration', (state) => this.#setRegistration(account.id, state));
    this.emit('engine', { accountId: account.id, engine });
    engine.start();
  }

  // The credentials, or null after saying why the account cannot start (unless `current` says
  // a newer start or a stop took over meanwhile).
  async #secretOf(
    account: AccountSettings,
    current: () => boolean,
  ): Promise<Parameters<typeof engineAccount>[1] | null> {
    let problem: string;
    const early = this.#early.get(account.id);
    this.#early.delete(account.id);
    try {
      const credentials = await (early ?? readCredentials(account.id));
      if (credentials.secret !== null) {
        return credentials;
      }
      // An imported (provisioned) account has no password until the user enters one.
      problem = `Enter the password for ${account.label} (Settings → Accounts) to connect.`;
    } catch (error: unknown) {
      problem = error instanceof BridgeError ? error.message : 'The password could not be read.';
    }
    if (current()) {
      this.#fail(account.id, problem);
    }
    return null;
  }

  #fail(accountId: string, message: string): void {
    this.#setRegistration(accountId, {
      status: 'failed',
      cause: 'bad-configuration',
      message,
      code: null,
      retryAt: null,
    });
  }

  async #stop(id: string): Promise<void> {
    this.#starts.set(id, (this.#starts.get(id) ?? 0) + 1);
    this.#early.delete(id);
    const running = this.#engines.get(id);
    if (running) {
      this.#engines.delete(id);
      await running.engine.stop();
      running.detach();
      this.emit('engine', { accountId: id, engine: null });
    }
    if (id in this.#registrations) {
      delete this.#registrations[id];
      this.emit('registration', { accountId: id, state: { status: 'stopped' } });
    }
  }

  #setRegistration(accountId: string, state: RegistrationState): void {
    this.#registrations[accountId] = state;
    this.emit('registration', { accountId, state });
  }
}

/** An account's secrets, as main reads them from the keychain. */
function readCredentials(id: string): Promise<Credentials> {
  return invoke('accounts/get-credentials', { id });
}
