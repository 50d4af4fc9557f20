// The recording writer of the main process: opens a file per recording in the user's folder
// (named from the template, never overwriting, never inside the app), appends the renderer's
// chunks in order, syncs them to disk every second, and stops a recording on its own with a
// plain sentence when the disk is full, the folder is gone or writing is not allowed (the call
// goes on; the part written stays playable). Keeps the list of recordings for the history,
// and at start repairs the ones a crash or power cut interrupted.
import { randomUUID } from 'node:crypto';
import { open, stat } from 'node:fs/promises';
import type {
  RecordingEntry,
  RecordingFailure,
  RecordingStarted,
  RecordingStartRequest,
} from '@shared/ipc-contract';
import { renderRecordingName } from '@shared/recording-name';
import type { RecordingFormat, RecordingSettings } from '@shared/settings-types';
import { recordingFolder, refuseFolder } from './folder-policy';
import { RecordingFile } from './recording-file';
import { RecordingIndex, type StoredRecording } from './recording-index';
import { readWavLayout, repairWav, WAV_HEADER_BYTES, wavDurationMs } from './wav-header';
import { describeWriteError, errorCode, RecordingWriteError } from './write-errors';

export interface RecordingServiceDeps {
  /** The JSON list of recordings (in the user data folder). */
  indexPath: string;
  settings(): RecordingSettings;
  /** An account's label for the {account} field ('' when unknown). */
  accountLabel(accountId: string): string;
  /** The OS music folder, or documents when there is none. */
  defaultFolder(): string;
  /** Folders that must never hold recordings (the app's own). */
  forbidden: readonly string[];
  platform: NodeJS.Platform;
  /** Tells the renderer a recording was stopped by main. */
  notifyFailure(failure: RecordingFailure): void;
  now?: () => Date;
  /** How often written audio is made durable (ms); default 1000. */
  syncIntervalMs?: number;
  log?: (text: string) => void;
}

interface Active {
  file: RecordingFile;
  entry: StoredRecording;
  folder: string;
  timer: ReturnType<typeof setInterval>;
  /** Wall-clock ms spent paused, and when the current pause began. */
  pausedMs: number;
  pausedAt: number | null;
  started: number;
}

export class RecordingService {
  readonly #deps: RecordingServiceDeps;
  readonly #index: RecordingIndex;
  readonly #active = new Map<string, Active>();
  readonly #now: () => Date;

  constructor(deps: RecordingServiceDeps) {
    this.#deps = deps;
    this.#index = new RecordingIndex(deps.indexPath);
    this.#now = deps.now ?? (() => new Date());
  }

  /** Loads the list and repairs recordings a crash left open; returns notices for the user. */
  async load(): Promise<string[]> {
    const notices: string[] = [];
    const damaged = await this.#index.load();
    if (damaged) {
      notices.push(damaged);
    }
    for (const entry of this.#index.all()) {
      if (entry.state === 'recording' || entry.state === 'paused') {
        await this.#index.put(await this.#repair(entry));
        notices.push(
          `The recording "${entry.fileName}" was interrupted when the app stopped; the part recorded until then was kept.`,
        );
      }
    }
    return notices;
  }

