// The running accounts: one phone engine per enabled account, started with its secret fetched
// from main just in time, and the reactive registration state of each. Saving or deleting an
// account goes through main (which keeps the secret in the keychain) and restarts its engine.
// Every engine is attached to the line manager, so every call it creates becomes a line.
import type { AppInfo } from '@shared/ipc-contract';
import type { AccountSettings } from '@shared/settings-types';
import { BridgeError, invoke } from '../bridge';
import { TypedEmitter } from '../emitter';
import {
  PhoneEngine,
  type LineManager,
  type MediaEnvironment,
  type MicrophoneOptions,
  type RegistrationState,
} from '../phone';
import { engineAccount } from './account-engine';
import type { SettingsState } from './settings.svelte';

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

  /** Starts every enabled account. */
  async startEnabled(): Promise<void> {
    await Promise.all(this.#deps.settings.enabledAccounts.map((a) => this.#start(a)));
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

  /** Asks every engine to reconnect and re-register now (resume, unlock, network back). */
  reconnectAll(): void {
    for (const engine of this.engines) {
      engine.reconnectNow();
    }
  }

  /** Retries one account after a failure the engine does not retry by itself. */
  retry(id: string): void {
    this.engineOf(id)?.retryNow();
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
    const secret = await this.#secretOf(account);
    if (secret === null) {
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

  // The credentials, or null after saying why the account cannot start.
  async #secretOf(account: AccountSettings): Promise<Parameters<typeof engineAccount>[1] | null> {
    try {
      const credentials = await invoke('accounts/get-credentials', { id: account.id });
      if (credentials.secret !== null) {
        return credentials;
      }
      // An imported (provisioned) account has no password until the user enters one.
      this.#fail(
        account.id,
        `Enter the password for ${account.label} (Settings → Accounts) to connect.`,
      );
    } catch (error: unknown) {
      this.#fail(
        account.id,
        error instanceof BridgeError ? error.message : 'The password could not be read.',
      );
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
