// One call (a JsSIP RTCSession) behind the engine's own API and events: answer, decline,
// cancel, hang up, mute, hold/resume, DTMF and transfers; its state machine with causes; its
// media (microphone opened in parallel with the offer/answer, never holding the INVITE back),
// the ICE policy, and one retry with the server's Min-SE after a 422.
import type { RTCSession, EndEvent, IceCandidateEvent } from 'jssip/lib/RTCSession';
import type { UA } from 'jssip/lib/UA';
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import { callEnd, mapSessionEnd } from './call-end';
import { describeDtmfError, dtmfRequestMs, normalizeDtmf } from './dtmf';
import { IceGatheringRound } from './ice-policy';
import { CallAudio } from './call-audio';
import { describeMicrophoneError, type MediaEnvironment, type MicrophoneOptions } from './media';
import { holdSession, OpQueue, referSession, resumeSession } from './session-ops';
import type {
  CallDirection,
  CallEnd,
  CallEvents,
  CallInfo,
  CallParty,
  CallSnapshot,
  CallStatus,
  ReferRequest,
  ReplacesRequest,
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
}

/** Options of an outgoing call. */
export interface OutgoingOptions {
  anonymous?: boolean;
  extraHeaders?: string[];
  /** Digits sent as key presses once the far end answers (RFC 3966 ;ext=). */
  extension?: string;
}

/** Pause between answer and an extension's key presses, so IVRs are listening. */
const EXTENSION_DELAY_MS = 800;

/** JsSIP's options for creating a session (call, answer, accepting a REFER). */
type SessionOptions = Parameters<RTCSession['answer']>[0] & {
  eventHandlers?: { peerconnection: (e: { peerconnection: RTCPeerConnection }) => void };
};

let nextId = 1;

/** One call. Created by the engine; the UI drives it through these methods and its events. */
export class PhoneCall extends TypedEmitter<CallEvents> {
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
  #endedAt: number | null = null;
  #end: CallEnd | null = null;
  #earlyMedia = false;
  #remoteHold = false;
  #transfer: TransferState | null = null;
  #pc: RTCPeerConnection | null = null;
  #pendingDtmf = '';
  #ice: IceGatheringRound | null = null;
  /** Re-places the call with a longer session interval after a 422 (outgoing, once). */
  #redial: ((minSe: number) => void) | null = null;
  /** The end to report when the engine itself ends the call (wins over JsSIP's own cause). */
  #pendingEnd: CallEnd | null = null;

  private constructor(
    direction: CallDirection,
    party: CallParty,
    ctx: CallContext,
    info: CallInfo,
  ) {
    super();
    this.id = `call-${nextId++}`;
    this.direction = direction;
    this.#status = direction === 'outgoing' ? 'dialing' : 'incoming';
    this.#party = party;
    this.#ctx = ctx;
    this.info = info;
    this.#audio = new CallAudio(ctx.media, () => this.#flushDtmf());
  }

