// The application menu per OS: Electron creates a default menu with View › Reload
// (CmdOrCtrl+R) and Force Reload when an app sets none (Menu.setApplicationMenu docs), so the
// app sets its own: none on Windows/Linux (null also removes the menu bar there), app + Edit +
// Window menus on macOS (Cmd+C/V/Q work only through menu items there). No item reloads.
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { applicationMenu, isReloadKey } from '../../../src-main/windows/app-menu';

function roles(items: MenuItemConstructorOptions[] | null): string[] {
  return (items ?? []).flatMap((item) => [
    ...(item.role ? [item.role] : []),
    ...roles(Array.isArray(item.submenu) ? item.submenu : null),
  ]);
}

describe('applicationMenu', () => {
  it('Windows and Linux: no menu in the shipped app', () => {
    expect(applicationMenu('win32', { devTools: false })).toBeNull();
    expect(applicationMenu('linux', { devTools: false })).toBeNull();
  });

  it('macOS: the app, Edit and Window menus, and no View menu', () => {
    expect(roles(applicationMenu('darwin', { devTools: false }))).toEqual([
      'appMenu',
      'editMenu',
      'windowMenu',
    ]);
  });

  it('dev builds add DevTools, never a reload', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const all = roles(applicationMenu(platform, { devTools: true }));
      expect(all).toContain('toggleDevTools');
      for (const banned of ['reload', 'forceReload', 'viewMenu', 'fileMenu']) {
        expect(all).not.toContain(banned);
      }
    }
  });
});

describe('isReloadKey', () => {
  const key = (k: string, mods: { control?: boolean; meta?: boolean } = {}) =>
    isReloadKey({ type: 'keyDown', key: k, control: false, meta: false, ...mods });

  it('knows every browser reload key', () => {
    expect(key('F5')).toBe(true);
    expect(key('BrowserRefresh')).toBe(true);
    expect(key('r', { control: true })).toBe(true);
    expect(key('R', { control: true })).toBe(true);
    expect(key('r', { meta: true })).toBe(true);
  });

  it('leaves typing and other shortcuts alone', () => {
    expect(key('r')).toBe(false);
    expect(key('c', { control: true })).toBe(false);
    expect(isReloadKey({ type: 'keyUp', key: 'F5', control: false, meta: false })).toBe(false);
  });
});
