// Reactive phone state for the UI: accounts and their registration, the dial field, and the
// glue to the main process (credentials just in time, OS links, power events, quit, the tray
// summary, notifications). Live calls are in `calls` (CallsState). Components read getters
// and call methods only.
import { createContext } from 'svelte';
import type { DialTarget } from '@shared/dial-target';
import type {
  AppInfo,
  DialRequest,
  MicrophoneAccess,
  PhoneSummary,
  RecentNumber,
} from '@shared/ipc-contract';
import type { AccountSettings, AppSettings, AppSettingsPatch } from '@shared/settings-types';
import { BridgeError, invoke, on } from '../bridge';
import { createLogger } from '../logger';
import {
  browserMediaEnvironment,
  PhoneEngine,
  type CallParty,
  type MediaEnvironment,
  type PhoneCall,
  type RegistrationState,
} from '../phone';
import { monitorSourceFor } from '../audio/quality-monitor';
import type { ContactsState } from '../contacts/contacts.svelte';
import type { HistoryState } from '../history/history.svelte';
import { engineAccount } from './account-engine';
import { AudioState } from './audio.svelte';
import { CallsState, type EndedCall } from './calls.svelte';
import { openMemory, type Memory } from './memory';
import { summarize } from './summary';

const log = createLogger('state');

export class PhoneState {
  readonly calls: CallsState;
  /** Devices, ringing, levels and call quality. */
  readonly audio: AudioState;
  #settings = $state<AppSettings | null>(null);
  #info = $state<AppInfo | null>(null);
  #registrations = $state<Record<string, RegistrationState>>({});
  #dial = $state('');
  #notice = $state<string | null>(null);
  #dialFocusTick = $state(0);
  #outgoingAccountId = $state<string | null>(null);
  #anonymous = $state(false);
  #memory = $state.raw<Memory | null>(null);
  #memoryProblem = $state<string | null>(null);
  #recent: RecentNumber[] = [];
  // Engines are not UI state: the UI reads registrations.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #engines = new Map<string, PhoneEngine>();
  #pendingTarget: DialTarget | null = null;
  // The OS's microphone permission (macOS privacy, Windows' switch), asked once it matters.
  #microphone: MicrophoneAccess | null = null;
  #media: MediaEnvironment;
  #unsubscribe: (() => void)[] = [];

