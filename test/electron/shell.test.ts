// The real app in Electron, driven with Playwright's `_electron`: the window, the tray, links
// and the keychain module — what only Electron can show. Runs against the dev binary with
// out-test, or a packaged test build (`npm run test:electron:packaged`). Without Electron the
// suite is skipped (test/electron/setup.ts prints why, once).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AppSettings } from '../../src-main/shared/settings-types';
import { hook, runSecondInstance } from '../support/electron-app';
import { ACCOUNT, ELECTRON, useElectronSuite } from '../support/electron-suite';

describe.skipIf(!ELECTRON)('Electron shell, on a desktop with a tray', () => {
  const suite = useElectronSuite({ tray: true });

  it('loads the page from app://softphone with the secure window options', async () => {
    const { app, page } = await suite.start(
      suite.options({ accounts: [ACCOUNT], defaultAccountId: 'lab' }),
    );
    expect(page.url()).toBe('app://softphone/index.html');
    expect(await app.evaluate(({ app: electronApp }) => electronApp.isReady())).toBe(true);
    // Sandboxed, isolated, no Node: the page sees neither require nor process, only the bridge.
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

  it('finds the tray (a StatusNotifier host is on the session bus)', async () => {
    const { app } = await suite.start(suite.options({}));
    expect(await hook(app, 'trayAvailable')).toBe(true);
  });

  it('starts hidden in the tray when startHidden is on, and shows otherwise', async () => {
    const hidden = await suite.start(suite.options({ startHidden: true }));
    expect((await suite.windowStates(hidden.app)).map((w) => w.visible)).toEqual([false]);
    expect(await hook(hidden.app, 'windowVisible')).toBe(false);
    await hidden.app.close();
    suite.closed(hidden.app);
    const shown = await suite.start(suite.options({ startHidden: false }));
    await expect.poll(() => hook(shown.app, 'windowVisible')).toBe(true);
  });

  it('closing the window hides it to the tray; the tray brings it back', async () => {
    const { app } = await suite.start(suite.options({}));
    await expect.poll(() => hook(app, 'windowVisible')).toBe(true);
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
    await expect
      .poll(async () => (await suite.windowStates(app)).map((w) => w.visible))
      .toEqual([false]);
    expect(await hook(app, 'quitting')).toBe(false);
    await hook(app, 'runTrayCommand', { kind: 'toggle-window' });
    await expect.poll(() => hook(app, 'windowVisible')).toBe(true);
  });

  it('tray do-not-disturb is saved by main and reaches the page; Quit unregisters and quits', async () => {
    const opts = suite.options({ accounts: [ACCOUNT], defaultAccountId: 'lab' });
    const { app, page } = await suite.start(opts);
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
    await expect
      .poll(() => page.getByRole('button', { name: /Do not disturb/ }).getAttribute('aria-pressed'))
      .toBe('true');

    const closed = app.waitForEvent('close');
    await hook(app, 'runTrayCommand', { kind: 'quit' });
    await closed;
    suite.closed(app);
  });

  it('a second instance with a tel: link brings the hidden window up with the number, not dialled', async () => {
    const opts = suite.options({ startHidden: true, accounts: [ACCOUNT], defaultAccountId: 'lab' });
    const { app, page } = await suite.start(opts);
    expect(await hook(app, 'windowVisible')).toBe(false);
    const exit = await runSecondInstance({ ...opts, args: ['--', 'tel:+1-555-0100'] });
    expect(exit).toBe(0);
    await expect.poll(() => hook(app, 'windowVisible')).toBe(true);
    const field = page.getByLabel('Number or address');
    await expect.poll(() => field.inputValue()).toBe('+1 555 0100');
    expect(await page.getByTestId('call-view').count()).toBe(0);
    expect(await suite.windowStates(app)).toHaveLength(1);
  });

  it('a second instance with a switch disguised as a link shows why it was refused', async () => {
    const opts = suite.options({ accounts: [ACCOUNT], defaultAccountId: 'lab' });
    const { page } = await suite.start(opts);
    const exit = await runSecondInstance({ ...opts, args: ['--', 'tel:--inspect=9229'] });
    expect(exit).toBe(0);
    await expect
      .poll(() => page.locator('#dial-notice').textContent())
      .toBe('This looks like a command-line option, not a phone number or address.');
    expect(existsSync(join(opts.userData, 'settings.json'))).toBe(true);
  });

  it('an open-url link (how macOS hands links over) fills the number in', async () => {
    const { app, page } = await suite.start(
      suite.options({ accounts: [ACCOUNT], defaultAccountId: 'lab' }),
    );
    await app.evaluate(({ app: electronApp }) => {
      electronApp.emit('open-url', { preventDefault: () => {} }, 'sip:bob@lab.test');
    });
    await expect.poll(() => page.getByLabel('Number or address').inputValue()).toBe('bob@lab.test');
  });

  it('loads keytar through createRequire (from app.asar when packaged)', async () => {
    const { app } = await suite.start(suite.options({}));
    expect(await hook(app, 'keytarExports')).toEqual([
      'deletePassword',
      'findCredentials',
      'findPassword',
      'getPassword',
      'setPassword',
    ]);
  });
});

describe.skipIf(!ELECTRON)('Electron shell, on a desktop without a tray (stock GNOME)', () => {
  const suite = useElectronSuite({ tray: false });

  it('ignores start hidden and minimises on close: never an invisible running app', async () => {
    const { app } = await suite.start(suite.options({ startHidden: true }));
    expect(await hook(app, 'trayAvailable')).toBe(false);
    await expect.poll(() => hook(app, 'windowVisible')).toBe(true);
    await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.close());
    await expect
      .poll(() =>
        app.evaluate(({ BrowserWindow }) => {
          const w = BrowserWindow.getAllWindows()[0];
          return w ? { visible: w.isVisible(), minimized: w.isMinimized() } : null;
        }),
      )
      .toEqual({ visible: true, minimized: true });
  });
});
