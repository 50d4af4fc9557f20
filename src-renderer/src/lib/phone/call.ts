// One call (a JsSIP RTCSession) behind the engine's own API and events: answer, decline,
// cancel, hang up, mute; its state machine with causes; its media (microphone opened in
// parallel with the offer/answer, never holding the INVITE back) and the ICE policy.
import type { RTCSession, EndEvent, IceCandidateEvent } from 'jssip/lib/RTCSession';
import type { UA } from 'jssip/lib/UA';
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import { callEnd, mapSessionEnd } from './call-end';
import { IceGatheringRound } from './ice-policy';
import {
  CallMedia,
  describeMicrophoneError,
  type MediaEnvironment,
  type MicrophoneOptions,
} from './media';
import type {
  CallEnd,
  CallEvents,
  CallParty,
  CallSnapshot,
  CallStatus,
  CallDirection,
} from './types';

const log = createLogger('call');

/** What a call needs from its engine. */
export interface CallContext {
  accountId: string;
  iceServers: RTCIceServer[];
  iceGatheringCapMs: number;
  sessionTimersExpires: number | null;
  media: MediaEnvironment;
  microphone(): MicrophoneOptions;
  speakerId(): string | null;
  now(): number;
}

let nextId = 1;

/** One call. Created by the engine; the UI drives it through these methods and its events. */
export class PhoneCall extends TypedEmitter<CallEvents> {
  readonly id: string;
  readonly direction: CallDirection;
  readonly #ctx: CallContext;
  readonly #media: CallMedia;
  readonly #container = new MediaStream();
  #session: RTCSession | null = null;
  #status: CallStatus;
  #party: CallParty;
  #createdAt = Date.now();
  #answeredAt: number | null = null;
  #endedAt: number | null = null;
  #end: CallEnd | null = null;
  #remoteAudio = false;
  #pc: RTCPeerConnection | null = null;
  #sender: RTCRtpSender | null = null;
  #micTrack: MediaStreamTrack | null = null;
  #ice: IceGatheringRound | null = null;
  /** The end to report when the engine itself ends the call (wins over JsSIP's own cause). */
  #pendingEnd: CallEnd | null = null;

  private constructor(direction: CallDirection, party: CallParty, ctx: CallContext) {
    super();
    this.id = `call-${nextId++}`;
    this.direction = direction;
    this.#status = direction === 'outgoing' ? 'dialing' : 'incoming';
    this.#party = party;
    this.#ctx = ctx;
    this.#media = new CallMedia(ctx.media);
  }

  /** Places a call to `target` (a SIP URI). Never throws: a failure ends the call with a cause. */
  static outgoing(ua: UA, target: string, party: CallParty, ctx: CallContext): PhoneCall {
    const call = new PhoneCall('outgoing', party, ctx);
    call.mark('created');
    call.#openMicrophone();
    try {
      const session = ua.call(target, {
        mediaStream: call.#container,
        pcConfig: call.#pcConfig(),
        eventHandlers: { peerconnection: (e) => call.#onPeerConnection(e.peerconnection) },
        ...(ctx.sessionTimersExpires ? { sessionTimersExpires: ctx.sessionTimersExpires } : {}),
      });
      call.#bind(session);
    } catch (error: unknown) {
      log.warn(
        `could not place the call: ${error instanceof Error ? error.message : String(error)}`,
      );
      call.#finish(callEnd('error'));
    }
    return call;
  }

  /** Wraps a session JsSIP received. */
  static incoming(session: RTCSession, party: CallParty, ctx: CallContext): PhoneCall {
    const call = new PhoneCall('incoming', party, ctx);
    call.mark('created');
    session.on('peerconnection', (e) => call.#onPeerConnection(e.peerconnection));
    call.#bind(session);
    return call;
  }

  get status(): CallStatus {
    return this.#status;
  }

  /** The peer connection, for statistics (quality panel, tests). */
  get peerConnection(): RTCPeerConnection | null {
    return this.#pc;
  }

  get snapshot(): CallSnapshot {
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
      remoteAudio: this.#remoteAudio,
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
      this.#session.answer({
        mediaStream: this.#container,
        pcConfig: this.#pcConfig(),
        ...(this.#ctx.sessionTimersExpires
          ? { sessionTimersExpires: this.#ctx.sessionTimersExpires }
          : {}),
      });
    } catch (error: unknown) {
      log.warn(`answer failed: ${error instanceof Error ? error.message : String(error)}`);
      this.#endWith(callEnd('error'));
    }
  }

