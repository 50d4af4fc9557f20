// Issue 4, test 6: the real app in Electron, driven with Playwright's `_electron`: start hidden,
// close-to-tray, the tray menu's actions (through the test hooks of the out-test build), and a
// tel: link from a second instance. These need an Electron binary; where there is none the
// whole suite is skipped with one clear reason (the only skip allowed in this project).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElectronApplication, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT, type AppSettings } from '../../src-main/shared/settings-types';
import {
  buildTestApp,
  ensureDisplay,
  findElectron,
  hook,
  launchApp,
  runSecondInstance,
  seedUserData,
  type LaunchOptions,
} from '../support/electron-app';

const found = findElectron();
const electron = 'path' in found ? found.path : null;
const skipReason = 'reason' in found ? found.reason : '';
if (!electron) {
  console.warn(`test/electron skipped: ${skipReason}`);
}

// An account whose server is a closed loopback port: enough for the dial view to show.
const ACCOUNT = {
  ...DEFAULT_ACCOUNT,
  id: 'lab',
  label: 'Lab',
  websocketUri: 'ws://127.0.0.1:9/ws',
  sipUri: 'sip:alice@lab.test',
};

describe.skipIf(!electron)(`Electron shell${electron ? '' : ` (skipped: ${skipReason})`}`, () => {
  let home = '';
  let display: Awaited<ReturnType<typeof ensureDisplay>> = { env: {}, stop: () => {} };
  const running: ElectronApplication[] = [];
  let runs = 0;

  beforeAll(async () => {
    home = mkdtempSync(join(tmpdir(), 'softphone-electron-'));
    buildTestApp();
    display = await ensureDisplay();
  }, 180_000);

  afterEach(async () => {
    for (const app of running.splice(0)) {
      await app.close().catch(() => {});
    }
  });

  afterAll(() => {
    display.stop();
    rmSync(home, { recursive: true, force: true });
  });

  function options(settings: Partial<AppSettings>, args: string[] = []): LaunchOptions {
    runs += 1;
    const userData = join(home, `run-${runs}`);
    seedUserData(userData, settings);
    return { electron: electron ?? '', userData, display: display.env, args };
  }

  async function start(opts: LaunchOptions): Promise<{ app: ElectronApplication; page: Page }> {
    const app = await launchApp(opts);
    running.push(app);
    const page = await app.firstWindow();
    await page.waitForLoadState('load');
    await expect.poll(() => hook(app, 'windowReady'), { timeout: 30_000 }).toBe(true);
    return { app, page };
  }

  function windowStates(
    app: ElectronApplication,
  ): Promise<{ visible: boolean; destroyed: boolean }[]> {
    return app.evaluate(({ BrowserWindow }) =>
      BrowserWindow.getAllWindows().map((w) => ({
        visible: w.isVisible(),
        destroyed: w.isDestroyed(),
      })),
    );
  }

  it('loads the page from app://softphone with the secure window options', async () => {
    const { app, page } = await start(options({ accounts: [ACCOUNT], defaultAccountId: 'lab' }));
    expect(page.url()).toBe('app://softphone/index.html');
    // Sandboxed, isolated, no Node: the page sees neither require nor process, only the bridge.
    expect(await app.evaluate(({ app: electronApp }) => electronApp.isReady())).toBe(true);
    expect(await page.evaluate(() => typeof (window as { process?: unknown }).process)).toBe(
      'undefined',
    );
    expect(await page.evaluate(() => typeof (window as { require?: unknown }).require)).toBe(
      'undefined',
    );
    expect(
      await page.evaluate(() =>
        Object.keys((window as { softphone?: object }).softphone ?? {}).sort(),
      ),
    ).toEqual(['invoke', 'on']);
  });

  it('starts hidden in the tray when startHidden is on, and shows otherwise', async () => {
    const hidden = await start(options({ startHidden: true }));
    expect(await windowStates(hidden.app)).toEqual([{ visible: false, destroyed: false }]);
    expect(await hook(hidden.app, 'windowVisible')).toBe(false);
    await hidden.app.close();
    const shown = await start(options({ startHidden: false }));
    await expect.poll(() => hook(shown.app, 'windowVisible')).toBe(true);
  });

  it('closing the window hides it to the tray; the tray brings it back', async () => {
    const { app } = await start(options({}));
    await expect.poll(() => hook(app, 'windowVisible')).toBe(true);
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
    await expect.poll(() => windowStates(app)).toEqual([{ visible: false, destroyed: false }]);
    expect(await hook(app, 'quitting')).toBe(false);
    await hook(app, 'runTrayCommand', { kind: 'toggle-window' });
    await expect.poll(() => hook(app, 'windowVisible')).toBe(true);
  });

  it('tray menu: do-not-disturb goes through the page and back; Quit unregisters and quits', async () => {
    const opts = options({ accounts: [ACCOUNT], defaultAccountId: 'lab' });
    const { app } = await start(opts);
    const labels = (await hook(app, 'trayMenu')).map((e) => e.label ?? '---');
    expect(labels).toEqual(
      expect.arrayContaining([
        'Call number from clipboard',
        'Do not disturb',
        'Quit Open Softphone',
      ]),
    );
    await hook(app, 'runTrayCommand', { kind: 'toggle-dnd' });
    await expect
      .poll(
        async () =>
          (await hook(app, 'trayMenu')).find((e) => e.label === 'Do not disturb')?.checked,
      )
      .toBe(true);
    const onDisk = JSON.parse(
      readFileSync(join(opts.userData, 'settings.json'), 'utf8'),
    ) as AppSettings;
    expect(onDisk.doNotDisturb).toBe(true);

    const closed = app.waitForEvent('close');
    await hook(app, 'runTrayCommand', { kind: 'quit' });
    await closed;
    running.splice(running.indexOf(app), 1);
  });

  it('a second instance with a tel: link brings the hidden window up with the number, not dialled', async () => {
    const opts = options({ startHidden: true, accounts: [ACCOUNT], defaultAccountId: 'lab' });
    const { app, page } = await start(opts);
    expect(await hook(app, 'windowVisible')).toBe(false);
    const exit = await runSecondInstance({ ...opts, args: ['--', 'tel:+1-555-0100'] });
    expect(exit).toBe(0);
    await expect.poll(() => hook(app, 'windowVisible')).toBe(true);
    const field = page.getByLabel('Number or address');
    await expect.poll(() => field.inputValue()).toBe('+1 555 0100');
    expect(await page.getByTestId('call-view').count()).toBe(0);
    expect(await windowStates(app)).toHaveLength(1);
  });

  it('a second instance with a switch disguised as a link shows why it was refused', async () => {
    const opts = options({ accounts: [ACCOUNT], defaultAccountId: 'lab' });
    const { page } = await start(opts);
    const exit = await runSecondInstance({ ...opts, args: ['--', 'tel:--inspect=9229'] });
    expect(exit).toBe(0);
    await expect
      .poll(() => page.locator('#dial-notice').textContent())
      .toBe('This looks like a command-line option, not a phone number or address.');
    expect(existsSync(join(opts.userData, 'settings.json'))).toBe(true);
  });
});
