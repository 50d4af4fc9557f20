// The phone window: its secure options (DESIGN.md §4), close-to-tray (or minimise, when the
// desktop shows no tray: never an invisible running app), start hidden (only with a tray),
// bring to front, typed events to the renderer, the taskbar overlay (the Windows badge), and
// the window's own OS events passed on: the page crashing or hanging, the Windows session
// ending. Reload keys are swallowed. It receives its BrowserWindow through a factory so unit
// tests drive it with a fake.
import type { BrowserWindowConstructorOptions, Input, NativeImage } from 'electron';
import type { EventChannel, EventMap } from '@shared/ipc-contract';
import { createLogger, describeError, type Logger } from '../logger';
import type { Preventable } from '../security/web-security';
import { blockReloadKeys } from './app-menu';

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
  readonly id: number;
  send(channel: string, ...args: unknown[]): void;
  reload(): void;
  forcefullyCrashRenderer(): void;
  on(event: 'did-start-loading', listener: () => void): unknown;
  on(
    event: 'render-process-gone',
    listener: (event: unknown, details: { reason: string; exitCode: number }) => void,
  ): unknown;
  on(event: 'before-input-event', listener: (event: Preventable, input: Input) => void): unknown;
  isDestroyed(): boolean;
}

/** The part of BrowserWindow the window service uses (Electron's BrowserWindow satisfies it). */
export interface WindowLike {
  readonly webContents: WindowContents;
  show(): void;
  hide(): void;
  focus(): void;
  restore(): void;
  minimize(): void;
  moveTop(): void;
  flashFrame(flag: boolean): void;
  isVisible(): boolean;
  isMinimized(): boolean;
  isFocused(): boolean;
  isDestroyed(): boolean;
  loadURL(url: string): Promise<void>;
  on(event: 'close', listener: (event: Preventable) => void): unknown;
  on(event: 'closed', listener: () => void): unknown;
  on(
    event: 'show' | 'hide' | 'focus' | 'unresponsive' | 'responsive',
    listener: () => void,
  ): unknown;
  on(event: 'query-session-end' | 'session-end', listener: (event: Preventable) => void): unknown;
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
  /** Whether a tray icon can bring a hidden window back (else close minimises, no start hidden). */
  canHide(): boolean;
  /** Takes focus from other apps where the OS needs it (macOS `app.focus({ steal: true })`). */
  focusApp?(): void;
  /** The page started (re)loading: its listeners are gone until it asks for pending links. */
  onRendererReset?(): void;
  /** The window was shown or hidden (the tray's Show/Hide entry follows). */
  onVisibilityChange?(): void;
  /** The page's process is gone (Electron's RenderProcessGoneDetails reason). */
  onRendererGone?(reason: string): void;
  /** The page stopped (true) or resumed (false) answering. */
  onUnresponsive?(hung: boolean): void;
  /** Windows: the session is about to end ('query') or ends now ('end'). */
  onSessionEnding?(phase: 'query' | 'end'): void;
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

  /** Creates the window and loads the page; shows it when ready unless `startHidden` (with a tray). */
  open(opts: { startHidden: boolean }): Promise<void> {
    const win = this.#deps.createWindow(this.#deps.options);
    this.#win = win;
    this.#wantVisible ||= !opts.startHidden || !this.#deps.canHide();
    win.once('ready-to-show', () => {
      this.#shown = true;
      if (this.#wantVisible) {
        this.#reveal(win);
      }
    });
    win.on('close', (event) => this.#onClose(win, event));
    win.on('closed', () => {
      if (this.#win === win) {
        this.#win = null;
      }
    });
    win.on('show', () => this.#deps.onVisibilityChange?.());
    win.on('hide', () => this.#deps.onVisibilityChange?.());
    win.on('focus', () => win.flashFrame(false));
    this.#forwardOsEvents(win);
    blockReloadKeys(win.webContents);
    return win.loadURL(this.#deps.url).catch((error: unknown) => {
      this.#log.error(`the page did not load: ${describeError(error)}`);
    });
  }

  #forwardOsEvents(win: WindowLike): void {
    const deps = this.#deps;
    win.webContents.on('did-start-loading', () => deps.onRendererReset?.());
    win.webContents.on('render-process-gone', (_event, details) =>
      deps.onRendererGone?.(details.reason),
    );
    win.on('unresponsive', () => deps.onUnresponsive?.(true));
    win.on('responsive', () => deps.onUnresponsive?.(false));
    // Windows only (BrowserWindow docs); never prevented: the user's shutdown goes ahead.
    win.on('query-session-end', () => deps.onSessionEnding?.('query'));
    win.on('session-end', () => deps.onSessionEnding?.('end'));
  }

  // Close hides to the tray; without a tray a hidden window could never come back, so it
  // minimises (on Wayland the compositor decides whether it can; the window stays on screen).
  #onClose(win: WindowLike, event: Preventable): void {
    if (this.#deps.isQuitting()) {
      return;
    }
    event.preventDefault();
    if (this.#deps.canHide()) {
      this.#wantVisible = false;
      win.hide();
    } else {
      win.minimize();
    }
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
    const win = this.#live();
    if (!this.#deps.canHide()) {
      win?.minimize();
      return;
    }
    this.#wantVisible = false;
    win?.hide();
  }

  /**
   * Draws attention without stealing focus where the incoming-call popup cannot appear
   * (Wayland): shows the window if hidden, asks for activation (the desktop may show a
   * notification or flash the icon instead, per BrowserWindow.focus on Wayland) and sets the
   * urgency hint (flashFrame), cleared when the window gets focus.
   */
  requestAttention(): void {
    this.#wantVisible = true;
    const win = this.#live();
    if (!win || !this.#shown) {
      return;
    }
    if (!win.isVisible()) {
      win.show();
    }
    if (!win.isFocused()) {
      win.focus();
      win.flashFrame(true);
    }
  }

  /** Kills a hung page's renderer (reload() afterwards starts a new process). */
  killRenderer(): void {
    const win = this.#live();
    if (win && !win.webContents.isDestroyed()) {
      win.webContents.forcefullyCrashRenderer();
    }
  }

  /** Left click on the tray: hide a visible window, bring back a hidden one. */
  toggle(): void {
    if (this.isVisible()) {
      this.hide();
    } else {
      this.bringToFront();
    }
  }

  /** The page's WebContents id (the IPC sender check tells windows apart by it). */
  get contentsId(): number | null {
    return this.#live()?.webContents.id ?? null;
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
