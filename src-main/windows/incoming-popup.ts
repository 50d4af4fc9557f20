// The compact incoming-call popup: when a call rings while the phone window is hidden (in the
// tray) or minimized, a small always-on-top window in the corner of the display the pointer is
// on shows who is calling with Answer and Decline. It loads the renderer (#popup, the caller in
// the URL) with its own preload, which can only send `popup/action`; the buttons go to the
// phone window as notification actions. It closes when the call stops ringing.
// Per OS (BrowserWindow and screen docs):
// - macOS: it also shows over full-screen apps (setVisibleOnAllWorkspaces with
//   visibleOnFullScreen, at the screen-saver level), in the top-right corner like notifications.
// - Wayland: a window cannot place itself, stay on top or show without focus there
//   (setPosition, setAlwaysOnTop, showInactive and getCursorScreenPoint are "not supported on
//   Wayland"), so no popup opens; the phone window asks for attention instead (activation
//   request and urgency hint) and the notification does the rest.
import type { BrowserWindowConstructorOptions, Point, Rectangle } from 'electron';
import type { IncomingCallNotice } from '@shared/ipc-contract';

export const POPUP_SIZE = { width: 340, height: 132 } as const;
const MARGIN = 16;

/** The part of BrowserWindow the popup uses. */
export interface PopupWindowLike {
  readonly webContents: { readonly id: number };
  loadURL(url: string): Promise<void>;
  showInactive(): void;
  close(): void;
  isDestroyed(): boolean;
  setVisibleOnAllWorkspaces(visible: boolean, options?: { visibleOnFullScreen?: boolean }): void;
  setAlwaysOnTop(flag: boolean, level?: 'screen-saver'): void;
  on(event: 'closed', listener: () => void): unknown;
}

/** The part of Electron's screen module used to place the popup. */
export interface PopupScreen {
  getCursorScreenPoint(): Point;
  getDisplayNearestPoint(point: Point): { workArea: Rectangle };
  getPrimaryDisplay(): { workArea: Rectangle };
}

export interface IncomingPopupDeps {
  createWindow(options: BrowserWindowConstructorOptions): PopupWindowLike;
  /** The popup's secure webPreferences, with its own narrow preload. */
  webPreferences: BrowserWindowConstructorOptions['webPreferences'];
  /** The renderer's URL (app://softphone/index.html or the dev server). */
  url: string;
  screen: PopupScreen;
  /** A native Wayland session: no popup, the phone window asks for attention instead. */
  wayland: boolean;
  /** Whether the phone window is on screen (then no popup is needed). */
  mainWindowVisible(): boolean;
  bringMainToFront(): void;
  /** Wayland: show the phone window without a popup (activation request, urgency hint). */
  requestAttention(): void;
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

/** The work area of the display the pointer is on (the primary one if that cannot be known). */
export function popupWorkArea(screen: PopupScreen): Rectangle {
  try {
    return screen.getDisplayNearestPoint(screen.getCursorScreenPoint()).workArea;
  } catch {
    return screen.getPrimaryDisplay().workArea;
  }
}

/** Marks the popup's document, so the app protocol tells it from the phone window's. */
export const POPUP_QUERY = 'window=popup';

/** The popup page's URL: the renderer with #popup and the caller as parameters of the hash. */
export function popupUrl(base: string, notice: IncomingCallNotice): string {
  const params = new URLSearchParams({
    callId: notice.callId,
    number: notice.number,
    account: notice.accountLabel,
    ...(notice.name ? { name: notice.name } : {}),
    ...(notice.recording ? { rec: notice.recording } : {}),
  });
  const page = (base.split('#')[0] ?? base).split('?')[0] ?? base;
  return `${page}?${POPUP_QUERY}#popup?${params.toString()}`;
}

/** Whether a requested URL is the popup's document (see POPUP_QUERY). */
export function isPopupDocument(url: string): boolean {
  try {
    return new URL(url).searchParams.get('window') === 'popup';
  } catch {
    return false;
  }
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
    if (this.#deps.wayland) {
      this.#deps.requestAttention();
      return;
    }
    const win = this.#deps.createWindow({
      ...popupBounds(popupWorkArea(this.#deps.screen), this.#deps.platform),
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
    if (this.#deps.platform === 'darwin') {
      win.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
      win.setAlwaysOnTop(true, 'screen-saver');
    }
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

  /** The open popup's WebContents id, for the IPC sender check (null when none is open). */
  get contentsId(): number | null {
    const win = this.#window;
    return win && !win.isDestroyed() ? win.webContents.id : null;
  }
}
