// Plain sentences for why a recording could not be written. The recording stops with one of
// these; the call goes on and the part already written stays playable.
import { UserFacingError } from '../ipc/router';

/** The errno code of a Node file-system error, if it has one. */
export function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/** A recording stopped (or could not start) for a reason the user can act on. */
export class RecordingWriteError extends UserFacingError {
  override name = 'RecordingWriteError';
  readonly code: string | null;
  constructor(message: string, code: string | null) {
    super(message);
    this.code = code;
  }
}

/** The user-facing sentence for a failure while opening or writing in `folder`. */
export function describeWriteError(error: unknown, folder: string): string {
  const code = errorCode(error);
  const kept = 'The call goes on; what was recorded so far is kept.';
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return `The disk with the recordings folder (${folder}) is full, so recording stopped. ${kept} Free some space or pick another folder.`;
    case 'ENOENT':
    case 'ENOTDIR':
      return `The recordings folder (${folder}) is gone: it was removed, renamed or its disk was disconnected. Recording stopped. Pick a folder in the recording settings.`;
    case 'EACCES':
    case 'EPERM':
      return `The app is not allowed to write in the recordings folder (${folder}), so recording stopped. Pick another folder or change its permissions.`;
    case 'EROFS':
      return `The recordings folder (${folder}) is on a read-only disk, so recording stopped. Pick another folder.`;
    case 'EIO':
      return `The disk with the recordings folder (${folder}) reported an error, so recording stopped. ${kept}`;
    case 'ESEQ':
    case 'EFRAME':
      return `${error instanceof Error ? error.message : 'A piece of the recording was damaged.'} Recording stopped. ${kept}`;
    case 'EFBIG':
      return `The recording reached the largest file size allowed here, so it stopped. ${kept}`;
    default:
      return `Writing the recording failed${code ? ` (${code})` : ''}, so it stopped. ${kept}`;
  }
}
