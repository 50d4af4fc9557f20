// One call (a JsSIP RTCSession) behind the engine's own API and events: answer, decline,
// cancel, hang up, mute, hold/resume, DTMF and transfers, and its state machine with causes.
// The JsSIP binding is in call-session.ts, transfers in call-transfer.ts, the 422 retry in
// session-timers.ts and the audio path in call-audio.ts (the microphone opens in parallel with
// the offer/answer, never holding the INVITE back).
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { UA } from 'jssip/lib/UA';
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import { prepareAnswer } from './answer-ahead';
import { OutgoingBounds, type UnansweredCause } from './call-bounds';
import { callEnd, mapSessionEnd } from './call-end';
import { bindSession, sessionOptions, type SessionEnd, type SessionOptions } from './call-session';
import { loadCallActions } from './call-actions';
import { describeDtmfError, dtmfRequestMs, normalizeDtmf } from './dtmf';
import { GHOST_END_S, GhostWatch } from './ghost-watch';
import { IceGatheringRound } from './ice-policy';
import {
  isRoutableCandidate,
  routableExpected,
  watchIceRestarts,
  type IceRestartKind,
} from './ice-restart';
import type { OverlaySlot, TrackProcessor, VoiceSlot } from '../audio/outgoing-chain';
import {
  interceptTerminate,
  inviteCanceller,
  refreshTargetOnAnswer,
  releaseSession,
} from './jssip-internals';
import {
  AUDIO_WATCH_MS,
  audioStillFlows,
  guardRemoteOffers,
  inboundPackets,
  type RefusedOffer,
} from './reinvite-guard';
import { CallAudio } from './call-audio';
import { describeMicrophoneError, type MediaEnvironment, type MicrophoneOptions } from './media';
import { OpQueue } from '../op-queue';
import { CallOperationError, holdSession, resumeSession } from './session-ops';
import { SessionIntervalRetry } from './session-timers';
import type {
  CallDirection,
  CallEnd,
  CallEvents,
  CallInfo,
  CallParty,
  CallSnapshot,
  CallStatus,
  CallTrouble,
  TransferState,
} from './types';

const log = createLogger('call');

/** What a call needs from its engine. */
export interface CallContext {
  accountId: string;
  iceServers: RTCIceServer[];
  iceGatheringCapMs: number;
  sessionTimersExpires: number | null;
  dtmfMode: 'rfc4733' | 'info';
  media: MediaEnvironment;
  microphone(): MicrophoneOptions;
  speakerId(): string | null;
  now(): number;
  /**
   * The call's ICE connection failed: whether the engine recovers it (an ICE restart) instead
   * of ending it. Absent: the call ends as JsSIP ends it ("media-failed").
   */
  recoverIce?(call: PhoneCall): boolean;
  /**
   * A request of this answered call was lost with its connection (JsSIP would end the call):
   * whether the engine recovers it instead. Absent: the call ends ("Connection Error").
   */
  recoverConnection?(call: PhoneCall): boolean;
  /**
   * A call we placed lost its connection before it was answered: `send` CANCELs its INVITE
   * over the next connection, so the far end stops ringing.
   */
  cancelLater?(send: (ua: unknown) => boolean): void;
  /**
   * A call we placed lost its connection before it was answered: whether the engine places it
   * again over the next connection (`placeAgain()`) instead of ending it.
   */
  placeLater?(call: PhoneCall): boolean;
}

/** Options of an outgoing call. */
export interface OutgoingOptions {
  anonymous?: boolean;
  extraHeaders?: string[];
  /** Digits sent as key presses once the far end answers (RFC 3966 ;ext=). */
  extension?: string;
}

/** Told when the far end changed the call in a way we refused and its audio stopped. */
export const AUDIO_LOST_NOTICE =
  'The other side changed the call in a way this app cannot use, and its audio has stopped. If it stays silent, hang up and call again.';

/** Told when a refused offer left the connection unable to make new offers. */
export const FROZEN_NOTICE =
  'The other side changed the call in a way this app cannot apply. The call goes on, but it can no longer be put on hold or resumed.';

