// Owns what one account watches and tells (issue 15): busy lamps (RFC 4235 'dialog'), contacts'
// presence (RFC 3856 'presence'), voicemail waiting (RFC 3842 'message-summary' on our own
// address, plus the unsolicited NOTIFY many PBXes send instead) and our own status (PUBLISH).
// It binds to the account's engine: each new JsSIP UA ('ua'), the registration (subscriptions
// start once registered), the UA's lost connection (everything is forgotten locally and shown
// unknown; the next registration starts it all again through the shared rate-limited queue, so
// a reconnect never sends a storm) and 'stopping' (un-SUBSCRIBE and un-PUBLISH while the UA can
// still send). Bodies are parsed by the bounded readers of this folder: a hostile body never
// throws here, it makes the lamp or status unknown with a reason.
import type { UA } from 'jssip';
import type { IncomingRequest } from 'jssip/lib/SIPMessage';
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import type { PhoneEngine, RegistrationState } from '../phone';
import { systemScheduler, type Scheduler } from '../scheduler';
import { canonicalAor } from './aor';
import { parseDialogInfo } from './dialog-info';
import { DialogInfoStore } from './dialog-state';
import { jssipPublishSender, type PublishSender } from './jssip-publish';
import {
  openSubscription,
  type NotifyInfo,
  type SubscriptionCallbacks,
  type SubscriptionHandle,
  type SubscriptionSpec,
} from './jssip-subscription';
import { deriveLamp, type Lamp } from './lamp';
import { parseMessageSummary, type MessageSummary } from './message-summary';
import { parsePidf, type PresenceInfo } from './pidf';
import { buildPidf, type OwnStatus } from './pidf-build';
import { Publication, type PublicationState } from './publication';
import type { RateLimitedQueue } from './resubscribe-queue';
import { ManagedSubscription, type SubscriptionStatus } from './subscription';

const log = createLogger('presence');

/** What the agent uses of a phone engine. */
export type AgentEngine = Pick<PhoneEngine, 'account' | 'registration' | 'ua' | 'on'>;

/** Voicemail waiting for one account. */
export interface VoicemailState {
  waiting: boolean;
  /** New and old voice messages; null when the server said only "waiting" without counts. */
  newCount: number | null;
  oldCount: number | null;
  urgentNew: number;
  /** Where the messages are (Message-Account), when the server said. */
  messageAccount: string | null;
}

/** A watched address's presence: the status read, or why there is none. */
export interface WatchedPresence {
  info: PresenceInfo | null;
  cause: string | null;
}

/** Which part changed, so a mirror updates only that. */
export type AgentChange =
  | { kind: 'lamp'; aor: string }
  | { kind: 'presence'; aor: string }
  | { kind: 'voicemail' }
  | { kind: 'publication' };

export interface AgentEvents {
  changed: AgentChange;
}

/** The addresses to watch, as canonical AORs (see aor.ts). */
export interface WatchList {
  dialog: readonly string[];
  presence: readonly string[];
}

export interface AgentDeps {
  /** Shared by every account's agent: the bound on SUBSCRIBE bursts. */
  queue: RateLimitedQueue;
  scheduler?: Scheduler;
  random?: () => number;
  /** Expires asked for every subscription and the publication (the server may lower it). */
  expiresS?: number;
  notifyWaitMs?: number;
  /** How long quit and stop wait for each un-SUBSCRIBE / un-PUBLISH. */
  stopTimeoutMs?: number;
  open?: (ua: UA, spec: SubscriptionSpec, callbacks: SubscriptionCallbacks) => SubscriptionHandle;
  publishSender?: (ua: UA) => PublishSender;
}

type EventName = 'dialog' | 'presence' | 'message-summary';

const ACCEPT: Readonly<Record<EventName, string>> = {
  dialog: 'application/dialog-info+xml',
  presence: 'application/pidf+xml',
  'message-summary': 'application/simple-message-summary',
};

const LOST = 'The connection to the server was lost.';
const NOT_YET = 'Not watched yet: the account is not registered.';

