// The compact incoming-call popup: when a call rings while the phone window is hidden (in the
// tray) or minimized, a small always-on-top window in the corner of the screen shows who is
// calling with Answer and Decline. It loads the same renderer (#popup, the caller in the URL)
// with the same secure options, and its buttons come back as `popup/action` requests, which go
// to the phone window as notification actions. It closes when the call stops ringing.
import type { BrowserWindowConstructorOptions, Rectangle } from 'electron';
import type { IncomingCallNotice } from '@shared/ipc-contract';

export const POPUP_SIZE = { width: 340, height: 132 } as const;
const MARGIN = 16;

/** The part of BrowserWindow the popup uses. */
export interface PopupWindowLike {
  loadURL(url: string): Promise<void>;
  showInactive(): void;
  close(): void;
  isDestroyed(): boolean;
  on(event: 'closed', listener: () => void): unknown;
}

export interface IncomingPopupDeps {
  createWindow(options: BrowserWindowConstructorOptions): PopupWindowLike;
  /** The phone window's secure webPreferences (preload, sandbox…), reused as they are. */
  webPreferences: BrowserWindowConstructorOptions['webPreferences'];
  /** The renderer's URL (app://softphone/index.html or the dev server). */
  url: string;
  /** Where the popup may go: the primary display's work area. */
  workArea(): Rectangle;
  /** Whether the phone window is on screen (then no popup is needed). */
  mainWindowVisible(): boolean;
  bringMainToFront(): void;
  sendAction(callId: string, action: 'answer' | 'decline'): void;
  platform: NodeJS.Platform;
}

/** Bottom-right corner of the work area (top-right on macOS, where notifications appear). */
export function popupBounds(area: Rectangle, platform: NodeJS.Platform): Rectangle {
  const x = area.x + area.width - POPUP_SIZE.width - MARGIN;
  const y =
    platform === 'darwin' ? area.y + MARGIN : area.y + area.height - POPUP_SIZE.height - MARGIN;
  return { x, y, ...POPUP_SIZE };
}

/** The popup page's URL: the renderer with #popup and the caller as query parameters. */
export function popupUrl(base: string, notice: IncomingCallNotice): string {
  const params = new URLSearchParams({
    callId: notice.callId,
    number: notice.number,
    account: notice.accountLabel,
    ...(notice.name ? { name: notice.name } : {}),
  });
  return `${base.split('#')[0] ?? base}#popup?${params.toString()}`;
}

export class IncomingPopup {
  readonly #deps: IncomingPopupDeps;
  #window: PopupWindowLike | null = null;
  #callId: string | null = null;

  constructor(deps: IncomingPopupDeps) {
    this.#deps = deps;
  }

  /** The call the popup shows, if one is open. */
  get callId(): string | null {
    return this.#callId;
  }

  /** Shows the popup for a ringing call, unless the phone window is already on screen. */
  show(notice: IncomingCallNotice): void {
    if (this.#deps.mainWindowVisible()) {
      return;
    }
    this.close();
    const win = this.#deps.createWindow({
      ...popupBounds(this.#deps.workArea(), this.#deps.platform),
      frame: false,
      resizable: false,
      movable: true,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      focusable: true,
      show: false,
      title: 'Incoming call',
      webPreferences: this.#deps.webPreferences,
    });
    this.#window = win;
    this.#callId = notice.callId;
    win.on('closed', () => {
      if (this.#window === win) {
        this.#window = null;
        this.#callId = null;
      }
    });
    void win.loadURL(popupUrl(this.#deps.url, notice)).then(() => {
      if (!win.isDestroyed()) {
        // Inactive: typing elsewhere must not answer the call by accident.
        win.showInactive();
      }
    });
  }

  /** A button of the popup was pressed. */
  action(callId: string, action: 'answer' | 'decline'): void {
    if (callId !== this.#callId) {
      return;
    }
    this.#deps.sendAction(callId, action);
    if (action === 'answer') {
      this.#deps.bringMainToFront();
    }
    this.close();
  }

  /** The call stopped ringing (answered, declined, cancelled). */
  callEnded(callId: string): void {
    if (callId === this.#callId) {
      this.close();
    }
  }

  close(): void {
    const win = this.#window;
    this.#window = null;
    this.#callId = null;
    if (win && !win.isDestroyed()) {
      win.close();
    }
  }
}
