// The last step of quitting: recordings still open are closed (the file finished, its WAV
// header written, the list saved) before the process ends. The page stops its recordings when
// it hears app/quitting; this catches those it could not (it hung or was gone, the OS session
// ended). Electron's `will-quit` can be prevented ("Calling event.preventDefault() will prevent
// the default behavior, which is terminating the application", app docs); the app quits again
// once the files are closed, or after `timeoutMs` at the latest.
import type { Preventable } from '../security/web-security';

/** The parts of Electron's app used here. */
export interface QuittingApp {
  on(event: 'will-quit', listener: (event: Preventable) => void): unknown;
  quit(): void;
}

/** How long closing recordings may hold the quit. */
export const RECORDINGS_QUIT_TIMEOUT_MS = 3000;

export function closeRecordingsOnQuit(
  app: QuittingApp,
  recordings: { stopAll(): Promise<void> },
  options: { timeoutMs?: number; log?: (text: string) => void } = {},
): void {
  let closed = false;
  let closing = false;
  app.on('will-quit', (event) => {
    if (closed) {
      return;
    }
    event.preventDefault();
    if (closing) {
      return;
    }
    closing = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const limit = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        options.log?.('recordings did not close in time; quitting anyway');
        resolve();
      }, options.timeoutMs ?? RECORDINGS_QUIT_TIMEOUT_MS);
    });
    const stopped = recordings.stopAll().catch((error: unknown) => {
      options.log?.(`recordings not closed cleanly: ${String(error)}`);
    });
    void Promise.race([stopped, limit]).then(() => {
      clearTimeout(timer);
      closed = true;
      app.quit();
    });
  });
}
