// Reactive mirror of presence (issue 15): one PresenceAgent per running account (created and
// dropped as engines come and go), the busy lamps of the settings with their live state, the
// presence of any watched address (the lookup Contacts and the chat list use), voicemail waiting
// per account, and our own status with what the server made of its publication. Actions on a
// lamp — call, pick up, transfer to it — go to the line manager; the lamps list and our status
// are saved in the settings file through main. No SIP here: the agents (lib/presence) do it.
import type { AppSettings, BusyLampSettings, PresenceChoice } from '@shared/settings-types';
import type { ContactsState } from '../contacts/contacts.svelte';
import type { Contact } from '../contacts/types';
import { TypedEmitter } from '../emitter';
import type { LineManager, PhoneEngine } from '../phone';
import { canonicalAor } from '../presence/aor';
import { deriveLamp, type Lamp } from '../presence/lamp';
import type { PresenceStatus } from '../presence/pidf';
import type {
  AgentChange,
  PresenceAgent,
  VoicemailState,
  WatchedPresence,
} from '../presence/presence-agent';
import { loadOnce } from '../lazy/load-once';
import { createLogger } from '../logger';
import type { PublicationState } from '../presence/publication';
import { DEFAULT_RESUBSCRIBE_RATE, RateLimitedQueue } from '../presence/resubscribe-queue';
import { UNKNOWN_DIALOGS } from '../presence/dialog-state';
import { WatchRequests } from '../presence/watch-requests';
import { LampActions } from './lamp-actions';
import {
  accountForAor,
  contactTargets,
  resolveLamps,
  resolveTarget,
  watchLists,
  type ResolvedLamp,
} from './presence-targets';
import type { SettingsState } from './settings.svelte';

/** The status the user can pick: do-not-disturb is the app's DND (published as busy). */
export type OwnChoice = PresenceChoice | 'dnd';

const log = createLogger('presence-state');
// The agents' code (SUBSCRIBE, PUBLISH, the XML readers) is a chunk of its own, loaded when the
// first engine starts (startup budget, issue 19).
const agentModule = loadOnce(() => import('../presence/presence-agent'));

const NOT_CONNECTED = 'The account is not connected.';
const NOT_RUNNING: WatchedPresence = { info: null, cause: NOT_CONNECTED };
const NOT_RUNNING_LAMP: Lamp = { ...deriveLamp(UNKNOWN_DIALOGS), cause: NOT_CONNECTED };

/** One busy lamp and its live state (fine-grained: one lamp's change repaints one lamp). */
export class LampItem {
  readonly key: string;
  readonly index: number;
  readonly target: string;
  readonly label: string;
  readonly accountId: string;
  readonly aor: string;
  #lamp = $state.raw<Lamp>(NOT_RUNNING_LAMP);
  #presence = $state.raw<WatchedPresence>(NOT_RUNNING);

  constructor(resolved: ResolvedLamp) {
    this.key = resolved.key;
    this.index = resolved.index;
    this.target = resolved.target;
    this.label = resolved.label;
    this.accountId = resolved.accountId;
    this.aor = resolved.aor;
  }
  get lamp(): Lamp {
    return this.#lamp;
  }
  set lamp(value: Lamp) {
    this.#lamp = value;
  }
  get presence(): WatchedPresence {
    return this.#presence;
  }
  set presence(value: WatchedPresence) {
    this.#presence = value;
  }
}

export interface PresenceDeps {
  settings: SettingsState;
  lines: LineManager;
  engineOf(accountId: string): PhoneEngine | null;
  /** Null when calls can use the microphone, else the sentence for the user (MicrophoneGate). */
  microphoneProblem?(ask: boolean): Promise<string | null>;
  /** Injected in tests; one queue bounds every account's SUBSCRIBE bursts together. */
  queue?: RateLimitedQueue;
}

export interface PresenceEvents {
  /** Voicemail waiting changed on some account (the tray summary follows). */
  voicemail: undefined;
}

export class PresenceState extends TypedEmitter<PresenceEvents> {
  readonly #deps: PresenceDeps;
  readonly #queue: RateLimitedQueue;
  // Agents are not UI state: the views read the mirrors below.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #agents = new Map<string, { agent: PresencePort; off: () => void }>();
  readonly #requests = new WatchRequests(() => this.#rewatch());
  /** The engine each account runs now (its agent is made once the agents' code is loaded). */
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #engines = new Map<string, PhoneEngine>();
  #lamps = $state.raw<readonly LampItem[]>([]);
  #voicemail = $state.raw<Readonly<Record<string, VoicemailState | null>>>({});
  #publications = $state.raw<Readonly<Record<string, PublicationState>>>({});
  #presenceTick = $state(0);
  #notice = $state<string | null>(null);
  #contacts: ContactsState | null = null;
  #contactsOff: (() => void) | null = null;
  readonly actions: LampActions;