  /** Places a call to `target` (a SIP URI). Never throws: a failure ends the call with a cause. */
  static outgoing(
    ua: UA,
    target: string,
    party: CallParty,
    ctx: CallContext,
    opts: OutgoingOptions = {},
  ): PhoneCall {
    const call = new PhoneCall(
      'outgoing',
      party,
      ctx,
      emptyInfo({ anonymous: opts.anonymous === true }),
    );
    call.mark('created');
    call.#openMicrophone();
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
        call.#finish(callEnd('error'));
      }
    };
    call.#redial = (minSe) => place(minSe);
    place(ctx.sessionTimersExpires);
    const extension = opts.extension;
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
    transferredBy: string,
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
      info: { ...this.info },
    };
  }

  /** Answers an incoming call; the microphone opens in parallel with the 200 OK. */
  answer(): void {
    if (this.#status !== 'incoming' || !this.#session) {
      return;
    }
    this.mark('answer');
    this.#setStatus('answering');
    this.#openMicrophone();
    try {
      this.#session.answer(this.#sessionOptions(this.#ctx.sessionTimersExpires));
    } catch (error: unknown) {
      log.warn(`answer failed: ${error instanceof Error ? error.message : String(error)}`);
      this.#endWith(callEnd('error'));
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
      const done = holdSession(this.#session);
      this.#applyTrackEnabled();
      this.#changed();
      await done;
      this.#changed();
    });
  }

  /** Takes the call off hold. */
  resume(): Promise<void> {
    return this.#ops.run(async () => {
      if (this.#status !== 'active' || !this.#session) {
        return;
      }
      const done = resumeSession(this.#session);
      this.#changed();
      await done;
      this.#applyTrackEnabled();
      this.#changed();
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

  /** Sends `track` instead of the microphone (a conference mix); null goes back to the microphone. */
  async setOutgoingTrack(track: MediaStreamTrack | null): Promise<void> {
    await this.#audio.setOutgoingTrack(track);
    this.#changed();
  }

  /** Records a timing mark (performance.now()) for diagnostics and the benchmark. */
  mark(name: string): void {
    this.emit('mark', { name, t: this.#ctx.now() });
  }

  async #referTo(kind: 'blind' | 'attended', target: string, consult?: PhoneCall): Promise<void> {
    if (this.#status !== 'active' || !this.#session) {
      throw new Error('Only a call in progress can be transferred.');
    }
    this.#setTransfer({ kind, target, state: 'requesting', message: null });
    try {
      await referSession(this.#session, target, {
        ...(consult?.session ? { replaces: consult.session } : {}),
        onProgress: (p) => this.#setTransfer({ kind, target, state: p, message: null }),
      });
    } catch (error: unknown) {
      const message = error instanceof Error ? error.message : 'The transfer failed.';
      this.#setTransfer({ kind, target, state: 'failed', message });
      throw error;
    }
    this.#setTransfer({ kind, target, state: 'succeeded', message: null });
    const transferred = callEnd('transferred');
    if (consult) {
      consult.#endWith(transferred);
    }
    this.#endWith(transferred);
  }

  #sessionOptions(expires: number | null): SessionOptions {
    return {
      mediaStream: this.#audio.container,
      pcConfig: {
        iceServers: this.#ctx.iceServers,
        // 'balanced', not 'max-bundle': many PBXs and media relays (rtpengine, Asterisk) answer
        // a single audio section without a BUNDLE group, which max-bundle refuses.
        bundlePolicy: 'balanced',
        rtcpMuxPolicy: 'require',
      },
      eventHandlers: { peerconnection: (e) => this.#onPeerConnection(e.peerconnection) },
      ...(expires ? { sessionTimersExpires: expires } : {}),
    };
  }

  #bind(session: RTCSession): void {
    this.#session = session;
    const mine = (): boolean => this.#session === session;
    session.on('connecting', () => mine() && this.#onConnecting());
    session.on(
      'icecandidate',
      (e: IceCandidateEvent) => mine() && this.#ice?.candidate(e.candidate, e.ready),
    );
    session.on('sending', () => this.mark('invite-sent'));
    session.on('progress', (e: { originator: string; response?: { body?: string } }) => {
      if (mine() && String(e.originator) === 'remote') {
        this.#earlyMedia = this.#earlyMedia || Boolean(e.response?.body);
        this.#setStatus('ringing');
        this.#changed();
      }
    });
    session.on('accepted', () => {
      this.mark(this.direction === 'incoming' ? 'answer-sent' : 'answered');
      this.#answeredAt = Date.now();
      this.#earlyMedia = false;
      this.#setStatus('active');
      this.emit('answered', this.snapshot);
    });
    session.on('confirmed', () => this.mark('confirmed'));
    session.on('muted', () => this.#changed());
    session.on('unmuted', () => this.#changed());
    session.on('hold', (e: { originator: string }) => this.#onHoldChange(e.originator, true));
    session.on('unhold', (e: { originator: string }) => this.#onHoldChange(e.originator, false));
    session.on('newDTMF', (e: { originator: string; dtmf: { tone: string } }) => {
      if (String(e.originator) === 'remote') {
        this.emit('dtmf', e.dtmf.tone);
      }
    });
    // JsSIP types these loosely (Function); the shapes are in types.ts.
    session.on('refer', (e) => this.emit('refer', e as unknown as ReferRequest));
    session.on('replaces', (e) => this.emit('replaces', e as unknown as ReplacesRequest));
    session.on('ended', (e: EndEvent) => mine() && this.#onSessionEnd(e, true));
    session.on('failed', (e: EndEvent) => mine() && this.#onSessionEnd(e, false));
  }

  #onHoldChange(originator: string, held: boolean): void {
    if (String(originator) === 'remote') {
      this.#remoteHold = held;
    }
    this.#changed();
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
    this.#ice?.dispose();
    this.#ice = new IceGatheringRound(
      pc,
      { servers: this.#ctx.iceServers, capMs: this.#ctx.iceGatheringCapMs },
      (decision) => this.mark(`ice-${decision}`),
    );
  }

  #openMicrophone(): void {
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
    this.#audio.setEnabled(!muted && !held);
  }

  // Ends the session with a cause of our own rather than the one JsSIP will report.
  #endWith(end: CallEnd): void {
    this.#pendingEnd = end;
    this.#terminate();
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

  #onSessionEnd(event: EndEvent, established: boolean): void {
    const message = event.message as {
      status_code?: unknown;
      getHeader?: (n: string) => unknown;
    } | null;
    const code = typeof message?.status_code === 'number' ? message.status_code : null;
    const header = (name: string): string | null => {
      const value = typeof message?.getHeader === 'function' ? message.getHeader(name) : null;
      return typeof value === 'string' ? value : null;
    };
    if (this.#retryAfter422(code, header('Min-SE'), established)) {
      return;
    }
    if (this.#pendingEnd) {
      this.#finish(this.#pendingEnd);
      return;
    }
    this.#finish(
      mapSessionEnd({
        originator: event.originator,
        cause: String(event.cause),
        code,
        reasonHeader: header('Reason'),
        established,
        direction: this.direction,
      }),
    );
  }

  // RFC 4028 §6: a 422 carries the smallest interval the server accepts; ask again with it.
  #retryAfter422(code: number | null, minSeHeader: string | null, established: boolean): boolean {
    const redial = this.#redial;
    const minSe = Number.parseInt(minSeHeader ?? '', 10);
    if (established || code !== 422 || !redial || !Number.isFinite(minSe)) {
      return false;
    }
    this.#redial = null;
    this.#ice?.dispose();
    this.#pc = null;
    this.#audio.resetSender();
    this.mark('retry-422');
    log.info(`server asked for a session interval of at least ${minSe} s; calling again`);
    redial(Math.max(minSe, 90));
    return true;
  }

  #finish(end: CallEnd): void {
    if (this.#status === 'ended') {
      return;
    }
    this.#end = end;
    this.#endedAt = Date.now();
    this.#ice?.dispose();
    this.#audio.release();
    this.#setStatus('ended');
    this.emit('ended', this.snapshot);
    this.removeAllListeners();
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
    ...partial,
  };
}
