// The desktop shell: builds the window, links, tray, quit flow, notifications, popup, renderer
// watch, power and login services from the Electron modules it is given, wires them to each
// other, to settings changes and to the app's events, and offers the ShellPorts the IPC
// handlers call. Logic lives in the services; this file only connects them (index.ts hands it
// Electron, tests of the services use fakes).
import type * as electron from 'electron';
import { mkdir, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { parseDialLink, parseTypedDial } from '@shared/dial-target';
import type { PhoneSummary } from '@shared/ipc-contract';
import { createDesk } from './desk';
import { writeFileAtomic } from './files/atomic-write';
import type { ShellPorts } from './ipc/handlers';
import type { SenderWindow } from './ipc/router';
import { QuitFlow } from './lifecycle/quit-flow';
import { RendererWatch } from './lifecycle/renderer-watch';
import { LinkHandlers, handlerCommand } from './links/protocol-client';
import { LinkService } from './links/link-service';
import { createLogger, describeError } from './logger';
import { autostartDir, launchCommand, LoginItems } from './login-items/login-items';
import { WindowBadge } from './badge/window-badge';
import { MicrophoneAccessCheck } from './media/microphone-access';
import { IncomingCallNotifier } from './notifications/incoming-call';
import { MessageNotifier } from './notifications/message-notifier';
import { DisplayAwake } from './power/display-awake';
import { PowerEvents } from './power/power-events';
import { buildCsp } from './security/csp';
import { CspFollower } from './security/csp-follower';
import { hardenWebContents, isExternalAllowed, type Preventable } from './security/web-security';
import type { SettingsStore } from './settings/settings-store';
import { installTestHooks } from './testing/test-hooks';
import { DbusSession } from './tray/dbus-session';
import { sessionBusSocket } from './tray/dbus-wire';
import { TrayAvailability } from './tray/status-notifier';
import { STARTING_SUMMARY } from './tray/tray-model';
import { trayIconDir, TrayService } from './tray/tray-service';
import { applicationMenu } from './windows/app-menu';
import { isNativeWayland } from './windows/display-server';
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
  | 'nativeImage'
  | 'net'
  | 'Notification'
  | 'powerMonitor'
  | 'powerSaveBlocker'
  | 'screen'
  | 'session'
  | 'shell'
  | 'systemPreferences'
  | 'Tray'
>;

export interface ShellOptions {
  electron: ShellElectron;
  settings: SettingsStore;
  rendererUrl: string;
  /** The phone window's preload and the popup's narrower one. */
  preload: { main: string; popup: string };
  /** The project folder in dev (two up from out/main), where resources/tray lives. */
  devRoot: string;
  /** Loads keytar as index.ts does (for the Electron test hooks). */
  loadKeytar(): object;
  /** The page died or hung and was killed: what it was doing (recordings) is over. */
  pageLost?(): void;
}

const log = createLogger('shell');

/** Builds the services and registers the app events that must exist before `ready`. */
export function createShell(options: ShellOptions) {
  const { electron: e, settings, rendererUrl, preload, devRoot } = options;
  const { app } = e;
  const platform = process.platform;
  const devTools = !app.isPackaged;
  // The one copy of the phone summary in main; the tray, the display lock, the CSP follower and
  // the renderer watch read it. Do-not-disturb is main's own setting, so the tray shows that.
  let summary: PhoneSummary = STARTING_SUMMARY;
  const trayAvailability = new TrayAvailability({
    platform,
    openBus: async () => {
      const socket = sessionBusSocket(process.env);
      if (!socket) {
        throw new Error('no session bus address');
      }
      return DbusSession.open(socket, process.getuid?.() ?? 0);
    },
  });
  const window: MainWindow = new MainWindow({
    createWindow: (o) => new e.BrowserWindow(o),
    options: mainWindowOptions({ preload: preload.main, devTools }),
    url: rendererUrl,
    isQuitting: () => quit.quitting,
    canHide: () => trayAvailability.available,
    ...(platform === 'darwin' ? { focusApp: () => app.focus({ steal: true }) } : {}),
    onRendererReset: () => links.rendererReset(),
    onVisibilityChange: () => tray.refresh(),
    onRendererGone: (reason) => watch.gone(reason),
    onUnresponsive: (hung) => (hung ? watch.unresponsive() : watch.responsive()),
    onSessionEnding: (phase) => quit.sessionEnding(phase),
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
  });
  const display = new DisplayAwake(e.powerSaveBlocker);
  const csp = new CspFollower({
    policy: () => buildCsp(settings.get().accounts),
    callActive: () => summary.call !== 'idle',
    // After the reply to the request that changed the settings has gone out.
    reload: () => void setTimeout(() => window.reload(), 0),
  });
  const watch = new RendererWatch({
    summary: () => summary,
    reload: () => window.reload(),
    kill: () => window.killRenderer(),
    tell: (title, body) => tell(title, body),
    stateChanged: () => tray.refresh(),
    pageLost: () => {
      phoneStateChanged(lostSummary(summary));
      options.pageLost?.();
    },
    sendRestart: (restart) => window.send('app/renderer-restarted', restart),
    quitting: () => quit.quitting,
  });
  const tray = new TrayService({
    createTray: (icon) => new e.Tray(icon),
    buildMenu: (template) => e.Menu.buildFromTemplate(template),
    iconDir: trayIconDir({
      isPackaged: app.isPackaged,
      resourcesPath: process.resourcesPath,
      appPath: devRoot,
    }),
    platform,
    summary: () => watch.view({ ...summary, doNotDisturb: settings.get().doNotDisturb }),
    isWindowVisible: () => window.isVisible(),
    commands: {
      callBack: (dial) => {
        window.bringToFront();
        window.send('tray/action', { action: 'call-back', dial });
      },
      callFromClipboard: () => void links.fromClipboard(),
      // Main owns the setting: saved here, the window hears of it through settings/changed.
      toggleDnd: () => void toggleDoNotDisturb(),
      toggleWindow: () => window.toggle(),
      showWindow: () => window.bringToFront(),
      callVoicemail: () => {
        window.bringToFront();
        window.send('tray/action', { action: 'call-voicemail' });
      },
      openChat: () => {
        window.bringToFront();
        window.send('tray/action', { action: 'open-chat' });
      },
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
      trayAvailability.stop();
    },
  });
  const notifier = new IncomingCallNotifier({
    create: (o) => new e.Notification(o),
    isSupported: () => e.Notification.isSupported(),
    platform,
    settings: () => settings.get(),
    bringToFront: () => window.bringToFront(),
    sendAction: (callId, action) => window.send('notify/action', { callId, action }),
  });
  const popup = new IncomingPopup({
    createWindow: (o) => new e.BrowserWindow(o),
    webPreferences: mainWindowOptions({ preload: preload.popup, devTools }).webPreferences,
    url: rendererUrl,
    screen: e.screen,
    wayland: isNativeWayland(platform, process.env, (name) => app.commandLine.getSwitchValue(name)),
    mainWindowVisible: () => window.isVisible(),
    bringMainToFront: () => window.bringToFront(),
    requestAttention: () => window.requestAttention(),
    sendAction: (callId, action) => window.send('notify/action', { callId, action }),
    platform,
  });
  const messages = new MessageNotifier({
    create: (o) => new e.Notification(o),
    isSupported: () => e.Notification.isSupported(),
    platform,
    enabled: () => settings.get().notifyMessages,
    openConversation: (conversationId) => {
      window.bringToFront();
      window.send('notify/message-open', { conversationId });
    },
    reply: (conversationId, text) => window.send('notify/message-reply', { conversationId, text }),
  });
  const badge = new WindowBadge({
    platform,
    setBadgeCount: (count) => app.setBadgeCount(count),
    setOverlay: (bitmap, description) =>
      window.setOverlayIcon(
        bitmap
          ? e.nativeImage.createFromBitmap(Buffer.from(bitmap), { width: 16, height: 16 })
          : null,
        description,
      ),
  });
  const power = new PowerEvents({
    powerMonitor: e.powerMonitor,
    isOnline: () => e.net.isOnline(),
    notify: (reason) => window.send('power/changed', { reason }),
  });
  const command = { isPackaged: app.isPackaged, execPath: process.execPath, argv: process.argv };
  const loginItems = new LoginItems({
    platform,
    app,
    command: launchCommand({ ...command, appImage: process.env.APPIMAGE }),
    autostartDir: autostartDir(process.env, homedir()),
    fs: { mkdir, writeFileAtomic, rm },
  });
  const linkHandlers = new LinkHandlers({
    app,
    platform,
    isPackaged: app.isPackaged,
    command: handlerCommand(command),
    productName: 'Open Softphone',
    openExternal: (url) => e.shell.openExternal(url),
  });
  const microphone = new MicrophoneAccessCheck(e.systemPreferences, platform);

  function phoneStateChanged(next: PhoneSummary): void {
    summary = next;
    tray.refresh();
    badge.update(summary);
    display.update(summary);
    csp.phoneStateChanged();
  }

  function tell(title: string, body: string): void {
    if (e.Notification.isSupported()) {
      new e.Notification({ title, body }).show();
    }
  }

  async function toggleDoNotDisturb(): Promise<void> {
    try {
      await settings.update({ doNotDisturb: !settings.get().doNotDisturb });
    } catch (error: unknown) {
      log.warn(`do not disturb could not be saved: ${describeError(error)}`);
    }
  }

  // Every saved change, from the window, the tray or anywhere else.
  settings.onChange((next) => {
    csp.settingsChanged();
    desk.settingsChanged(next);
    void loginItems.apply(next.startAtLogin);
    window.send('settings/changed', next);
    tray.refresh();
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
    phoneStateChanged,
    takePendingLink: () => {
      const pending = links.takePending();
      watch.pageListening(); // the new page listens now: a restart notice can go
      return pending;
    },
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
    desktopInfo: () => ({
      tray: trayAvailability.available,
      trayMessage: trayAvailability.message,
    }),
    linkHandlerState: () => linkHandlers.state(),
    makeDefaultLinkHandler: () => linkHandlers.makeDefault(),
    microphoneAccess: (ask) => microphone.check(ask),
    ...desk.ports,
    messageNotice: (notice) => messages.show(notice),
    messageRead: (conversationId) => messages.read(conversationId),
    openExternal: async (url) => {
      if (!isExternalAllowed(url)) {
        return false;
      }
      return e.shell.openExternal(url).then(
        () => true,
        () => false,
      );
    },
  };

  /** Which of our windows a WebContents is (for the IPC sender check). */
  function windowOf(contentsId: number | null): SenderWindow {
    if (contentsId !== null && contentsId === window.contentsId) {
      return 'main';
    }
    return contentsId !== null && contentsId === popup.contentsId ? 'popup' : 'other';
  }

  /** After `ready` and settings: menu, tray, power, login items, then the window. */
  async function start(): Promise<void> {
    const template = applicationMenu(platform, { devTools });
    e.Menu.setApplicationMenu(template ? e.Menu.buildFromTemplate(template) : null);
    await trayAvailability.start();
    trayAvailability.onChange(() => tray.refresh());
    tray.start();
    power.start();
    desk.start(e.session.defaultSession);
    // Linux and macOS (powerMonitor docs): preventDefault() delays the shutdown (a logind delay
    // lock on Linux) so the page can unregister; the quit flow ends within its time limit. The
    // typings declare no argument, but the event comes first.
    e.powerMonitor.on('shutdown', (...args: unknown[]) => {
      (args[0] as Partial<Preventable> | undefined)?.preventDefault?.();
      quit.sessionEnding('query');
    });
    await loginItems.apply(settings.get().startAtLogin);
    if (typeof __SOFTPHONE_TEST_HOOKS__ !== 'undefined' && __SOFTPHONE_TEST_HOOKS__) {
      installTestHooks({
        tray,
        trayAvailability,
        window,
        popup,
        quit,
        links,
        summary: () => summary,
        loadKeytar: () => options.loadKeytar(),
      });
    }
    await window.open({ startHidden: settings.get().startHidden });
  }

  /** Sends an event to the main window's page (e.g. recording/failed). */
  const send: MainWindow['send'] = (channel, payload) => window.send(channel, payload);

  return { ports, start, csp, windowOf, devicePermissions: desk.devicePermissions, send };
}

/** What main knows once the page is gone: no registration, no call; counts kept. */
function lostSummary(previous: PhoneSummary): PhoneSummary {
  return {
    ...STARTING_SUMMARY,
    missedCount: previous.missedCount,
    unreadMessages: previous.unreadMessages,
    recentNumbers: previous.recentNumbers,
  };
}
