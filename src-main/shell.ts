// The desktop shell: builds the window, links, tray, quit flow, notifications, power and login
// services from the Electron modules it is given, wires them to each other and to the app's
// events, and offers the ShellPorts the IPC handlers call. Logic lives in the services; this
// file only connects them (index.ts hands it Electron, tests of the services use fakes).
import type * as electron from 'electron';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { parseDialLink, parseTypedDial } from '@shared/dial-target';
import type { PhoneSummary } from '@shared/ipc-contract';
import type { AppSettings } from '@shared/settings-types';
import { createDesk } from './desk';
import type { ShellPorts } from './ipc/handlers';
import { QuitFlow } from './lifecycle/quit-flow';
import { LinkService } from './links/link-service';
import { handlerCommand, registerLinkHandlers } from './links/protocol-client';
import { autostartDir, launchCommand, LoginItems } from './login-items/login-items';
import { IncomingCallNotifier } from './notifications/incoming-call';
import { DisplayAwake } from './power/display-awake';
import { PowerEvents } from './power/power-events';
import { buildCsp } from './security/csp';
import { CspFollower } from './security/csp-follower';
import { hardenWebContents } from './security/web-security';
import type { SettingsStore } from './settings/settings-store';
import { installTestHooks } from './testing/test-hooks';
import { trayIconDir, TrayService } from './tray/tray-service';
import { IncomingPopup } from './windows/incoming-popup';
import { MainWindow, mainWindowOptions } from './windows/main-window';

/** The Electron modules the shell uses. */
export type ShellElectron = Pick<
  typeof electron,
  | 'app'
  | 'BrowserWindow'
  | 'clipboard'
  | 'globalShortcut'
  | 'Menu'
  | 'net'
  | 'Notification'
  | 'powerMonitor'
  | 'powerSaveBlocker'
  | 'screen'
  | 'session'
  | 'shell'
  | 'Tray'
>;

export interface ShellOptions {
  electron: ShellElectron;
  settings: SettingsStore;
  rendererUrl: string;
  preload: string;
  /** The project folder in dev (two up from out/main), where resources/tray lives. */
  devRoot: string;
}

