// Connects the router to Electron's ipcMain: one handler per allow-listed channel, each passing
// the sending frame's URL (null when the frame is gone) and which of our windows sent it, for
// the router's sender check.
import { INVOKE_CHANNELS, type InvokeChannel, type IpcReply } from '@shared/ipc-contract';
import type { IpcRouter, SenderWindow } from './router';

/** The part of an invoke event used here (Electron's IpcMainInvokeEvent has it). */
export interface InvokeEventLike {
  readonly senderFrame: { readonly url: string } | null;
  /** The sending WebContents (its id tells the phone window from the popup). */
  readonly sender?: { readonly id: number };
}

/** The part of ipcMain used here. */
export interface IpcMainLike {
  handle(
    channel: string,
    listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<IpcReply<InvokeChannel>>,
  ): void;
}

/** The sender frame's URL of an invoke event, or null when the frame is already gone. */
export function senderUrl(event: InvokeEventLike): string | null {
  try {
    return event.senderFrame?.url ?? null;
  } catch {
    return null;
  }
}

/**
 * Registers the router behind every invoke channel. `windowOf` names the sending WebContents
 * (by id); without it every sender counts as the phone window.
 */
export function registerIpc(
  ipcMain: IpcMainLike,
  router: IpcRouter,
  windowOf?: (contentsId: number | null) => SenderWindow,
): void {
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, payload) =>
      router.dispatch(channel, payload, {
        url: senderUrl(event),
        ...(windowOf ? { window: windowOf(event.sender?.id ?? null) } : {}),
      }),
    );
  }
}
