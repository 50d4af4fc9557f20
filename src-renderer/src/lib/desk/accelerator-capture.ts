// Owns turning a key press in the hotkey settings into an Electron accelerator
// (https://www.electronjs.org/docs/latest/api/accelerator): the physical key (KeyboardEvent.code,
// so Shift+1 stays "Shift+1" whatever the layout prints) with its modifiers, the platform's main
// modifier written as CommandOrControl (Cmd on macOS, Ctrl elsewhere). Whether the keys can be
// used is main's call (shared/accelerator.ts and the OS); this only records what was pressed.
// Pure.

/** The parts of a KeyboardEvent read here. */
export interface KeyPress {
  key: string;
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

/** What a key press in the hotkey field means. */
export type CapturedKeys =
  | { kind: 'keys'; accelerator: string }
  /** Backspace or Delete on its own: remove the keys. */
  | { kind: 'clear' }
  /** A modifier alone, Tab or Escape on their own (focus moves on), or a key with no name. */
  | { kind: 'ignore' };

const NAMED_CODES: Record<string, string> = {
  Space: 'Space',
  Enter: 'Enter',
  NumpadEnter: 'Enter',
  Tab: 'Tab',
  Backspace: 'Backspace',
  Delete: 'Delete',
  Insert: 'Insert',
  Home: 'Home',
  End: 'End',
  PageUp: 'PageUp',
  PageDown: 'PageDown',
  ArrowUp: 'Up',
  ArrowDown: 'Down',
  ArrowLeft: 'Left',
  ArrowRight: 'Right',
  Escape: 'Escape',
  PrintScreen: 'PrintScreen',
  Minus: '-',
  Equal: '=',
  BracketLeft: '[',
  BracketRight: ']',
  Backslash: '\\',
  Semicolon: ';',
  Quote: "'",
  Comma: ',',
  Period: '.',
  Slash: '/',
  Backquote: '`',
  NumpadAdd: 'numadd',
  NumpadSubtract: 'numsub',
  NumpadMultiply: 'nummult',
  NumpadDivide: 'numdiv',
  NumpadDecimal: 'numdec',
};

// Media and volume keys are named by `key` (their `code` differs between systems).
const MEDIA_KEYS: Record<string, string> = {
  AudioVolumeUp: 'VolumeUp',
  AudioVolumeDown: 'VolumeDown',
  AudioVolumeMute: 'VolumeMute',
  MediaPlayPause: 'MediaPlayPause',
  MediaTrackNext: 'MediaNextTrack',
  MediaTrackPrevious: 'MediaPreviousTrack',
  MediaStop: 'MediaStop',
};

const MODIFIER_KEYS = new Set(['Control', 'Shift', 'Alt', 'AltGraph', 'Meta', 'OS', 'Super']);

function keyName(press: KeyPress): string | null {
  const media = MEDIA_KEYS[press.key];
  if (media) {
    return media;
  }
  const letter = /^Key([A-Z])$/.exec(press.code)?.[1];
  const digit = /^(?:Digit|Numpad)([0-9])$/.exec(press.code);
  if (letter) {
    return letter;
  }
  if (digit?.[1]) {
    return press.code.startsWith('Numpad') ? `num${digit[1]}` : digit[1];
  }
  if (/^F([1-9]|1[0-9]|2[0-4])$/.test(press.code)) {
    return press.code;
  }
  return NAMED_CODES[press.code] ?? null;
}

/** The accelerator for a key press on `platform` (process.platform's names). */
export function captureKeys(press: KeyPress, platform: string): CapturedKeys {
  if (MODIFIER_KEYS.has(press.key)) {
    return { kind: 'ignore' };
  }
  const key = keyName(press);
  const mac = platform === 'darwin';
  const modifiers = [
    (mac ? press.metaKey : press.ctrlKey) && 'CommandOrControl',
    mac && press.ctrlKey && 'Control',
    !mac && press.metaKey && 'Super',
    press.altKey && 'Alt',
    press.shiftKey && 'Shift',
  ].filter((m): m is string => typeof m === 'string');
  if (modifiers.length === 0) {
    if (key === 'Backspace' || key === 'Delete') {
      return { kind: 'clear' };
    }
    if (key === 'Tab' || key === 'Escape') {
      return { kind: 'ignore' };
    }
  }
  return key ? { kind: 'keys', accelerator: [...modifiers, key].join('+') } : { kind: 'ignore' };
}
