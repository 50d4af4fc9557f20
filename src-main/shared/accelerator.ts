// Owns checking global hotkey accelerators before they reach Electron's globalShortcut: the
// Accelerator grammar (https://www.electronjs.org/docs/latest/api/accelerator, parsed the way
// Electron's accelerator_util.cc / keyboard_util.cc do), a canonical form so two spellings of
// the same keys ("Ctrl+!" and "Control+Shift+1") are seen as one, keys that would steal typing
// from every app, and combinations the OS or every app already uses. Platform-free and pure;
// what the OS itself refuses is only known when registering (src-main/hotkeys).
import {
  EDITING,
  NAMED_KEYS,
  PLAIN_CHARACTERS,
  RESERVED,
  SHIFTED_CHARACTERS,
  WIN_KEY,
} from './accelerator-keys';
import type { HotkeyAction, HotkeySettings } from './settings-types';

export type HotkeyPlatform = 'darwin' | 'win32' | 'linux';

export type AcceleratorProblem = 'invalid' | 'no-key' | 'two-keys' | 'needs-modifier' | 'reserved';

export type AcceleratorCheck =
  | {
      ok: true;
      /** Stable identity of the keys on this platform, e.g. "Control+Alt+Shift+A". */
      canonical: string;
    }
  | { ok: false; problem: AcceleratorProblem; message: string };

/** The actions in settings order, with their names for messages. */
export const HOTKEY_ACTIONS: readonly { action: HotkeyAction; label: string }[] = [
  { action: 'answer', label: 'Answer' },
  { action: 'hangUp', label: 'Hang up' },
  { action: 'mute', label: 'Mute' },
  { action: 'showPhone', label: 'Show the phone' },
  { action: 'dialSelection', label: 'Dial the selected text' },
];

type Modifier = 'Control' | 'Alt' | 'AltGr' | 'Shift' | 'Super';
const MODIFIER_ORDER: readonly Modifier[] = ['Control', 'Alt', 'AltGr', 'Shift', 'Super'];

/** Keys that may be a hotkey on their own: they type nothing. */
const STANDALONE = /^(F1[3-9]|F2[0-4]|Volume\w+|Media\w+)$/;

interface Parsed {
  modifiers: Set<Modifier>;
  key: string;
}

function modifierOf(token: string, platform: HotkeyPlatform): Modifier | null {
  switch (token) {
    case 'ctrl':
    case 'control':
      return 'Control';
    case 'super':
    case 'cmd':
    case 'command':
    case 'meta':
      return 'Super';
    case 'commandorcontrol':
    case 'cmdorctrl':
      return platform === 'darwin' ? 'Super' : 'Control';
    case 'alt':
    case 'option':
      return 'Alt';
    case 'altgr':
      return 'AltGr';
    case 'shift':
      return 'Shift';
    default:
      return null;
  }
}

/** The key a token names, with whether it implies Shift; null when Electron would not know it. */
function keyOf(token: string): { key: string; shifted: boolean } | null {
  if (token.length === 1) {
    if (/[a-z0-9]/i.test(token)) {
      return { key: token.toUpperCase(), shifted: false };
    }
    const base = SHIFTED_CHARACTERS[token];
    if (base !== undefined) {
      return { key: base, shifted: true };
    }
    return PLAIN_CHARACTERS.has(token) ? { key: token, shifted: false } : null;
  }
  const lower = token.toLowerCase();
  const named = NAMED_KEYS[lower];
  if (named !== undefined) {
    return { key: named, shifted: lower === 'plus' };
  }
  const fn = /^f([1-9]|1[0-9]|2[0-4])$/.exec(lower);
  if (fn) {
    return { key: `F${fn[1]}`, shifted: false };
  }
  const numpad = /^num([0-9])$/.exec(lower);
  return numpad ? { key: `num${numpad[1]}`, shifted: false } : null;
}

function parse(text: string, platform: HotkeyPlatform): Parsed | AcceleratorCheck {
  // ASCII only and '+'-separated, as Electron's StringToAccelerator; a trailing "++" is not a key.
  if (!/^[\x20-\x7e]+$/.test(text) || /\+\s*\+/.test(text)) {
    return invalid(text);
  }
  const tokens = text
    .split('+')
    .map((t) => t.trim())
    .filter(Boolean);
  const modifiers = new Set<Modifier>();
  let key: string | null = null;
  for (const token of tokens) {
    const modifier = modifierOf(token.toLowerCase(), platform);
    if (modifier) {
      modifiers.add(modifier);
      continue;
    }
    const found = keyOf(token);
    if (!found) {
      return invalid(text, token);
    }
    if (key !== null) {
      return {
        ok: false,
        problem: 'two-keys',
        message: `"${text}" names two keys; use modifiers plus one key.`,
      };
    }
    key = found.key;
    if (found.shifted) {
      modifiers.add('Shift');
    }
  }
  if (key === null) {
    return { ok: false, problem: 'no-key', message: `"${text}" has modifiers but no key.` };
  }
  return { modifiers, key };
}

