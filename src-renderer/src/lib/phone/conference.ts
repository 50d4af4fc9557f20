// A local conference of any number of calls: the app mixes audio so that each remote party
// hears the user and every other party, and the user hears everyone (each call keeps playing
// its own remote audio). Mixing uses Web Audio; each call then sends its own mix instead of the
// bare microphone, through RTCRtpSender.replaceTrack (no renegotiation). Parties can join and
// leave; muting mutes only the user's voice, in every mix or in one party's. The user's voice
// is the first call's voice track (after noise suppression, when it is on); the mix follows it
// when it changes (a microphone switch, noise suppression toggled).
import type { PhoneCall } from './call';

/** Creates the AudioContext of a mix (injectable so the graph can be inspected in tests). */
export type AudioContextFactory = () => AudioContext;

/** One party's part of the graph: its voice into the mix, our voice to it, what it is sent. */
interface Leg {
  call: PhoneCall;
  source: MediaStreamAudioSourceNode;
  voice: GainNode;
  destination: MediaStreamAudioDestinationNode;
}

export class LocalConference {
  readonly #createContext: AudioContextFactory;
  #calls: PhoneCall[];
  #context: AudioContext | null = null;
  #mic: MediaStreamAudioSourceNode | null = null;
  #micClone: MediaStreamTrack | null = null;
  /** The voice track the clone was taken from. */
  #voice: MediaStreamTrack | null = null;
  readonly #follows = new Map<PhoneCall, () => void>();
  #legs: Leg[] = [];
  #muted = false;
  #mutedFor = new Set<PhoneCall>();

  constructor(
    calls: readonly PhoneCall[],
    createContext: AudioContextFactory = () => new AudioContext(),
  ) {
    this.#calls = [...calls];
    this.#createContext = createContext;
  }

  /** The calls in the conference, in the order they joined. */
  get calls(): readonly PhoneCall[] {
    return this.#calls;
  }

  get muted(): boolean {
    return this.#muted;
  }

  /** Builds the mix and switches every call to it. Throws if a call has no audio yet. */
  async start(): Promise<void> {
    if (this.#calls.length < 2) {
      throw new Error('A conference needs at least two calls.');
    }
    const voice = this.#calls.map((c) => c.voiceTrack).find((t) => t !== null);
    if (!voice || this.#calls.some((c) => !c.remoteStream)) {
      throw new Error('Every call must be connected with audio before they can be merged.');
    }
    const context = this.#createContext();
    this.#context = context;
    this.#useVoice();
    this.#calls.forEach((call) => this.#follow(call));
    if (context.state === 'suspended') {
      await context.resume();
    }
    await this.#rewire();
  }

  /** Adds a connected call: it hears everyone, and everyone hears it. */
  async add(call: PhoneCall): Promise<void> {
    if (this.#calls.includes(call)) {
      return;
    }
    if (!call.remoteStream) {
      throw new Error('The call must be connected with audio before it can join.');
    }
    this.#calls.push(call);
    this.#follow(call);
    this.#useVoice();
    await this.#rewire();
  }

  /**
   * Takes a call out of the mix (it left or is being split off) and sends it the microphone
   * again when it is still up. Returns the calls that remain.
   */
  async remove(call: PhoneCall): Promise<readonly PhoneCall[]> {
    if (!this.#calls.includes(call)) {
      return this.#calls;
    }
    this.#calls = this.#calls.filter((c) => c !== call);
    this.#mutedFor.delete(call);
    this.#follows.get(call)?.();
    this.#follows.delete(call);
    if (call.status !== 'ended') {
      await call.setOutgoingTrack(null);
    }
    this.#useVoice();
    await this.#rewire();
    return this.#calls;
  }

  /** Mutes or unmutes the user's voice in every direction. */
  setMuted(muted: boolean): void {
    this.#muted = muted;
    this.#mutedFor.clear();
    this.#applyVoice();
  }

  /** Mutes or unmutes the user's voice toward one party only (the others still hear it). */
  setMutedFor(call: PhoneCall, muted: boolean): void {
    if (muted) {
      this.#mutedFor.add(call);
    } else {
      this.#mutedFor.delete(call);
    }
    this.#applyVoice();
  }

  /** Whether the user's voice reaches `call`. */
  isMutedFor(call: PhoneCall): boolean {
    return this.#muted || this.#mutedFor.has(call);
  }

  /** Undoes the mix: each call that is still up sends the microphone again. */
  async stop(): Promise<void> {
    const context = this.#context;
    this.#context = null;
    this.#follows.forEach((off) => off());
    this.#follows.clear();
    this.#disconnectLegs();
    this.#mic = null;
    this.#voice = null;
    await Promise.all(
      this.#calls.filter((c) => c.status !== 'ended').map((c) => c.setOutgoingTrack(null)),
    );
    this.#micClone?.stop();
    this.#micClone = null;
    await context?.close();
  }

  #follow(call: PhoneCall): void {
    if (!this.#follows.has(call)) {
      this.#follows.set(
        call,
        call.on('voice', () => {
          // The new voice joins the legs in place: no new mix tracks, no replaceTrack.
          if (this.#useVoice()) {
            this.#legs.forEach((leg) => this.#mic?.connect(leg.voice));
          }
        }),
      );
    }
  }

  /**
   * Feeds the mix from the first call's voice; true when that changed. A clone keeps the voice
   * in the mix even while the call's own track is disabled (muted toward one party only).
   */
  #useVoice(): boolean {
    const context = this.#context;
    const voice =
      this.#calls.filter((c) => c.status !== 'ended').find((c) => c.voiceTrack)?.voiceTrack ?? null;
    if (!context || voice === this.#voice) {
      return false;
    }
    this.#mic?.disconnect();
    this.#micClone?.stop();
    this.#voice = voice;
    this.#micClone = voice?.clone() ?? null;
    if (this.#micClone) {
      this.#micClone.enabled = true;
    }
    this.#mic = this.#micClone
      ? context.createMediaStreamSource(new MediaStream([this.#micClone]))
      : null;
    return true;
  }

  // Rebuilds every party's mix (the user plus every other party) and sends it to that party.
  async #rewire(): Promise<void> {
    const context = this.#context;
    const mic = this.#mic;
    if (!context || !mic) {
      return;
    }
    this.#disconnectLegs();
    const live = this.#calls.filter((c) => c.status !== 'ended' && c.remoteStream);
    this.#legs = live.map((call) => ({
      call,
      source: context.createMediaStreamSource(call.remoteStream as MediaStream),
      voice: context.createGain(),
      destination: context.createMediaStreamDestination(),
    }));
    this.#applyVoice();
    for (const leg of this.#legs) {
      mic.connect(leg.voice);
      leg.voice.connect(leg.destination);
      for (const other of this.#legs) {
        if (other !== leg) {
          other.source.connect(leg.destination);
        }
      }
    }
    await Promise.all(
      this.#legs.map((leg) =>
        leg.call.setOutgoingTrack(leg.destination.stream.getAudioTracks()[0] ?? null),
      ),
    );
  }

  #applyVoice(): void {
    for (const leg of this.#legs) {
      leg.voice.gain.value = this.isMutedFor(leg.call) ? 0 : 1;
    }
  }

  #disconnectLegs(): void {
    for (const leg of this.#legs) {
      leg.source.disconnect();
      leg.voice.disconnect();
    }
    this.#mic?.disconnect();
    this.#legs = [];
  }
}
