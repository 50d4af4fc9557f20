// Owns the global hotkeys (Electron globalShortcut): registers the accelerators the settings
// name when hotkeys are on, refuses invalid, reserved and duplicated ones before the OS sees
// them (shared/accelerator.ts), turns the OS's silent refusal (register() → false, documented
// at https://www.electronjs.org/docs/latest/api/global-shortcut) into a plain sentence per OS,
// and unregisters everything it registered when hotkeys are turned off or the app quits.
import { displayAccelerator, planHotkeys, type HotkeyPlatform } from '@shared/accelerator';
import type { HotkeyStatus } from '@shared/ipc-contract';
import type { HotkeyAction, HotkeySettings } from '@shared/settings-types';
import { createLogger, describeError, type Logger } from '../logger';

/** The part of Electron's globalShortcut used here. */
export interface GlobalShortcutLike {
  register(accelerator: string, callback: () => void): boolean;
  unregister(accelerator: string): void;
}

export interface HotkeyServiceDeps {
  globalShortcut: GlobalShortcutLike;
  platform: NodeJS.Platform;
  /** XDG_SESSION_TYPE on Linux ('wayland' changes what can be promised). */
  sessionType?: string | undefined;
  /** What each action does; called from the OS's key event. */
  run(action: HotkeyAction): void;
  /** The statuses changed (after apply); main forwards them to the page. */
  onStatus(statuses: HotkeyStatus[]): void;
  /** Milliseconds clock, for ignoring key auto-repeat. */
  now?: () => number;
  log?: Logger;
}

/** A held hotkey can auto-repeat; presses of the same action closer than this count once. */
export const REPEAT_GUARD_MS = 400;

function hotkeyPlatform(platform: NodeJS.Platform): HotkeyPlatform {
  return platform === 'darwin' || platform === 'win32' ? platform : 'linux';
}

export class HotkeyService {
  readonly #deps: HotkeyServiceDeps;
  readonly #log: Logger;
  readonly #platform: HotkeyPlatform;
  /** Accelerators we registered, as passed to register(). */
  #registered: string[] = [];
  #statuses: HotkeyStatus[] = [];
  #applied: string | null = null;
  readonly #lastRun = new Map<HotkeyAction, number>();

  constructor(deps: HotkeyServiceDeps) {
    this.#deps = deps;
    this.#log = deps.log ?? createLogger('hotkeys');
    this.#platform = hotkeyPlatform(deps.platform);
  }

  /** Where every hotkey stands. */
  status(): HotkeyStatus[] {
    return this.#statuses.map((s) => ({ ...s }));
  }

  /** Registers what `settings` ask for (nothing when off); unchanged settings are left alone. */
  apply(settings: HotkeySettings): HotkeyStatus[] {
    const key = JSON.stringify(settings);
    if (key === this.#applied) {
      return this.status();
    }
    this.#applied = key;
    this.#unregisterOurs();
    this.#statuses = planHotkeys(settings, this.#platform).map((plan) => {
      if (plan.state === 'unassigned') {
        return { action: plan.action, accelerator: '', state: 'unassigned', message: null };
      }
      if (plan.state !== 'ready') {
        return { ...plan };
      }
      if (!settings.enabled) {
        return {
          action: plan.action,
          accelerator: plan.accelerator,
          state: 'disabled',
          message: null,
        };
      }
      return this.#register(plan.action, plan.accelerator, plan.canonical);
    });
    this.#deps.onStatus(this.status());
    return this.status();
  }

  /** Unregisters everything (hotkeys off, app quitting). */
  stop(): void {
    this.#unregisterOurs();
    this.#applied = null;
    this.#statuses = this.#statuses.map((s) =>
      s.state === 'registered' ? { ...s, state: 'disabled', message: null } : s,
    );
  }

  #register(action: HotkeyAction, accelerator: string, canonical: string): HotkeyStatus {
    const keys = displayAccelerator(canonical, this.#platform);
    let ok: boolean;
    try {
      ok = this.#deps.globalShortcut.register(accelerator, () => this.#fire(action));
    } catch (error: unknown) {
      this.#log.warn(`registering ${keys} threw: ${describeError(error)}`);
      const message = `${keys} could not be set up (${describeError(error)}).`;
      return { action, accelerator, state: 'failed', message };
    }
    if (!ok) {
      this.#log.info(`the OS refused ${keys}`);
      return { action, accelerator, state: 'refused', message: this.#refusal(keys, canonical) };
    }
    this.#registered.push(accelerator);
    return { action, accelerator, state: 'registered', message: this.#caveat() };
  }

  #fire(action: HotkeyAction): void {
    const now = (this.#deps.now ?? Date.now)();
    const last = this.#lastRun.get(action);
    if (last !== undefined && now - last < REPEAT_GUARD_MS) {
      return;
    }
    this.#lastRun.set(action, now);
    try {
      this.#deps.run(action);
    } catch (error: unknown) {
      this.#log.error(`the ${action} hotkey failed: ${describeError(error)}`);
    }
  }

  #unregisterOurs(): void {
    for (const accelerator of this.#registered) {
      try {
        this.#deps.globalShortcut.unregister(accelerator);
      } catch (error: unknown) {
        this.#log.warn(`unregistering a hotkey threw: ${describeError(error)}`);
      }
    }
    this.#registered = [];
  }

  #wayland(): boolean {
    return this.#platform === 'linux' && this.#deps.sessionType === 'wayland';
  }

  // register() returns false without saying why; these are the documented causes per OS.
  #refusal(keys: string, canonical: string): string {
    if (this.#wayland()) {
      return `${keys} was refused: on Wayland an app can only have global shortcuts through the desktop's GlobalShortcuts portal, and it is missing or said no. Set a shortcut in your desktop's keyboard settings instead, or run the app in an X11 session.`;
    }
    switch (this.#platform) {
      case 'darwin':
        return /Media|Volume/.test(canonical)
          ? `${keys} was refused: macOS only lets apps trusted under System Settings → Privacy & Security → Accessibility take media keys.`
          : `${keys} was refused by macOS: another app or a system shortcut already uses it. Choose other keys.`;
      case 'win32':
        return `${keys} was refused by Windows: another app has already claimed it. Choose other keys or close that app.`;
      default:
        return `${keys} was refused by the desktop: another app already grabbed it. Choose other keys.`;
    }
  }

  #caveat(): string | null {
    return this.#wayland()
      ? 'On Wayland the desktop decides: if this shortcut does nothing, set it up in the desktop’s keyboard settings.'
      : null;
  }
}