  /** Opens a new recording file; throws RecordingWriteError with a sentence for the user. */
  async start(request: RecordingStartRequest): Promise<RecordingStarted> {
    const settings = this.#deps.settings();
    const folder = await this.#folder(settings);
    const date = this.#now();
    const base = renderRecordingName(settings.nameTemplate, {
      date,
      party: request.party,
      direction: request.direction,
      account: this.#deps.accountLabel(request.accountId),
    });
    let file: RecordingFile;
    try {
      file = await RecordingFile.create(folder, base, request.format, request.pcm);
    } catch (error: unknown) {
      throw new RecordingWriteError(describeWriteError(error, folder), errorCode(error));
    }
    const entry: StoredRecording = {
      id: randomUUID(),
      callId: request.callId,
      accountId: request.accountId,
      party: request.party,
      direction: request.direction,
      format: request.format,
      path: file.path,
      fileName: file.fileName,
      startedAt: date.toISOString(),
      endedAt: null,
      bytes: file.bytes,
      durationMs: 0,
      state: 'recording',
      message: null,
    };
    const timer = setInterval(() => void this.flush(entry.id), this.#deps.syncIntervalMs ?? 1000);
    timer.unref?.();
    this.#active.set(entry.id, {
      file,
      entry,
      folder,
      timer,
      pausedMs: 0,
      pausedAt: null,
      started: date.getTime(),
    });
    await this.#index.put(entry);
    return { id: entry.id, path: file.path, fileName: file.fileName };
  }

  /** Appends a chunk; on a write failure the recording is stopped and the reason thrown. */
  async append(id: string, seq: number, data: Uint8Array): Promise<void> {
    const active = this.#running(id);
    try {
      await active.file.append(seq, data);
    } catch (error: unknown) {
      throw await this.#fail(active, error);
    }
  }

  /** Marks a pause (the renderer stops sending); the time paused is left out of the duration. */
  async pause(id: string): Promise<void> {
    const active = this.#running(id);
    if (active.pausedAt === null) {
      active.pausedAt = this.#now().getTime();
      active.entry.state = 'paused';
      await this.#index.put(active.entry);
      await this.flush(id);
    }
  }

  async resume(id: string): Promise<void> {
    const active = this.#running(id);
    if (active.pausedAt !== null) {
      active.pausedMs += this.#now().getTime() - active.pausedAt;
      active.pausedAt = null;
      active.entry.state = 'recording';
      await this.#index.put(active.entry);
    }
  }

  /** Finishes a recording; its entry. A recording main already stopped returns its entry. */
  async stop(id: string): Promise<RecordingEntry> {
    const active = this.#active.get(id);
    if (!active) {
      return this.entry(id);
    }
    await this.#finish(active, 'done');
    if (active.entry.state === 'failed') {
      this.#deps.notifyFailure({ id, message: active.entry.message ?? '' });
    }
    return this.entry(id);
  }

  /** Stops every running recording (the app is quitting). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.#active.keys()].map((id) => this.stop(id)));
  }

  /**
   * The page that fed the running recordings is gone (it crashed, hung and was killed, or was
   * reloaded): each is closed where it stands, kept as a valid file, and marked interrupted.
   */
  async interruptAll(): Promise<void> {
    await Promise.all(
      [...this.#active.values()].map(async (active) => {
        active.entry.message =
          'The phone window stopped during this recording; it ends where the window stopped.';
        await this.#finish(active, 'interrupted');
      }),
    );
  }

  /** A recording's file for playing it in the app, or null (unknown id, or the file is gone). */
  async playable(id: string): Promise<{ path: string; format: RecordingFormat } | null> {
    const entry = this.#index.get(id);
    if (!entry) {
      return null;
    }
    const { exists } = await this.#withExists(entry);
    return exists ? { path: entry.path, format: entry.format } : null;
  }

  /** Every recording, newest first, with whether its file is still there. */
  async list(): Promise<RecordingEntry[]> {
    const entries = this.#index.all().sort((a, b) => b.startedAt.localeCompare(a.startedAt));
    return Promise.all(entries.map((e) => this.#withExists(e)));
  }

  /** One recording by id; throws when unknown. */
  async entry(id: string): Promise<RecordingEntry> {
    const entry = this.#index.get(id);
    if (!entry) {
      throw new RecordingWriteError('That recording is not known.', null);
    }
    return this.#withExists(entry);
  }

  /** Forgets a finished recording after `removeFile` deleted it (or it was already gone). */
  async delete(id: string, removeFile: (path: string) => Promise<void>): Promise<void> {
    if (this.#active.has(id)) {
      throw new RecordingWriteError('Stop the recording before deleting it.', null);
    }
    const entry = await this.entry(id);
    if (entry.exists) {
      await removeFile(entry.path);
    }
    await this.#index.remove(id);
  }

  async #folder(settings: RecordingSettings): Promise<string> {
    const refusal = settings.folder
      ? await refuseFolder(settings.folder, this.#deps.forbidden, this.#deps.platform)
      : null;
    if (refusal) {
      throw new RecordingWriteError(refusal, null);
    }
    try {
      return await recordingFolder(settings.folder, () => this.#deps.defaultFolder());
    } catch (error: unknown) {
      const folder = settings.folder ?? this.#deps.defaultFolder();
      throw new RecordingWriteError(describeWriteError(error, folder), errorCode(error));
    }
  }

  #running(id: string): Active {
    const active = this.#active.get(id);
    if (active) {
      return active;
    }
    const entry = this.#index.get(id);
    const why = entry?.message ? ` ${entry.message}` : '';
    throw new RecordingWriteError(`This recording has already stopped.${why}`, null);
  }

  /**
   * Makes what was written durable now (the timer does it every second, a pause at once). A
   * failure stops the recording and is reported through notifyFailure.
   */
  async flush(id: string): Promise<void> {
    const active = this.#active.get(id);
    if (!active) {
      return;
    }
    try {
      await active.file.sync();
    } catch (error: unknown) {
      await this.#fail(active, error);
    }
  }

  /** Stops a recording because of `error` and tells the renderer (once); the error to throw. */
  async #fail(active: Active, error: unknown): Promise<RecordingWriteError> {
    const reported = new RecordingWriteError(
      describeWriteError(error, active.folder),
      errorCode(error),
    );
    if (this.#active.has(active.entry.id)) {
      this.#deps.log?.(`recording ${active.entry.id} stopped: ${String(error)}`);
      active.entry.message = reported.message;
      await this.#finish(active, 'failed');
      this.#deps.notifyFailure({ id: active.entry.id, message: reported.message });
    }
    return new RecordingWriteError(active.entry.message ?? reported.message, reported.code);
  }

  async #finish(active: Active, state: 'done' | 'failed' | 'interrupted'): Promise<void> {
    this.#active.delete(active.entry.id);
    clearInterval(active.timer);
    await active.file.close();
    const failure = active.file.failure;
    if (failure !== null && active.entry.message === null) {
      active.entry.message = describeWriteError(failure, active.folder);
    }
    const now = this.#now().getTime();
    const paused = active.pausedMs + (active.pausedAt !== null ? now - active.pausedAt : 0);
    active.entry.state = failure !== null ? 'failed' : state;
    active.entry.endedAt = new Date(now).toISOString();
    active.entry.bytes = active.file.bytes;
    active.entry.durationMs = active.file.durationMs ?? Math.max(0, now - active.started - paused);
    await this.#index.put(active.entry);
  }

  async #withExists(entry: StoredRecording): Promise<RecordingEntry> {
    const exists = await stat(entry.path).then(
      (s) => s.isFile(),
      () => false,
    );
    return { ...entry, exists };
  }

  /** A recording the app died during: WAV header set from the file's length; WebM kept as is. */
  async #repair(entry: StoredRecording): Promise<StoredRecording> {
    const repaired: StoredRecording = {
      ...entry,
      state: 'interrupted',
      message: 'The app stopped during this recording; it ends where the app stopped.',
    };
    try {
      const handle = await open(entry.path, 'r+');
      try {
        const info = await handle.stat();
        repaired.endedAt = info.mtime.toISOString();
        repaired.bytes = info.size;
        repaired.durationMs = Math.max(0, info.mtime.getTime() - Date.parse(entry.startedAt));
        if (entry.format === 'wav') {
          const data = await repairWav(handle);
          const header = Buffer.alloc(WAV_HEADER_BYTES);
          await handle.read(header, 0, WAV_HEADER_BYTES, 0);
          const layout = readWavLayout(header);
          if (data !== null && layout) {
            repaired.bytes = WAV_HEADER_BYTES + data;
            repaired.durationMs = wavDurationMs(layout, data);
          }
        }
      } finally {
        await handle.close();
      }
    } catch (error: unknown) {
      this.#deps.log?.(`could not repair ${entry.path}: ${String(error)}`);
      repaired.message = 'The app stopped during this recording and its file could not be opened.';
    }
    return repaired;
  }
}
