// The two ways a call mix becomes file chunks: WAV (16-bit PCM from an AudioWorklet, lossless,
// ~5.8 MB a minute in stereo) and Opus in WebM (MediaRecorder with a timeslice, ~0.5 MB a
// minute). Both hand over chunks strictly in order and finish within a bound.
import type { PcmLayout } from '@shared/ipc-contract';
import type { RecordingFormat } from '@shared/settings-types';
import { PCM_PROCESSOR, type PcmCommand, type PcmMessage } from './pcm-protocol';
import workletUrl from './pcm-worklet.ts?worker&url';

/** Longest wait for an encoder's last chunk when stopping. */
export const FINISH_TIMEOUT_MS = 5000;

export interface ChunkEncoder {
  readonly format: RecordingFormat;
  /** The PCM layout main writes the WAV header for (null for WebM). */
  readonly pcm: PcmLayout | null;
  /** Starts delivering chunks, in order, to `onChunk`. */
  start(onChunk: (bytes: Uint8Array) => void): void;
  pause(): void;
  resume(): void;
  /** Delivers what is pending and stops; resolves within FINISH_TIMEOUT_MS. */
  finish(): Promise<void>;
  dispose(): void;
}

function bounded(done: Promise<void>, what: string): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const limit = new Promise<void>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not finish within ${FINISH_TIMEOUT_MS} ms.`)),
      FINISH_TIMEOUT_MS,
    );
  });
  return Promise.race([done, limit]).finally(() => clearTimeout(timer));
}

/** WAV: the worklet posts PCM chunks of `chunkMs`. */
export class WavEncoder implements ChunkEncoder {
  readonly format = 'wav';
  readonly pcm: PcmLayout;
  readonly #node: AudioWorkletNode;
  readonly #sink: GainNode;
  #onChunk: (bytes: Uint8Array) => void = () => {};
  #flushed: (() => void) | null = null;

  private constructor(node: AudioWorkletNode, sink: GainNode, pcm: PcmLayout) {
    this.#node = node;
    this.#sink = sink;
    this.pcm = pcm;
    node.port.onmessage = (event: MessageEvent<PcmMessage>) => this.#receive(event.data);
  }

  static async create(input: AudioNode, channels: 1 | 2, chunkMs: number): Promise<WavEncoder> {
    const context = input.context as AudioContext;
    await context.audioWorklet.addModule(workletUrl);
    const node = new AudioWorkletNode(context, PCM_PROCESSOR, {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      channelCount: channels,
      channelCountMode: 'explicit',
      channelInterpretation: 'discrete',
      processorOptions: {
        channels,
        chunkFrames: Math.round((context.sampleRate * chunkMs) / 1000),
      },
    });
    // A silent path to the destination keeps the node pulled by the render loop.
    const sink = new GainNode(context, { gain: 0 });
    input.connect(node);
    node.connect(sink).connect(context.destination);
    return new WavEncoder(node, sink, { sampleRate: context.sampleRate, channels });
  }

  start(onChunk: (bytes: Uint8Array) => void): void {
    this.#onChunk = onChunk;
  }

  pause(): void {
    this.#command('pause');
  }

  resume(): void {
    this.#command('resume');
  }

  finish(): Promise<void> {
    const flushed = new Promise<void>((resolve) => (this.#flushed = resolve));
    this.#command('flush');
    return bounded(flushed, 'The WAV encoder');
  }

  dispose(): void {
    this.#node.port.onmessage = null;
    this.#node.disconnect();
    this.#sink.disconnect();
  }

  #command(command: PcmCommand): void {
    this.#node.port.postMessage(command);
  }

  #receive(message: PcmMessage): void {
    if (message.type === 'pcm') {
      this.#onChunk(new Uint8Array(message.buffer));
    } else {
      this.#flushed?.();
    }
  }
}

/** The container and codec MediaRecorder is asked for. */
export const WEBM_OPUS = 'audio/webm;codecs=opus';

/** Opus in WebM: MediaRecorder on the mix with a timeslice of `chunkMs`. */
export class WebmEncoder implements ChunkEncoder {
  readonly format = 'webm';
  readonly pcm = null;
  readonly #recorder: MediaRecorder;
  readonly #destination: MediaStreamAudioDestinationNode;
  readonly #chunkMs: number;
  #converting: Promise<void> = Promise.resolve();

  constructor(input: AudioNode, channels: 1 | 2, chunkMs: number) {
    if (!MediaRecorder.isTypeSupported(WEBM_OPUS)) {
      throw new Error('This system cannot record Opus in WebM; choose WAV in the settings.');
    }
    const context = input.context as AudioContext;
    this.#destination = new MediaStreamAudioDestinationNode(context, {
      channelCount: channels,
      channelCountMode: 'explicit',
    });
    input.connect(this.#destination);
    this.#recorder = new MediaRecorder(this.#destination.stream, {
      mimeType: WEBM_OPUS,
      audioBitsPerSecond: channels === 2 ? 96_000 : 48_000,
    });
    this.#chunkMs = chunkMs;
  }

  start(onChunk: (bytes: Uint8Array) => void): void {
    this.#recorder.ondataavailable = (event: BlobEvent) => {
      if (event.data.size === 0) {
        return;
      }
      const blob = event.data;
      // Blob reads are async: chain them so the chunks keep their order.
      this.#converting = this.#converting
        .then(() => blob.arrayBuffer())
        .then((buffer) => onChunk(new Uint8Array(buffer)));
    };
    this.#recorder.start(this.#chunkMs);
  }

  pause(): void {
    if (this.#recorder.state === 'recording') {
      this.#recorder.pause();
    }
  }

  resume(): void {
    if (this.#recorder.state === 'paused') {
      this.#recorder.resume();
    }
  }

  finish(): Promise<void> {
    if (this.#recorder.state === 'inactive') {
      return this.#converting;
    }
    const stopped = new Promise<void>((resolve) => {
      this.#recorder.addEventListener('stop', () => resolve(), { once: true });
    });
    this.#recorder.stop();
    return bounded(
      stopped.then(() => this.#converting),
      'The WebM encoder',
    );
  }

  dispose(): void {
    if (this.#recorder.state !== 'inactive') {
      this.#recorder.stop();
    }
    this.#recorder.ondataavailable = null;
    this.#destination.disconnect();
  }
}