  /** Declines an incoming call with 486 Busy Here (default) or 603 Decline. */
  decline(code: 486 | 603 = 486): void {
    if (this.#status !== 'incoming') {
      return;
    }
    this.#terminate({ status_code: code });
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

  /** Records a timing mark (performance.now()) for diagnostics and the benchmark. */
  mark(name: string): void {
    this.emit('mark', { name, t: this.#ctx.now() });
  }

  #pcConfig(): RTCConfiguration {
    // 'balanced', not 'max-bundle': many PBXs and media relays (rtpengine, Asterisk) answer
    // a single audio section without a BUNDLE group, which max-bundle refuses.
    return {
      iceServers: this.#ctx.iceServers,
      bundlePolicy: 'balanced',
      rtcpMuxPolicy: 'require',
    };
  }

  #bind(session: RTCSession): void {
    this.#session = session;
    session.on('connecting', () => this.#onConnecting());
    session.on('icecandidate', (e: IceCandidateEvent) =>
      this.#ice?.candidate(e.candidate, e.ready),
    );
    session.on('sending', () => this.mark('invite-sent'));
    session.on('progress', (e: { originator: string }) => {
      if (e.originator === 'remote' && this.#status === 'dialing') {
        this.#setStatus('ringing');
      }
    });
    session.on('accepted', () => {
      this.mark(this.direction === 'incoming' ? 'answer-sent' : 'answered');
      this.#answeredAt = Date.now();
      this.#setStatus('active');
    });
    session.on('confirmed', () => this.mark('confirmed'));
    session.on('muted', () => this.#changed());
    session.on('unmuted', () => this.#changed());
    session.on('ended', (e: EndEvent) => this.#onSessionEnd(e, true));
    session.on('failed', (e: EndEvent) => this.#onSessionEnd(e, false));
  }

  #onPeerConnection(pc: RTCPeerConnection): void {
    this.#pc = pc;
    pc.addEventListener('track', (event) => {
      if (event.track.kind !== 'audio') {
        return;
      }
      const stream = event.streams[0] ?? new MediaStream([event.track]);
      this.#media.playRemote(stream, this.#ctx.speakerId());
      this.#remoteAudio = true;
      this.mark('remote-track');
      this.emit('remote-stream', stream);
      this.#changed();
    });
  }

  // Fired by JsSIP right before it creates the offer or the answer.
  #onConnecting(): void {
    const pc = this.#pc;
    if (!pc) {
      return;
    }
    this.#sender = this.#prepareAudioSender(pc);
    this.#attachMicrophone();
    this.#ice?.dispose();
    this.#ice = new IceGatheringRound(
      pc,
      { servers: this.#ctx.iceServers, capMs: this.#ctx.iceGatheringCapMs },
      (decision) => this.mark(`ice-${decision}`),
    );
  }

  // The offer/answer must carry a sendrecv audio section before the microphone track exists:
  // outgoing, add a transceiver; incoming, the remote offer created one that is recvonly
  // because it has no track yet, so turn it to sendrecv. The track is attached when it opens.
  #prepareAudioSender(pc: RTCPeerConnection): RTCRtpSender | null {
    const existing = pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio');
    if (existing) {
      existing.direction = 'sendrecv';
      existing.sender.setStreams?.(this.#container);
      return existing.sender;
    }
    return pc.addTransceiver('audio', { direction: 'sendrecv', streams: [this.#container] }).sender;
  }

  #openMicrophone(): void {
    this.#media
      .openMicrophone(this.#ctx.microphone())
      .then((track) => {
        this.#micTrack = track;
        this.mark('microphone-open');
        this.#attachMicrophone();
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

  #attachMicrophone(): void {
    const track = this.#micTrack;
    if (!track || !this.#sender || this.#sender.track === track) {
      return;
    }
    this.#applyTrackEnabled();
    this.#sender.replaceTrack(track).catch((error: unknown) => {
      log.warn(`could not attach the microphone: ${String(error)}`);
    });
  }

  #applyTrackEnabled(): void {
    if (!this.#micTrack || !this.#session) {
      return;
    }
    const muted = this.#session.isMuted().audio ?? false;
    const held = this.#session.isOnHold().local;
    this.#micTrack.enabled = !muted && !held;
  }

  // Ends the session with a cause of our own rather than the one JsSIP will report.
  #endWith(end: CallEnd): void {
    this.#pendingEnd = end;
    this.#terminate();
    this.#finish(end);
  }

  #terminate(options?: { status_code: number }): void {
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
    const reason = typeof message?.getHeader === 'function' ? message.getHeader('Reason') : null;
    if (this.#pendingEnd) {
      this.#finish(this.#pendingEnd);
      return;
    }
    this.#finish(
      mapSessionEnd({
        originator: event.originator,
        cause: String(event.cause),
        code,
        reasonHeader: typeof reason === 'string' ? reason : null,
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
    this.#ice?.dispose();
    this.#media.release();
    this.#micTrack = null;
    this.#setStatus('ended');
    this.emit('ended', this.snapshot);
    this.removeAllListeners();
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