  constructor(deps: PresenceDeps) {
    super();
    this.#deps = deps;
    this.#queue = deps.queue ?? new RateLimitedQueue(DEFAULT_RESUBSCRIBE_RATE);
    this.actions = new LampActions({
      settings: deps.settings,
      lines: deps.lines,
      engineOf: (id) => deps.engineOf(id),
      voicemailOf: (id) => this.voicemailOf(id),
      microphoneProblem: (ask) => deps.microphoneProblem?.(ask) ?? Promise.resolve(null),
    });
    this.actions.on('notice', (notice) => (this.#notice = notice));
  }

  /** The busy lamps, in the order of the settings. */
  get lamps(): readonly LampItem[] {
    return this.#lamps;
  }

  /** A sentence about the last lamp or voicemail action that failed. */
  get notice(): string | null {
    return this.#notice;
  }

  /** Our status as chosen (do-not-disturb first). */
  get ownStatus(): OwnChoice {
    const s = this.#deps.settings;
    return s.doNotDisturb ? 'dnd' : (s.value?.presenceStatus ?? 'available');
  }

  /** Why others may not see our status (a server that does not take it, or a failure). */
  get publishNotice(): string | null {
    for (const state of Object.values(this.#publications)) {
      if (state.state === 'unsupported' || state.state === 'failed') {
        return state.message;
      }
      if (state.state === 'retrying') {
        return `${state.message} Trying again.`;
      }
    }
    return null;
  }

  /** Voicemail waiting on one account, once its server said. */
  voicemailOf(accountId: string): VoicemailState | null {
    return this.#voicemail[accountId] ?? null;
  }

  /** New voicemails on every account (and whether any says "waiting" without a count). */
  get voicemailTotal(): { waiting: boolean; newCount: number } {
    let waiting = false;
    let newCount = 0;
    for (const vm of Object.values(this.#voicemail)) {
      waiting ||= vm?.waiting ?? false;
      newCount += vm?.newCount ?? 0;
    }
    return { waiting, newCount };
  }

  /** The presence status of an address, when it is watched and known; reactive. */
  statusOf(uri: string): PresenceStatus | null {
    void this.#presenceTick;
    const aor = canonicalAor(uri);
    if (!aor) {
      return null;
    }
    for (const { agent } of this.#agents.values()) {
      const status = agent.presence(aor).info?.status;
      if (status) {
        return status;
      }
    }
    return null;
  }

  /** A contact's status from any of its watched addresses; reactive. */
  statusOfContact(contact: Contact): PresenceStatus | null {
    const s = this.#deps.settings;
    for (const { aor } of contactTargets(contact, s.enabledAccounts, s.defaultAccount)) {
      const status = this.statusOf(aor);
      if (status) {
        return status;
      }
    }
    return null;
  }

  /**
   * Watches an address's presence (on `accountId`, else on the account of its domain) until the
   * returned function is called; the chat list watches the conversations it shows. Releases and
   * requests made together reach the agents as one change. A no-op for anything not SIP.
   */
  watch(uri: string, accountId: string | null = null): () => void {
    return this.#requests.add(uri, accountId);
  }

  /** An account's engine was created (or stopped: null); its agent follows. */
  engineChanged(accountId: string, engine: PhoneEngine | null): void {
    const running = this.#agents.get(accountId);
    if (running) {
      running.off();
      running.agent.dispose();
      this.#agents.delete(accountId);
      this.#setVoicemail(accountId, null);
      this.#publications = { ...this.#publications, [accountId]: { state: 'off' } };
    }
    if (engine) {
      this.#engines.set(accountId, engine);
      const loaded = agentModule.value;
      if (loaded) {
        this.#startAgent(accountId, engine, loaded.PresenceAgent);
      } else {
        agentModule.get().then(
          ({ PresenceAgent }) => this.#startAgent(accountId, engine, PresenceAgent),
          (error: unknown) => log.warn(`presence unavailable: ${String(error)}`),
        );
      }
    } else {
      this.#engines.delete(accountId);
    }
    this.#agentChanged(accountId, null);
  }

  // Makes the agent of an account's engine, unless another engine (or none) took its place.
  #startAgent(accountId: string, engine: PhoneEngine, Agent: typeof PresenceAgent): void {
    if (this.#engines.get(accountId) !== engine || this.#agents.has(accountId)) {
      return;
    }
    const agent = new Agent(engine, { queue: this.#queue });
    const off = agent.on('changed', (change) => this.#onChange(agent, change));
    this.#agents.set(accountId, { agent, off });
    this.#agentChanged(accountId, agent);
  }

  #agentChanged(accountId: string, agent: PresencePort | null): void {
    for (const item of this.#lamps.filter((l) => l.accountId === accountId)) {
      item.lamp = agent ? agent.lamp(item.aor) : NOT_RUNNING_LAMP;
      item.presence = agent ? agent.presence(item.aor) : NOT_RUNNING;
    }
    this.#presenceTick += 1;
    this.settingsChanged();
  }

  /** The settings changed: lamps, our status, accounts. */
  settingsChanged(): void {
    const s = this.#deps.settings;
    const resolved = resolveLamps(s.value?.lamps ?? [], s.enabledAccounts, s.defaultAccount);
    const old = this.#lamps;
    this.#lamps = resolved.map((r) => {
      const kept = old.find((l) => l.key === r.key);
      return kept && kept.index === r.index && kept.label === r.label ? kept : this.#item(r);
    });
    for (const { agent } of this.#agents.values()) {
      agent.setOwnStatus(this.ownStatus);
    }
    this.#rewatch();
  }

  /** Contacts are open: their favourites are watched from now on. */
  useContacts(contacts: ContactsState): void {
    this.#contactsOff?.();
    this.#contacts = contacts;
    this.#contactsOff = contacts.onChange(() => this.#rewatch());
    this.#rewatch();
  }

  /** Adds a lamp; returns why it cannot be added, or null. */
  async addLamp(
    input: string,
    label = '',
    accountId: string | null = null,
  ): Promise<string | null> {
    const s = this.#deps.settings;
    const account = accountId ? s.account(accountId) : s.defaultAccount;
    if (!account) {
      return 'Set up an account first.';
    }
    const target = resolveTarget(input, account);
    if (!target.ok) {
      return target.message;
    }
    const key = `${account.id}|${target.aor}`;
    if (this.#lamps.some((l) => l.key === key)) {
      return `${input.trim()} already has a lamp.`;
    }
    const entry: BusyLampSettings = { target: input.trim(), label: label.trim(), accountId };
    // Built from the newest lamps: one added meanwhile stays (and the same one is not added twice).
    await s.change((current) =>
      this.#lampsOf(current).some((l) => l.key === key)
        ? null
        : { lamps: [...current.lamps, entry] },
    );
    return null;
  }

  /** Removes a lamp. */
  async removeLamp(key: string): Promise<void> {
    await this.#deps.settings.change((current) => {
      const item = this.#lampsOf(current).find((l) => l.key === key);
      return item ? { lamps: current.lamps.filter((_, i) => i !== item.index) } : null;
    });
  }

  // The lamps of the settings a change is built from: `change` passes the window's newest, the
  // ones the accounts below are read from.
  #lampsOf(current: AppSettings): ResolvedLamp[] {
    const s = this.#deps.settings;
    return resolveLamps(current.lamps, s.enabledAccounts, s.defaultAccount);
  }

