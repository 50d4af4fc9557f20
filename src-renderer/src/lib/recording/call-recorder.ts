// Records one call: both directions mixed with Web Audio (CallMixer), encoded as WAV or Opus in
// WebM, and sent chunk by chunk, in order, to the main process's writer through a RecordingPort.
// The inputs may change at any time (the sending track is replaced on a microphone switch or by
// a consent/conference mix; remote audio arrives after the answer). If main stops the recording
// (disk full, folder gone…) the recorder stops encoding and reports main's sentence; the call
// itself is never touched.
import type { RecordingEntry, RecordingStarted } from '@shared/ipc-contract';
import type { RecordingFormat } from '@shared/settings-types';
import {
  createProcessingContext,
  ensureRunning,
  type AudioContextFactory,
} from '../audio/processing-context';
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import { WavEncoder, WebmEncoder, type ChunkEncoder } from './encoders';
import { CallMixer, type ChannelLayout } from './mixer';
import type { RecordingPort } from './port';

const log = createLogger('recorder');

/** The call being recorded, as main needs it for the file name and the history. */
export interface RecordedCall {
  callId: string;
  accountId: string;
  /** Display name or number of the other side (main makes it a safe file name). */
  party: string;
  direction: 'incoming' | 'outgoing';
}

export interface CallRecorderOptions {
  port: RecordingPort;
  format: RecordingFormat;
  channels: ChannelLayout;
  /** Audio per chunk, which is also the most a crash can lose before main syncs (default 1000). */
  chunkMs?: number;
  createContext?: AudioContextFactory;
}

export type RecorderState =
  'idle' | 'starting' | 'recording' | 'paused' | 'stopping' | 'stopped' | 'failed';

export interface CallRecorderEvents {
  state: RecorderState;
  /** A sentence for the user: why recording stopped on its own. */
  failed: string;
  /** A chunk main has written (seq from 0, its size in bytes). */
  written: { seq: number; bytes: number };
}

export class CallRecorder extends TypedEmitter<CallRecorderEvents> {
  readonly call: RecordedCall;
  readonly #options: CallRecorderOptions;
  #state: RecorderState = 'idle';
  #context: AudioContext | null = null;
  #mixer: CallMixer | null = null;
  #encoder: ChunkEncoder | null = null;
  #local: MediaStreamTrack | null = null;
  #remote: MediaStream | null = null;
  #started: RecordingStarted | null = null;
  #seq = 0;
  #sending: Promise<void> = Promise.resolve();
  #error: string | null = null;

  constructor(call: RecordedCall, options: CallRecorderOptions) {
    super();
    this.call = call;
    this.#options = options;
  }

  get state(): RecorderState {
    return this.#state;
  }
  /** Main's recording id and file, once started. */
  get recording(): RecordingStarted | null {
    return this.#started;
  }
  /** Why the recording stopped on its own, if it did. */
  get error(): string | null {
    return this.#error;
  }

  /** The track the other side hears from us; may be called before start and any time after. */
  setLocalTrack(track: MediaStreamTrack | null): void {
    this.#local = track;
    this.#mixer?.setLocalTrack(track);
  }

  /** The other side's audio; may arrive after start. */
  setRemoteStream(stream: MediaStream | null): void {
    this.#remote = stream;
    this.#mixer?.setRemoteStream(stream);
  }

  /** Builds the mix and the encoder, asks main for a file, starts sending. Throws main's reason. */
  async start(): Promise<RecordingStarted> {
    if (this.#state !== 'idle') {
      throw new Error('This recorder has already been started.');
    }
    this.#setState('starting');
    try {
      const encoder = await this.#build();
      const started = await this.#options.port.start({
        ...this.call,
        format: encoder.format,
        pcm: encoder.pcm,
      });
      this.#started = started;
      encoder.start((bytes) => this.#send(bytes));
      this.#setState('recording');
      return started;
    } catch (error: unknown) {
      await this.#teardown();
      this.#error = messageOf(error);
      this.#setState('failed');
      throw error;
    }
  }

  async pause(): Promise<void> {
    if (this.#state !== 'recording' || !this.#started) {
      return;
    }
    this.#encoder?.pause();
    this.#setState('paused');
    await this.#options.port.pause(this.#started.id);
  }

  async resume(): Promise<void> {
    if (this.#state !== 'paused' || !this.#started) {
      return;
    }
    this.#encoder?.resume();
    this.#setState('recording');
    await this.#options.port.resume(this.#started.id);
  }

  /** Sends the last audio and closes the file; main's entry, or null when nothing was recorded. */
  async stop(): Promise<RecordingEntry | null> {
    const started = this.#started;
    if (!started || this.#state === 'stopping' || this.#state === 'stopped') {
      return null;
    }
    const failed = this.#state === 'failed';
    this.#setState('stopping');
    if (!failed) {
      await this.#encoder?.finish().catch((error: unknown) => log.warn(messageOf(error)));
    }
    await this.#sending;
    await this.#teardown();
    try {
      return await this.#options.port.stop(started.id);
    } finally {
      this.#setState(failed ? 'failed' : 'stopped');
    }
  }

  /** Main stopped this recording (recording/failed): stop encoding and keep its sentence. */
  mainStopped(message: string): void {
    this.#fail(message);
  }

  async #build(): Promise<ChunkEncoder> {
    const context = (this.#options.createContext ?? createProcessingContext)();
    this.#context = context;
    const mixer = new CallMixer(context, this.#options.channels);
    this.#mixer = mixer;
    mixer.setLocalTrack(this.#local);
    mixer.setRemoteStream(this.#remote);
    const chunkMs = this.#options.chunkMs ?? 1000;
    const encoder =
      this.#options.format === 'wav'
        ? await WavEncoder.create(mixer.output, mixer.channels, chunkMs)
        : new WebmEncoder(mixer.output, mixer.channels, chunkMs);
    this.#encoder = encoder;
    await ensureRunning(context);
    return encoder;
  }

  #send(bytes: Uint8Array): void {
    const started = this.#started;
    if (!started || this.#state === 'failed' || bytes.byteLength === 0) {
      return;
    }
    const seq = this.#seq;
    this.#seq += 1;
    this.#sending = this.#sending.then(async () => {
      if (this.#error !== null) {
        return;
      }
      try {
        await this.#options.port.chunk({ id: started.id, seq, data: bytes });
        this.emit('written', { seq, bytes: bytes.byteLength });
      } catch (error: unknown) {
        this.#fail(messageOf(error));
      }
    });
  }

  #fail(message: string): void {
    if (this.#error !== null || this.#state === 'stopped') {
      return;
    }
    this.#error = message;
    log.warn(`recording of ${this.call.callId} stopped: ${message}`);
    this.#encoder?.pause();
    void this.#teardown();
    this.#setState('failed');
    this.emit('failed', message);
  }

  async #teardown(): Promise<void> {
    const context = this.#context;
    this.#context = null;
    this.#encoder?.dispose();
    this.#encoder = null;
    this.#mixer?.dispose();
    this.#mixer = null;
    await context?.close().catch(() => {});
  }

  #setState(state: RecorderState): void {
    if (state !== this.#state) {
      this.#state = state;
      this.emit('state', state);
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