/**
 * How a call we placed that was not answered yet ends when its connection drops and it is not
 * placed again (one a transfer started: its REFER's dialog is gone): the proxy sends every
 * answer to our INVITE back over the connection the INVITE came by (its Via), so the answer
 * could never reach a new one. (Other calls are placed again, incoming ones ring on:
 * call-recovery.ts.)
 */
export const EARLY_CONNECTION_LOST: CallEnd = {
  cause: 'connection-lost',
  code: null,
  message:
    'The connection to the server was lost before the call was answered; a call that is still ringing at the other end cannot move to a new connection.',
};

/**
 * Longest time between Answer and the view showing it: the 200 OK usually goes first (~15 ms
 * with the answer prepared while ringing), and the answer's change is shown with it.
 */
const ANSWERING_SHOWN_MS = 50;

/** Pause between answer and an extension's key presses, so IVRs are listening. */
const EXTENSION_DELAY_MS = 800;

let nextId = 1;
// Call ids name history entries and recordings, so they must not repeat after the page is
// reloaded or restarted (a bare counter would make the new page's call-1 overwrite the last).
const PAGE = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/** One call. Created by the engine; the UI drives it through these methods and its events. */
export class PhoneCall extends TypedEmitter<CallEvents> implements VoiceSlot, OverlaySlot {
  readonly id: string;
  readonly direction: CallDirection;
  readonly info: CallInfo;
  readonly #ctx: CallContext;
  readonly #audio: CallAudio;
  readonly #ops = new OpQueue();
  #session: RTCSession | null = null;
  #status: CallStatus;
  #party: CallParty;
  #createdAt = Date.now();
  #answeredAt: number | null = null;
  /** Whether the answer was prepared while ringing (or tried to be). */
  #answerAhead = false;
  #endedAt: number | null = null;
  #end: CallEnd | null = null;
  #earlyMedia = false;
  #remoteHold = false;
  #transfer: TransferState | null = null;
  #pc: RTCPeerConnection | null = null;
  #pendingDtmf = '';
  /** Whether the microphone was asked for (once per call; it stays open across new INVITEs). */
  #microphoneAsked = false;
  #ice: IceGatheringRound | null = null;
  /** Re-places the call with a longer session interval after a 422 (outgoing, once). */
  #redial: SessionIntervalRetry | null = null;
  /** Sends the INVITE of an outgoing call (again, after a 422 or a lost connection). */
  #place: ((expires: number | null) => void) | null = null;
  /** The session ended with its connection; the call waits to be placed again (placeLater). */
  #awaitingPlace = false;
  /** The end to report when the engine itself ends the call (wins over JsSIP's own cause). */
  #pendingEnd: CallEnd | null = null;
  /** The connection cannot make offers any more (reinvite-guard.ts): no hold or resume. */
  #frozen = false;
  /** Outgoing calls: how long they may stay dialing or ringing (call-bounds.ts). */
  readonly #bounds: OutgoingBounds | null;
  /** Answered calls: whether the far end is still there (ghost-watch.ts). */
  readonly #ghost: GhostWatch;
  #trouble: CallTrouble | null = null;