  constructor(media: MediaEnvironment = browserMediaEnvironment()) {
    this.#media = media;
    this.calls = new CallsState({
      doNotDisturb: () => ({
        on: this.#settings?.doNotDisturb ?? false,
        code: this.#settings?.dndResponseCode ?? 486,
      }),
      autoAnswer: () => this.#settings?.autoAnswer ?? false,
      allowAutoAnswerHeader: (id) =>
        this.accounts.find((a) => a.id === id)?.allowAutoAnswerHeader ?? false,
    });
    this.audio = new AudioState({
      devices: navigator.mediaDevices,
      saveAudio: async (audio) => {
        this.#settings = await invoke('settings/update', { audio });
      },
      liveCalls: () => this.calls.objects,
      setCallDefaults: (microphone, speaker) => {
        for (const engine of this.#engines.values()) {
          engine.setAudio(microphone, speaker);
        }
      },
    });
    this.calls.onChanged(() => {
      this.audio.syncCalls([...this.calls.incoming, ...this.calls.lines]);
      this.#pushSummary();
    });
    this.calls.onStarted((call) => this.#followAudio(call));
    this.calls.onEnded((ended) => this.#onCallEnded(ended));
  }

  get settings(): AppSettings | null {
    return this.#settings;
  }
  get info(): AppInfo | null {
    return this.#info;
  }
  get accounts(): AccountSettings[] {
    return this.#settings?.accounts ?? [];
  }
  get enabledAccounts(): AccountSettings[] {
    return this.accounts.filter((a) => a.enabled);
  }
  get defaultAccount(): AccountSettings | null {
    const accounts = this.enabledAccounts;
    return accounts.find((a) => a.id === this.#settings?.defaultAccountId) ?? accounts[0] ?? null;
  }
  /** The account the next call goes out on (the default unless the user picked another). */
  get outgoingAccount(): AccountSettings | null {
    return (
      this.enabledAccounts.find((a) => a.id === this.#outgoingAccountId) ?? this.defaultAccount
    );
  }
  set outgoingAccountId(id: string | null) {
    this.#outgoingAccountId = id;
  }
  /** Whether the next call hides our identity. */
  get anonymous(): boolean {
    return this.#anonymous;
  }
  set anonymous(value: boolean) {
    this.#anonymous = value;
  }
  registrationOf(id: string): RegistrationState {
    return this.#registrations[id] ?? { status: 'stopped' };
  }
  get dial(): string {
    return this.#dial;
  }
  set dial(value: string) {
    this.#dial = value;
    this.#notice = null;
  }
  get notice(): string | null {
    return this.#notice;
  }
  /** Changes whenever the dial field should take focus (a link arrived). */
  get dialFocusTick(): number {
    return this.#dialFocusTick;
  }
  get doNotDisturb(): boolean {
    return this.#settings?.doNotDisturb ?? false;
  }
  /** Missed calls not seen yet. */
  get missedCount(): number {
    return this.#memory?.history.missedCount ?? 0;
  }
  /** Call history, once the database is open. */
  get history(): HistoryState | null {
    return this.#memory?.history ?? null;
  }
  /** Contacts, once the database is open. */
  get contacts(): ContactsState | null {
    return this.#memory?.contacts ?? null;
  }
  /** Why history and contacts are unavailable, when they are. */
  get memoryProblem(): string | null {
    return this.#memoryProblem;
  }
  /** The name to show for a party: the contact's, else the one the call carries, else the number. */
  nameOf(party: CallParty): string {
    return this.contacts?.nameFor(party.user, party.uri) ?? party.name ?? party.user;
  }

  /** Loads settings, starts enabled accounts and listens to the main process. */
  async init(): Promise<void> {
    this.#info = await invoke('app/get-info', null);
    this.#settings = await invoke('settings/get', null);
    void this.#checkMicrophone(false);
    this.audio.load(this.#settings.audio);
    await this.audio.start().catch((error: unknown) => log.warn(`audio devices: ${String(error)}`));
    this.#unsubscribe.push(
      on('links/dial-requested', (request) => this.#onDialRequest(request)),
      // A link the main process refused: say why where the number would have appeared.
      on('links/rejected', ({ message }) => {
        this.#notice = message;
      }),
      on('power/changed', () => this.reconnectAll()),
      on('app/quitting', () => void this.#quit()),
      on('settings/changed', (settings) => {
        this.#settings = settings;
        this.audio.load(settings.audio);
        this.#pushSummary(); // e.g. do-not-disturb changed from the tray
      }),
      on('tray/action', (action) => {
        if (action.action === 'call-back') {
          this.dial = action.dial;
          void this.placeCall();
        } else if (action.action === 'toggle-dnd') {
          void this.setDoNotDisturb(!this.doNotDisturb);
        }
      }),
      on('notify/action', ({ callId, action }) => {
        if (action === 'answer') {
          void this.calls.answer(callId);
        } else {
          this.calls.decline(callId);
        }
      }),
    );
    await Promise.all([
      ...this.enabledAccounts.map((a) => this.#startEngine(a)),
      this.#openMemory(),
    ]);
    const pending = await invoke('links/take-pending', null);
    if (pending) {
      this.#onDialRequest(pending);
    }
    this.#pushSummary();
  }

  /** Saves an account (and its secret when given) and (re)starts it. */
  async saveAccount(account: AccountSettings, secret: string | null): Promise<AppInfo['secrets']> {
    const result = await invoke('accounts/save', { account, secret, turnCredential: null });
    this.#settings = await invoke('settings/get', null);
    await this.#stopEngine(account.id);
    if (result.account.enabled) {
      await this.#startEngine(result.account);
    }
    return result.storage;
  }

  /** Removes an account, its engine and its secret. */
  async deleteAccount(id: string): Promise<void> {
    await this.#stopEngine(id);
    await invoke('accounts/delete', { id });
    this.#settings = await invoke('settings/get', null);
  }

  /** Saves app settings (not accounts). */
  async updateSettings(patch: AppSettingsPatch): Promise<void> {
    this.#settings = await invoke('settings/update', patch);
    this.#pushSummary();
  }

  /** Turns do-not-disturb on or off (saved in the settings; the tray follows). */
  setDoNotDisturb(on: boolean): Promise<void> {
    return this.updateSettings({ doNotDisturb: on });
  }

  /** The user has seen the missed calls. */
  async markMissedSeen(): Promise<void> {
    await this.#memory?.history.markAllSeen();
    this.#pushSummary();
  }

  /** Calls a number or address from history or contacts (on `accountId` when still enabled). */
  async callBack(dial: string, accountId?: string): Promise<void> {
    if (accountId && this.enabledAccounts.some((a) => a.id === accountId)) {
      this.#outgoingAccountId = accountId;
    }
    this.#dial = dial;
    await this.placeCall();
  }

  /** Asks every engine to reconnect and re-register now (resume, unlock, network back, retry). */
  reconnectAll(): void {
    for (const engine of this.#engines.values()) {
      engine.reconnectNow();
    }
  }

  /** Retries one account after a failure the engine does not retry by itself. */
  retry(id: string): void {
    this.#engines.get(id)?.retryNow();
  }

  /** The engine of the account calls go out on. */
  outgoingEngine(): PhoneEngine | null {
    const account = this.outgoingAccount;
    return account ? (this.#engines.get(account.id) ?? null) : null;
  }

  /** Calls what is in the dial field on the chosen account (holding a call in progress). */
  async placeCall(): Promise<void> {
    const engine = this.outgoingEngine();
    const text = this.#dial.trim();
    if (!engine || !text) {
      this.#notice = engine ? 'Type a number or address first.' : 'Set up an account first.';
      return;
    }
    const target =
      this.#pendingTarget && this.#pendingTarget.display === text ? this.#pendingTarget : null;
    if (!(await this.#checkMicrophone(true))) {
      return; // the notice says why: the call would go out silent
    }
    try {
      await this.calls.place(engine, target ? target.dial : text, { anonymous: this.#anonymous });
      this.#pendingTarget = null;
      this.#notice = null;
      this.#dial = '';
    } catch (error: unknown) {
      this.#notice = error instanceof Error ? error.message : String(error);
    }
  }

  // True when calls can use the microphone; else the notice names the OS setting to change.
  // `ask`: macOS shows its permission prompt now if it never did (right before the first call).
  async #checkMicrophone(ask: boolean): Promise<boolean> {
    if (this.#microphone?.status !== 'granted') {
      this.#microphone = await invoke('media/microphone-access', { ask }).catch(() => null);
    }
    if (this.#microphone?.message) {
      this.#notice = this.#microphone.message;
      return false;
    }
    return true;
  }

  async #startEngine(account: AccountSettings): Promise<void> {
    let credentials;
    try {
      credentials = await invoke('accounts/get-credentials', { id: account.id });
    } catch (error: unknown) {
      const message =
        error instanceof BridgeError ? error.message : 'The password could not be read.';
      this.#registrations[account.id] = {
        status: 'failed',
        cause: 'bad-configuration',
        message,
        code: null,
        retryAt: null,
      };
      return;
    }
    if (credentials.secret === null) {
      // An imported (provisioned) account has no password until the user enters one.
      this.#registrations[account.id] = {
        status: 'failed',
        cause: 'bad-configuration',
        message: `Enter the password for ${account.label} (Accounts → Edit) to connect.`,
        code: null,
        retryAt: null,
      };
      return;
    }
    const engine = new PhoneEngine(engineAccount(account, credentials), { media: this.#media });
    engine.setAudio(this.audio.microphoneOptions(), this.audio.speakerId());
    this.#engines.set(account.id, engine);
    engine.on('registration', (state) => {
      this.#registrations[account.id] = state;
      this.#refocusPendingLink(account.id, state);
      this.#pushSummary();
    });
    engine.on('incoming', (call) => this.#onIncoming(call));
    // Calls the engine places by itself (we were transferred) become lines too.
    engine.on('outgoing', (call) => {
      if (call.info.transferredBy !== null) {
        this.calls.adoptOutgoing(call);
      }
    });
    engine.start();
  }

  async #stopEngine(id: string): Promise<void> {
    const engine = this.#engines.get(id);
    if (!engine) {
      return;
    }
    this.#engines.delete(id);
    await engine.stop();
    delete this.#registrations[id];
  }

  #onIncoming(call: PhoneCall): void {
    this.calls.adoptIncoming(call);
    if (call.status !== 'incoming' || call.info.replacesCallId) {
      return;
    }
    // The notification and the popup go as soon as the call stops ringing (answered anywhere,
    // declined, cancelled), not only when it ends.
    const stop = call.on('changed', (s) => {
      if (s.status !== 'incoming') {
        stop();
        invoke('notify/call-ended', { callId: s.id }).catch(() => {});
      }
    });
    // The main process shows a native notification (and may bring the window up) per settings.
    const snapshot = call.snapshot;
    const account = this.accounts.find((a) => a.id === snapshot.accountId);
    invoke('notify/incoming-call', {
      callId: snapshot.id,
      name:
        this.nameOf(snapshot.party) === snapshot.party.user ? null : this.nameOf(snapshot.party),
      number: snapshot.party.user,
      accountLabel: account?.label ?? '',
    }).catch((error: unknown) => log.debug(`notification not shown: ${String(error)}`));
  }

  // The audio layer meters the microphone of the call on screen and watches each call's quality.
  #followAudio(call: PhoneCall): void {
    call.on('microphone', (track) => {
      if (this.calls.current?.id === call.id || this.calls.lines.length <= 1) {
        this.audio.watchCallMicrophone(track, () => call.snapshot.muted);
      }
    });
    call.on('answered', () => this.audio.trackCall(call.id, monitorSourceFor(call)));
  }

  #onCallEnded({ snapshot, dnd }: EndedCall): void {
    const quality = this.audio.untrackCall(snapshot.id);
    if (this.calls.lines.length === 0) {
      this.audio.watchCallMicrophone(null);
    }
    this.audio.syncCalls([...this.calls.incoming, ...this.calls.lines]);
    const history = this.#memory?.history;
    if (history) {
      const accountLabel = this.accounts.find((a) => a.id === snapshot.accountId)?.label ?? '';
      history
        .record(snapshot, { accountLabel, autoDeclined: dnd, ...(quality ? { quality } : {}) })
        .then(() => this.#refreshRecent())
        .catch((error: unknown) => log.warn(`history entry not written: ${String(error)}`));
    }
    this.#pushSummary();
  }

  async #openMemory(): Promise<void> {
    try {
      const memory = await openMemory();
      this.#memory = memory;
      memory.historyStore.onChange(() => this.#pushSummary());
      await this.#refreshRecent();
    } catch (error: unknown) {
      this.#memoryProblem = `Call history and contacts are unavailable: ${error instanceof Error ? error.message : String(error)}`;
      log.warn(this.#memoryProblem);
    }
  }

  async #refreshRecent(): Promise<void> {
    this.#recent = (await this.#memory?.recentNumbers(5)) ?? [];
    this.#pushSummary();
  }

  #onDialRequest(request: DialRequest): void {
    this.#pendingTarget = request.target;
    this.#dial = request.target.display;
    this.#notice = null;
    this.#dialFocusTick += 1;
    if (request.autoDial) {
      void this.placeCall();
    }
  }

  // A link that arrived before the account registered (app started by the link) could not put
  // focus on the disabled Call button; once the default account is registered, try again,
  // unless the user has changed the dial field since.
  #refocusPendingLink(accountId: string, state: RegistrationState): void {
    const pending = this.#pendingTarget;
    if (
      state.status === 'registered' &&
      pending &&
      this.#dial === pending.display &&
      this.defaultAccount?.id === accountId
    ) {
      this.#dialFocusTick += 1;
    }
  }

  #summaryQueued = false;
  #pushSummary(): void {
    if (this.#summaryQueued) {
      return;
    }
    this.#summaryQueued = true;
    queueMicrotask(() => {
      this.#summaryQueued = false;
      const summary: PhoneSummary = summarize(
        this.accounts,
        (id) => this.registrationOf(id),
        [...this.calls.incoming, ...this.calls.lines],
        this.doNotDisturb,
        this.missedCount,
        this.#recent,
      );
      invoke('phone/state-changed', summary).catch((error: unknown) => {
        log.debug(`state summary not delivered: ${String(error)}`);
      });
    });
  }

  async #quit(): Promise<void> {
    await Promise.all([...this.#engines.values()].map((e) => e.stop()));
    await invoke('app/quit-ready', null);
  }
}

const [getPhone, setPhone] = createContext<PhoneState>();
export { getPhone, setPhone };
