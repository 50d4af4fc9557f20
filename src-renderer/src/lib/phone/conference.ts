// A local three-way conference: the app mixes audio so that each remote party hears the other
// one and the user, and the user hears both (each call keeps playing its remote audio).
// Mixing uses Web Audio; each call then sends its own mix instead of the bare microphone,
// through RTCRtpSender.replaceTrack (no renegotiation). Muting mutes only the user's voice.
import type { PhoneCall } from './call';

/** The parts of Web Audio the mixer uses (injectable so the graph can be inspected in tests). */
export type AudioContextFactory = () => AudioContext;

export class LocalConference {
  readonly calls: readonly [PhoneCall, PhoneCall];
  readonly #createContext: AudioContextFactory;
  #context: AudioContext | null = null;
  #micGain: GainNode | null = null;
  #micClone: MediaStreamTrack | null = null;
  #muted = false;

  constructor(
    calls: readonly [PhoneCall, PhoneCall],
    createContext: AudioContextFactory = () => new AudioContext(),
  ) {
    this.calls = calls;
    this.#createContext = createContext;
  }

  get muted(): boolean {
    return this.#muted;
  }

  /** Builds the mix and switches both calls to it. Throws if a call has no audio yet. */
  async start(): Promise<void> {
    const [a, b] = this.calls;
    const mic = a.microphoneTrack ?? b.microphoneTrack;
    if (!mic || !a.remoteStream || !b.remoteStream) {
      throw new Error('Both calls must be connected with audio before they can be merged.');
    }
    const context = this.#createContext();
    this.#context = context;
    // A clone keeps sending the voice into the mix even when the call's own track is disabled.
    const micGain = context.createGain();
    micGain.gain.value = this.#muted ? 0 : 1;
    this.#micClone = mic.clone();
    this.#micClone.enabled = true;
    context.createMediaStreamSource(new MediaStream([this.#micClone])).connect(micGain);
    this.#micGain = micGain;
    const remoteA = context.createMediaStreamSource(a.remoteStream);
    const remoteB = context.createMediaStreamSource(b.remoteStream);
    const toA = context.createMediaStreamDestination();
    const toB = context.createMediaStreamDestination();
    micGain.connect(toA);
    micGain.connect(toB);
    remoteB.connect(toA);
    remoteA.connect(toB);
    if (context.state === 'suspended') {
      await context.resume();
    }
    await Promise.all([
      a.setOutgoingTrack(toA.stream.getAudioTracks()[0] ?? null),
      b.setOutgoingTrack(toB.stream.getAudioTracks()[0] ?? null),
    ]);
  }

  /** Mutes or unmutes the user's voice in both directions. */
  setMuted(muted: boolean): void {
    this.#muted = muted;
    if (this.#micGain) {
      this.#micGain.gain.value = muted ? 0 : 1;
    }
  }

  /** Undoes the mix: each call that is still up sends the microphone again. */
  async stop(): Promise<void> {
    const context = this.#context;
    this.#context = null;
    this.#micGain = null;
    await Promise.all(
      this.calls.filter((c) => c.status !== 'ended').map((c) => c.setOutgoingTrack(null)),
    );
    this.#micClone?.stop();
    this.#micClone = null;
    await context?.close();
  }
}
