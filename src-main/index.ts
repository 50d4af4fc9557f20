// Composition root (DESIGN.md §3): single-instance lock, sandbox, Chromium switches and the
// app:// scheme before `ready`; then settings, secrets, the app protocol with its CSP, the
// permission lock-down, IPC and the desktop shell. No logic of its own lives here.
import { app, BrowserWindow, clipboard, dialog, ipcMain, Menu, net } from 'electron';
import { nativeImage, Notification } from 'electron';
import {
  globalShortcut,
  powerMonitor,
  powerSaveBlocker,
  protocol,
  safeStorage,
  screen,
  session,
  shell,
  systemPreferences,
  Tray,
} from 'electron';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { APP_ID } from './app-identity';
import { chooseSecretStore } from './credentials/choose-store';
import type { KeytarLike } from './credentials/secret-store';
import { createHandlers } from './ipc/handlers';
import { registerIpc } from './ipc/ipc-main';
import { createIpcRouter, isAppUrl } from './ipc/router';
import { createLogger, describeError } from './logger';
import { applyChromiumSwitches } from './security/chromium-switches';
import { buildCsp } from './security/csp';
import { lockDownPermissions } from './security/web-security';
import { SettingsStore } from './settings/settings-store';
import { forbiddenFolders } from './recording/folder-policy';
import { createRecordingHandlers } from './recording/recording-handlers';
import { RecordingService } from './recording/recording-service';
import { recordingDesktop, defaultRecordingFolder } from './recording/electron-desktop';
import { closeRecordingsOnQuit } from './recording/quit';
import { createShell } from './shell';
import { APP_ENTRY_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES } from './windows/app-protocol';
import { createAppProtocolHandler } from './windows/app-protocol';

const log = createLogger('main');
const here = import.meta.dirname;
// keytar is CommonJS with a native addon. require() from this ESM bundle resolves it inside
// app.asar like any module, and Electron's asar support loads keytar.node from
// app.asar.unpacked (electron-builder's asarUnpack). The packaging test loads it that way.
const require = createRequire(import.meta.url);
const loadKeytar = (): KeytarLike => require('keytar') as KeytarLike;

// Test builds only (out-test/): the Electron specs give each run its own profile.
if (
  typeof __SOFTPHONE_TEST_HOOKS__ !== 'undefined' &&
  __SOFTPHONE_TEST_HOOKS__ &&
  process.env.SOFTPHONE_USER_DATA
) {
  app.setPath('userData', process.env.SOFTPHONE_USER_DATA);
}

if (!app.requestSingleInstanceLock()) {
  // The first instance gets our argv through 'second-instance' and shows itself.
  app.quit();
} else {
  boot();
}

function boot(): void {
  app.enableSandbox();
  applyChromiumSwitches(app.commandLine);
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  if (process.platform === 'win32') {
    app.setAppUserModelId(APP_ID);
  }
  const devUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;
  const rendererUrl = devUrl ?? APP_ENTRY_URL;
  const isOwnUrl = (url: string | null): boolean => isAppUrl(url, rendererUrl);
  const userData = app.getPath('userData');
  const settings = new SettingsStore(userData);
  // Made in start(); the shell closes its recordings when the page that fed them is gone.
  let recordings: RecordingService | null = null;
  const desktop = createShell({
    electron: {
      app,
      BrowserWindow,
      clipboard,
      globalShortcut,
      Menu,
      nativeImage,
      net,
      Notification,
      powerMonitor,
      powerSaveBlocker,
      screen,
      session,
      shell,
      systemPreferences,
      Tray,
    },
    settings,
    rendererUrl,
    preload: {
      main: join(here, '../preload/index.cjs'),
      popup: join(here, '../preload/popup.cjs'),
    },
    devRoot: join(here, '../..'),
    loadKeytar: () => loadKeytar(),
    pageLost: () => void recordings?.interruptAll(),
  });

  async function start(): Promise<void> {
    const notices = await settings.load();
    const secrets = await chooseSecretStore({
      loadKeytar: () => Promise.resolve(loadKeytar()),
      safeStorage,
      platform: process.platform,
      safeStorageFile: join(userData, 'secrets.enc.json'),
      log: (text) => log.warn(text),
    });
    const forbidden = forbiddenFolders({
      appPath: app.getAppPath(),
      resourcesPath: process.resourcesPath,
      execPath: process.execPath,
      platform: process.platform,
    });
    const defaultFolder = (): string => defaultRecordingFolder(app);
    const service = new RecordingService({
      indexPath: join(userData, 'recordings.json'),
      settings: () => settings.get().recording,
      accountLabel: (id) => settings.get().accounts.find((a) => a.id === id)?.label ?? '',
      defaultFolder,
      forbidden,
      platform: process.platform,
      notifyFailure: (failure) => desktop.send('recording/failed', failure),
      log: (text) => log.warn(text),
    });
    recordings = service;
    notices.push(...(await service.load()));
    closeRecordingsOnQuit(app, service, { log: (text) => log.warn(text) });
    // The CSP is rebuilt per request from the current accounts; the shell reloads the page
    // when the policy it was served with is out of date (not during a call).
    protocol.handle(
      APP_SCHEME,
      createAppProtocolHandler({
        root: join(here, '../renderer'),
        csp: () => buildCsp(settings.get().accounts),
        readFile,
        documentServed: (policy, url) => desktop.csp.documentServed(policy, url),
        recordings: { find: (id) => service.playable(id) },
      }),
    );
    lockDownPermissions(session.defaultSession, isOwnUrl, undefined, desktop.devicePermissions);
    const handlers = createHandlers({
      settings,
      secrets,
      settingsNotices: notices,
      recordings: createRecordingHandlers({
        service,
        desktop: recordingDesktop({ dialog, shell, BrowserWindow }),
        settings,
        defaultFolder,
        forbidden,
        platform: process.platform,
      }),
      version: app.getVersion(),
      platform: process.platform,
      shell: desktop.ports,
    });
    const router = createIpcRouter(
      handlers,
      (sender) => isOwnUrl(sender.url),
      (channel, error) => log.warn(`${channel}: ${describeError(error)}`),
    );
    registerIpc(ipcMain, router, desktop.windowOf);
    await desktop.start();
  }

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      log.error(`could not start: ${describeError(error)}`);
      app.exit(1);
    });
}
