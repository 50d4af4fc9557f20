// Unit tests of "start at login" on each platform: login items on macOS and Windows, the
// freedesktop autostart entry on Linux (XDG_CONFIG_HOME aware, AppImage path, Exec quoting),
// written atomically in a temp folder and removed again.
import type { Settings } from 'electron';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  autostartDir,
  autostartEntry,
  DESKTOP_FILE_NAME,
  launchCommand,
  LoginItems,
} from '../../../src-main/login-items/login-items';
import { writeFileAtomic } from '../../../src-main/files/atomic-write';

const tmp = mkdtempSync(join(tmpdir(), 'softphone-autostart-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const silent = { debug() {}, info() {}, warn() {}, error() {} };

function items(platform: NodeJS.Platform, dir = join(tmp, platform, 'autostart')) {
  const calls: Settings[] = [];
  const loginItems = new LoginItems({
    platform,
    app: { setLoginItemSettings: (s) => void calls.push(s) },
    command: { path: '/opt/Open Softphone/open-softphone', args: [] },
    autostartDir: dir,
    fs: { mkdir, writeFileAtomic, rm },
    log: silent,
  });
  return { loginItems, calls, dir };
}

describe('launchCommand', () => {
  it('uses the AppImage when running from one', () => {
    expect(
      launchCommand({
        isPackaged: true,
        execPath: '/tmp/.mount_x/open-softphone',
        argv: [],
        appImage: '/home/u/Apps/Open Softphone.AppImage',
      }),
    ).toEqual({ path: '/home/u/Apps/Open Softphone.AppImage', args: [] });
  });
  it('uses the binary when packaged, electron + app path in dev', () => {
    expect(launchCommand({ isPackaged: true, execPath: '/opt/x/x', argv: ['/opt/x/x'] })).toEqual({
      path: '/opt/x/x',
      args: [],
    });
    expect(
      launchCommand({
        isPackaged: false,
        execPath: '/e/electron',
        argv: ['/e/electron', '/w/app'],
      }),
    ).toEqual({ path: '/e/electron', args: ['/w/app'] });
  });
});

describe('autostartDir', () => {
  it('honours an absolute XDG_CONFIG_HOME and ignores a relative one', () => {
    expect(autostartDir({ XDG_CONFIG_HOME: '/cfg' }, '/home/u')).toBe('/cfg/autostart');
    expect(autostartDir({ XDG_CONFIG_HOME: 'rel/cfg' }, '/home/u')).toBe(
      '/home/u/.config/autostart',
    );
    expect(autostartDir({}, '/home/u')).toBe('/home/u/.config/autostart');
  });
});

describe('autostartEntry', () => {
  it('is a desktop entry with a quoted Exec', () => {
    const entry = autostartEntry({ path: '/opt/Open Softphone/open-softphone', args: [] });
    expect(entry.split('\n')).toEqual(
      expect.arrayContaining([
        '[Desktop Entry]',
        'Type=Application',
        'Name=Open Softphone',
        'Exec="/opt/Open Softphone/open-softphone"',
        'X-GNOME-Autostart-enabled=true',
      ]),
    );
  });

  it('escapes what the spec reserves inside quotes, and % field codes', () => {
    const entry = autostartEntry({ path: '/a "b" $c `d` \\e 100%', args: ['/w/my app'] });
    const exec = entry.split('\n').find((l) => l.startsWith('Exec='));
    expect(exec).toBe('Exec="/a \\\\"b\\\\" \\\\$c \\\\`d\\\\` \\\\\\\\e 100%%" "/w/my app"');
  });

  it('refuses a path with a newline (it would add keys to the entry)', () => {
    expect(() => autostartEntry({ path: '/a\nExec=evil', args: [] })).toThrow(/control characters/);
  });
});

describe('LoginItems', () => {
  it('macOS: a login item', async () => {
    const { loginItems, calls } = items('darwin');
    await loginItems.apply(true);
    await loginItems.apply(true);
    await loginItems.apply(false);
    expect(calls).toEqual([{ openAtLogin: true }, { openAtLogin: false }]);
  });

  it('Windows: a login item with our path and quoted arguments', async () => {
    const calls: Settings[] = [];
    const loginItems = new LoginItems({
      platform: 'win32',
      app: { setLoginItemSettings: (s) => void calls.push(s) },
      command: { path: 'C:\\e\\electron.exe', args: ['C:\\My Projects\\softphone'] },
      autostartDir: 'unused',
      fs: { mkdir, writeFileAtomic, rm },
      log: silent,
    });
    await loginItems.apply(true);
    expect(calls).toEqual([
      { openAtLogin: true, path: 'C:\\e\\electron.exe', args: ['"C:\\My Projects\\softphone"'] },
    ]);
  });

  it('Linux: writes the autostart entry atomically and removes it again', async () => {
    const { loginItems, calls, dir } = items('linux');
    const file = join(dir, DESKTOP_FILE_NAME);
    await loginItems.apply(true);
    expect(calls).toEqual([]);
    expect(DESKTOP_FILE_NAME).toBe('open-softphone.desktop');
    expect(readFileSync(file, 'utf8')).toContain('Exec="/opt/Open Softphone/open-softphone"');
    expect(readdirSync(dir)).toEqual([DESKTOP_FILE_NAME]);
    await loginItems.apply(false);
    expect(existsSync(file)).toBe(false);
    await loginItems.apply(false);
  });

  it('Linux: removing an entry that is not there is fine; a failure is retried next time', async () => {
    const blocked = join(tmp, 'blocked');
    await writeFile(blocked, 'a file where the folder should be');
    const { loginItems, dir } = items('linux', join(blocked, 'autostart'));
    await loginItems.apply(true);
    expect(existsSync(join(dir, DESKTOP_FILE_NAME))).toBe(false);
    await rm(blocked);
    await loginItems.apply(true);
    expect(existsSync(join(dir, DESKTOP_FILE_NAME))).toBe(true);
  });
});
