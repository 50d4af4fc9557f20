// Shared set-up of the Electron specs (test/electron): the target (dev binary + out-test, or a
// packaged test build), a virtual display, on Linux a private session bus with or without a
// StatusNotifier host (a desktop with or without a tray), one user data folder per launch, and
// every launched app closed after each test. The suite is skipped when there is no Electron;
// test/electron/setup.ts prints the one reason.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ElectronApplication, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { DEFAULT_ACCOUNT, type AppSettings } from '../../src-main/shared/settings-types';
import {
  ensureDisplay,
  findElectron,
  hook,
  launchApp,
  seedUserData,
  type ElectronTarget,
  type LaunchOptions,
} from './electron-app';
import { startSessionBus, type SessionBus } from './session-bus';

/** An account whose server is a closed loopback port: enough for the dial view to show. */
export const ACCOUNT = {
  ...DEFAULT_ACCOUNT,
  id: 'lab',
  label: 'Lab',
  websocketUri: 'ws://127.0.0.1:9/ws',
  sipUri: 'sip:alice@lab.test',
};

const found = findElectron();
/** The Electron target, or null when the suite is skipped. */
export const ELECTRON: ElectronTarget | null = 'path' in found ? found : null;

export interface SuiteOptions {
  /** Linux: whether the desktop has a tray (a StatusNotifier host on the session bus). */
  tray?: boolean;
}

export interface ElectronSuite {
  /** Launch options with a fresh user data folder seeded with `settings`. */
  options(
    settings: Partial<AppSettings>,
    extra?: Pick<LaunchOptions, 'args' | 'switches'>,
  ): LaunchOptions;
  /** Launches, waits until the page painted once (ready-to-show), returns the app and page. */
  start(opts: LaunchOptions): Promise<{ app: ElectronApplication; page: Page }>;
  /** Forgets an app the test closed itself. */
  closed(app: ElectronApplication): void;
  windowStates(app: ElectronApplication): Promise<{ visible: boolean; url: string }[]>;
}

export function useElectronSuite(suite: SuiteOptions = {}): ElectronSuite {
  let home = '';
  let env: NodeJS.ProcessEnv = {};
  let display: Awaited<ReturnType<typeof ensureDisplay>> | null = null;
  let bus: SessionBus | null = null;
  const running: ElectronApplication[] = [];
  let runs = 0;

  beforeAll(async () => {
    if (!ELECTRON) {
      return;
    }
    home = mkdtempSync(join(tmpdir(), 'softphone-electron-'));
    display = await ensureDisplay();
    env = { ...display.env };
    if (process.platform === 'linux') {
      bus = await startSessionBus();
      if (suite.tray ?? true) {
        await bus.startWatcher('host');
      }
      env.DBUS_SESSION_BUS_ADDRESS = bus.address;
    }
  }, 60_000);

  afterEach(async () => {
    for (const app of running.splice(0)) {
      await app.close().catch(() => {});
    }
  });

  afterAll(() => {
    display?.stop();
    bus?.stop();
    if (home) {
      rmSync(home, { recursive: true, force: true });
    }
  });

  return {
    options(settings, extra = {}) {
      runs += 1;
      const userData = join(home, `run-${runs}`);
      seedUserData(userData, settings);
      return { target: ELECTRON!, userData, env, ...extra };
    },
    async start(opts) {
      const app = await launchApp(opts);
      running.push(app);
      const page = await app.firstWindow();
      await page.waitForLoadState('load');
      await expect.poll(() => hook(app, 'windowReady'), { timeout: 30_000 }).toBe(true);
      return { app, page };
    },
    closed(app) {
      const i = running.indexOf(app);
      if (i >= 0) {
        running.splice(i, 1);
      }
    },
    windowStates(app) {
      return app.evaluate(({ BrowserWindow }) =>
        BrowserWindow.getAllWindows().map((w) => ({
          visible: w.isVisible(),
          url: w.webContents.getURL(),
        })),
      );
    },
  };
}
