// Electron's side of recording: the folder and file pickers (dialog.showOpenDialog, modal to
// the focused window), "show in folder" and delete-to-trash (shell), and the default folder
// (a subfolder of the OS music folder, else documents, else home).
import type * as electron from 'electron';
import { join } from 'node:path';
import type { RecordingDesktop } from './recording-handlers';

type DesktopElectron = Pick<typeof electron, 'dialog' | 'shell' | 'BrowserWindow'>;

/** The subfolder created for recordings in the default location. */
export const DEFAULT_SUBFOLDER = 'Open Softphone recordings';

/** `<music>/Open Softphone recordings`, falling back to documents, then home. */
export function defaultRecordingFolder(app: Pick<electron.App, 'getPath'>): string {
  for (const name of ['music', 'documents', 'home'] as const) {
    try {
      return join(app.getPath(name), DEFAULT_SUBFOLDER);
    } catch {
      // app.getPath throws when the OS has no such folder; try the next one.
    }
  }
  throw new Error('No folder for recordings could be found.');
}

export function recordingDesktop(e: DesktopElectron): RecordingDesktop {
  const open = async (options: electron.OpenDialogOptions): Promise<string | null> => {
    const parent = e.BrowserWindow.getFocusedWindow();
    const result = parent
      ? await e.dialog.showOpenDialog(parent, options)
      : await e.dialog.showOpenDialog(options);
    return result.canceled ? null : (result.filePaths[0] ?? null);
  };
  return {
    chooseFolder: (defaultPath) =>
      open({
        title: 'Folder for call recordings',
        defaultPath,
        properties: ['openDirectory', 'createDirectory'],
      }),
    chooseAudioFile: (extensions) =>
      open({
        title: 'Recording announcement',
        properties: ['openFile'],
        filters: [{ name: 'Audio', extensions }],
      }),
    reveal: (path) => e.shell.showItemInFolder(path),
    removeFile: (path) => e.shell.trashItem(path),
  };
}