  private constructor(
    direction: CallDirection,
    party: CallParty,
    ctx: CallContext,
    info: CallInfo,
  ) {
    super();
    this.id = `call-${PAGE}-${nextId++}`;
    this.direction = direction;
    this.#status = direction === 'outgoing' ? 'dialing' : 'incoming';
    this.#party = party;
    this.#ctx = ctx;
    this.info = info;
    this.#audio = new CallAudio(ctx.media, () => this.#flushDtmf());
    this.#audio.on('voice', (track) => this.emit('voice', track));
    this.#audio.on('sending', (track) => this.emit('sending', track));
    this.#bounds =
      direction === 'outgoing' ? new OutgoingBounds((cause) => this.#onUnanswered(cause)) : null;
    this.#ghost = this.#watchForGhost();
  }

  /** Places a call to `target` (a SIP URI). Never throws: a failure ends the call with a cause. */
  static outgoing(
    ua: UA,
    target: string,
    party: CallParty,
    ctx: CallContext,
    opts: OutgoingOptions = {},
  ): PhoneCall {
    const extension = opts.extension ?? null;
    const call = new PhoneCall(
      'outgoing',
      party,
      ctx,
      emptyInfo({ anonymous: opts.anonymous === true, extension }),
    );
    call.mark('created');
    // The microphone opens once the INVITE is on its way (see #bind's `sending`), not now:
    // opened here, its getUserMedia (resolving ~45 ms after the click in the bench) ran beside
    // the offer and ICE gathering and delayed the INVITE by 5–9 ms (issue 19, click → INVITE).
    // The far end answers (or plays early media) well after its INVITE arrives, by when the
    // track is on the sender (call-audio.ts: the transceiver exists before the microphone).
    const place = (expires: number | null): void => {
      try {
        call.#bind(
          ua.call(target, {
            ...call.#sessionOptions(expires),
            ...(opts.anonymous ? { anonymous: true } : {}),
            ...(opts.extraHeaders ? { extraHeaders: opts.extraHeaders } : {}),
          }),
        );
      } catch (error: unknown) {
        log.warn(
          `could not place the call: ${error instanceof Error ? error.message : String(error)}`,
        );
        // After the caller has the call and listens to it (the engine tracks it, the lines
        // show it): ended now, the call would stay in the engine and nobody would hear why.
        queueMicrotask(() => call.#finish(callEnd('error')));
      }
    };
    call.#place = place;
    call.#redial = new SessionIntervalRetry((expires) => {
      call.#resetMedia();
      call.mark('retry-422');
      log.info(`server asked for a session interval of at least ${expires} s; calling again`);
      place(expires);
    });
    place(ctx.sessionTimersExpires);
    if (extension) {
      call.once('answered', () => setTimeout(() => call.sendDtmf(extension), EXTENSION_DELAY_MS));
    }
    return call;
  }

  /** Wraps a session JsSIP received. */
  static incoming(
    session: RTCSession,
    party: CallParty,
    ctx: CallContext,
    info: Partial<CallInfo> = {},
  ): PhoneCall {
    const call = new PhoneCall('incoming', party, ctx, emptyInfo(info));
    call.mark('created');
    session.on('peerconnection', (e) => call.#onPeerConnection(e.peerconnection));
    call.#bind(session);
    return call;
  }

  /** The new call a transferee places when it accepts a REFER (JsSIP creates the session). */
  static referred(
    accept: (init: (session: RTCSession) => void, options: SessionOptions) => void,
    party: CallParty,
    ctx: CallContext,
    transferredBy: CallParty,
  ): PhoneCall {
    const call = new PhoneCall('outgoing', party, ctx, emptyInfo({ transferredBy }));
    call.mark('created');
    call.#openMicrophone();
    accept((session) => call.#bind(session), call.#sessionOptions(ctx.sessionTimersExpires));
    return call;
  }

  get status(): CallStatus {
    return this.#status;
  }

  /** The peer connection, for statistics (quality panel, tests). */
  get peerConnection(): RTCPeerConnection | null {
    return this.#pc;
  }

  /** What the other side sends us, once it arrived. */
  get remoteStream(): MediaStream | null {
    return this.#audio.remoteStream;
  }

  /** The microphone track while the call holds it. */
  get microphoneTrack(): MediaStreamTrack | null {
    return this.#audio.microphoneTrack;
  }

  /** The user's voice: the microphone, or the noise suppressor's output when it is on. */
  get voiceTrack(): MediaStreamTrack | null {
    return this.#audio.voiceTrack;
  }

  /** What the other side hears from us now (the voice, a conference mix, the consent notice mix). */
  get sendingTrack(): MediaStreamTrack | null {
    return this.#audio.sendingTrack;
  }

  /** The overlay mixed over what is sent (the consent notice), if any. */
  get overlay(): TrackProcessor | null {
    return this.#audio.overlay;
  }

  /** The JsSIP session, for the engine only (attended transfer needs the other dialog). */
  get session(): RTCSession | null {
    return this.#session;
  }

  get snapshot(): CallSnapshot {
    const hold = this.#session?.isOnHold() ?? { local: false, remote: false };
    return {
      id: this.id,
      accountId: this.#ctx.accountId,
      direction: this.direction,
      status: this.#status,
      party: { ...this.#party },
      createdAt: this.#createdAt,
      answeredAt: this.#answeredAt,
      endedAt: this.#endedAt,
      end: this.#end,
      muted: this.#session?.isMuted().audio ?? false,
      remoteAudio: this.#audio.remoteStream !== null,
      hold: { local: hold.local, remote: this.#remoteHold },
      earlyMedia: this.#earlyMedia,
      transfer: this.#transfer,
      trouble: this.#trouble,
      info: { ...this.info },
    };
  }

  /**
   * Answers an incoming call; the microphone opens in parallel with the 200 OK. The call is
   * 'answering' at once (a second click, a decline or a hang-up see it), but the change is
   * announced only when the 200 OK has gone, or ANSWERING_SHOWN_MS after the click: the view
   * the change brings (the call view: ~10 ms of rendering on this thread) would otherwise hold
   * back the steps of the answer that wait for the thread (answer-ahead.ts).
   */
  answer(): void {
    if (this.#status !== 'incoming' || !this.#session) {
      return;
    }
    this.mark('answer');
    this.#status = 'answering';
    const shown = setTimeout(() => this.#changed(), ANSWERING_SHOWN_MS);
    this.once('changed', () => clearTimeout(shown));
    this.#openMicrophone();
    try {
      this.#session.answer(this.#sessionOptions(this.#ctx.sessionTimersExpires));
    } catch (error: unknown) {
      log.warn(`answer failed: ${error instanceof Error ? error.message : String(error)}`);
      this.#endWith(callEnd('error'));
    }
  }

  /**
   * Prepares the answer while the call rings (answer-ahead.ts): the peer connection, the
   * caller's offer applied and our answer created, nothing sent to the caller. The lines call
   * it once the ringing view has been painted; answering needs nothing from it.
   */
  prepareAnswer(): void {
    if (this.#status !== 'incoming' || !this.#session || this.#answerAhead) {
      return;
    }
    this.#answerAhead = true;
    const { pcConfig = {} } = this.#sessionOptions(this.#ctx.sessionTimersExpires);
    const prepared = prepareAnswer(this.#session, {
      pcConfig,
      prepareSender: (pc) => this.#audio.prepareSender(pc),
    });
    if (prepared) {
      this.mark('answer-ahead');
      void prepared.then((outcome) => this.mark(`answer-ahead-${outcome}`));
    }
  }

  /** Declines an incoming call: 486 Busy Here (default), 603 Decline or 480, with an optional reason. */
  decline(code: 486 | 603 | 480 = 486, reason?: string): void {
    if (this.#status !== 'incoming') {
      return;
    }
    this.#terminate({
      status_code: code,
      ...(reason ? { reason_phrase: reason.slice(0, 80) } : {}),
    });
  }

  /** Ends the call whatever its state: cancel, decline or BYE. */
  hangup(): void {
    if (this.#status === 'ended') {
      return;
    }
    if (this.#awaitingPlace) {
      // Its INVITE was already CANCELled (or will be, over the next connection).
      this.#awaitingPlace = false;
      this.#finish(callEnd('canceled-local'));
      return;
    }
    if (this.#status === 'incoming') {
      this.decline(486);
      return;
    }
    this.#terminate();
  }

  /** Mutes or unmutes the microphone (the track is disabled, the call keeps its audio path). */
  setMuted(muted: boolean): void {
    if (!this.#session || this.#status === 'ended') {
      return;
    }
    if (muted) {
      this.#session.mute({ audio: true });
    } else {
      this.#session.unmute({ audio: true });
    }
    this.#applyTrackEnabled();
    this.#changed();
  }

  /** Puts the call on hold (the other side hears nothing); serialized with resume and transfers. */
  hold(): Promise<void> {
    return this.#ops.run(async () => {
      if (this.#status !== 'active' || !this.#session) {
        return;
      }
      this.#assertCanReoffer();
      const done = holdSession(this.#session);
      this.#applyTrackEnabled();
      this.#changed();
      try {
        await done;
      } finally {
        // A refused or unanswered hold put the flag back: the microphone goes live again.
        this.#applyTrackEnabled();
        this.#changed();
      }
    });
  }

  /** Takes the call off hold. */
  resume(): Promise<void> {
    return this.#ops.run(async () => {
      if (this.#status !== 'active' || !this.#session) {
        return;
      }
      this.#assertCanReoffer();
      const done = resumeSession(this.#session);
      this.#changed();
      try {
        await done;
      } finally {
        this.#applyTrackEnabled();
        this.#changed();
      }
    });
  }

  /** Sends key presses: RFC 4733 telephone-events by default, SIP INFO per account setting. */
  sendDtmf(keys: string): void {
    const tones = normalizeDtmf(keys);
    if (!this.#session || (this.#status !== 'active' && this.#status !== 'ringing')) {
      return;
    }
    if (this.#ctx.dtmfMode === 'rfc4733' && !this.#audio.sending) {
      this.#pendingDtmf += tones; // sent once the microphone track is attached
      return;
    }
    // Without any telephone-event format negotiated, RFC 4733 cannot work: use SIP INFO.
    const info = this.#ctx.dtmfMode === 'info' || this.#audio.dtmfSender?.canInsertDTMF === false;
    try {
      this.#session.sendDTMF(tones, {
        duration: info ? 100 : dtmfRequestMs(this.#pc?.remoteDescription?.sdp, 100),
        interToneGap: 70,
        transportType: (info ? 'INFO' : 'RFC2833') as never,
      });
      this.mark(`dtmf-${info ? 'info' : 'rfc4733'}-${tones}`);
    } catch (error: unknown) {
      log.warn(describeDtmfError(error));
    }
  }

  /** Blind transfer: asks the other side to call `targetUri`; this call ends when it succeeds. */
  blindTransfer(targetUri: string): Promise<void> {
    return this.#ops.run(() => this.#referTo('blind', targetUri));
  }

  /** Attended transfer: connects the other side of this call with the party of `consult`. */
  attendedTransfer(consult: PhoneCall): Promise<void> {
    return this.#ops.run(() => this.#referTo('attended', consult.#party.uri, consult));
  }

  /** Moves the microphone to another device mid-call: the sending track is replaced, no re-INVITE. */
  async switchMicrophone(options: MicrophoneOptions): Promise<void> {
    if (this.#status === 'ended') {
      return;
    }
    this.emit('microphone', await this.#audio.switchMicrophone(options));
  }

  /** Plays the other side on another output at once. */
  setSpeaker(sinkId: string | null): Promise<void> {
    return this.#audio.setSpeaker(sinkId);
  }

  /** Sends `track` instead of the voice (a conference mix); null goes back to the voice. */
  async setOutgoingTrack(track: MediaStreamTrack | null): Promise<void> {
    await this.#audio.setOutgoingTrack(track);
    this.#changed();
  }

  /** Runs the voice through `processor` (noise suppression); null removes it. No re-INVITE. */
  async setVoiceProcessor(processor: TrackProcessor | null): Promise<void> {
    if (this.#status === 'ended' && processor) {
      return;
    }
    await this.#audio.setVoiceProcessor(processor);
  }

  /** Mixes `processor` (the consent notice) over what is sent; null removes it. No re-INVITE. */
  async setOverlay(processor: TrackProcessor | null): Promise<void> {
    if (this.#status === 'ended' && processor) {
      return;
    }
    await this.#audio.setOverlay(processor);
  }

  /** Records a timing mark (performance.now()) for diagnostics and the benchmark. */
  mark(name: string): void {
    this.emit('mark', { name, t: this.#ctx.now() });
  }

  async #referTo(kind: 'blind' | 'attended', target: string, consult?: PhoneCall): Promise<void> {
    if (this.#status !== 'active' || !this.#session) {
      throw new Error('Only a call in progress can be transferred.');
    }
    const session = this.#session;
    const { runTransfer } = await loadCallActions();
    if (this.#status !== 'active') {
      throw new Error('The call ended before it could be transferred.');
    }
    await runTransfer(session, kind, target, consult?.session ?? null, (t) => this.#setTransfer(t));
    const transferred = callEnd('transferred');
    if (consult) {
      consult.#endWith(transferred);
    }
    this.#endWith(transferred);
  }

  #sessionOptions(expires: number | null): SessionOptions {
    return sessionOptions(
      this.#audio.container,
      this.#ctx.iceServers,
      (pc) => this.#onPeerConnection(pc),
      expires,
    );
  }

  #bind(session: RTCSession): void {
    this.#session = session;
    refreshTargetOnAnswer(session);
    guardRemoteOffers(session, (refused) => this.#onOfferRefused(refused));
    watchIceRestarts(session, this.#ctx.iceGatheringCapMs, (kind, pc) =>
      this.#onIceRestart(kind, pc),
    );
    interceptTerminate(session, {
      iceFailed: () => {
        this.mark('ice-failed');
        return this.#session === session && (this.#ctx.recoverIce?.(this) ?? false);
      },
      connectionError: () => {
        if (this.#session !== session) {
          return false;
        }
        if (this.#status === 'active') {
          // An answered call: a re-INVITE (or INFO) of it was lost with the connection.
          return this.#ctx.recoverConnection?.(this) ?? false;
        }
        if (this.direction === 'outgoing') {
          const cancel = inviteCanceller(session);
          if (cancel) {
            this.#ctx.cancelLater?.(cancel);
          }
          this.#awaitingPlace = this.#place !== null && (this.#ctx.placeLater?.(this) ?? false);
          if (this.#awaitingPlace) {
            this.#bounds?.stop(); // the new INVITE arms them again
          }
        }
        if (!this.#awaitingPlace) {
          this.#pendingEnd ??= EARLY_CONNECTION_LOST;
        }
        return false;
      },
    });
    bindSession(
      session,
      {
        connecting: () => this.#onConnecting(),
        iceCandidate: (e) => this.#ice?.candidate(e.candidate, e.ready),
        sending: () => {
          this.mark('invite-sent');
          this.#bounds?.sent();
          // JsSIP emits this just before it hands the INVITE to the socket, in the same task.
          queueMicrotask(() => this.#openMicrophone());
        },
        progress: (withBody) => {
          this.#bounds?.provisional();
          this.#earlyMedia = this.#earlyMedia || withBody;
          this.#setStatus('ringing');
          this.#changed();
        },
        earlyAnswerRefused: () => this.#onEarlyAnswerRefused(),
        accepted: () => this.#onAccepted(),
        confirmed: () => this.mark('confirmed'),
        muteChanged: () => this.#changed(),
        holdChanged: (byRemote, held) => this.#onHoldChange(byRemote, held),
        dtmf: (tone) => this.emit('dtmf', tone),
        refer: (request) => this.emit('refer', request),
        replaces: (request) => this.emit('replaces', request),
        ended: (end, established) => this.#onSessionEnd(end, established),
      },
      () => this.#session === session,
    );
  }

  // A 180/183 whose SDP the browser refused: JsSIP reports no progress then, so the call would
  // look like it is still dialing. The far end rings; without early media. The answer's SDP
  // decides whether the call can go on.
  #onEarlyAnswerRefused(): void {
    if (this.#status !== 'dialing' && this.#status !== 'ringing') {
      return;
    }
    this.mark('early-answer-refused');
    this.#bounds?.provisional();
    this.#setStatus('ringing');
  }

  #assertCanReoffer(): void {
    if (this.#frozen) {
      throw new CallOperationError(FROZEN_NOTICE);
    }
  }

  #onUnanswered(cause: UnansweredCause): void {
    if (this.#status !== 'dialing' && this.#status !== 'ringing') {
      return;
    }
    log.info(`giving up an unanswered call: ${cause}`);
    this.#endWith(callEnd(cause), {
      status_code: 408,
      reason_phrase: cause === 'no-response' ? 'No response' : 'No answer',
    });
  }

  #onAccepted(): void {
    this.#bounds?.stop();
    this.#ghost.start();
    this.mark(this.direction === 'incoming' ? 'answer-sent' : 'answered');
    this.#answeredAt = Date.now();
    this.#earlyMedia = false;
    this.#setStatus('active');
    this.#audio.playHeldRemote();
    this.emit('answered', this.snapshot);
  }

  #onHoldChange(byRemote: boolean, held: boolean): void {
    if (byRemote) {
      this.#remoteHold = held;
    }
    this.#changed();
  }

  // The other side's new offer was refused. A compliant peer keeps the previous audio (RFC 3261
  // §14.1); when the audio stops anyway, or the browser could not go back to the last
  // negotiated state (then no hold or resume can be offered any more), the user is told.
  #onOfferRefused(refused: RefusedOffer): void {
    this.mark('reoffer-refused');
    if (!refused.recovered) {
      this.#frozen = true;
      this.emit('notice', FROZEN_NOTICE);
    }
    const pc = this.#pc;
    if (!pc) {
      return;
    }
    void audioStillFlows(pc, AUDIO_WATCH_MS).then((flowing) => {
      if (flowing === false && this.#status === 'active' && !this.#remoteHold) {
        this.emit('notice', AUDIO_LOST_NOTICE);
      }
    });
  }

  #onPeerConnection(pc: RTCPeerConnection): void {
    this.#pc = pc;
    this.#audio.watchRemote(
      pc,
      () => this.#ctx.speakerId(),
      (stream) => {
        this.mark('remote-track');
        this.emit('remote-stream', stream);
        this.#changed();
      },
      // Ringing with the answer prepared: played once the 200 OK has gone.
      () => this.#status === 'incoming',
    );
  }

  // Fired by JsSIP right before it creates the offer or the answer.
  #onConnecting(): void {
    const pc = this.#pc;
    if (!pc) {
      return;
    }
    this.#applyTrackEnabled();
    this.#audio.prepareSender(pc);
    this.#startGathering(pc);
  }

  // JsSIP is about to make the offer or answer of an ICE restart (ice-restart.ts): a new round
  // decides when it leaves, waiting (within the cap) for a routable candidate if the call had one.
  #onIceRestart(kind: IceRestartKind, pc: RTCPeerConnection): void {
    this.mark(`ice-restart-${kind}`);
    this.#startGathering(pc, routableExpected(pc) ? isRoutableCandidate : undefined);
  }

  #startGathering(pc: RTCPeerConnection, usable?: (candidate: string) => boolean): void {
    this.#ice?.dispose();
    this.#ice = new IceGatheringRound(
      pc,
      {
        servers: this.#ctx.iceServers,
        capMs: this.#ctx.iceGatheringCapMs,
        ...(usable ? { usable } : {}),
      },
      (decision) => this.mark(`ice-${decision}`),
    );
  }

  #openMicrophone(): void {
    if (this.#microphoneAsked || this.#status === 'ended') {
      return;
    }
    this.#microphoneAsked = true;
    this.#audio
      .openMicrophone(this.#ctx.microphone())
      .then((track) => {
        this.mark('microphone-open');
        this.emit('microphone', track);
      })
      .catch((error: unknown) => {
        if (this.#status === 'ended') {
          return;
        }
        log.warn(`microphone: ${describeMicrophoneError(error)}`);
        this.#endWith({
          ...callEnd('microphone-unavailable'),
          message: describeMicrophoneError(error),
        });
      });
  }

  #flushDtmf(): void {
    if (this.#pendingDtmf) {
      const tones = this.#pendingDtmf;
      this.#pendingDtmf = '';
      this.sendDtmf(tones);
    }
  }

  #applyTrackEnabled(): void {
    if (!this.#session) {
      return;
    }
    const muted = this.#session.isMuted().audio ?? false;
    const held = this.#session.isOnHold().local;
    this.#audio.setState(muted, held);
  }

  /** Ends the call with a cause the engine found (e.g. its connection could not be recovered). */
  fail(end: CallEnd): void {
    this.#awaitingPlace = false;
    this.#endWith(end);
  }

  /**
   * Places again a call whose connection was lost before it was answered (the engine calls it
   * once registered on a new connection): a new INVITE to the same target; the far end rings
   * again (the first INVITE was CANCELled over the new connection just before).
   */
  placeAgain(): void {
    if (!this.#awaitingPlace || !this.#place || this.#status === 'ended') {
      return;
    }
    this.#awaitingPlace = false;
    if (this.#session) {
      releaseSession(this.#session);
    }
    this.#resetMedia();
    this.#earlyMedia = false;
    this.mark('placed-again');
    log.info('placing the call again over the new connection');
    this.#place(this.#ctx.sessionTimersExpires);
  }

  // A new INVITE needs a new peer connection and ICE gathering; the microphone stays open.
  #resetMedia(): void {
    this.#ice?.dispose();
    this.#pc = null;
    this.#audio.resetSender();
  }

  /** The engine's word on the call's connection (being recovered, or fine again: null). */
  setTrouble(trouble: CallTrouble | null): void {
    if (this.#status === 'ended' || this.#trouble === trouble) {
      return;
    }
    this.#trouble = trouble;
    this.#changed();
  }

  /** A message of this call's dialog arrived from the network: the far end is there. */
  heardSignal(): void {
    this.#ghost.heard();
  }

  #watchForGhost(): GhostWatch {
    const silent = (s: number): CallTrouble => ({
      kind: 'silent',
      message: `Nothing has come from the other side for ${s} s, neither audio nor signalling. The call ends in ${GHOST_END_S - s} s unless something arrives.`,
    });
    return new GhostWatch({
      packets: () => (this.#pc ? inboundPackets(this.#pc) : Promise.resolve(null)),
      quietExpected: () =>
        this.#remoteHold ||
        this.#session?.isOnHold().local === true ||
        this.#trouble?.kind === 'reconnecting',
      warn: (s) => this.setTrouble(silent(s)),
      recovered: () => {
        if (this.#trouble?.kind === 'silent') {
          this.setTrouble(null);
        }
      },
      dead: (s) =>
        this.#endWith({
          ...callEnd('connection-lost'),
          message: `The connection was lost: nothing came from the other side for ${s} s, neither audio nor signalling.`,
        }),
    });
  }

  // Ends the session with a cause of our own rather than the one JsSIP will report.
  #endWith(end: CallEnd, options?: { status_code: number; reason_phrase?: string }): void {
    this.#pendingEnd = end;
    this.#terminate(options);
    this.#finish(end);
  }

  #terminate(options?: { status_code: number; reason_phrase?: string }): void {
    const session = this.#session;
    if (!session || session.isEnded()) {
      return;
    }
    try {
      session.terminate(options);
    } catch (error: unknown) {
      log.warn(`terminate failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  #onSessionEnd(end: SessionEnd, established: boolean): void {
    if (this.#awaitingPlace || this.#redial?.retry(end.code, end.header('Min-SE'), established)) {
      return;
    }
    if (this.#pendingEnd) {
      this.#finish(this.#pendingEnd);
      return;
    }
    this.#finish(
      mapSessionEnd({
        originator: end.originator,
        cause: end.cause,
        code: end.code,
        reasonHeader: end.header('Reason'),
        established,
        direction: this.direction,
      }),
    );
  }

  #finish(end: CallEnd): void {
    if (this.#status === 'ended') {
      return;
    }
    this.#end = end;
    this.#endedAt = Date.now();
    this.#bounds?.stop();
    this.#ghost.stop();
    this.#trouble = null;
    this.#ice?.dispose();
    this.#audio.release();
    this.#releaseConnection();
    this.#setStatus('ended');
    this.emit('ended', this.snapshot);
    this.removeAllListeners();
  }

  // Every ended call closes its peer connection and leaves nothing in the UA, whichever way it
  // ended (JsSIP skips both on some failure paths: jssip-internals.ts).
  #releaseConnection(): void {
    if (this.#session) {
      releaseSession(this.#session);
    }
    if (this.#pc && this.#pc.signalingState !== 'closed') {
      this.#pc.close();
    }
  }

  #setTransfer(transfer: TransferState): void {
    this.#transfer = transfer;
    this.#changed();
  }

  #setStatus(status: CallStatus): void {
    if (this.#status === status || this.#status === 'ended') {
      return;
    }
    this.#status = status;
    this.#changed();
  }

  #changed(): void {
    this.emit('changed', this.snapshot);
  }
}

function emptyInfo(partial: Partial<CallInfo>): CallInfo {
  return {
    anonymous: false,
    autoAnswerAfterS: null,
    replacesCallId: null,
    transferredBy: null,
    extension: null,
    ...partial,
  };
}
