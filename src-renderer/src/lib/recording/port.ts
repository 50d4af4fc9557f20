// How the recording engine reaches the main process's writer. Injected, so tests capture or
// forward chunks; `bridgeRecordingPort()` is the app's, over the typed IPC bridge.
import type {
  RecordingChunk,
  RecordingEntry,
  RecordingStarted,
  RecordingStartRequest,
} from '@shared/ipc-contract';
import { invoke } from '../bridge';

export interface RecordingPort {
  start(request: RecordingStartRequest): Promise<RecordingStarted>;
  /** Resolves once main wrote the chunk; rejects with main's sentence when it stopped. */
  chunk(chunk: RecordingChunk): Promise<void>;
  pause(id: string): Promise<void>;
  resume(id: string): Promise<void>;
  stop(id: string): Promise<RecordingEntry>;
}

/** The port over window.softphone (recording/* channels). */
export function bridgeRecordingPort(): RecordingPort {
  return {
    start: (request) => invoke('recording/start', request),
    chunk: async (chunk) => {
      await invoke('recording/chunk', chunk);
    },
    pause: async (id) => {
      await invoke('recording/pause', { id });
    },
    resume: async (id) => {
      await invoke('recording/resume', { id });
    },
    stop: (id) => invoke('recording/stop', { id }),
  };
}
