// "Quit" really quits, but unregisters first: main tells the page (`app/quitting`), the page
// unregisters every account and answers (`app/quit-ready`), then the app exits. A page that
// does not answer within the timeout (hung, crashed, gone) does not keep the app alive.
// The end of the OS session is a quit too: Windows asks first (`query-session-end`: the page
// starts unregistering at once, without holding up the user's shutdown), then ends it
// (`session-end`: no way to delay, so the app quits now and windows close instead of hiding);
// on Linux and macOS powerMonitor `shutdown` may be delayed briefly, so it waits for the page.
import { createLogger, type Logger } from '../logger';
import type { Preventable } from '../security/web-security';

/** How long the page gets to unregister. */
export const QUIT_TIMEOUT_MS = 3000;

export interface QuitFlowDeps {
  /** Sends `app/quitting`; false when there is no page to ask. */
  notifyRenderer(): boolean;
  /** Really quits (app.quit(): windows close, before-quit passes through). */
  quit(): void;
  /** Last words before quitting (release the display, remove the tray icon). */
  beforeQuit?(): void;
  timeoutMs?: number;
  setTimeout?: (fn: () => void, ms: number) => unknown;
  clearTimeout?: (handle: unknown) => void;
  log?: Logger;
}

type Phase = 'running' | 'waiting' | 'quitting';

export class QuitFlow {
  #phase: Phase = 'running';
  #timer: unknown = null;
  readonly #deps: QuitFlowDeps;
  readonly #log: Logger;

  constructor(deps: QuitFlowDeps) {
    this.#deps = deps;
    this.#log = deps.log ?? createLogger('quit');
  }

  /** True once the real quit has started: closing a window then closes it. */
  get quitting(): boolean {
    return this.#phase === 'quitting';
  }

  /** The user asked to quit (tray, menu, Cmd+Q). */
  request(): void {
    if (this.#phase !== 'running') {
      return;
    }
    this.#phase = 'waiting';
    if (!this.#deps.notifyRenderer()) {
      this.#finish('there is no page to unregister');
      return;
    }
    const later = this.#deps.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
    this.#timer = later(
      () => this.#finish('the page did not confirm in time'),
      this.#deps.timeoutMs ?? QUIT_TIMEOUT_MS,
    );
  }

  /** The page unregistered (`app/quit-ready`). */
  rendererReady(): void {
    if (this.#phase === 'waiting') {
      this.#finish('the page unregistered');
    }
  }

  /**
   * The OS session is ending. 'query' (Windows query-session-end, powerMonitor shutdown): start
   * unregistering now. 'end' (Windows session-end): the process may be gone any moment, so quit
   * at once; the page had since 'query' to unregister.
   */
  sessionEnding(phase: 'query' | 'end'): void {
    if (phase === 'query') {
      this.request();
      return;
    }
    if (this.#phase === 'running') {
      this.#deps.notifyRenderer(); // whatever time is left, the page starts unregistering
    }
    if (this.#phase !== 'quitting') {
      this.#finish('the session is ending');
    }
  }

  /** app 'before-quit': hold a quit that did not come through us until the page unregistered. */
  onBeforeQuit(event: Preventable): void {
    if (this.#phase === 'quitting') {
      return;
    }
    event.preventDefault();
    this.request();
  }

  #finish(why: string): void {
    if (this.#timer !== null) {
      (this.#deps.clearTimeout ?? ((h) => clearTimeout(h as NodeJS.Timeout)))(this.#timer);
      this.#timer = null;
    }
    this.#phase = 'quitting';
    this.#log.info(`quitting: ${why}`);
    this.#deps.beforeQuit?.();
    this.#deps.quit();
  }
}
