// The IPC answers for recording/*: the writer's start/chunk/pause/resume/stop, the list for the
// history (delete, show in folder) and the pickers for the folder and the announcement file.
// Electron's dialog and shell come in as RecordingDesktop, so this runs under the e2e transport.
import { readFile, stat } from 'node:fs/promises';
import type { InvokeChannel } from '@shared/ipc-contract';
import type { RecordingSettings } from '@shared/settings-types';
import { UserFacingError, type Handlers } from '../ipc/router';
import type { SettingsStore } from '../settings/settings-store';
import { refuseFolder } from './folder-policy';
import type { RecordingService } from './recording-service';

export type RecordingChannel = Extract<InvokeChannel, `recording/${string}`>;
export type RecordingHandlers = Pick<Handlers, RecordingChannel>;

/** Largest announcement file accepted (a minute of 44.1 kHz stereo WAV is ~10 MB). */
export const MAX_ANNOUNCEMENT_BYTES = 10 * 1024 * 1024;
export const ANNOUNCEMENT_EXTENSIONS = ['wav', 'ogg', 'oga', 'opus', 'mp3', 'm4a', 'webm', 'flac'];

/** Electron's dialog and shell, as used here. */
export interface RecordingDesktop {
  /** dialog.showOpenDialog with openDirectory; null when cancelled. */
  chooseFolder(defaultPath: string): Promise<string | null>;
  /** dialog.showOpenDialog with openFile and audio filters; null when cancelled. */
  chooseAudioFile(extensions: string[]): Promise<string | null>;
  /** shell.showItemInFolder. */
  reveal(path: string): void;
  /** shell.trashItem (the file can be restored from the trash). */
  removeFile(path: string): Promise<void>;
}

export interface RecordingHandlerDeps {
  service: RecordingService;
  desktop: RecordingDesktop;
  settings: SettingsStore;
  defaultFolder(): string;
  forbidden: readonly string[];
  platform: NodeJS.Platform;
}

async function announcementSize(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (info.isFile()) {
      return info.size;
    }
  } catch {
    // Reported below in one sentence.
  }
  throw new UserFacingError(
    `The announcement file ${path} cannot be read (moved or deleted?). The built-in announcement is used instead.`,
  );
}

async function checkAnnouncement(path: string): Promise<void> {
  const size = await announcementSize(path);
  if (size > MAX_ANNOUNCEMENT_BYTES) {
    throw new UserFacingError(
      `The announcement file is larger than ${MAX_ANNOUNCEMENT_BYTES / 1024 / 1024} MB; pick a shorter one.`,
    );
  }
}

export function createRecordingHandlers(deps: RecordingHandlerDeps): RecordingHandlers {
  const { service, desktop, settings } = deps;
  const save = async (patch: Partial<RecordingSettings>): Promise<void> => {
    const recording = { ...settings.get().recording, ...patch };
    // The store announces the change to the page and the rest of main.
    await settings.update({ recording });
  };
  return {
    'recording/start': (request) => service.start(request),
    'recording/chunk': async ({ id, seq, data }) => {
      await service.append(id, seq, data);
      return null;
    },
    'recording/pause': async ({ id }) => {
      await service.pause(id);
      return null;
    },
    'recording/resume': async ({ id }) => {
      await service.resume(id);
      return null;
    },
    'recording/stop': ({ id }) => service.stop(id),
    'recording/list': () => service.list(),
    'recording/delete': async ({ id }) => {
      await service.delete(id, (path) => desktop.removeFile(path));
      return null;
    },
    'recording/reveal': async ({ id }) => {
      const entry = await service.entry(id);
      if (!entry.exists) {
        throw new UserFacingError(`The file ${entry.fileName} is no longer in its folder.`);
      }
      desktop.reveal(entry.path);
      return null;
    },
    'recording/choose-folder': async () => {
      const folder = await desktop.chooseFolder(
        settings.get().recording.folder ?? deps.defaultFolder(),
      );
      if (folder === null) {
        return null;
      }
      const refusal = await refuseFolder(folder, deps.forbidden, deps.platform);
      if (refusal) {
        throw new UserFacingError(refusal);
      }
      await save({ folder });
      return folder;
    },
    'recording/choose-announcement': async () => {
      const path = await desktop.chooseAudioFile(ANNOUNCEMENT_EXTENSIONS);
      if (path === null) {
        return null;
      }
      await checkAnnouncement(path);
      await save({ announcementFile: path });
      return path;
    },
    'recording/read-announcement': async () => {
      const path = settings.get().recording.announcementFile;
      if (path === null) {
        return null;
      }
      await checkAnnouncement(path);
      // A plain Uint8Array (not a Buffer over Node's shared pool) crosses IPC as itself.
      return new Uint8Array(await readFile(path));
    },
  };
}

/** Handlers for where no recording service exists (tests of other features): they refuse. */
export function refuseRecordingHandlers(): RecordingHandlers {
  const refuse = (): never => {
    throw new UserFacingError('Recording is not available here.');
  };
  return {
    'recording/start': refuse,
    'recording/chunk': refuse,
    'recording/pause': refuse,
    'recording/resume': refuse,
    'recording/stop': refuse,
    'recording/list': () => [],
    'recording/delete': refuse,
    'recording/reveal': refuse,
    'recording/choose-folder': refuse,
    'recording/choose-announcement': refuse,
    'recording/read-announcement': () => null,
  };
}
