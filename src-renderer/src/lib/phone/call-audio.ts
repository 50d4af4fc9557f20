// The audio path of one call: the sending transceiver (ready before the microphone exists, so
// the offer/answer never waits for the device), the microphone track attached when it opens,
// a replacement track for conference mixes, mute/hold applied to the track, the remote stream
// played on the chosen output, and device switches mid-call without renegotiation.
import { createLogger } from '../logger';
import { CallMedia, type MediaEnvironment, type MicrophoneOptions } from './media';

const log = createLogger('call-audio');

export class CallAudio {
  /** The stream our sender is associated with (msid), created before any track exists. */
  readonly container = new MediaStream();
  readonly #media: CallMedia;
  readonly #onAttached: () => void;
  #sender: RTCRtpSender | null = null;
  #micTrack: MediaStreamTrack | null = null;
  #override: MediaStreamTrack | null = null;
  #remote: MediaStream | null = null;
  #enabled = true;
  #held = false;

  /** `onAttached` runs each time the microphone reaches the sender (DTMF waits for it). */
  constructor(env: MediaEnvironment, onAttached: () => void) {
    this.#media = new CallMedia(env);
    this.#onAttached = onAttached;
  }

  get microphoneTrack(): MediaStreamTrack | null {
    return this.#micTrack;
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
    this.#attach();
  }

  /** Plays what arrives on `pc` and reports it; returns nothing until a track comes. */
  watchRemote(
    pc: RTCPeerConnection,
    speakerId: () => string | null,
    onStream: (s: MediaStream) => void,
  ): void {
    pc.addEventListener('track', (event) => {
      if (event.track.kind !== 'audio') {
        return;
      }
      const stream = event.streams[0] ?? new MediaStream([event.track]);
      this.#remote = stream;
      this.#media.playRemote(stream, speakerId());
      onStream(stream);
    });
  }

  /** Opens the microphone and attaches it as soon as the sender exists. */
  async openMicrophone(options: MicrophoneOptions): Promise<MediaStreamTrack> {
    const track = await this.#media.openMicrophone(options);
    this.#micTrack = track;
    track.enabled = this.#enabled;
    this.#attach();
    return track;
  }

  /** Moves to another microphone: the sending track is replaced, no re-INVITE. */
  async switchMicrophone(options: MicrophoneOptions): Promise<MediaStreamTrack> {
    const track = await this.#media.replaceMicrophone(options);
    this.#micTrack = track;
    track.enabled = this.#enabled;
    if (!this.#override && this.#sender) {
      await this.#sender.replaceTrack(track);
    }
    return track;
  }

  setSpeaker(sinkId: string | null): Promise<void> {
    return this.#media.setOutput(sinkId);
  }

  /** Sends `track` (a conference mix) instead of the microphone; null goes back to it. */
  async setOutgoingTrack(track: MediaStreamTrack | null): Promise<void> {
    this.#override = track;
    if (track) {
      track.enabled = !this.#held;
    }
    if (this.#sender) {
      await this.#sender.replaceTrack(track ?? this.#micTrack);
    }
  }

  /**
   * Applies mute and hold: muted silences the microphone; held silences whatever is sent (a
   * conference mix included, whose own mute is a gain in the mix).
   */
  setState(muted: boolean, held: boolean): void {
    this.#enabled = !muted && !held;
    this.#held = held;
    if (this.#micTrack) {
      this.#micTrack.enabled = this.#enabled;
    }
    if (this.#override) {
      this.#override.enabled = !held;
    }
  }

  /** Forgets the sender of a peer connection that is gone (a call placed again after 422). */
  resetSender(): void {
    this.#sender = null;
  }

  /** Stops the microphone and playback. */
  release(): void {
    this.#media.release();
    this.#micTrack = null;
  }

  #attach(): void {
    const track = this.#micTrack;
    const sender = this.#sender;
    if (!track || !sender || this.#override || sender.track === track) {
      return;
    }
    sender
      .replaceTrack(track)
      .then(() => this.#onAttached())
      .catch((error: unknown) => log.warn(`could not attach the microphone: ${String(error)}`));
  }
}
