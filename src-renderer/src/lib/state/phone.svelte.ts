// Reactive phone state for the UI: accounts and their registration, live calls as snapshots,
// the dial field, and the glue to the main process (credentials just in time, OS links,
// power events, quit, the tray summary). Components read getters and call methods only.
import { createContext } from 'svelte';
import type { DialTarget } from '@shared/dial-target';
import type { AppInfo, DialRequest, PhoneSummary } from '@shared/ipc-contract';
import type { AccountSettings, AppSettings } from '@shared/settings-types';
import { BridgeError, invoke, on } from '../bridge';
import { createLogger } from '../logger';
import {
  browserMediaEnvironment,
  DialError,
  PhoneEngine,
  type CallSnapshot,
  type MediaEnvironment,
  type PhoneCall,
  type RegistrationState,
} from '../phone';
import { engineAccount } from './account-engine';
import { summarize } from './summary';

const log = createLogger('state');
const ENDED_VISIBLE_MS = 4000;

export class PhoneState {
  #settings = $state<AppSettings | null>(null);
  #info = $state<AppInfo | null>(null);
  #registrations = $state<Record<string, RegistrationState>>({});
  #calls = $state<CallSnapshot[]>([]);
  #lastEnded = $state<CallSnapshot | null>(null);
  #dial = $state('');
  #notice = $state<string | null>(null);
  #dialFocusTick = $state(0);
  // Engines and live call objects are not UI state: the UI reads registrations and snapshots.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #engines = new Map<string, PhoneEngine>();
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #liveCalls = new Map<string, PhoneCall>();
  #pendingTarget: DialTarget | null = null;
  #media: MediaEnvironment;
  #endedTimer: ReturnType<typeof setTimeout> | null = null;
  #unsubscribe: (() => void)[] = [];

  constructor(media: MediaEnvironment = browserMediaEnvironment()) {
    this.#media = media;
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
  get defaultAccount(): AccountSettings | null {
    const accounts = this.accounts.filter((a) => a.enabled);
    return accounts.find((a) => a.id === this.#settings?.defaultAccountId) ?? accounts[0] ?? null;
  }
  registrationOf(id: string): RegistrationState {
    return this.#registrations[id] ?? { status: 'stopped' };
  }
  get calls(): CallSnapshot[] {
    return this.#calls;
  }
  get incomingCall(): CallSnapshot | null {
    return this.#calls.find((c) => c.status === 'incoming') ?? null;
  }
  get activeCall(): CallSnapshot | null {
    return this.#calls.find((c) => c.status !== 'incoming') ?? null;
  }
  get lastEnded(): CallSnapshot | null {
    return this.#lastEnded;
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

  /** Loads settings, starts enabled accounts and listens to the main process. */
  async init(): Promise<void> {
    this.#info = await invoke('app/get-info', null);
    this.#settings = await invoke('settings/get', null);
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
      }),
      on('tray/action', (action) => {
        if (action.action === 'call-back') {
          this.dial = action.dial;
          this.placeCall();
        } else if (action.action === 'toggle-dnd') {
          void this.setDoNotDisturb(!(this.#settings?.doNotDisturb ?? false));
        }
      }),
      on('notify/action', ({ callId, action }) => {
        if (action === 'answer') {
          this.answer(callId);
        } else {
          this.decline(callId);
        }
      }),
    );
    await Promise.all(this.accounts.filter((a) => a.enabled).map((a) => this.#startEngine(a)));
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

  /** Turns do-not-disturb on or off (saved in the settings; the tray follows). */
  async setDoNotDisturb(on: boolean): Promise<void> {
    this.#settings = await invoke('settings/update', { doNotDisturb: on });
    this.#pushSummary();
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

  /** Calls what is in the dial field on the default account. */
  placeCall(): void {
    const account = this.defaultAccount;
    const engine = account ? this.#engines.get(account.id) : undefined;
    const text = this.#dial.trim();
    if (!engine || !text) {
      this.#notice = engine ? 'Type a number or address first.' : 'Set up an account first.';
      return;
    }
    const target =
      this.#pendingTarget && this.#pendingTarget.display === text ? this.#pendingTarget : null;
    try {
      const call = engine.call(target ? target.dial : text);
      this.#pendingTarget = null;
      this.#notice = null;
      this.#follow(call);
    } catch (error: unknown) {
      this.#notice =
        error instanceof DialError || error instanceof Error ? error.message : String(error);
    }
  }

  answer(id: string): void {
    this.#liveCalls.get(id)?.answer();
  }
  decline(id: string, code: 486 | 603 = 486): void {
    this.#liveCalls.get(id)?.decline(code);
  }
  hangup(id: string): void {
    this.#liveCalls.get(id)?.hangup();
  }
  toggleMute(id: string): void {
    const call = this.#liveCalls.get(id);
    if (call) {
      call.setMuted(!call.snapshot.muted);
    }
  }
  /** The live call object, for statistics panels. */
  callObject(id: string): PhoneCall | null {
    return this.#liveCalls.get(id) ?? null;
  }

  dismissEnded(): void {
    this.#lastEnded = null;
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
    const engine = new PhoneEngine(engineAccount(account, credentials), { media: this.#media });
    this.#engines.set(account.id, engine);
    engine.on('registration', (state) => {
      this.#registrations[account.id] = state;
      this.#refocusPendingLink(account.id, state);
      this.#pushSummary();
    });
    engine.on('incoming', (call) => this.#follow(call));
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

  #follow(call: PhoneCall): void {
    this.#liveCalls.set(call.id, call);
    this.#upsert(call.snapshot);
    if (call.direction === 'incoming') {
      this.#notifyIncoming(call.snapshot);
    }
    call.on('changed', (snapshot) => this.#upsert(snapshot));
    call.on('ended', (snapshot) => {
      if (snapshot.direction === 'incoming') {
        invoke('notify/call-ended', { callId: snapshot.id }).catch(() => {});
      }
      this.#liveCalls.delete(snapshot.id);
      this.#calls = this.#calls.filter((c) => c.id !== snapshot.id);
      this.#showEnded(snapshot);
      this.#pushSummary();
    });
    this.#pushSummary();
  }

  // The main process shows a native notification (and may bring the window up) per settings.
  #notifyIncoming(snapshot: CallSnapshot): void {
    const account = this.accounts.find((a) => a.id === snapshot.accountId);
    invoke('notify/incoming-call', {
      callId: snapshot.id,
      name: snapshot.party.name,
      number: snapshot.party.user,
      accountLabel: account?.label ?? '',
    }).catch((error: unknown) => log.debug(`notification not shown: ${String(error)}`));
  }

  #upsert(snapshot: CallSnapshot): void {
    const i = this.#calls.findIndex((c) => c.id === snapshot.id);
    if (i >= 0) {
      this.#calls[i] = snapshot;
    } else if (snapshot.status !== 'ended') {
      this.#calls.push(snapshot);
    }
    this.#pushSummary();
  }

  #showEnded(snapshot: CallSnapshot): void {
    this.#lastEnded = snapshot;
    if (this.#endedTimer) {
      clearTimeout(this.#endedTimer);
    }
    this.#endedTimer = setTimeout(() => {
      if (this.#lastEnded?.id === snapshot.id) {
        this.#lastEnded = null;
      }
    }, ENDED_VISIBLE_MS);
  }

  #onDialRequest(request: DialRequest): void {
    this.#pendingTarget = request.target;
    this.#dial = request.target.display;
    this.#notice = null;
    this.#dialFocusTick += 1;
    if (request.autoDial) {
      this.placeCall();
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
        this.#calls,
        this.#settings?.doNotDisturb ?? false,
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
