// The keyboard shortcuts of the phone window, decided from key events in one place (pure, so
// they are unit-tested and docs/keyboard.md can list exactly these). Ending or answering a call
// needs Ctrl+Shift (⌘⇧ on macOS), as in other call apps, so no stray Enter, Space or Escape
// can drop a call. The single-key in-call shortcuts only apply outside text fields.

/** The parts of a KeyboardEvent the decisions read. */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** A shortcut that works anywhere in the window, even while typing. */
export type WindowShortcut = 'answer' | 'decline' | 'hangup' | 'mute';

const WINDOW_KEYS: Record<string, WindowShortcut> = {
  a: 'answer',
  d: 'decline',
  h: 'hangup',
  m: 'mute',
};

/** Ctrl+Shift+A/D/H/M (or ⌘⇧ on macOS): answer, decline, hang up, mute. */
export function windowShortcut(press: KeyPress): WindowShortcut | null {
  if (!(press.ctrlKey || press.metaKey) || !press.shiftKey || press.altKey) {
    return null;
  }
  return WINDOW_KEYS[press.key.toLowerCase()] ?? null;
}

/** A single-key shortcut of the call view. */
export type CallKey =
  | { kind: 'dtmf'; key: string }
  | { kind: 'mute' }
  | { kind: 'hold' }
  | { kind: 'record' }
  | { kind: 'close-panel' };

const LETTER_KEYS: Record<string, CallKey> = {
  m: { kind: 'mute' },
  h: { kind: 'hold' },
  r: { kind: 'record' },
};

/** Keys of the call view: digits, * and # (DTMF), M, H, R, and Escape (closes a panel only). */
export function callKey(press: KeyPress, typing: boolean): CallKey | null {
  if (press.key === 'Escape') {
    return { kind: 'close-panel' };
  }
  if (typing || press.ctrlKey || press.metaKey || press.altKey) {
    return null;
  }
  if (/^[0-9*#]$/.test(press.key)) {
    return { kind: 'dtmf', key: press.key };
  }
  return LETTER_KEYS[press.key.toLowerCase()] ?? null;
}

/** Whether keys typed at `target` are text (a field), not shortcuts. */
export function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLInputElement ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  );
}

/** The `aria-keyshortcuts` value of a window shortcut. */
export const ARIA_SHORTCUT: Record<WindowShortcut, string> = {
  answer: 'Control+Shift+A',
  decline: 'Control+Shift+D',
  hangup: 'Control+Shift+H',
  mute: 'Control+Shift+M',
};

/** How a window shortcut is written for the user (tooltips). */
export function shortcutText(shortcut: WindowShortcut, mac: boolean): string {
  const letter = ARIA_SHORTCUT[shortcut].slice(-1);
  return mac ? `⌘⇧${letter}` : `Ctrl+Shift+${letter}`;
}
