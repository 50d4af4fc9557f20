// One recording file on disk while it is written: created exclusively (never overwriting; the
// name gets " (2)", " (3)"… instead), chunks appended strictly in order through one queue, and
// `sync()` making the written part durable (fdatasync, then the WAV header patched and synced)
// so a crash or power cut loses at most one sync interval. A sync also checks the file is still
// where it was created: on Linux and macOS a removed folder does not fail writes to an open
// file, it silently swallows them, so the check is what notices.
import { open, stat, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { PcmLayout } from '@shared/ipc-contract';
import { numberedFileName } from '@shared/recording-name';
import type { RecordingFormat } from '@shared/settings-types';
import {
  blockAlign,
  MAX_WAV_DATA_BYTES,
  patchWavSizes,
  WAV_HEADER_BYTES,
  wavDurationMs,
  wavHeader,
} from './wav-header';
import { errorCode } from './write-errors';

/** How many numbered names are tried before giving up. */
const MAX_NAME_TRIES = 999;

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** An error with an errno-style code, like the ones Node's fs raises. */
function codedError(message: string, code: string): Error {
  return Object.assign(new Error(message), { code });
}

export class RecordingFile {
  readonly path: string;
  readonly fileName: string;
  readonly format: RecordingFormat;
  readonly pcm: PcmLayout | null;
  readonly #handle: FileHandle;
  readonly #ino: number;
  #queue: Promise<void> = Promise.resolve();
  #nextSeq = 0;
  #bytes: number;
  #synced = 0;
  #failure: Error | null = null;
  #closed = false;

  private constructor(
    handle: FileHandle,
    ino: number,
    path: string,
    fileName: string,
    format: RecordingFormat,
    pcm: PcmLayout | null,
  ) {
    this.#handle = handle;
    this.#ino = ino;
    this.path = path;
    this.fileName = fileName;
    this.format = format;
    this.pcm = pcm;
    this.#bytes = pcm ? WAV_HEADER_BYTES : 0;
  }

  /** Creates `<base>.<ext>` (or a numbered variant) in `folder`; writes the WAV header. */
  static async create(
    folder: string,
    base: string,
    format: RecordingFormat,
    pcm: PcmLayout | null,
  ): Promise<RecordingFile> {
    for (let n = 1; n <= MAX_NAME_TRIES; n += 1) {
      const fileName = numberedFileName(base, format, n);
      const path = join(folder, fileName);
      let handle: FileHandle;
      try {
        // 'wx': fails when the name exists, so nothing is ever overwritten, even in a race.
        handle = await open(path, 'wx', 0o644);
      } catch (error: unknown) {
        if (errorCode(error) === 'EEXIST') {
          continue;
        }
        throw error;
      }
      try {
        const { ino } = await handle.stat();
        const file = new RecordingFile(handle, ino, path, fileName, format, pcm);
        if (pcm) {
          await handle.write(wavHeader(pcm, 0), 0, WAV_HEADER_BYTES, 0);
        }
        return file;
      } catch (error: unknown) {
        await handle.close().catch(() => {});
        throw error;
      }
    }
    throw codedError(`No free file name for "${base}" after ${MAX_NAME_TRIES} tries.`, 'EEXIST');
  }

  /** Bytes in the file (header included). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Audio bytes (WAV data chunk) or the whole file (WebM). */
  get dataBytes(): number {
    return this.pcm ? this.#bytes - WAV_HEADER_BYTES : this.#bytes;
  }

  /** Milliseconds of audio for WAV; null for WebM (its duration is not in our hands). */
  get durationMs(): number | null {
    return this.pcm ? wavDurationMs(this.pcm, this.dataBytes) : null;
  }

  /** The error that stopped this file, if any. */
  get failure(): Error | null {
    return this.#failure;
  }

  /**
   * Appends chunk `seq` (must be the next one). Rejects with the write error; after a failure
   * every later call rejects with the first error.
   */
  append(seq: number, data: Uint8Array): Promise<void> {
    if (seq !== this.#nextSeq) {
      const why = `piece ${seq} arrived where piece ${this.#nextSeq} was expected`;
      return Promise.reject(codedError(`A piece of the recording went missing (${why}).`, 'ESEQ'));
    }
    if (this.pcm && data.byteLength % blockAlign(this.pcm) !== 0) {
      return Promise.reject(
        codedError('A piece of the WAV recording did not hold whole frames.', 'EFRAME'),
      );
    }
    if (this.pcm && this.dataBytes + data.byteLength > MAX_WAV_DATA_BYTES) {
      return Promise.reject(codedError('WAV files cannot grow beyond 4 GiB.', 'EFBIG'));
    }
    this.#nextSeq += 1;
    return this.#enqueue(() => this.#write(data));
  }

  /** Makes everything appended so far durable and the WAV header true. */
  sync(): Promise<void> {
    return this.#enqueue(async () => {
      if (this.#synced === this.#bytes) {
        await this.#checkStillThere();
        return;
      }
      await this.#handle.datasync();
      if (this.pcm) {
        await patchWavSizes(this.#handle, this.dataBytes);
        await this.#handle.datasync();
      }
      this.#synced = this.#bytes;
      await this.#checkStillThere();
    });
  }

  /**
   * Finishes the file: on success a last sync; after a failure (disk full…) it still cuts a torn
   * frame and patches the header so the part written stays valid. Never throws: a problem met
   * here becomes `failure` (when there was none yet). Always closes the handle.
   */
  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    await this.#queue;
    this.#closed = true;
    try {
      if (this.#failure === null) {
        await this.#handle.datasync();
      }
      await this.#salvage();
    } catch (error: unknown) {
      this.#failure ??= asError(error);
    } finally {
      await this.#handle.close().catch(() => {});
    }
  }

  #enqueue(step: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(() => {
      if (this.#failure !== null) {
        throw this.#failure;
      }
      if (this.#closed) {
        throw codedError('The recording file is closed.', 'ECLOSED');
      }
      return step();
    });
    this.#queue = run.catch((error: unknown) => {
      this.#failure ??= asError(error);
    });
    return run;
  }

  async #write(data: Uint8Array): Promise<void> {
    let offset = 0;
    try {
      while (offset < data.byteLength) {
        const { bytesWritten } = await this.#handle.write(
          data,
          offset,
          data.byteLength - offset,
          this.#bytes + offset,
        );
        offset += bytesWritten;
      }
    } finally {
      // A partial write (disk full mid-chunk) still counts; close() cuts a torn WAV frame.
      this.#bytes += offset;
    }
  }

  async #checkStillThere(): Promise<void> {
    let ino: number;
    try {
      ino = (await stat(this.path)).ino;
    } catch (error: unknown) {
      const code = errorCode(error) ?? 'ENOENT';
      throw codedError(`The recording file is no longer at ${this.path}.`, code);
    }
    if (ino !== this.#ino) {
      throw codedError(`Another file took the place of ${this.path}.`, 'ENOENT');
    }
  }

  async #salvage(): Promise<void> {
    if (!this.pcm) {
      return;
    }
    const align = blockAlign(this.pcm);
    const data = Math.floor(this.dataBytes / align) * align;
    if (data !== this.dataBytes) {
      await this.#handle.truncate(WAV_HEADER_BYTES + data);
      this.#bytes = WAV_HEADER_BYTES + data;
    }
    await patchWavSizes(this.#handle, data);
    await this.#handle.datasync();
  }
}
