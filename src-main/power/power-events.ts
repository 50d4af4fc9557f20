// Tells the renderer when registrations are worth renewing at once: after resume from sleep,
// after the screen is unlocked, and when the network comes back (net.isOnline() polled, since
// Electron has no online event in main; a false → true change counts).
import type { PowerEventReason } from '@shared/ipc-contract';

/** The part of Electron's powerMonitor used here. */
export interface PowerMonitorLike {
  on(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
  off(event: 'resume' | 'unlock-screen', listener: () => void): unknown;
}

export interface PowerEventsDeps {
  powerMonitor: PowerMonitorLike;
  isOnline(): boolean;
  notify(reason: PowerEventReason): void;
  /** How often the network state is polled. */
  pollMs?: number;
  setInterval?: (fn: () => void, ms: number) => unknown;
  clearInterval?: (handle: unknown) => void;
}

export const ONLINE_POLL_MS = 5000;

export class PowerEvents {
  #timer: unknown = null;
  #online = true;
  readonly #deps: PowerEventsDeps;
  readonly #onResume = (): void => this.#deps.notify('resume');
  readonly #onUnlock = (): void => this.#deps.notify('unlock');

  constructor(deps: PowerEventsDeps) {
    this.#deps = deps;
  }

  start(): void {
    this.#deps.powerMonitor.on('resume', this.#onResume);
    this.#deps.powerMonitor.on('unlock-screen', this.#onUnlock);
    this.#online = this.#deps.isOnline();
    const every = this.#deps.setInterval ?? ((fn, ms) => setInterval(fn, ms).unref());
    this.#timer = every(() => this.poll(), this.#deps.pollMs ?? ONLINE_POLL_MS);
  }

  /** One look at the network; emits 'online' when it just came back. */
  poll(): void {
    const online = this.#deps.isOnline();
    if (online && !this.#online) {
      this.#deps.notify('online');
    }
    this.#online = online;
  }

  stop(): void {
    this.#deps.powerMonitor.off('resume', this.#onResume);
    this.#deps.powerMonitor.off('unlock-screen', this.#onUnlock);
    if (this.#timer !== null) {
      (this.#deps.clearInterval ?? ((h) => clearInterval(h as NodeJS.Timeout)))(this.#timer);
      this.#timer = null;
    }
  }
}