  /** Sets our status; do-not-disturb is the app's DND (it also declines calls). */
  async setOwnStatus(choice: OwnChoice): Promise<void> {
    await this.#deps.settings.update(
      choice === 'dnd' ? { doNotDisturb: true } : { doNotDisturb: false, presenceStatus: choice },
    );
  }

  /** Unsubscribes and unpublishes on every account, each wait bounded (quit). */
  async stop(): Promise<void> {
    await Promise.all([...this.#agents.values()].map(({ agent }) => agent.stop()));
  }

  #item(resolved: ResolvedLamp): LampItem {
    const item = new LampItem(resolved);
    const agent = this.#agents.get(resolved.accountId)?.agent;
    if (agent) {
      item.lamp = agent.lamp(resolved.aor);
      item.presence = agent.presence(resolved.aor);
    }
    return item;
  }

  #rewatch(): void {
    const s = this.#deps.settings;
    const accounts = s.enabledAccounts;
    const extra = this.#requests.list().flatMap(({ accountId: asked, aor }) => {
      // An address asked for on an account that is off is not watched through another one.
      const accountId =
        asked === null
          ? accountForAor(aor, accounts, s.defaultAccount)
          : accounts.some((a) => a.id === asked)
            ? asked
            : null;
      return accountId ? [{ accountId, aor }] : [];
    });
    for (const contact of this.#contacts?.favourites() ?? []) {
      extra.push(...contactTargets(contact, accounts, s.defaultAccount));
    }
    const lists = watchLists(this.#lamps, extra);
    for (const [accountId, { agent }] of this.#agents) {
      agent.watch(lists.get(accountId) ?? { dialog: [], presence: [] });
    }
  }

  #onChange(agent: PresencePort, change: AgentChange): void {
    const accountId = agent.accountId;
    switch (change.kind) {
      case 'lamp':
        for (const item of this.#lamps) {
          if (item.accountId === accountId && item.aor === change.aor) {
            item.lamp = agent.lamp(change.aor);
          }
        }
        break;
      case 'presence':
        for (const item of this.#lamps) {
          if (item.accountId === accountId && item.aor === change.aor) {
            item.presence = agent.presence(change.aor);
          }
        }
        this.#presenceTick += 1;
        break;
      case 'voicemail':
        this.#setVoicemail(accountId, agent.voicemail);
        break;
      case 'publication':
        this.#publications = { ...this.#publications, [accountId]: agent.publication };
        break;
    }
  }

  #setVoicemail(accountId: string, state: VoicemailState | null): void {
    this.#voicemail = { ...this.#voicemail, [accountId]: state };
    this.emit('voicemail', undefined);
  }
}

/** What the mirror uses of an agent. */
type PresencePort = Pick<
  PresenceAgent,
  | 'accountId'
  | 'lamp'
  | 'presence'
  | 'voicemail'
  | 'publication'
  | 'watch'
  | 'setOwnStatus'
  | 'stop'
  | 'dispose'
>;
