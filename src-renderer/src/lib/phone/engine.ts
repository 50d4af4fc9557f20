// The phone engine for one account: owns a JsSIP UA, drives connection and registration with
// causes and a retry policy (no REGISTER storm on a wrong password), creates outgoing calls
// and surfaces incoming ones. The UI and the state layer use only this API and its events.
import { UA } from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { RTCSessionEvent } from 'jssip/lib/UA';
import type { IncomingRequest, IncomingResponse } from 'jssip/lib/SIPMessage';
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import { autoAnswerDelay } from './auto-answer';
import { PhoneCall, type CallContext, type OutgoingOptions } from './call';
import { PROVISIONAL_GAP_MS } from './call-bounds';
import { CredentialsGuard, keepConfiguredCredentials } from './credentials-guard';
import { EarlySocket } from './early-socket';
import { asJsSipSocket, GuardedSocket, type SipSocket, type SocketTap } from './guarded-socket';
import {
  connectNow,
  HeldReplies,
  sweepEndedSessions,
  uaFootprint,
  type UaFootprint,
} from './jssip-internals';
import { acceptedMethods, rewriteAllow, screenOutOfDialog } from './sip-methods';
import { parseSipHead } from './sip-screen';
import { CallRecovery } from './call-recovery';
import { KeepAlive } from './keep-alive';
import { DEFAULT_MICROPHONE, type MediaEnvironment, type MicrophoneOptions } from './media';
import {
  addressSpace,
  classifyRegistrationFailure,
  describeConnectFailure,
  httpProbeUrl,
  localNetworkChecked,
  localNetworkPermissions,
  RetrySchedule,
  type ProbeResult,
} from './registration';
import {
  describeUnusableAnswer,
  INTERVAL_TOO_BRIEF_RETRY_S,
  malformedRefusal,
  REGISTER_WATCHDOG_S,
  RegisterTracker,
  refreshDelayMs,
  UNUSABLE_RETRIES,
  type RegisterAnswer,
} from './register-answer';
import { resolveCallTarget, partyFromUri } from './target';
import type { DialTarget } from '@shared/dial-target';
import type { EngineAccount, ReferRequest, RegistrationState } from './types';

const log = createLogger('engine');

// JsSIP's UA is a Node-style EventEmitter; its typings only declare `on`.
interface EmitterControls {
  once(event: string, listener: () => void): void;
  removeAllListeners(): void;
  listenerCount(event: string): number;
}
const controls = (ua: UA): EmitterControls => ua as unknown as EmitterControls;
const USER_AGENT = 'OpenSoftphone/0.1 (JsSIP 3.13)';
/**
 * How long after its call lost the connection a CANCEL may still find the far end ringing: a
 * proxy gives up on a ringing INVITE after its Timer C, more than 3 minutes without a
 * provisional response (RFC 3261 §16.6 step 11); later, a CANCEL matches nothing.
 */
const LATE_CANCEL_MS = PROVISIONAL_GAP_MS;

// JsSIP's Registrator (Registrator.js) keeps its state in fields with no public setter:
// `_expires`, the lifetime it asks for (a 423 without Min-Expires needs a longer one), and
// `_registering`, which a 2xx with a foreign CSeq never clears, making register() a no-op.
interface RegistratorInternals {
  _expires: number;
  _registering: boolean;
}
const registratorOf = (ua: UA): RegistratorInternals =>
  ua.registrator() as unknown as RegistratorInternals;
function setRequestedExpires(ua: UA, seconds: number): void {
  registratorOf(ua)._expires = seconds;
}

/** Edges of the engine, injectable for tests. */
export interface EngineDeps {
  media: MediaEnvironment;
  createSocket?(url: string): SipSocket;
  /** Tells a server that refuses the WebSocket from one that cannot be reached (or is blocked). */
  probe?(wsUrl: string): Promise<ProbeResult>;
  tap?: SocketTap;
  now?(): number;
}

/**
 * Default probe: an opaque HTTP request to the same host/path; any answer means "reachable".
 * When it fails too, and the server is (or may be) in a more private address space than the
 * page (an app:// page is public) while the page does not hold Chromium's local-network
 * permission, Local Network Access blocked it: the page cannot see that error itself, but it
 * can see the permission.
 */