/** The voicemail state a summary gives. */
export function voicemailFrom(summary: MessageSummary): VoicemailState {
  const voice = summary.voice;
  return {
    waiting: summary.waiting,
    newCount: voice?.new ?? null,
    oldCount: voice?.old ?? null,
    urgentNew: voice?.urgentNew ?? 0,
    messageAccount: summary.account,
  };
}

interface Watched {
  event: EventName;
  aor: string;
  subscription: ManagedSubscription;
}

export class PresenceAgent extends TypedEmitter<AgentEvents> {
  readonly #engine: AgentEngine;
  readonly #deps: AgentDeps;
  readonly #scheduler: Scheduler;
  readonly #watched = new Map<string, Watched>();
  readonly #dialogs = new DialogInfoStore();
  readonly #lamps = new Map<string, Lamp>();
  readonly #presence = new Map<string, WatchedPresence>();
  readonly #publication: Publication;
  readonly #offs: (() => void)[] = [];
  readonly #uaOffs: (() => void)[] = [];
  #ua: UA | null = null;
  /** True until subscriptions run on the current connection. */
  #offline = true;
  #voicemail: VoicemailState | null = null;
  #ownStatus: OwnStatus | null = null;

  constructor(engine: AgentEngine, deps: AgentDeps) {
    super();
    this.#engine = engine;
    this.#deps = deps;
    this.#scheduler = deps.scheduler ?? systemScheduler;
    const sender = deps.publishSender ?? jssipPublishSender;
    this.#publication = new Publication({
      send: (request, done) =>
        this.#ua ? sender(this.#ua)(request, done) : done({ kind: 'transport-error' }),
      target: engine.account.sipUri,
      scheduler: this.#scheduler,
      ...(deps.random ? { random: deps.random } : {}),
      ...(deps.expiresS ? { expiresS: deps.expiresS } : {}),
    });
    this.#offs.push(
      this.#publication.on('changed', () => this.emit('changed', { kind: 'publication' })),
      engine.on('ua', (ua) => this.#bindUa(ua)),
      engine.on('registration', (state) => this.#onRegistration(state)),
      engine.on('stopping', () => this.#onStopping()),
    );
    this.#watch('message-summary', canonicalAor(engine.account.sipUri) ?? engine.account.sipUri);
    if (engine.ua) {
      this.#bindUa(engine.ua);
    }
    this.#onRegistration(engine.registration);
  }

  /** The account this agent belongs to. */
  get accountId(): string {
    return this.#engine.account.id;
  }

  /** The lamp of a watched colleague (unknown until their first NOTIFY). */
  lamp(aor: string): Lamp {
    return this.#lamps.get(aor) ?? deriveLamp(this.#dialogs.get(aor));
  }

  /** A watched address's presence. */
  presence(aor: string): WatchedPresence {
    return this.#presence.get(aor) ?? { info: null, cause: NOT_YET };
  }

  /** Voicemail waiting, once the server said anything. */
  get voicemail(): VoicemailState | null {
    return this.#voicemail;
  }

  /** Where our own status publication stands. */
  get publication(): PublicationState {
    return this.#publication.state;
  }

  /** The state of one subscription (for diagnostics and tests). */
  subscriptionStatus(event: EventName, aor: string): SubscriptionStatus | null {
    return this.#watched.get(`${event} ${aor}`)?.subscription.status ?? null;
  }

  /** Sets the watched addresses: new ones are subscribed, dropped ones unsubscribed. */
  watch(list: WatchList): void {
    const wanted = new Set<string>();
    for (const event of ['dialog', 'presence'] as const) {
      for (const aor of list[event]) {
        wanted.add(`${event} ${aor}`);
        this.#watch(event, aor);
      }
    }
    for (const [key, watched] of this.#watched) {
      if (watched.event !== 'message-summary' && !wanted.has(key)) {
        this.#watched.delete(key);
        void watched.subscription.stop(this.#deps.stopTimeoutMs);
        this.#forget(watched);
      }
    }
  }

  /** Publishes our status (do-not-disturb publishes busy); null removes the publication. */
  setOwnStatus(status: OwnStatus | null): void {
    this.#ownStatus = status;
    if (status === null) {
      void this.#publication.remove(this.#deps.stopTimeoutMs);
      return;
    }
    const built = buildPidf({ entity: this.#engine.account.sipUri, status });
    if (!built.ok) {
      log.warn(`own status not published: ${built.message}`);
      return;
    }
    this.#publication.set({ contentType: built.contentType, text: built.body });
  }

  /** Ends every subscription and the publication, waiting (bounded) for the server (quit). */
  async stop(): Promise<void> {
    const timeout = this.#deps.stopTimeoutMs ?? 2000;
    await Promise.all([
      ...[...this.#watched.values()].map((w) => w.subscription.stop(timeout)),
      this.#publication.remove(timeout),
    ]);
  }

  /** Lets go of the engine (the account was removed or restarted with a new engine). */
  dispose(): void {
    this.#offs.splice(0).forEach((off) => off());
    this.#unbindUa();
    for (const watched of this.#watched.values()) {
      watched.subscription.suspend(LOST);
    }
    this.#publication.offline();
    this.removeAllListeners();
  }

  #watch(event: EventName, aor: string): void {
    const key = `${event} ${aor}`;
    if (this.#watched.has(key)) {
      return;
    }
    const spec: SubscriptionSpec = {
      target: aor,
      event,
      accept: ACCEPT[event],
      expiresS: this.#deps.expiresS ?? 3600,
    };
    const subscription = new ManagedSubscription(`${this.accountId} ${key}`, spec, {
      open: (s, callbacks) => {
        const ua = this.#ua;
        if (!ua) {
          throw new Error('no user agent');
        }
        return (this.#deps.open ?? openSubscription)(ua, s, callbacks);
      },
      queue: this.#deps.queue,
      scheduler: this.#scheduler,
      ...(this.#deps.random ? { random: this.#deps.random } : {}),
      ...(this.#deps.notifyWaitMs ? { notifyWaitMs: this.#deps.notifyWaitMs } : {}),
      onNotify: (notify) => this.#onNotify(event, aor, notify),
      onStatus: (status) => this.#onStatus(event, aor, status),
    });
    const watched: Watched = { event, aor, subscription };
    this.#watched.set(key, watched);
    if (!this.#offline) {
      subscription.start();
    }
  }

  #forget(watched: Watched): void {
    if (watched.event === 'dialog') {
      this.#dialogs.forget(watched.aor);
      this.#lamps.delete(watched.aor);
      this.emit('changed', { kind: 'lamp', aor: watched.aor });
    } else if (watched.event === 'presence') {
      this.#presence.delete(watched.aor);
      this.emit('changed', { kind: 'presence', aor: watched.aor });
    }
  }

  #bindUa(ua: UA): void {
    this.#unbindUa();
    this.#ua = ua;
    this.#goOffline(LOST);
    const onEvent = (e: { event: unknown; request: IncomingRequest }): void => this.#onSipEvent(e);
    const onDisconnected = (): void => this.#goOffline(LOST);
    ua.on('sipEvent', onEvent);
    ua.on('disconnected', onDisconnected);
    // JsSIP's UA is a Node EventEmitter; its typings only declare `on`.
    const emitter = ua as unknown as { removeListener(event: string, fn: unknown): void };
    this.#uaOffs.push(
      () => emitter.removeListener('sipEvent', onEvent),
      () => emitter.removeListener('disconnected', onDisconnected),
    );
  }

  #unbindUa(): void {
    this.#uaOffs.splice(0).forEach((off) => off());
    this.#ua = null;
  }

  #onRegistration(state: RegistrationState): void {
    if (state.status === 'registered' && this.#offline && this.#ua) {
      this.#goOnline();
    }
  }

  // Registered on a fresh connection: every subscription starts through the queue.
  #goOnline(): void {
    this.#offline = false;
    for (const watched of this.#watched.values()) {
      watched.subscription.start();
    }
    if (this.#ownStatus) {
      this.setOwnStatus(this.#ownStatus);
    }
    this.#publication.online();
  }

  #goOffline(cause: string): void {
    if (this.#offline) {
      return;
    }
    this.#offline = true;
    for (const watched of this.#watched.values()) {
      watched.subscription.suspend(cause);
    }
    this.#publication.offline();
  }

  // The UA is about to stop: say goodbye to the server while it can still be told. The
  // un-PUBLISH goes out at once; what the user chose is published again on the next connection.
  #onStopping(): void {
    if (this.#offline) {
      return;
    }
    this.#offline = true;
    for (const watched of this.#watched.values()) {
      void watched.subscription.stop(this.#deps.stopTimeoutMs);
    }
    void this.#publication.remove(this.#deps.stopTimeoutMs);
    this.#publication.offline();
  }

  #onStatus(event: EventName, aor: string, status: SubscriptionStatus): void {
    if (event === 'dialog') {
      if (status.state === 'waiting') {
        this.#dialogs.resetVersion(aor);
        return;
      }
      if (status.state === 'retrying' || status.state === 'stopped') {
        this.#dialogs.markUnknown(aor, status.cause ?? 'Not watched.');
        this.#setLamp(aor);
      }
      return;
    }
    if (event === 'presence') {
      this.#presenceStatus(aor, status);
    }
  }

  #presenceStatus(aor: string, status: SubscriptionStatus): void {
    const known = this.#presence.get(aor)?.info ?? null;
    let next: WatchedPresence | null = null;
    if (status.state === 'pending') {
      next = { info: null, cause: 'Waiting for permission to see their status.' };
    } else if (status.state === 'active' && !known) {
      next = { info: null, cause: 'They have not published a status.' };
    } else if (status.state === 'retrying' || status.state === 'stopped') {
      next = { info: null, cause: status.cause ?? 'Not watched.' };
    }
    if (next) {
      this.#presence.set(aor, next);
      this.emit('changed', { kind: 'presence', aor });
    }
  }

  #onNotify(event: EventName, aor: string, notify: NotifyInfo): void {
    if (notify.body === '') {
      this.#onEmptyNotify(event, aor, notify);
      return;
    }
    if (event === 'dialog') {
      const applied = this.#dialogs.apply(aor, parseDialogInfo(notify.body));
      if (applied.resync && !notify.final) {
        this.#watched.get(`dialog ${aor}`)?.subscription.resync();
      }
      this.#setLamp(aor);
    } else if (event === 'presence') {
      const parsed = parsePidf(notify.body);
      this.#presence.set(
        aor,
        parsed.ok ? { info: parsed.presence, cause: null } : { info: null, cause: parsed.message },
      );
      this.emit('changed', { kind: 'presence', aor });
    } else {
      this.#onSummary(notify.body);
    }
  }

  // An empty NOTIFY on an active subscription: "no meaningful state" (RFC 6665 §4.2.2). For the
  // dialog package that is a colleague with no dialogs — free — as hard phones show it; the
  // version is forgotten, since the next document may count from anywhere.
  #onEmptyNotify(event: EventName, aor: string, notify: NotifyInfo): void {
    if (notify.substate?.state === 'pending') {
      return;
    }
    if (event === 'dialog') {
      this.#dialogs.resetVersion(aor);
      this.#dialogs.apply(aor, {
        ok: true,
        document: { entity: aor, version: 0, state: 'full', dialogs: [], skipped: 0 },
      });
      this.#dialogs.resetVersion(aor);
      this.#setLamp(aor);
    } else if (event === 'presence') {
      this.#presence.set(aor, { info: null, cause: 'They have not published a status.' });
      this.emit('changed', { kind: 'presence', aor });
    }
  }

  // Out-of-dialog NOTIFYs (JsSIP has answered 200): the unsolicited voicemail summary.
  #onSipEvent(e: { event: unknown; request: IncomingRequest }): void {
    const name = (e.event as { event?: unknown } | null)?.event;
    if (typeof name === 'string' && name.toLowerCase() === 'message-summary') {
      this.#onSummary(e.request.body ?? '');
    }
  }

  #onSummary(body: string): void {
    const parsed = parseMessageSummary(body);
    if (!parsed.ok) {
      log.info(`voicemail summary ignored: ${parsed.message}`);
      return;
    }
    this.#voicemail = voicemailFrom(parsed.summary);
    this.emit('changed', { kind: 'voicemail' });
  }

  #setLamp(aor: string): void {
    this.#lamps.set(aor, deriveLamp(this.#dialogs.get(aor)));
    this.emit('changed', { kind: 'lamp', aor });
  }
}
