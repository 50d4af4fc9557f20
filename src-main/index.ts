// Composition root (provisional; the desktop-shell issue completes it): single instance,
// sandbox, settings + secrets + IPC wired, one secure window.
import { app, BrowserWindow, ipcMain, safeStorage } from 'electron';
import { join } from 'node:path';
import { INVOKE_CHANNELS } from '@shared/ipc-contract';
import { chooseSecretStore } from './credentials/choose-store';
import { createHandlers } from './ipc/handlers';
import { createIpcRouter, isAppUrl } from './ipc/router';
import { SettingsStore } from './settings/settings-store';

if (!app.requestSingleInstanceLock()) {
  app.quit();
}
app.enableSandbox();

const rendererUrl =
  process.env.ELECTRON_RENDERER_URL ??
  `file://${join(import.meta.dirname, '../renderer/index.html')}`;
let win: BrowserWindow | null = null;

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const settings = new SettingsStore(userData);
  const notices = await settings.load();
  const secrets = await chooseSecretStore({
    loadKeytar: async () => (await import('keytar')).default,
    safeStorage,
    platform: process.platform,
    safeStorageFile: join(userData, 'secrets.enc.json'),
    log: () => {},
  });
  const handlers = createHandlers({
    settings,
    secrets,
    settingsNotices: notices,
    version: app.getVersion(),
    platform: process.platform,
    shell: {
      phoneStateChanged: () => {},
      takePendingLink: () => null,
      incomingCall: () => {},
      callEnded: () => {},
      showWindow: () => win?.show(),
      quitReady: () => app.exit(0),
      settingsChanged: () => {},
    },
  });
  const router = createIpcRouter(handlers, (sender) => isAppUrl(sender.url, rendererUrl));
  for (const channel of INVOKE_CHANNELS) {
    ipcMain.handle(channel, (event, payload: unknown) =>
      router.dispatch(channel, payload, { url: event.senderFrame?.url ?? null }),
    );
  }
  win = new BrowserWindow({
    width: 400,
    height: 640,
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      backgroundThrottling: false,
    },
  });
  await win.loadURL(rendererUrl);
}

app
  .whenReady()
  .then(start)
  .catch(() => app.exit(1));