function invalid(text: string, token?: string): AcceleratorCheck {
  const which = token ? ` ("${token}" is not a key name)` : '';
  return {
    ok: false,
    problem: 'invalid',
    message: `"${text}" is not a valid shortcut${which}. Example: CommandOrControl+Alt+Shift+A.`,
  };
}

function canonicalOf(parsed: Parsed): string {
  return [...MODIFIER_ORDER.filter((m) => parsed.modifiers.has(m)), parsed.key].join('+');
}

/** The same keys as the user would read them on `platform` (Cmd/Option on macOS). */
export function displayAccelerator(canonical: string, platform: HotkeyPlatform): string {
  if (platform !== 'darwin') {
    return canonical.replace('Control', 'Ctrl').replace('Super', 'Win');
  }
  return canonical.replace('Super', 'Cmd').replace('Alt', 'Option');
}

/** Why the OS or every app already uses these keys, or null. Keyed by canonical form. */
function reservedReason(canonical: string, platform: HotkeyPlatform): string | null {
  const primary = platform === 'darwin' ? 'Super' : 'Control';
  const [mods, key] = splitCanonical(canonical);
  const only = (...wanted: Modifier[]): boolean =>
    mods.length === wanted.length && wanted.every((m) => mods.includes(m));
  if ((only(primary) || only(primary, 'Shift')) && EDITING.includes(key)) {
    return 'is the copy, paste or undo shortcut of every app';
  }
  const table = RESERVED[platform];
  return table[canonical] ?? (platform === 'win32' && only('Super') ? WIN_KEY : null);
}

function splitCanonical(canonical: string): [Modifier[], string] {
  // The key is last; it may itself be '+'-free punctuation ("=" for Plus).
  const parts = canonical.split('+');
  const key = parts.pop() ?? '';
  return [parts as Modifier[], key];
}

/** Checks one accelerator for `platform`: grammar, a real key, a modifier, not reserved. */
export function checkAccelerator(text: string, platform: HotkeyPlatform): AcceleratorCheck {
  const parsed = parse(text.trim(), platform);
  if ('ok' in parsed) {
    return parsed;
  }
  const canonical = canonicalOf(parsed);
  const typing = [...parsed.modifiers].every((m) => m === 'Shift');
  if (typing && !STANDALONE.test(parsed.key)) {
    return {
      ok: false,
      problem: 'needs-modifier',
      message: `"${text}" needs Ctrl, Alt or another modifier; on its own it would take that key away from every other app.`,
    };
  }
  const reason = reservedReason(canonical, platform);
  if (reason) {
    return {
      ok: false,
      problem: 'reserved',
      message: `${displayAccelerator(canonical, platform)} ${reason}; choose other keys.`,
    };
  }
  return { ok: true, canonical };
}

/** What the settings say about one action before anything is registered. */
export type HotkeyPlan =
  | { action: HotkeyAction; state: 'unassigned' }
  | { action: HotkeyAction; state: 'ready'; accelerator: string; canonical: string }
  | {
      action: HotkeyAction;
      state: 'invalid' | 'reserved' | 'duplicate';
      accelerator: string;
      message: string;
    };

function labelOf(action: HotkeyAction): string {
  return HOTKEY_ACTIONS.find((a) => a.action === action)?.label ?? action;
}

/**
 * The plan for every action: each accelerator checked, and two actions on the same keys both
 * marked 'duplicate' (neither is registered: which one should win is the user's call).
 */
export function planHotkeys(settings: HotkeySettings, platform: HotkeyPlatform): HotkeyPlan[] {
  const plans: HotkeyPlan[] = HOTKEY_ACTIONS.map(({ action }) => {
    const accelerator = settings.accelerators[action].trim();
    if (accelerator === '') {
      return { action, state: 'unassigned' };
    }
    const check = checkAccelerator(accelerator, platform);
    if (!check.ok) {
      const state = check.problem === 'reserved' ? 'reserved' : 'invalid';
      return { action, state, accelerator, message: check.message };
    }
    return { action, state: 'ready', accelerator, canonical: check.canonical };
  });
  return plans.map((plan) => {
    if (plan.state !== 'ready') {
      return plan;
    }
    const others = plans.filter(
      (p) => p !== plan && p.state === 'ready' && p.canonical === plan.canonical,
    );
    if (others.length === 0) {
      return plan;
    }
    const names = [plan, ...others].map((p) => labelOf(p.action)).join(' and ');
    return {
      action: plan.action,
      state: 'duplicate',
      accelerator: plan.accelerator,
      message: `${names} use the same keys (${displayAccelerator(plan.canonical, platform)}); give each its own.`,
    };
  });
}
