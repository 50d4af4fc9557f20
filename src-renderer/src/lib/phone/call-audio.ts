// The audio path of one call: the sending transceiver (ready before the microphone exists, so
// the offer/answer never waits for the device), the outgoing chain that decides what is sent
// (microphone → noise suppression → conference mix → consent notice: audio/outgoing-chain.ts),
// mute/hold applied to it, the remote stream played on the chosen output, and device switches
// mid-call without renegotiation.
import {
  OutgoingChain,
  type OutgoingChainEvents,
  type TrackProcessor,
} from '../audio/outgoing-chain';
import { senderTarget } from '../audio/track-target';
import { CallMedia, type MediaEnvironment, type MicrophoneOptions } from './media';

export class CallAudio {
  /** The stream our sender is associated with (msid), created before any track exists. */
  readonly container = new MediaStream();
  readonly #media: CallMedia;
  readonly #chain = new OutgoingChain();
  #sender: RTCRtpSender | null = null;
  #remote: MediaStream | null = null;
  #heldRemote: (() => void) | null = null;

  /** `onAttached` runs each time something reaches the sender (DTMF waits for it). */
  constructor(env: MediaEnvironment, onAttached: () => void) {
    this.#media = new CallMedia(env);
    this.#chain.on('sending', (track) => {
      if (track) {
        onAttached();
      }
    });
  }

  get microphoneTrack(): MediaStreamTrack | null {
    return this.#chain.microphone;
  }
  /** The user's voice: the microphone, or the noise suppressor's output. */
  get voiceTrack(): MediaStreamTrack | null {
    return this.#chain.voice;
  }
  /** What the sender sends now. */
  get sendingTrack(): MediaStreamTrack | null {
    return this.#chain.sending;
  }
  get overlay(): TrackProcessor | null {
    return this.#chain.overlay;
  }
  get remoteStream(): MediaStream | null {
    return this.#remote;
  }
  /** Whether something is being sent (the microphone or a mix). */
  get sending(): boolean {
    return Boolean(this.#sender?.track);
  }
  get dtmfSender(): RTCDTMFSender | null {
    return this.#sender?.dtmf ?? null;
  }

  /** Follows the chain: its voice and what is sent. */
  on<K extends keyof OutgoingChainEvents>(
    event: K,
    listener: (payload: OutgoingChainEvents[K]) => void,
  ): () => void {
    return this.#chain.on(event, listener);
  }

  /**
   * Makes the peer connection's audio section sendrecv before the offer or answer is created:
   * outgoing, a new transceiver; incoming, the remote offer created a recvonly one (it had no
   * track), which is turned to sendrecv. The microphone joins it when it opens.
   */
  prepareSender(pc: RTCPeerConnection): void {
    const existing = pc.getTransceivers().find((t) => t.receiver.track.kind === 'audio');
    if (existing) {
      existing.direction = 'sendrecv';
      existing.sender.setStreams?.(this.container);
      this.#sender = existing.sender;
    } else {
      this.#sender = pc.addTransceiver('audio', {
        direction: 'sendrecv',
        streams: [this.container],
      }).sender;
    }
    void this.#chain.setSink(senderTarget(this.#sender));
  }

  /**
   * Plays what arrives on `pc` and reports it; returns nothing until a track comes. A track that
   * comes while `hold()` says so (the caller's offer applied while the call rings: answer-ahead)
   * waits for `playHeldRemote`, so that ringing opens no call output.
   */
  watchRemote(
    pc: RTCPeerConnection,
    speakerId: () => string | null,
    onStream: (s: MediaStream) => void,
    hold: () => boolean = () => false,
  ): void {
    pc.addEventListener('track', (event) => {
      if (event.track.kind !== 'audio') {
        return;
      }
      const stream = event.streams[0] ?? new MediaStream([event.track]);
      this.#remote = stream;
      const play = (): void => {
        this.#media.playRemote(stream, speakerId());
        onStream(stream);
      };
      if (hold()) {
        this.#heldRemote = play;
      } else {
        play();
      }
    });
  }

  /** Plays the remote track held while the call rang (a no-op when none is held). */
  playHeldRemote(): void {
    const play = this.#heldRemote;
    this.#heldRemote = null;
    play?.();
  }

  /** Opens the microphone and attaches it as soon as the sender exists. */
  async openMicrophone(options: MicrophoneOptions): Promise<MediaStreamTrack> {
    const track = await this.#media.openMicrophone(options);
    void this.#chain.setMicrophone(track);
    return track;
  }

  /** Moves to another microphone: the chain's input changes, no re-INVITE. */
  async switchMicrophone(options: MicrophoneOptions): Promise<MediaStreamTrack> {
    const track = await this.#media.replaceMicrophone(options);
    await this.#chain.setMicrophone(track);
    return track;
  }

  setSpeaker(sinkId: string | null): Promise<void> {
    return this.#media.setOutput(sinkId);
  }

  /** Sends `track` (a conference mix) instead of the voice; null goes back to it. */
  setOutgoingTrack(track: MediaStreamTrack | null): Promise<void> {
    return this.#chain.setOverride(track);
  }

  /** Puts noise suppression (or another voice processor) on the microphone; null removes it. */
  setVoiceProcessor(processor: TrackProcessor | null): Promise<void> {
    return this.#chain.setVoiceProcessor(processor);
  }

  /** Mixes an overlay (the consent notice) over what is sent; null removes it. */
  setOverlay(processor: TrackProcessor | null): Promise<void> {
    return this.#chain.setOverlay(processor);
  }

  /**
   * Applies mute and hold: muted silences the voice (the consent notice is still heard); held
   * silences whatever is sent (a conference mix included, whose own mute is a gain in the mix).
   */
  setState(muted: boolean, held: boolean): void {
    this.#chain.setGate(muted, held);
  }

  /** Forgets the sender of a peer connection that is gone (a call placed again after 422). */
  resetSender(): void {
    this.#sender = null;
    void this.#chain.setSink(null);
  }

  /** Stops the microphone and playback. */
  release(): void {
    this.#chain.close();
    this.#media.release();
  }
}
