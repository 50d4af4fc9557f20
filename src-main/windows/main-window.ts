// The phone window: its secure options (DESIGN.md §4), close-to-tray, start hidden, bring to
// front, and typed events to the renderer. It receives its BrowserWindow through a factory so
// unit tests drive it with a fake.
import type { BrowserWindowConstructorOptions, NativeImage } from 'electron';
import type { EventChannel, EventMap } from '@shared/ipc-contract';
import { createLogger, describeError, type Logger } from '../logger';
import type { Preventable } from '../security/web-security';

export interface WindowOptionsInput {
  preload: string;
  /** DevTools only in dev builds. */
  devTools: boolean;
  icon?: string;
}

/** The main window's options: sandboxed, isolated, no Node, and timers alive while hidden. */
export function mainWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  return {
    width: 400,
    height: 640,
    minWidth: 340,
    minHeight: 480,
    show: false,
    title: 'Open Softphone',
    autoHideMenuBar: true,
    ...(input.icon ? { icon: input.icon } : {}),
    webPreferences: {
      preload: input.preload,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      spellcheck: false,
      devTools: input.devTools,
      // JsSIP's timers (re-REGISTER, keep-alives, INVITE timers) must keep running in the tray.
      backgroundThrottling: false,
      // The ringtone has to play for a call that arrives while the window is hidden.
      autoplayPolicy: 'no-user-gesture-required',
    },
  };
}

/** The part of WebContents the window service uses. */
export interface WindowContents {
  send(channel: string, ...args: unknown[]): void;
  reload(): void;
  on(event: 'did-start-loading', listener: () => void): unknown;
  isDestroyed(): boolean;
}

/** The part of BrowserWindow the window service uses (Electron's BrowserWindow satisfies it). */
export interface WindowLike {
  readonly webContents: WindowContents;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  moveTop(): void;
  isVisible(): boolean;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  loadURL(url: string): Promise<void>;
  on(event: 'close', listener: (event: Preventable) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  on(event: 'show' | 'hide', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
  /** Windows only (Electron defines it on win32): the taskbar overlay, used as the badge. */
  setOverlayIcon?(overlay: NativeImage | null, description: string): void;
}

export interface MainWindowDeps {
  createWindow(options: BrowserWindowConstructorOptions): WindowLike;
  options: BrowserWindowConstructorOptions;
  /** The renderer's URL: app://softphone/index.html, or the dev server. */
  url: string;
  /** True once the app is really quitting: a close then closes instead of hiding. */
  isQuitting(): boolean;
  /** Takes focus from other apps where the OS needs it (macOS `app.focus({ steal: true })`). */
  focusApp?(): void;
  /** The page started (re)loading: its listeners are gone until it asks for pending links. */
  onRendererReset?(): void;
  /** The window was shown or hidden (the tray's Show/Hide entry follows). */
  onVisibilityChange?(): void;
  log?: Logger;
}

export class MainWindow {
  #win: WindowLike | null = null;
  #shown = false;
  #wantVisible = false;
  readonly #deps: MainWindowDeps;
  readonly #log: Logger;

  constructor(deps: MainWindowDeps) {
    this.#deps = deps;
    this.#log = deps.log ?? createLogger('window');
  }

  /** Creates the window and loads the page; shows it when ready unless `startHidden`. */
  open(opts: { startHidden: boolean }): Promise<void> {
    const win = this.#deps.createWindow(this.#deps.options);
    this.#win = win;
    this.#wantVisible ||= !opts.startHidden;
    win.once('ready-to-show', () => {
      this.#shown = true;
      if (this.#wantVisible) {
        this.#reveal(win);
      }
    });
    win.on('close', (event) => {
      if (!this.#deps.isQuitting()) {
        event.preventDefault();
        win.hide();
      }
    });
    win.on('closed', () => {
      if (this.#win === win) {
        this.#win = null;
      }
    });
    win.on('show', () => this.#deps.onVisibilityChange?.());
    win.on('hide', () => this.#deps.onVisibilityChange?.());
    win.webContents.on('did-start-loading', () => this.#deps.onRendererReset?.());
    return win.loadURL(this.#deps.url).catch((error: unknown) => {
      this.#log.error(`the page did not load: ${describeError(error)}`);
    });
  }

  /** Shows, restores and focuses the window (or does so as soon as it is ready). */
  bringToFront(): void {
    this.#wantVisible = true;
    const win = this.#live();
    if (win && this.#shown) {
      this.#reveal(win);
    }
  }

  hide(): void {
    this.#wantVisible = false;
    this.#live()?.hide();
  }

  /** Left click on the tray: hide a visible window, bring back a hidden one. */
  toggle(): void {
    if (this.isVisible()) {
      this.hide();
    } else {
      this.bringToFront();
    }
  }

  /** Whether the page has painted once (ready-to-show), shown or not. */
  get readyToShow(): boolean {
    return this.#shown;
  }

  isVisible(): boolean {
    const win = this.#live();
    return win !== null && win.isVisible() && !win.isMinimized();
  }

  /** Sends a typed event to the page; false when there is no page to send to. */
  send<C extends EventChannel>(channel: C, payload: EventMap[C]): boolean {
    const win = this.#live();
    if (!win || win.webContents.isDestroyed()) {
      return false;
    }
    win.webContents.send(channel, payload);
    return true;
  }

  /** Sets the taskbar overlay (Windows); does nothing where the window has none. */
  setOverlayIcon(overlay: NativeImage | null, description: string): void {
    this.#live()?.setOverlayIcon?.(overlay, description);
  }

  /** Reloads the page (its listeners re-register; pending links are queued meanwhile). */
  reload(): void {
    const win = this.#live();
    if (win && !win.webContents.isDestroyed()) {
      win.webContents.reload();
    }
  }

  #live(): WindowLike | null {
    return this.#win && !this.#win.isDestroyed() ? this.#win : null;
  }

  #reveal(win: WindowLike): void {
    if (win.isMinimized()) {
      win.restore();
    }
    win.show();
    win.moveTop();
    win.focus();
    this.#deps.focusApp?.();
  }
}