export async function probeHttp(wsUrl: string): Promise<ProbeResult> {
  const url = httpProbeUrl(wsUrl);
  if (!url) {
    return 'unreachable';
  }
  try {
    await fetch(url, { mode: 'no-cors', cache: 'no-store', signal: AbortSignal.timeout(3000) });
    return 'answered';
  } catch {
    return (await localNetworkDenied(wsUrl)) ? 'local-network-blocked' : 'unreachable';
  }
}

async function localNetworkDenied(wsUrl: string): Promise<boolean> {
  if (!localNetworkChecked(location.href, wsUrl)) {
    return false; // the page is at least as private as the server: no checks apply
  }
  for (const name of localNetworkPermissions(addressSpace(wsUrl))) {
    try {
      const status = await navigator.permissions.query({ name } as unknown as PermissionDescriptor);
      return status.state !== 'granted';
    } catch {
      // A name this browser does not know: try the next one.
    }
  }
  return false; // a browser without local-network checks
}

/** What an engine reports. Every call it creates is announced once, incoming or outgoing. */
export interface EngineEvents {
  registration: RegistrationState;
  /** A call from the network, ringing (or replacing one of ours). */
  incoming: PhoneCall;
  /** A call we place: dialled by the user, or asked for by the other side's REFER. */
  outgoing: PhoneCall;
  /**
   * A JsSIP UA was created for this account (start, or a fresh start after stop). Features
   * beyond calls (messaging, subscriptions) bind their listeners to it here; the UA's own
   * listeners all go when it is stopped.
   */
  ua: UA;
  /**
   * The UA is about to stop (the account stops, restarts or reconnects afresh): features end
   * what they hold on it — unsubscribe, unpublish — while it can still send.
   */
  stopping: UA;
}

