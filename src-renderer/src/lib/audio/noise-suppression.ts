// RNNoise on the microphone path, loaded only when used: this module is small and may be
// imported anywhere; the WebAssembly, its AudioWorklet and the graph live in ./rnnoise-graph,
// fetched by a dynamic import the first time suppression is turned on (nothing is loaded for
// people who never turn it on). The processor's output track is stable: switching microphones
// feeds the new track into the same graph, and turning suppression on or off mid-call swaps
// the sending track with replaceTrack (no renegotiation).
import type { TrackTarget } from './track-target';

/** A running noise suppressor. */
export interface NoiseSuppressor {
  /** The cleaned track to send; the same object for the suppressor's whole life. */
  readonly output: MediaStreamTrack;
  /** Feeds another microphone (switch mid-call); null = silence. */
  setInput(track: MediaStreamTrack | null): void;
  /** Stops the graph and the output track. */
  close(): Promise<void>;
}

export interface NoiseSuppressorOptions {
  createContext?: () => AudioContext;
}

/** Loads RNNoise (first call only) and starts a suppressor fed by `input`. */
export async function createNoiseSuppressor(
  input: MediaStreamTrack | null,
  options: NoiseSuppressorOptions = {},
): Promise<NoiseSuppressor> {
  const { startRnnoise } = await import('./rnnoise-graph');
  return startRnnoise(input, options);
}

/**
 * The per-call switch: on, the call sends the suppressor's output; off, the plain microphone.
 * `setMicrophone` follows microphone switches whether suppression is on or off.
 */
export class CallNoiseSuppression {
  readonly #target: TrackTarget;
  readonly #create: typeof createNoiseSuppressor;
  #microphone: MediaStreamTrack | null = null;
  #suppressor: NoiseSuppressor | null = null;
  #changing: Promise<void> = Promise.resolve();

  constructor(target: TrackTarget, create: typeof createNoiseSuppressor = createNoiseSuppressor) {
    this.#target = target;
    this.#create = create;
  }

  get on(): boolean {
    return this.#suppressor !== null;
  }

  /** The track being sent for the microphone: processed when on, the microphone when off. */
  get sending(): MediaStreamTrack | null {
    return this.#suppressor?.output ?? this.#microphone;
  }

  /** Turns suppression on or off for this call (serialized: quick toggles apply in order). */
  set(on: boolean): Promise<void> {
    this.#changing = this.#changing.catch(() => {}).then(() => (on ? this.#on() : this.#off()));
    return this.#changing;
  }

  /** A new microphone track (opened or switched); sent through the suppressor when on. */
  async setMicrophone(track: MediaStreamTrack | null): Promise<void> {
    this.#microphone = track;
    if (this.#suppressor) {
      this.#suppressor.setInput(track);
    } else if (this.#target.current() !== track) {
      await this.#target.replace(track);
    }
  }

  /** Ends suppression without touching the sender (the call is over). */
  async dispose(): Promise<void> {
    const suppressor = this.#suppressor;
    this.#suppressor = null;
    await suppressor?.close();
  }

  async #on(): Promise<void> {
    if (this.#suppressor) {
      return;
    }
    const suppressor = await this.#create(this.#microphone);
    this.#suppressor = suppressor;
    await this.#target.replace(suppressor.output);
  }

  async #off(): Promise<void> {
    const suppressor = this.#suppressor;
    if (!suppressor) {
      return;
    }
    this.#suppressor = null;
    await this.#target.replace(this.#microphone);
    await suppressor.close();
  }
}
