// One call's recording, wired to the call: a CallRecorder fed with what the call sends (the
// outgoing chain's track, followed after every replace: microphone switch, noise suppression,
// conference mix, the notice itself) and what it receives (the remote stream, which the call
// already plays in a media element: Chromium feeds a received track to Web Audio only then),
// the consent notice played over the call when recording starts, and main's failures. This
// module and everything it imports (the recorder, the encoders, the notice) load on demand:
// recordings.ts reaches it through import().
import type { RecordingEntry, RecordingStarted } from '@shared/ipc-contract';
import type { RecordingFormat } from '@shared/settings-types';
import type { OverlaySlot } from '../audio/outgoing-chain';
import type { AudioContextFactory } from '../audio/processing-context';
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import type { CallEvents } from '../phone';
import { CallRecorder, type RecordedCall, type RecorderState } from './call-recorder';
import { announceRecording, type Announcement } from './consent';
import type { ChannelLayout } from './mixer';
import type { RecordingPort } from './port';

const log = createLogger('call-recording');

/** What a recording needs of a call (PhoneCall has it). */
export interface RecordableCall extends OverlaySlot {
  readonly sendingTrack: MediaStreamTrack | null;
  readonly remoteStream: MediaStream | null;
  on<K extends keyof CallEvents>(event: K, listener: (payload: CallEvents[K]) => void): () => void;
}

export interface CallRecordingOptions {
  port: RecordingPort;
  format: RecordingFormat;
  channels: ChannelLayout;
  /** Play the consent notice to the other side when recording starts. */
  announce: boolean;
  /** The user's notice file (encoded audio); null = the built-in notice. Throws its problem. */
  announcement(): Promise<ArrayBuffer | null>;
  chunkMs?: number;
  createContext?: AudioContextFactory;
}

export interface CallRecordingEvents {
  state: RecorderState;
  /** Why the recording stopped on its own (main's sentence). */
  failed: string;
  /** Something the user should know that did not stop the recording (the notice file). */
  notice: string;
  /** The notice started or finished playing. */
  announcing: boolean;
}

export class CallRecording extends TypedEmitter<CallRecordingEvents> {
  readonly #call: RecordableCall;
  readonly #options: CallRecordingOptions;
  readonly #recorder: CallRecorder;
  readonly #offs: (() => void)[] = [];
  #announcement: Announcement | null = null;

  constructor(call: RecordableCall, meta: RecordedCall, options: CallRecordingOptions) {
    super();
    this.#call = call;
    this.#options = options;
    this.#recorder = new CallRecorder(meta, {
      port: options.port,
      format: options.format,
      channels: options.channels,
      ...(options.chunkMs !== undefined ? { chunkMs: options.chunkMs } : {}),
      ...(options.createContext ? { createContext: options.createContext } : {}),
    });
    this.#recorder.on('state', (state) => this.emit('state', state));
    this.#recorder.on('failed', (message) => this.#onFailed(message));
  }

  get state(): RecorderState {
    return this.#recorder.state;
  }
  /** Main's recording id and file, once started. */
  get recording(): RecordingStarted | null {
    return this.#recorder.recording;
  }
  get error(): string | null {
    return this.#recorder.error;
  }
  get announcing(): boolean {
    return this.#announcement !== null;
  }

  /** Starts recording (throws main's sentence), then plays the notice when asked to. */
  async start(): Promise<RecordingStarted> {
    const call = this.#call;
    this.#recorder.setLocalTrack(call.sendingTrack);
    this.#recorder.setRemoteStream(call.remoteStream);
    this.#offs.push(
      call.on('sending', (track) => this.#recorder.setLocalTrack(track)),
      call.on('remote-stream', (stream) => this.#recorder.setRemoteStream(stream)),
    );
    let started: RecordingStarted;
    try {
      started = await this.#recorder.start();
    } catch (error: unknown) {
      this.#unfollow();
      throw error;
    }
    if (this.#options.announce) {
      await this.#announce();
    }
    return started;
  }

  async pause(): Promise<void> {
    await this.#recorder.pause();
  }

  async resume(): Promise<void> {
    await this.#recorder.resume();
  }

  /** Ends the notice if it still plays, closes the file; main's entry (null if none). */
  async stop(): Promise<RecordingEntry | null> {
    await this.#announcement?.cancel();
    this.#unfollow();
    return this.#recorder.stop();
  }

  /** Main stopped this recording (recording/failed). */
  mainStopped(message: string): void {
    this.#recorder.mainStopped(message);
  }

  // The user's file when one is set and usable, else the built-in notice (and why).
  async #announce(): Promise<void> {
    let file: ArrayBuffer | null = null;
    try {
      file = await this.#options.announcement();
    } catch (error: unknown) {
      this.emit('notice', messageOf(error));
    }
    try {
      this.#announcement = await announceRecording(this.#call, { file });
    } catch (error: unknown) {
      if (file === null) {
        this.emit('notice', `The recording announcement could not be played: ${messageOf(error)}`);
        return;
      }
      this.emit('notice', `${messageOf(error)} The built-in announcement was played instead.`);
      this.#announcement = await announceRecording(this.#call, {}).catch(() => null);
    }
    const announcement = this.#announcement;
    if (!announcement) {
      return;
    }
    this.emit('announcing', true);
    void announcement.done.then(() => {
      if (this.#announcement === announcement) {
        this.#announcement = null;
        this.emit('announcing', false);
      }
    });
  }

  #onFailed(message: string): void {
    log.warn(`recording stopped by main: ${message}`);
    void this.#announcement?.cancel();
    this.#unfollow();
    this.emit('failed', message);
  }

  #unfollow(): void {
    this.#offs.splice(0).forEach((off) => off());
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
