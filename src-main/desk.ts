// The hands-free desk services (issue 16): global hotkeys, the headset's WebHID access and
// screen-pop, built from the Electron pieces they need and wired to the window, the link
// service and the settings. The shell creates them and forwards its events; logic lives in
// hotkeys/, headset/ and screen-pop/.
import type * as electron from 'electron';
import type { HotkeyAction, AppSettings, HeadsetDeviceChoice } from '@shared/settings-types';
import type { EventChannel, EventMap } from '@shared/ipc-contract';
import type { ShellPorts } from './ipc/handlers';
import { isAppUrl } from './ipc/router';
import { HeadsetAccess } from './headset/headset-access';
import { HotkeyService } from './hotkeys/hotkey-service';
import { parseSelection, readSelection } from './hotkeys/selection';
import type { LinkService } from './links/link-service';
import { createLogger, describeError } from './logger';
import { ScreenPopService } from './screen-pop/screen-pop-service';
import type { SettingsStore } from './settings/settings-store';

const log = createLogger('desk');

export interface DeskOptions {
  electron: Pick<typeof electron, 'clipboard' | 'globalShortcut' | 'shell'>;
  settings: SettingsStore;
  rendererUrl: string;
  links: LinkService;
  window: {
    send<C extends EventChannel>(channel: C, payload: EventMap[C]): boolean;
    bringToFront(): void;
  };
  /** Milliseconds clock for the hotkeys' auto-repeat guard (default Date.now). */
  now?: () => number;
}

/** Builds the desk services; `start` after `ready`, `stop` before quitting. */
export function createDesk(options: DeskOptions) {
  const { electron: e, settings, links, window } = options;

  function run(action: HotkeyAction): void {
    switch (action) {
      case 'showPhone':
        window.bringToFront();
        return;
      case 'dialSelection':
        void dialSelection();
        return;
      case 'hangUp':
        window.send('hotkeys/action', { action: 'hang-up' });
        return;
      default:
        window.send('hotkeys/action', { action });
    }
  }

  async function dialSelection(): Promise<void> {
    let text: string;
    try {
      text = await readSelection(e.clipboard, process.platform);
    } catch (error: unknown) {
      log.warn(`the selection could not be read: ${describeError(error)}`);
      text = '';
    }
    links.fromSelection(parseSelection(text), settings.get().hotkeys.dialSelectionImmediately);
  }

  async function saveHeadset(device: HeadsetDeviceChoice | null): Promise<void> {
    try {
      // The store announces the change (settings/changed to the page, hotkeys, CSP…).
      await settings.update({ headset: { device } });
    } catch (error: unknown) {
      log.warn(`the chosen headset could not be saved: ${describeError(error)}`);
    }
  }

  const hotkeys = new HotkeyService({
    globalShortcut: e.globalShortcut,
    platform: process.platform,
    sessionType: process.env.XDG_SESSION_TYPE,
    run,
    onStatus: (statuses) => window.send('hotkeys/status-changed', statuses),
    ...(options.now ? { now: options.now } : {}),
  });
  const headset = new HeadsetAccess({
    isOwnUrl: (url) => isAppUrl(url, options.rendererUrl),
    remembered: () => settings.get().headset.device,
    remember: (device) => void saveHeadset(device),
    send: (channel, payload) => window.send(channel, payload),
  });
  const screenPop = new ScreenPopService({
    settings: () => settings.get(),
    openExternal: (url) => e.shell.openExternal(url),
  });

  // After quit has begun, a late settings change must not register the hotkeys again.
  let stopped = false;
  const ports: Pick<ShellPorts, 'hotkeyStatus' | 'openScreenPop' | 'headsetChosen'> = {
    hotkeyStatus: () => hotkeys.status(),
    openScreenPop: (request) => screenPop.open(request),
    headsetChosen: (requestId, deviceId) => headset.chosen(requestId, deviceId),
  };

  return {
    ports,
    /** The device grants for the session's permission handlers. */
    devicePermissions: headset,
    /** After `ready`: listens to the session's HID events and registers the hotkeys. */
    start(session: Parameters<HeadsetAccess['attach']>[0]): void {
      headset.attach(session);
      hotkeys.apply(settings.get().hotkeys);
    },
    settingsChanged(next: AppSettings): void {
      if (!stopped) {
        hotkeys.apply(next.hotkeys);
      }
      headset.settingsChanged(next);
    },
    stop(): void {
      stopped = true;
      hotkeys.stop();
      headset.stop();
    },
  };
}
