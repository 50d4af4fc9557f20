// Electron's key names and the key combinations the OS or every app already owns, for the
// accelerator checks in accelerator.ts. Data only.
import type { HotkeyPlatform } from './accelerator';

export const NAMED_KEYS: Record<string, string> = {
  plus: '=', // Electron: "Plus" is Shift + the =/+ key
  capslock: 'Capslock',
  numlock: 'Numlock',
  scrolllock: 'Scrolllock',
  tab: 'Tab',
  space: 'Space',
  backspace: 'Backspace',
  delete: 'Delete',
  insert: 'Insert',
  enter: 'Enter',
  return: 'Enter',
  up: 'Up',
  down: 'Down',
  left: 'Left',
  right: 'Right',
  home: 'Home',
  end: 'End',
  pageup: 'PageUp',
  pagedown: 'PageDown',
  esc: 'Escape',
  escape: 'Escape',
  volumemute: 'VolumeMute',
  volumeup: 'VolumeUp',
  volumedown: 'VolumeDown',
  medianexttrack: 'MediaNextTrack',
  mediaprevioustrack: 'MediaPreviousTrack',
  mediastop: 'MediaStop',
  mediaplaypause: 'MediaPlayPause',
  printscreen: 'PrintScreen',
  numadd: 'numadd',
  nummult: 'nummult',
  numdec: 'numdec',
  numsub: 'numsub',
  numdiv: 'numdiv',
};

/** Shifted characters and the key they are on (keyboard_util.cc KeyboardCodeFromCharCode). */
export const SHIFTED_CHARACTERS: Readonly<Record<string, string>> = {
  ')': '0',
  '!': '1',
  '@': '2',
  '#': '3',
  $: '4',
  '%': '5',
  '^': '6',
  '&': '7',
  '*': '8',
  '(': '9',
  ':': ';',
  '+': '=',
  '<': ',',
  _: '-',
  '>': '.',
  '?': '/',
  '~': '`',
  '{': '[',
  '|': '\\',
  '}': ']',
  '"': "'",
};
export const PLAIN_CHARACTERS = new Set(";=,-./`[\\]'".split(''));

export const EDITING = ['C', 'V', 'X', 'Z', 'A', 'Y'];

export const WIN_KEY = 'belongs to Windows (Windows-key shortcuts are the system’s)';

export const RESERVED: Record<HotkeyPlatform, Record<string, string>> = {
  win32: {
    'Control+Alt+Delete': 'is the Windows security screen',
    'Control+Shift+Escape': 'opens the Task Manager',
    'Control+Escape': 'opens the Start menu',
    'Alt+Tab': 'switches windows',
    'Alt+F4': 'closes the window',
    'Alt+Escape': 'switches windows',
  },
  darwin: {
    'Super+Tab': 'switches apps',
    'Super+Q': 'quits the app in front',
    'Super+W': 'closes the window in front',
    'Super+H': 'hides the app in front',
    'Super+M': 'minimises the window in front',
    'Super+Space': 'opens Spotlight',
    'Super+`': 'switches windows',
    'Control+Space': 'switches the input source',
    'Alt+Super+Escape': 'opens Force Quit',
    'Control+Super+Q': 'locks the screen',
    'Shift+Super+3': 'takes a screenshot',
    'Shift+Super+4': 'takes a screenshot',
    'Shift+Super+5': 'opens the screenshot tool',
  },
  linux: {
    'Control+Alt+Delete': 'is handled by the desktop (log out / restart)',
    'Control+Alt+Backspace': 'can restart the display server',
    'Control+Alt+T': 'opens a terminal on most desktops',
    'Control+Alt+L': 'locks the screen on many desktops',
    'Super+L': 'locks the screen',
    'Alt+Tab': 'switches windows',
    'Alt+F2': 'opens the run dialog',
    'Alt+F4': 'closes the window',
    ...Object.fromEntries(
      Array.from({ length: 12 }, (_v, i) => [`Control+Alt+F${i + 1}`, 'switches the console']),
    ),
  },
};
