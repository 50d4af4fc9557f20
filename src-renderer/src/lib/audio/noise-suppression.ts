// RNNoise on the microphone path, loaded only when used: this module is small and may be
// imported anywhere; the WebAssembly, its AudioWorklet and the graph live in ./rnnoise-graph,
// fetched by a dynamic import the first time suppression is turned on (nothing is loaded for
// people who never turn it on). The processor's output track is stable: switching microphones
// feeds the new track into the same graph, and turning suppression on or off mid-call swaps
// the sending track with replaceTrack (no renegotiation), through the call's outgoing chain.
import type { VoiceSlot } from './outgoing-chain';

/** A running noise suppressor (a stage of a call's outgoing chain). */
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
 * The per-call switch: on, the call's voice runs through RNNoise (the call's outgoing chain
 * feeds it the microphone, also after a switch); off, the plain microphone again. Toggles are
 * serialized, so quick clicks apply in order.
 */
export class CallNoiseSuppression {
  readonly #slot: VoiceSlot;
  readonly #create: typeof createNoiseSuppressor;
  #suppressor: NoiseSuppressor | null = null;
  #wanted = false;
  #changing: Promise<void> = Promise.resolve();
  #disposed = false;

  constructor(slot: VoiceSlot, create: typeof createNoiseSuppressor = createNoiseSuppressor) {
    this.#slot = slot;
    this.#create = create;
  }

  /** Whether suppression is on (or being turned on). */
  get on(): boolean {
    return this.#wanted;
  }

  /** The suppressor's output while on. */
  get output(): MediaStreamTrack | null {
    return this.#suppressor?.output ?? null;
  }

  /** Turns suppression on or off for this call; rejects when RNNoise cannot start. */
  set(on: boolean): Promise<void> {
    this.#wanted = on;
    this.#changing = this.#changing.catch(() => {}).then(() => (on ? this.#on() : this.#off()));
    return this.#changing;
  }

  /** Ends suppression without touching the call (it is over). */
  async dispose(): Promise<void> {
    this.#disposed = true;
    this.#wanted = false;
    await this.#changing.catch(() => {});
    const suppressor = this.#suppressor;
    this.#suppressor = null;
    await suppressor?.close();
  }

  async #on(): Promise<void> {
    if (this.#suppressor || this.#disposed) {
      return;
    }
    let suppressor: NoiseSuppressor;
    try {
      suppressor = await this.#create(null);
    } catch (error: unknown) {
      this.#wanted = false;
      throw error;
    }
    if (this.#disposed) {
      await suppressor.close();
      return;
    }
    this.#suppressor = suppressor;
    await this.#slot.setVoiceProcessor(suppressor);
  }

  async #off(): Promise<void> {
    const suppressor = this.#suppressor;
    if (!suppressor) {
      return;
    }
    this.#suppressor = null;
    await this.#slot.setVoiceProcessor(null);
    await suppressor.close();
  }
}
