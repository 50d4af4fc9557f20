// The AudioWorklet processor behind WAV recording (loaded with addModule; runs on the audio
// thread): turns each render quantum into 16-bit little-endian interleaved PCM and posts a chunk
// of `chunkFrames` frames to the page (the buffer is transferred, not copied). Messages from the
// page: 'pause' / 'resume' (input is dropped while paused) and 'flush' (post what is pending,
// then 'flushed').

import { PCM_PROCESSOR, type PcmMessage, type PcmProcessorOptions } from './pcm-protocol';

// The worklet global scope is not in TypeScript's DOM typings.
declare function registerProcessor(name: string, ctor: unknown): void;
declare class AudioWorkletProcessor {
  readonly port: MessagePort;
}

class PcmRecorder extends AudioWorkletProcessor {
  readonly #channels: number;
  readonly #chunkFrames: number;
  #pending: Int16Array;
  #frames = 0;
  #paused = false;

  constructor(options: { processorOptions: PcmProcessorOptions }) {
    super();
    this.#channels = options.processorOptions.channels;
    this.#chunkFrames = Math.max(128, Math.floor(options.processorOptions.chunkFrames));
    this.#pending = new Int16Array(this.#chunkFrames * this.#channels);
    this.port.onmessage = (event: MessageEvent<string>) => this.#command(event.data);
  }

  process(inputs: Float32Array[][]): boolean {
    const input = inputs[0];
    if (this.#paused || !input || input.length === 0) {
      return true;
    }
    const length = input[0]?.length ?? 0;
    for (let i = 0; i < length; i += 1) {
      for (let c = 0; c < this.#channels; c += 1) {
        const s = input[c]?.[i] ?? input[0]?.[i] ?? 0;
        const clamped = s > 1 ? 1 : s < -1 ? -1 : s;
        this.#pending[this.#frames * this.#channels + c] = Math.round(clamped * 32767);
      }
      this.#frames += 1;
      if (this.#frames === this.#chunkFrames) {
        this.#post();
      }
    }
    return true;
  }

  #command(command: string): void {
    if (command === 'pause') {
      this.#paused = true;
    } else if (command === 'resume') {
      this.#paused = false;
    } else if (command === 'flush') {
      this.#post();
      this.port.postMessage({ type: 'flushed' } satisfies PcmMessage);
    }
  }

  #post(): void {
    if (this.#frames === 0) {
      return;
    }
    const chunk = this.#pending.slice(0, this.#frames * this.#channels);
    const message: PcmMessage = { type: 'pcm', buffer: chunk.buffer, frames: this.#frames };
    this.port.postMessage(message, [chunk.buffer]);
    this.#frames = 0;
  }
}

registerProcessor(PCM_PROCESSOR, PcmRecorder);
