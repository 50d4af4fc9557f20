// A fake of Electron's globalShortcut that models its documented behaviour and its refusals,
// per OS, so the hotkey service is tested against something no kinder than the real thing:
// - https://www.electronjs.org/docs/latest/api/global-shortcut: register() returns false when
//   "the accelerator is already taken by other applications" (it "will silently fail"); on
//   macOS 10.14+ the media keys are refused unless the app is a trusted accessibility client;
//   "This module cannot be used before the ready event" (electron_api_global_shortcut.cc throws
//   "globalShortcut cannot be used before the app is ready").
// - An accelerator string Electron cannot convert makes the call throw a TypeError (gin's
//   argument conversion, accelerator_converter.cc → accelerator_util::StringToAccelerator).
// - Chromium's GlobalShortcutListener::RegisterAccelerator returns false for an accelerator
//   this app already registered (the same keys spelled differently count as the same).
// - Wayland: without Chromium's GlobalShortcutsPortal an app cannot grab keys (register() is
//   refused); with the portal the desktop may still reject the bind without telling the app
//   (electron.d.ts on app.setDesktopName: GNOME 50 "rejects globalShortcut binds ... with no
//   error surfaced to the app", electron/electron#52218): register() returns true and the
//   shortcut never fires.
// Only Electron's table of shifted characters is shared with the code under test.
import { SHIFTED_CHARACTERS as SHIFTED } from '@shared/accelerator-keys';
import type { GlobalShortcutLike } from '../../src-main/hotkeys/hotkey-service';

export type FakeShortcutPlatform = 'darwin' | 'win32' | 'linux-x11' | 'linux-wayland';

export interface FakeShortcutOptions {
  platform: FakeShortcutPlatform;
  /** Accelerators other applications own (any spelling). */
  takenByOthers?: string[];
  /** macOS: the app is trusted under Privacy & Security → Accessibility. */
  trustedAccessibilityClient?: boolean;
  /** Linux Wayland: the GlobalShortcutsPortal feature is on. */
  portal?: boolean;
  /** Linux Wayland with portal: the desktop rejects binds silently (GNOME 50). */
  portalRejects?: boolean;
  /** app `ready` has fired (default true). */
  ready?: boolean;
}

const MODIFIERS: Record<string, string> = {
  ctrl: 'ctrl',
  control: 'ctrl',
  cmd: 'cmd',
  command: 'cmd',
  super: 'cmd',
  meta: 'cmd',
  alt: 'alt',
  option: 'alt',
  altgr: 'altgr',
  shift: 'shift',
};
const NAMED = new Set(
  (
    'plus space tab capslock numlock scrolllock backspace delete insert return enter up down ' +
    'left right home end pageup pagedown escape esc volumeup volumedown volumemute ' +
    'medianexttrack mediaprevioustrack mediastop mediaplaypause printscreen numdec numadd ' +
    'numsub nummult numdiv'
  ).split(' '),
);
const ALIASES: Record<string, string> = { return: 'enter', esc: 'escape', plus: '=' };

/** Electron's StringToAccelerator, reduced to identity: null when it would fail to convert. */
function identity(accelerator: string, mac: boolean): string | null {
  if (!/^[\x20-\x7e]*$/.test(accelerator)) {
    return null;
  }
  const mods = new Set<string>();
  let key: string | null = null;
  for (const raw of accelerator
    .split('+')
    .map((t) => t.trim())
    .filter(Boolean)) {
    const token = raw.toLowerCase();
    if (token === 'commandorcontrol' || token === 'cmdorctrl') {
      mods.add(mac ? 'cmd' : 'ctrl');
      continue;
    }
    const modifier = MODIFIERS[token];
    if (modifier) {
      mods.add(modifier);
      continue;
    }
    if (raw.length === 1 && SHIFTED[raw] !== undefined) {
      mods.add('shift');
      key = SHIFTED[raw] ?? null;
    } else if (
      raw.length === 1 ||
      NAMED.has(token) ||
      /^f([1-9]|1\d|2[0-4])$/.test(token) ||
      /^num\d$/.test(token)
    ) {
      key = ALIASES[token] ?? token; // Electron keeps the last key when several are given
      if (token === 'plus') {
        mods.add('shift');
      }
    } else {
      return null;
    }
  }
  return key === null ? null : [...[...mods].sort(), key].join('+');
}

export class FakeGlobalShortcut implements GlobalShortcutLike {
  readonly options: FakeShortcutOptions;
  /** identity → callback, for what this app registered. */
  readonly #registered = new Map<string, () => void>();
  readonly #taken: Set<string>;
  /** Every call, in order, for assertions. */
  readonly calls: string[] = [];

  constructor(options: FakeShortcutOptions) {
    this.options = { ready: true, ...options };
    this.#taken = new Set(
      (options.takenByOthers ?? []).map((a) => this.#identity(a) ?? `invalid:${a}`),
    );
  }

  #identity(accelerator: string): string | null {
    return identity(accelerator, this.options.platform === 'darwin');
  }

  #convert(accelerator: string): string {
    if (!this.options.ready) {
      throw new Error('globalShortcut cannot be used before the app is ready');
    }
    const id = this.#identity(accelerator);
    if (id === null) {
      throw new TypeError(
        `Error processing argument at index 0, conversion failure from ${accelerator}`,
      );
    }
    return id;
  }

  register(accelerator: string, callback: () => void): boolean {
    this.calls.push(`register ${accelerator}`);
    const id = this.#convert(accelerator);
    if (this.#registered.has(id) || this.#taken.has(id)) {
      return false;
    }
    const { platform } = this.options;
    if (
      platform === 'darwin' &&
      /media|volume/.test(id) &&
      !this.options.trustedAccessibilityClient
    ) {
      return false;
    }
    if (platform === 'linux-wayland' && !this.options.portal) {
      return false;
    }
    this.#registered.set(id, callback);
    return true;
  }

  unregister(accelerator: string): void {
    this.calls.push(`unregister ${accelerator}`);
    this.#registered.delete(this.#convert(accelerator));
  }

  unregisterAll(): void {
    this.calls.push('unregisterAll');
    this.#registered.clear();
  }

  isRegistered(accelerator: string): boolean {
    return this.#registered.has(this.#convert(accelerator));
  }

  /** How many shortcuts this app holds. */
  get count(): number {
    return this.#registered.size;
  }

  /**
   * The user presses keys anywhere on the desktop. Returns whether our callback ran (false when
   * another app owns them, nothing is registered, or a Wayland desktop swallowed the bind).
   */
  press(accelerator: string): boolean {
    const id = this.#identity(accelerator);
    const callback = id === null ? undefined : this.#registered.get(id);
    if (!callback || (this.options.platform === 'linux-wayland' && this.options.portalRejects)) {
      return false;
    }
    callback();
    return true;
  }
}
