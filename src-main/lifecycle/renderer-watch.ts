// Keeps the phone alive when its page dies or hangs. The page runs JsSIP, so a crashed or hung
// renderer means no registration and no calls, silently. On `render-process-gone` the page is
// reloaded; on `unresponsive` it gets a grace period and is then killed and reloaded
// (webContents.forcefullyCrashRenderer() followed by reload(), as Electron's docs advise for
// recovering from `unresponsive`). Meanwhile the tray says what is happening, the user is told
// once with a notification, and the call that was going on is kept so the restarted page can
// record it as lost (`app/renderer-restarted`, delivered once the new page listens). A page
// that keeps dying is not reloaded forever: after MAX_RESTARTS within RESTART_WINDOW_MS the
// watch gives up and says so. Exits during quit are expected and ignored.
import type { PhoneSummary, RendererRestart } from '@shared/ipc-contract';
import { createLogger, type Logger } from '../logger';

/** Seconds a hung page gets before it is restarted. */
export const UNRESPONSIVE_GRACE_MS = 15_000;
export const MAX_RESTARTS = 3;
export const RESTART_WINDOW_MS = 5 * 60_000;

/** Electron's RenderProcessGoneDetails['reason'], plus our own 'unresponsive'. */
export type GoneReason = string;

export interface RendererWatchDeps {
  /** The last summary the page sent (the shell's one copy). */
  summary(): PhoneSummary;
  /** Reloads the page (a new renderer process after a crash or a kill). */
  reload(): void;
  /** Kills a hung renderer (webContents.forcefullyCrashRenderer). */
  kill(): void;
  /** Tells the user (a notification), once per incident. */
  tell(title: string, body: string): void;
  /** The tray and anything else showing the phone's state must be redrawn. */
  stateChanged(): void;
  /** The page and its calls are gone: the summary no longer describes anything live. */
  pageLost(): void;
  /** Sends the restart notice to the page. */
  sendRestart(restart: RendererRestart): boolean;
  quitting(): boolean;
  now?(): number;
  setTimeout?(fn: () => void, ms: number): unknown;
  clearTimeout?(handle: unknown): void;
  log?: Logger;
}

type Phase = 'ok' | 'hung' | 'restarting' | 'gave-up';

const PLAIN: Record<string, string> = {
  crashed: 'crashed',
  oom: 'ran out of memory',
  killed: 'was stopped by the system',
  'abnormal-exit': 'stopped unexpectedly',
  'launch-failed': 'could not start',
  'integrity-failure': 'failed a code integrity check',
  'memory-eviction': 'was closed to free memory',
  unresponsive: 'stopped responding',
};

/** The sentence for the user about a restart. */
export function restartMessage(reason: GoneReason, lostCall: RendererRestart['lostCall']): string {
  const what = `The phone window ${PLAIN[reason] ?? 'stopped'} and was restarted.`;
  if (!lostCall) {
    return `${what} Your accounts register again by themselves.`;
  }
  const who = lostCall.party ? ` with ${lostCall.party}` : '';
  return `${what} The call${who} was lost; call back if you need to.`;
}

export class RendererWatch {
  #phase: Phase = 'ok';
  #pending: RendererRestart | null = null;
  #restarts: number[] = [];
  #graceTimer: unknown = null;
  readonly #deps: RendererWatchDeps;
  readonly #log: Logger;

  constructor(deps: RendererWatchDeps) {
    this.#deps = deps;
    this.#log = deps.log ?? createLogger('renderer-watch');
  }

  /** The summary the tray should show: the page's, or what main knows while it is down. */
  view(summary: PhoneSummary): PhoneSummary {
    const text = this.#trayText();
    if (text === null) {
      return summary;
    }
    return {
      ...summary,
      registration: this.#phase === 'hung' ? summary.registration : 'offline',
      registrationText: text,
    };
  }

  /** The restart notice not yet delivered (the shell sends it when the new page listens). */
  get pending(): RendererRestart | null {
    return this.#pending;
  }

