// Both directions of a call in one Web Audio graph: the track we send (microphone, or whatever
// replaced it: a consent mix, a conference mix) and the remote stream, each folded to mono,
// then either side by side (stereo: us left, them right) or summed (mono). Either input can be
// swapped at any time (microphone switched mid-call) or arrive late (remote audio after the
// answer); a missing input is silence.

export type ChannelLayout = 'mono' | 'stereo';

/** One input: a gain node fed by at most one MediaStream source at a time. */
class MixerInput {
  readonly gain: GainNode;
  readonly #context: AudioContext;
  #source: MediaStreamAudioSourceNode | null = null;
  #stream: MediaStream | null = null;

  constructor(context: AudioContext) {
    this.#context = context;
    // Fold whatever arrives (mono mic, stereo Opus) to one channel.
    this.gain = new GainNode(context, {
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
    });
  }

  get stream(): MediaStream | null {
    return this.#stream;
  }

  set(stream: MediaStream | null): void {
    if (stream === this.#stream) {
      return;
    }
    this.#source?.disconnect();
    this.#source = null;
    this.#stream = stream;
    if (stream && stream.getAudioTracks().length > 0) {
      this.#source = this.#context.createMediaStreamSource(stream);
      this.#source.connect(this.gain);
    }
  }

  dispose(): void {
    this.set(null);
    this.gain.disconnect();
  }
}

export class CallMixer {
  readonly context: AudioContext;
  readonly layout: ChannelLayout;
  /** The mixed signal: 1 channel (mono) or 2 (stereo, local left, remote right). */
  readonly output: AudioNode;
  readonly #local: MixerInput;
  readonly #remote: MixerInput;

  constructor(context: AudioContext, layout: ChannelLayout) {
    this.context = context;
    this.layout = layout;
    this.#local = new MixerInput(context);
    this.#remote = new MixerInput(context);
    if (layout === 'stereo') {
      const merger = new ChannelMergerNode(context, { numberOfInputs: 2 });
      this.#local.gain.connect(merger, 0, 0);
      this.#remote.gain.connect(merger, 0, 1);
      this.output = merger;
    } else {
      const sum = new GainNode(context, { channelCount: 1, channelCountMode: 'explicit' });
      this.#local.gain.connect(sum);
      this.#remote.gain.connect(sum);
      this.output = sum;
    }
  }

  get channels(): 1 | 2 {
    return this.layout === 'stereo' ? 2 : 1;
  }

  /** What we send (null = silence on our side). A new track replaces the previous one. */
  setLocalTrack(track: MediaStreamTrack | null): void {
    if (track === (this.#local.stream?.getAudioTracks()[0] ?? null)) {
      return;
    }
    this.#local.set(track ? new MediaStream([track]) : null);
  }

  /** What the other side sends (null = silence on their side). */
  setRemoteStream(stream: MediaStream | null): void {
    this.#remote.set(stream);
  }

  dispose(): void {
    this.#local.dispose();
    this.#remote.dispose();
    this.output.disconnect();
  }
}
