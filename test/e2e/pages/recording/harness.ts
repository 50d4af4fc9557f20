// What the recording test page exposes on window.__rec (types only, shared by the page and the
// tests and benchmarks that drive it through page.evaluate). Tracks are referred to by ids.
import type { RecordingEntry, RecordingStarted } from '@shared/ipc-contract';
import type { RecordingFormat } from '@shared/settings-types';
import type { RecorderState } from '../../../../src-renderer/src/lib/recording/call-recorder';

export interface RecordOptions {
  format: RecordingFormat;
  channels: 'mono' | 'stereo';
  chunkMs: number;
  local: string | null;
  remote: string | null;
  /** 'bridge': the app's own port over window.softphone (the test transport's real router). */
  via?: 'test' | 'bridge';
}

export interface RecordingHarness {
  /** Opens the fake microphone (Chromium's own noise suppression on or off); its track id. */
  microphone(chromiumNoiseSuppression?: boolean): Promise<string>;
  /** A steady sine track (its own context); its id. */
  tone(freq: number): Promise<string>;
  /** A call on loopback: `send` goes out of one peer connection; the received track's id. */
  loopback(send: string): Promise<string>;
  /** The id of the track the loopback's sender sends now (null when none). */
  sending(): string | null;
  /** Whether the loopback renegotiated (negotiationneeded, or not stable). */
  renegotiated(): boolean;
  /** Starts a CallRecorder whose chunks go to the Node-side writer. */
  record(options: RecordOptions): Promise<RecordingStarted>;
  setLocal(id: string | null): void;
  setRemote(id: string | null): void;
  /** Resolves once `n` more chunks have been written by main (bounded). */
  waitChunks(n: number): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
  stop(): Promise<RecordingEntry | null>;
  state(): RecorderState;
  /** The failure sentence, if the recording stopped on its own. */
  error(): string | null;
  /** Tells the recorder main stopped it (as the recording/failed event would). */
  mainStopped(message: string): void;
  /**
   * Announces over what the loopback sends, through the app's outgoing chain (file: base64 of
   * an audio file, or null = built-in); the recorder follows what is sent meanwhile.
   */
  announce(fileBase64: string | null): Promise<{ seconds: number }>;
  /** Resolves when the announcement has ended and the previous track is back. */
  announced(): Promise<void>;
  /** The built-in notice decoded: its length and RMS. */
  builtInNotice(): Promise<{ seconds: number; rms: number }>;
  /** Turns RNNoise on/off on the loopback's chain (CallNoiseSuppression); the sent track's id. */
  suppress(on: boolean): Promise<string | null>;
  /** Switches the microphone of the loopback's chain (as a device switch mid-call does). */
  suppressMicrophone(id: string | null): Promise<void>;
  /** Stops every track, closes every context and connection. */
  reset(): Promise<void>;
}

declare global {
  interface Window {
    __rec: RecordingHarness;
    /** Exposed by the test: forwards a port call to the real main-process writer. */
    __recordingPort(method: string, payload: unknown): Promise<unknown>;
  }
}
