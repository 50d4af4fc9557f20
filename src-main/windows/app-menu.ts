// The application menu, and a guard against reload keys. Electron creates a default menu when
// an app sets none (Menu.setApplicationMenu docs), and its View menu reloads the page on
// Ctrl+R / Ctrl+Shift+R (Cmd on macOS): one keystroke would drop every call and registration
// with no BYE and no de-REGISTER. So Windows and Linux get no menu at all (`null`: the docs say
// this also removes the menu bar; text fields keep their native copy/paste keys there), and
// macOS, where Cmd+C/V/Q only work through menu items, gets the app menu (About, Hide, Quit),
// the Edit menu and the Window menu, and no View menu. The guard swallows the reload keys in
// case anything else ever binds them (F5 and Ctrl/Cmd+R, with or without Shift).
import type { Input, MenuItemConstructorOptions } from 'electron';
import type { Preventable } from '../security/web-security';

/** The menu template for a platform, or null for "no menu". */
export function applicationMenu(
  platform: NodeJS.Platform,
  opts: { devTools: boolean },
): MenuItemConstructorOptions[] | null {
  const developer: MenuItemConstructorOptions[] = opts.devTools
    ? [{ label: 'Developer', submenu: [{ role: 'toggleDevTools' }] }]
    : [];
  if (platform !== 'darwin') {
    // Dev builds keep a way to DevTools; the shipped app has no menu (and no menu bar).
    return developer.length > 0 ? developer : null;
  }
  return [{ role: 'appMenu' }, { role: 'editMenu' }, { role: 'windowMenu' }, ...developer];
}

/** Whether a key press would reload the page in a browser (F5, Ctrl/Cmd+R, with Shift too). */
export function isReloadKey(input: Pick<Input, 'type' | 'key' | 'control' | 'meta'>): boolean {
  if (input.type !== 'keyDown') {
    return false;
  }
  if (input.key === 'F5' || input.key === 'BrowserRefresh') {
    return true;
  }
  return (input.control || input.meta) && input.key.toLowerCase() === 'r';
}

/** The part of WebContents the guard needs. */
export interface KeyGuardContents {
  on(event: 'before-input-event', listener: (event: Preventable, input: Input) => void): unknown;
}

/** Swallows reload keys before the page or any menu sees them. */
export function blockReloadKeys(contents: KeyGuardContents): void {
  contents.on('before-input-event', (event, input) => {
    if (isReloadKey(input)) {
      event.preventDefault();
    }
  });
}