export class PhoneEngine extends TypedEmitter<EngineEvents> {
  readonly account: EngineAccount;
  readonly #deps: Required<Omit<EngineDeps, 'tap'>> & Pick<EngineDeps, 'tap'>;
  #ua: UA | null = null;
  #state: RegistrationState = { status: 'stopped' };
  #calls = new Set<PhoneCall>();
  #retry = new RetrySchedule();
  #retryTimer: ReturnType<typeof setTimeout> | null = null;
  #credentialsRejected = false;
  #socketUp = false;
  #stopping = false;
  #tracker = new RegisterTracker();
  #socket: GuardedSocket | null = null;
  #keepAlive: KeepAlive | null = null;
  readonly #recovery = new CallRecovery(
    () => this.#state.status === 'registered' && this.#socketUp,
  );
  /** CANCELs of calls that lost their connection while ringing, for the next connection. */
  #lateCancels: { send: (ua: unknown) => boolean; at: number }[] = [];
  /** Replies to incoming calls waiting for a connection (ringing calls outlive theirs). */
  readonly #heldReplies = new HeldReplies();
  /** Why the engine gave up on the last connection itself (shown instead of "lost"). */
  #abandonedBecause: string | null = null;
  #refreshTimer: ReturnType<typeof setTimeout> | null = null;
  #watchdogTimer: ReturnType<typeof setTimeout> | null = null;
  #unusableAnswers = 0;
  #briefRetried = false;
  #microphone: MicrophoneOptions = DEFAULT_MICROPHONE;
  #speakerId: string | null = null;

  constructor(account: EngineAccount, deps: EngineDeps) {
    super();
    this.account = account;
    this.#deps = {
      media: deps.media,
      // The window's early connection to the server when there is one (early-socket.ts).
      createSocket: (url) => (deps.createSocket ? deps.createSocket(url) : new EarlySocket(url)),
      probe: (url) => (deps.probe ? deps.probe(url) : probeHttp(url)),
      now: () => (deps.now ? deps.now() : performance.now()),
      tap: deps.tap,
    };
  }

  get registration(): RegistrationState {
    return this.#state;
  }

  /** The account's JsSIP UA while the engine runs (features beyond calls use it). */
  get ua(): UA | null {
    return this.#ua;
  }

  get calls(): readonly PhoneCall[] {
    return [...this.#calls];
  }

  /** Connects and registers. A configuration the UA refuses ends in a 'bad-configuration' state. */
  start(): void {
    if (this.#ua) {
      return;
    }
    this.#stopping = false;
    this.#credentialsRejected = false;
    this.#socketUp = false;
    try {
      this.#ua = this.#createUa();
      this.emit('ua', this.#ua);
    } catch (error: unknown) {
      const detail = error instanceof Error ? error.message : String(error);
      this.#setState({
        status: 'failed',
        cause: 'bad-configuration',
        message: `The account settings are not valid: ${detail}.`,
        code: null,
        retryAt: null,
      });
      return;
    }
    this.#ua.start();
  }

  /** Unregisters (waiting at most `timeoutMs`), ends calls and disconnects. */
  async stop(timeoutMs = 2000): Promise<void> {
    const ua = this.#ua;
    this.#clearRetry();
    this.#clearRegisterTimers();
    this.#keepAlive?.stop();
    this.#recovery.dispose();
    this.#heldReplies.clear();
    this.#lateCancels = [];
    if (!ua) {
      this.#setState({ status: 'stopped' });
      return;
    }
    this.#stopping = true;
    this.emit('stopping', ua);
    for (const call of this.#calls) {
      call.hangup();
    }
    const wasRegistered = this.#state.status === 'registered';
    if (wasRegistered) {
      this.#setState({ status: 'unregistering' });
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wasRegistered ? timeoutMs : 0);
      controls(ua).once('unregistered', () => {
        clearTimeout(timer);
        resolve();
      });
      ua.stop();
    });
    controls(ua).removeAllListeners();
    this.#ua = null;
    this.#setState({ status: 'stopped' });
  }

  /** Reconnects and re-registers at once (resume from sleep, unlock, network back). */
  reconnectNow(): void {
    if (this.#stopping || this.#credentialsRejected) {
      return;
    }
    const ua = this.#ua;
    if (!ua) {
      this.start();
      return;
    }
    if (ua.isConnected()) {
      // A socket that was open before a resume or a network change is not trusted: it may be
      // half-open. A fresh connection registers again as soon as it opens, and it opens now:
      // JsSIP would first wait out its minimum reconnection interval (2 s), which a call
      // waiting for recovery would hear as silence.
      this.#abandonConnection('the network or the power state changed');
      connectNow(ua);
      return;
    }
    if (this.#calls.size === 0) {
      // A fresh UA connects now instead of waiting out JsSIP's recovery backoff.
      void this.stop(0).then(() => this.start());
      return;
    }
    // The calls live in this UA: its own connection opens now, so they can be recovered.
    connectNow(ua);
  }

  /** A retry asked for by the user (e.g. after fixing the network); also clears a credentials stop. */
  retryNow(): void {
    this.#credentialsRejected = false;
    this.#unusableAnswers = 0;
    this.#retry.reset();
    if (this.#ua?.isConnected() && !this.#stopping) {
      this.#register(); // the connection is fine; what failed was the registration
      return;
    }
    this.reconnectNow();
  }

  /** What the JsSIP UA still keeps for calls and requests (diagnostics and leak checks). */
  get footprint(): UaFootprint {
    return this.#ua ? uaFootprint(this.#ua) : { sessions: 0, dialogs: 0, transactions: 0 };
  }

  /** Audio device and processing choices used by new calls. */
  setAudio(microphone: MicrophoneOptions, speakerId: string | null): void {
    this.#microphone = microphone;
    this.#speakerId = speakerId;
  }

  /**
   * Places a call. `input` is what the user typed (a number, a user name or a SIP address) or
   * the DialTarget a link produced, whose extension and phone-context are kept. Throws only
   * for input that is not dialable (with a human message).
   */
  call(input: string | DialTarget, opts: OutgoingOptions = {}): PhoneCall {
    const ua = this.#ua;
    if (!ua || this.#state.status !== 'registered') {
      throw new Error('The account is not registered, so calls cannot be placed yet.');
    }
    const target = resolveCallTarget(input, this.account.sipUri, this.account.dialRules);
    const call = PhoneCall.outgoing(ua, target.uri, target.party, this.#callContext(), {
      ...opts,
      // '#31#' before the number hides our identity for this call, '*31#' shows it.
      ...(target.callerId ? { anonymous: target.callerId === 'hidden' } : {}),
      ...(target.extension ? { extension: target.extension } : {}),
    });
    this.#track(call);
    this.emit('outgoing', call);
    return call;
  }

  /**
   * The methods this engine accepts now, as its Allow header lists them: the core ones, plus
   * MESSAGE/SUBSCRIBE while a feature listens for them on the UA (sip-methods.ts).
   */
  get allow(): string[] {
    return acceptedMethods(this.#ua ? controls(this.#ua) : null);
  }

  /** The full SIP address for what the user typed, in this account's domain (dial rules applied). */
  targetUri(input: string): string {
    return resolveCallTarget(input, this.account.sipUri, this.account.dialRules).uri;
  }

  #createUa(): UA {
    const account = this.account;
    const proxy = account.outboundProxy?.trim() || null;
    const credentials = new CredentialsGuard(account.realm, hostOf(account.sipUri));
    this.#tracker = new RegisterTracker();
    this.#briefRetried = false;
    const socket = new GuardedSocket(
      this.#deps.createSocket(account.websocketUri),
      this.#trackingTap(),
      {
        screen: (head) => screenOutOfDialog(head),
        inbound: (text, head) => credentials.filter(text, head),
        outbound: (text, head) => {
          credentials.noteSent(head);
          return rewriteAllow(text, this.allow);
        },
        handled: () => {
          if (this.#ua) {
            sweepEndedSessions(this.#ua);
          }
        },
      },
      proxy,
    );
    this.#socket = socket;
    this.#keepAlive?.stop();
    this.#keepAlive = new KeepAlive({
      idleS: account.keepAliveS ?? 20,
      probe: () => this.#sendProbe(),
      dead: (silentS) =>
        this.#abandonConnection(`nothing came back from the server for ${silentS} s`),
    });
    const ua = new UA({
      sockets: [asJsSipSocket(socket)],
      uri: account.sipUri,
      ...(account.authUser ? { authorization_user: account.authUser } : {}),
      ...(account.password !== null ? { password: account.password } : {}),
      ...(account.ha1 !== null ? { ha1: account.ha1 } : {}),
      ...(account.realm ? { realm: account.realm } : {}),
      ...(account.displayName ? { display_name: account.displayName } : {}),
      register: false,
      register_expires: account.registerExpires,
      ...(account.instanceId ? { instance_id: account.instanceId } : {}),
      session_timers: account.sessionTimers,
      connection_recovery_min_interval: 2,
      connection_recovery_max_interval: 30,
      no_answer_timeout: 60,
      user_agent: USER_AGENT,
      // With an outbound proxy, JsSIP routes every out-of-dialog request through it.
      use_preloaded_route: proxy !== null,
    });
    keepConfiguredCredentials(ua);
    this.#bindUa(ua);
    return ua;
  }

  #bindUa(ua: UA): void {
    ua.on('connecting', (e) => {
      if (this.#state.status !== 'failed') {
        this.#setState({ status: 'connecting', attempt: e.attempts + 1 });
      }
    });
    ua.on('connected', () => this.#onConnected());
    ua.on('disconnected', () => this.#onDisconnected());
    ua.on('registered', () => {
      this.#retry.reset();
      this.#setState({ status: 'registered', since: Date.now() });
      this.#recovery.restored();
    });
    // The engine owns the refresh schedule (register-answer.ts): with a listener here JsSIP
    // never re-REGISTERs on its own timer, which a NaN or overflowing Expires turns into a storm.
    ua.on('registrationExpiring', () => {});
    ua.on('unregistered', () => {
      // JsSIP also reports 'unregistered' after a dropped connection; that is a failure
      // already described by the disconnected handler, not a sign-out.
      if (!this.#stopping && this.#socketUp && this.#state.status !== 'failed') {
        this.#setState({ status: 'unregistered' });
      }
    });
    ua.on('registrationFailed', (e) =>
      this.#onRegistrationFailed(e.response ?? null, String(e.cause)),
    );
    ua.on('newRTCSession', (e: RTCSessionEvent) => {
      if (String(e.originator) === 'remote') {
        this.#onIncoming(e.session, e.request as IncomingRequest);
      }
    });
  }

  // A keep-alive probe: an OPTIONS to the account's domain; any answer proves the flow lives.
  #sendProbe(): void {
    const ua = this.#ua as unknown as {
      sendOptions(target: string, body: null, options: object): void;
    } | null;
    const domain = /^sips?:(?:[^@]*@)?([^;?>]+)/i.exec(this.account.sipUri)?.[1];
    try {
      ua?.sendOptions(`sip:${domain ?? ''}`, null, {});
    } catch (error: unknown) {
      log.warn(`keep-alive probe not sent: ${String(error)}`);
    }
  }

  #abandonConnection(reason: string): void {
    if (!this.#socket || !this.#socketUp) {
      return;
    }
    this.#abandonedBecause = reason;
    this.#socket.abandon(reason);
  }

  #onConnected(): void {
    this.#socketUp = true;
    const sent = this.#heldReplies.flush();
    if (sent > 0) {
      log.info(`sent ${sent} held call replies over the new connection`);
    }
    this.#sendLateCancels();
    this.#abandonedBecause = null;
    this.#keepAlive?.start();
    if (this.#stopping || this.#credentialsRejected) {
      return;
    }
    this.#register();
  }

  // CANCELs of our calls that lost their connection while ringing (the far end rings on until
  // it hears one, or until the proxy's own timer), within LATE_CANCEL_MS of the loss.
  #sendLateCancels(): void {
    const cancels = this.#lateCancels.splice(0);
    const now = this.#deps.now();
    for (const { send, at } of cancels) {
      if (now - at <= LATE_CANCEL_MS && this.#ua && !send(this.#ua)) {
        log.warn('could not send the CANCEL of a call that lost its connection');
      }
    }
  }

  #register(): void {
    this.#clearRetry();
    this.#setState({ status: 'registering' });
    this.#sendRegister();
  }

  // Every REGISTER (first, refresh, retry) is watched: no outcome within the bound is a failure.
  #sendRegister(): void {
    this.#clearRegisterTimers();
    this.#watchdogTimer = setTimeout(() => {
      this.#watchdogTimer = null;
      this.#failUsably(
        'timeout',
        `The server gave no usable answer to the registration within ${REGISTER_WATCHDOG_S} s. Trying again automatically.`,
        null,
      );
    }, REGISTER_WATCHDOG_S * 1000);
    this.#ua?.register();
  }

  // Sees the traffic before JsSIP does; a REGISTER verdict is applied once JsSIP has handled
  // the same message (it does so synchronously, so a microtask runs after it).
  #trackingTap(): SocketTap {
    const outer = this.#deps.tap;
    const tracker = this.#tracker;
    return {
      sent: (text) => {
        tracker.sent(text);
        outer?.sent?.(text);
      },
      received: (text) => {
        this.#keepAlive?.heard();
        this.#dialogHeard(text);
        const answer = tracker.received(text);
        if (answer) {
          queueMicrotask(() => this.#onRegisterAnswer(tracker, answer));
        }
        outer?.received?.(text);
      },
      rejected: (reason) => outer?.rejected?.(reason),
    };
  }

  // A message of a call's dialog: its far end (or the proxy on its path) is still there.
  #dialogHeard(text: string): void {
    if (this.#calls.size === 0) {
      return;
    }
    const callId = parseSipHead(text)?.headers.get('call-id')?.[0]?.trim();
    if (!callId) {
      return;
    }
    for (const call of this.#calls) {
      if (call.session?.id.startsWith(callId)) {
        call.heardSignal();
      }
    }
  }

  #onRegisterAnswer(tracker: RegisterTracker, answer: RegisterAnswer): void {
    if (this.#stopping || tracker !== this.#tracker) {
      return;
    }
    if (answer.kind === 'unusable') {
      this.#failUsably('unusable-answer', describeUnusableAnswer(answer.reason), 200);
      return;
    }
    if (answer.kind !== 'bound') {
      return; // refusals arrive as registrationFailed; an un-REGISTER's answer ends stop()
    }
    this.#clearRegisterTimers();
    this.#unusableAnswers = 0;
    this.#keepAlive?.followFlowTimer(answer.flowTimerS);
    const delay = refreshDelayMs(answer.expiresS, this.account.registerExpires);
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = null;
      this.#sendRegister();
    }, delay);
    if (this.#ua?.isRegistered() && this.#state.status !== 'registered') {
      // A refresh that succeeded after a failed one: JsSIP only reports the first success.
      this.#retry.reset();
      this.#setState({ status: 'registered', since: Date.now() });
    }
  }

  // A registration that cannot complete as sent: stated cause, bounded retries with backoff.
  #failUsably(cause: 'timeout' | 'unusable-answer', message: string, code: number | null): void {
    this.#clearRegisterTimers();
    if (this.#ua) {
      registratorOf(this.#ua)._registering = false; // the transaction is over, whatever JsSIP thinks
    }
    this.#unusableAnswers += 1;
    const retry = this.#unusableAnswers <= UNUSABLE_RETRIES;
    const delay = retry ? this.#retry.next() : null;
    this.#setState({
      status: 'failed',
      cause,
      message: retry
        ? message
        : `${message.replace(/ Trying again automatically\.$/, '')} Gave up after ${UNUSABLE_RETRIES + 1} attempts; it tries again when the network changes or you retry.`,
      code,
      retryAt: delay === null ? null : Date.now() + delay,
    });
    if (delay !== null) {
      this.#clearRetry();
      this.#retryTimer = setTimeout(() => this.#register(), delay);
    }
  }

  #clearRegisterTimers(): void {
    for (const timer of [this.#watchdogTimer, this.#refreshTimer]) {
      if (timer !== null) {
        clearTimeout(timer);
      }
    }
    this.#watchdogTimer = null;
    this.#refreshTimer = null;
  }

  #onDisconnected(): void {
    const wasUp = this.#socketUp;
    this.#socketUp = false;
    this.#clearRegisterTimers();
    this.#keepAlive?.stop();
    if (this.#stopping || this.#credentialsRejected) {
      return;
    }
    const url = this.account.websocketUri;
    if (wasUp) {
      this.#recovery.lost(this.#calls);
      // A live connection dropped; JsSIP reconnects. Only failed attempts get probed.
      this.#setState({
        status: 'failed',
        cause: 'connection-lost',
        message: this.#abandonedBecause
          ? `The connection to ${url} was replaced: ${this.#abandonedBecause}. Reconnecting automatically.`
          : `The connection to ${url} was lost. Reconnecting automatically.`,
        code: null,
        retryAt: null,
      });
      return;
    }
    void this.#deps.probe(url).then((probe) => {
      if (this.#stopping || this.#socketUp || this.#state.status === 'registered') {
        return;
      }
      const { cause, message } = describeConnectFailure(url, probe);
      this.#setState({ status: 'failed', cause, message, code: null, retryAt: null });
    });
  }

  #onRegistrationFailed(response: IncomingResponse | null, jssipCause: string): void {
    if (this.#stopping) {
      return;
    }
    this.#clearRegisterTimers();
    const code = response?.status_code ?? null;
    if (response && this.#onMalformedRefusal(response, code)) {
      return;
    }
    const retryAfter = Number.parseInt(String(response?.getHeader('Retry-After') ?? ''), 10);
    const verdict = classifyRegistrationFailure(
      jssipCause,
      code,
      Number.isFinite(retryAfter) ? retryAfter : null,
    );
    if (verdict.cause === 'connection-lost') {
      return; // the disconnected handler reports and JsSIP reconnects
    }
    this.#credentialsRejected = verdict.cause === 'wrong-credentials';
    if (!verdict.retry) {
      // JsSIP re-registers by itself after every reconnect once register() was called;
      // unregister() turns that off without sending anything when not registered.
      this.#ua?.unregister();
    }
    const delay = verdict.retry ? this.#retry.next(verdict.retryAfterS) : null;
    this.#setState({
      status: 'failed',
      cause: verdict.cause,
      message: verdict.message,
      code,
      retryAt: delay === null ? null : Date.now() + delay,
    });
    if (delay !== null) {
      this.#retryTimer = setTimeout(() => this.#register(), delay);
    }
  }

  // A refusal JsSIP reads wrongly (see malformedRefusal): true when handled here.
  #onMalformedRefusal(response: IncomingResponse, code: number | null): boolean {
    const refusal = malformedRefusal(
      code,
      (name) => response.parseHeader(name.toLowerCase()) !== undefined,
    );
    if (!refusal) {
      return false;
    }
    if (refusal.kind === 'no-challenge') {
      this.#failUsably('unusable-answer', refusal.message, code);
      return true;
    }
    if (!this.#briefRetried && this.#ua) {
      // RFC 3261 §10.2.8 makes Min-Expires mandatory; without it, ask once for a longer one.
      this.#briefRetried = true;
      setRequestedExpires(
        this.#ua,
        Math.max(this.account.registerExpires * 2, INTERVAL_TOO_BRIEF_RETRY_S),
      );
      this.#register();
      return true;
    }
    this.#ua?.unregister();
    this.#setState({
      status: 'failed',
      cause: 'rejected',
      message: refusal.message,
      code,
      retryAt: null,
    });
    return true;
  }

  #onIncoming(session: RTCSession, request: IncomingRequest): void {
    const identity = session.remote_identity;
    const party = partyFromUri(
      identity.display_name || null,
      identity.uri.user ?? '',
      identity.uri.host,
    );
    const replacesCallId =
      (session.data as { replacesCallId?: string } | undefined)?.replacesCallId ?? null;
    const call = PhoneCall.incoming(session, party, this.#callContext(), {
      replacesCallId,
      autoAnswerAfterS: autoAnswerDelay(
        request.getHeaders('Call-Info'),
        request.getHeaders('Alert-Info'),
      ),
    });
    call.mark('invite-received');
    this.#heldReplies.keep(request);
    this.#track(call);
    this.emit('incoming', call);
    if (replacesCallId) {
      // The caller replaces a call we already answered (attended transfer to us): no ringing.
      call.answer();
    }
  }

  #track(call: PhoneCall): void {
    this.#calls.add(call);
    call.on('ended', () => this.#calls.delete(call));
    call.on('refer', (refer) => this.#onRefer(call, refer));
    call.on('replaces', (replaces) =>
      replaces.accept((session) => {
        session.data = { ...(session.data as object | undefined), replacesCallId: call.id };
      }),
    );
  }

  // The other side transfers us: call the target it names, keeping the current call until
  // the transferor hangs up (blind) or the target replaces it (attended).
  #onRefer(from: PhoneCall, refer: ReferRequest): void {
    const uri = refer.request.refer_to.uri;
    const party = partyFromUri(null, uri.user ?? '', uri.host);
    const call = PhoneCall.referred(
      (init, options) => refer.accept(init, options),
      party,
      this.#callContext(),
      from.snapshot.party,
    );
    this.#track(call);
    this.emit('outgoing', call);
  }

  #callContext(): CallContext {
    return {
      accountId: this.account.id,
      iceServers: this.account.iceServers,
      iceGatheringCapMs: this.account.iceGatheringCapMs,
      sessionTimersExpires: this.account.sessionTimers ? this.account.sessionExpires : null,
      dtmfMode: this.account.dtmfMode,
      media: this.#deps.media,
      microphone: () => this.#microphone,
      speakerId: () => this.#speakerId,
      now: this.#deps.now,
      recoverConnection: (call) => this.#recovery.connectionFailed(call),
      cancelLater: (send) => this.#lateCancels.push({ send, at: this.#deps.now() }),
      placeLater: (call) => this.#recovery.placeLater(call),
      recoverIce: (call) =>
        this.#recovery.iceFailed(call, this.#state.status === 'registered' && this.#socketUp),
    };
  }

  #clearRetry(): void {
    if (this.#retryTimer !== null) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = null;
    }
  }

  #setState(state: RegistrationState): void {
    if (JSON.stringify(state) === JSON.stringify(this.#state)) {
      return;
    }
    this.#state = state;
    log.info(`registration ${state.status}${state.status === 'failed' ? ` (${state.cause})` : ''}`);
    this.emit('registration', state);
  }
}

function hostOf(sipUri: string): string {
  return /^sips?:(?:[^@]*@)?([^;:?>]+)/i.exec(sipUri)?.[1] ?? '';
}