/** Builds the services and registers the app events that must exist before `ready`. */
export function createShell(options: ShellOptions) {
  const { electron: e, settings, rendererUrl, preload, devRoot } = options;
  const { app } = e;
  const mac = process.platform === 'darwin';
  let lastSummary: PhoneSummary | null = null;
  const window: MainWindow = new MainWindow({
    createWindow: (options) => new e.BrowserWindow(options),
    options: mainWindowOptions({ preload, devTools: !app.isPackaged }),
    url: rendererUrl,
    isQuitting: () => quit.quitting,
    ...(mac ? { focusApp: () => app.focus({ steal: true }) } : {}),
    onRendererReset: () => links.rendererReset(),
    onVisibilityChange: () => tray.refreshMenu(),
  });
  const links = new LinkService({
    parseLink: parseDialLink,
    parseTyped: parseTypedDial,
    autoDial: () => settings.get().autoDialLinks,
    send: (channel, payload) => window.send(channel, payload),
    bringToFront: () => window.bringToFront(),
    readClipboard: () => e.clipboard.readText(),
  });
  const desk = createDesk({
    electron: e,
    settings,
    rendererUrl,
    links,
    window,
    settingsSaved: (next) => {
      ports.settingsChanged(next);
      window.send('settings/changed', next);
    },
  });
  const display = new DisplayAwake(e.powerSaveBlocker);
  const csp = new CspFollower({
    policy: () => buildCsp(settings.get().accounts),
    callActive: () => (lastSummary?.call ?? 'idle') !== 'idle',
    // After the reply to the request that changed the settings has gone out.
    reload: () => void setTimeout(() => window.reload(), 0),
  });
  const tray = new TrayService({
    createTray: (icon) => new e.Tray(icon),
    buildMenu: (template) => e.Menu.buildFromTemplate(template),
    iconDir: trayIconDir({
      isPackaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      appPath: devRoot,
    }),
    platform: process.platform,
    isWindowVisible: () => window.isVisible(),
    commands: {
      callBack: (dial) => {
        window.bringToFront();
        window.send('tray/action', { action: 'call-back', dial });
      },
      callFromClipboard: () => void links.fromClipboard(),
      toggleDnd: () => window.send('tray/action', { action: 'toggle-dnd' }),
      toggleWindow: () => window.toggle(),
      showWindow: () => window.bringToFront(),
      quit: () => quit.request(),
    },
  });
  const quit: QuitFlow = new QuitFlow({
    notifyRenderer: () => window.send('app/quitting', null),
    quit: () => app.quit(),
    beforeQuit: () => {
      display.release();
      desk.stop();
      tray.destroy();
    },
  });
  const notifier = new IncomingCallNotifier({
    create: (options) => new e.Notification(options),
    isSupported: () => e.Notification.isSupported(),
    platform: process.platform,
    settings: () => settings.get(),
    bringToFront: () => window.bringToFront(),
    sendAction: (callId, action) => window.send('notify/action', { callId, action }),
  });
  const popup = new IncomingPopup({
    createWindow: (options) => new e.BrowserWindow(options),
    webPreferences: mainWindowOptions({ preload, devTools: !app.isPackaged }).webPreferences,
    url: rendererUrl,
    workArea: () => e.screen.getPrimaryDisplay().workArea,
    mainWindowVisible: () => window.isVisible(),
    bringMainToFront: () => window.bringToFront(),
    sendAction: (callId, action) => window.send('notify/action', { callId, action }),
    platform: process.platform,
  });
  const power = new PowerEvents({
    powerMonitor: e.powerMonitor,
    isOnline: () => e.net.isOnline(),
    notify: (reason) => window.send('power/changed', { reason }),
  });
  const command = { isPackaged: app.isPackaged, execPath: process.execPath, argv: process.argv };
  const loginItems = new LoginItems({
    platform: process.platform,
    app,
    command: launchCommand({ ...command, appImage: process.env.APPIMAGE }),
    autostartDir: autostartDir(process.env, homedir()),
    fs: { mkdir, writeFile, rename, rm },
  });

  // Registered before `ready`: macOS delivers cold-start links through open-url.
  app.on('open-url', (event, url) => {
    event.preventDefault();
    links.fromUrl(url);
  });
  app.on('second-instance', (_event, argv) => links.fromSecondInstance(argv));
  app.on('before-quit', (event) => quit.onBeforeQuit(event));
  app.on('activate', () => window.bringToFront());
  // Electron's docs unregister global shortcuts on will-quit; quit paths that skip the quit
  // flow (logout, a signal) still release them here.
  app.on('will-quit', () => desk.stop());
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, { openExternal: (url) => e.shell.openExternal(url) }),
  );
  links.fromArgv(process.argv);

  const ports: ShellPorts = {
    phoneStateChanged: (summary) => {
      lastSummary = summary;
      tray.update(summary);
      display.update(summary);
      csp.phoneStateChanged();
    },
    takePendingLink: () => links.takePending(),
    incomingCall: (notice) => {
      notifier.incomingCall(notice);
      popup.show(notice);
    },
    callEnded: (callId) => {
      notifier.callEnded(callId);
      popup.callEnded(callId);
    },
    popupAction: (callId, action) => popup.action(callId, action),
    showWindow: () => window.bringToFront(),
    quitReady: () => quit.rendererReady(),
    settingsChanged: (next: AppSettings) => {
      csp.settingsChanged();
      desk.settingsChanged(next);
      void loginItems.apply(next.startAtLogin);
    },
    ...desk.ports,
  };

  /** After `ready` and settings: registers links, starts tray, power and login items, opens the window. */
  async function start(): Promise<void> {
    registerLinkHandlers({ app, command: handlerCommand(command) });
    tray.start();
    power.start();
    desk.start(e.session.defaultSession);
    await loginItems.apply(settings.get().startAtLogin);
    if (typeof __SOFTPHONE_TEST_HOOKS__ !== 'undefined' && __SOFTPHONE_TEST_HOOKS__) {
      installTestHooks({ tray, window, quit, links, lastSummary: () => lastSummary });
    }
    await window.open({ startHidden: settings.get().startHidden });
  }

  return { ports, start, csp, devicePermissions: desk.devicePermissions };
}
