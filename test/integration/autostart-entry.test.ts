// The Linux autostart entry, written by the real LoginItems service into a temp
// XDG_CONFIG_HOME, passes freedesktop's desktop-file-validate, also for launch paths with
// spaces, quotes, dollars, backslashes and percent signs.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  autostartDir,
  DESKTOP_FILE_NAME,
  LoginItems,
} from '../../src-main/login-items/login-items';
import { writeFileAtomic } from '../../src-main/files/atomic-write';

const config = mkdtempSync(join(tmpdir(), 'softphone-xdg-'));
afterAll(() => rmSync(config, { recursive: true, force: true }));

function validate(file: string): Promise<string> {
  return new Promise((done, fail) => {
    execFile('desktop-file-validate', [file], (error, stdout, stderr) => {
      if (error) {
        fail(new Error(`desktop-file-validate: ${stdout}${stderr}`));
        return;
      }
      done(`${stdout}${stderr}`);
    });
  });
}

describe('autostart desktop entry', () => {
  it.each([
    ['/opt/Open Softphone/open-softphone', []],
    ['/home/u/Apps/Open Softphone-0.1.0.AppImage', []],
    ['/w/node_modules/electron/dist/electron', ['/home/u/my "weird" $app `dir` \\ 100%']],
  ])('%s %j validates', async (path, args) => {
    const dir = autostartDir({ XDG_CONFIG_HOME: config }, '/nonexistent');
    const items = new LoginItems({
      platform: 'linux',
      app: { setLoginItemSettings: () => {} },
      command: { path, args },
      autostartDir: dir,
      fs: { mkdir, writeFileAtomic, rm },
    });
    await items.apply(true);
    const file = join(config, 'autostart', DESKTOP_FILE_NAME);
    expect(await validate(file)).toBe('');
  });
});