  /** webContents 'render-process-gone'. */
  gone(reason: GoneReason): void {
    this.#clearGrace();
    if (this.#deps.quitting() || reason === 'clean-exit') {
      return;
    }
    if (this.#phase === 'restarting' && this.#pending?.reason === 'unresponsive') {
      // Our own kill of a hung page: already reported.
      this.#restart();
      return;
    }
    this.#incident(reason);
  }

  /** BrowserWindow 'unresponsive': wait a little, then kill and restart. */
  unresponsive(): void {
    if (this.#phase !== 'ok' || this.#deps.quitting()) {
      return;
    }
    this.#phase = 'hung';
    this.#deps.stateChanged();
    const deps = this.#deps;
    const later = (fn: () => void, ms: number): unknown =>
      deps.setTimeout ? deps.setTimeout(fn, ms) : setTimeout(fn, ms);
    this.#graceTimer = later(() => {
      this.#graceTimer = null;
      if (this.#phase === 'hung') {
        this.#incident('unresponsive');
      }
    }, UNRESPONSIVE_GRACE_MS);
  }

  /** BrowserWindow 'responsive': the page recovered by itself. */
  responsive(): void {
    if (this.#phase !== 'hung') {
      return;
    }
    this.#clearGrace();
    this.#phase = 'ok';
    this.#deps.stateChanged();
  }

  /** The new page is listening (it asked for pending links): deliver the notice once. */
  pageListening(): void {
    if (this.#phase === 'restarting') {
      this.#phase = 'ok';
      this.#deps.stateChanged();
    }
    const restart = this.#pending;
    if (restart && this.#deps.sendRestart(restart)) {
      this.#pending = null;
    }
  }

  #incident(reason: GoneReason): void {
    const summary = this.#deps.summary();
    const lostCall = summary.call === 'idle' ? null : { state: summary.call, party: summary.party };
    const now = this.#now();
    const restart: RendererRestart = {
      reason,
      message: restartMessage(reason, lostCall),
      at: now,
      lostCall: lostCall ?? this.#pending?.lostCall ?? null,
    };
    this.#pending = restart;
    this.#restarts = [...this.#restarts.filter((t) => now - t < RESTART_WINDOW_MS), now];
    this.#log.warn(`the page ${reason}${lostCall ? ' during a call' : ''}`);
    this.#deps.pageLost();
    if (this.#restarts.length > MAX_RESTARTS) {
      this.#phase = 'gave-up';
      this.#deps.stateChanged();
      this.#deps.tell(
        'Open Softphone stopped working',
        'The phone window keeps stopping, so it is not restarted again. Quit Open Softphone and start it again.',
      );
      return;
    }
    // Without the caller's name: Linux notification servers read markup in the body.
    this.#deps.tell(
      'Open Softphone restarted',
      restartMessage(reason, lostCall && { ...lostCall, party: null }),
    );
    if (reason === 'unresponsive') {
      this.#phase = 'restarting';
      this.#deps.stateChanged();
      this.#deps.kill(); // a 'gone' follows, which reloads
      return;
    }
    this.#restart();
  }

  #restart(): void {
    this.#phase = 'restarting';
    this.#deps.stateChanged();
    this.#deps.reload();
  }

  #trayText(): string | null {
    switch (this.#phase) {
      case 'hung':
        return 'The phone window is not responding…';
      case 'restarting':
        return 'Restarting the phone after a problem…';
      case 'gave-up':
        return 'The phone stopped working: quit and start it again';
      default:
        return null;
    }
  }

  #clearGrace(): void {
    if (this.#graceTimer !== null) {
      const timer = this.#graceTimer;
      if (this.#deps.clearTimeout) {
        this.#deps.clearTimeout(timer);
      } else {
        clearTimeout(timer as NodeJS.Timeout);
      }
      this.#graceTimer = null;
    }
  }

  #now(): number {
    return this.#deps.now ? this.#deps.now() : Date.now();
  }
}
