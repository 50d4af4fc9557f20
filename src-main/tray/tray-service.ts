// The system tray: icon, tooltip and menu redrawn from the phone summary the shell holds (main
// keeps no phone logic of its own, and the summary only once: the tray reads it, never copies
// it), and the menu's commands routed to the window, the links service and the quit flow.
// Receives its Tray and menu builder so unit tests use fakes.
import type { MenuItemConstructorOptions } from 'electron';
import type { PhoneSummary } from '@shared/ipc-contract';
import { join } from 'node:path';
import { trayMenu, trayState, trayTooltip } from './tray-model';
import type { TrayCommand, TrayMenuEntry } from './tray-model';
import { trayIconFile, type TrayState } from './tray-states';

/** The part of Electron's Tray used here, generic in the menu type so fakes need no Menu. */
export interface TrayLike<M> {
  setImage(image: string): void;
  setToolTip(toolTip: string): void;
  setContextMenu(menu: M | null): void;
  on(event: 'click', listener: () => void): unknown;
  destroy(): void;
}

/** What the menu's commands do. */
export interface TrayCommands {
  callBack(dial: string): void;
  callFromClipboard(): void;
  toggleDnd(): void;
  toggleWindow(): void;
  showWindow(): void;
  /** Brings the window up and asks the phone to call voicemail. */
  callVoicemail(): void;
  /** Shows the window on the chat (unread messages). */
  openChat(): void;
  quit(): void;
}

export interface TrayServiceDeps<M> {
  createTray(iconPath: string): TrayLike<M>;
  buildMenu(template: MenuItemConstructorOptions[]): M;
  /** Folder holding the icons (resources/tray in dev, <resources>/tray when packaged). */
  iconDir: string;
  platform: NodeJS.Platform;
  /** What the tray shows: the shell's one copy of the phone summary. */
  summary(): PhoneSummary;
  isWindowVisible(): boolean;
  commands: TrayCommands;
}

/** Where the tray icons are: resources/tray of the project in dev, <resources>/tray when packaged. */
export function trayIconDir(input: {
  isPackaged: boolean;
  resourcesPath: string;
  appPath: string;
}): string {
  return input.isPackaged
    ? join(input.resourcesPath, 'tray')
    : join(input.appPath, 'resources', 'tray');
}

export class TrayService<M> {
  #tray: TrayLike<M> | null = null;
  #state: TrayState | null = null;
  readonly #deps: TrayServiceDeps<M>;

  constructor(deps: TrayServiceDeps<M>) {
    this.#deps = deps;
  }

  /** Creates the tray icon with the starting state. */
  start(): void {
    const state = trayState(this.#deps.summary());
    this.#tray = this.#deps.createTray(this.#iconPath(state));
    this.#state = state;
    // On macOS a click opens the menu; elsewhere (where the OS reports clicks) it toggles the window.
    if (this.#deps.platform !== 'darwin') {
      this.#tray.on('click', () => this.#deps.commands.toggleWindow());
    }
    this.#render();
  }

  /** Redraws icon, tooltip and menu (the summary changed, or the window was shown or hidden). */
  refresh(): void {
    this.#render();
  }

  /** Whether the tray icon exists (started and not destroyed). */
  get active(): boolean {
    return this.#tray !== null;
  }

  /** The current menu as data (tests and the Electron test hooks read it). */
  menu(): TrayMenuEntry[] {
    return trayMenu(this.#deps.summary(), this.#deps.isWindowVisible());
  }

  /** Runs a menu command as if its item was clicked. */
  run(command: TrayCommand): void {
    const c = this.#deps.commands;
    switch (command.kind) {
      case 'call-back':
        c.callBack(command.dial);
        break;
      case 'call-clipboard':
        c.callFromClipboard();
        break;
      case 'toggle-dnd':
        c.toggleDnd();
        break;
      case 'toggle-window':
        c.toggleWindow();
        break;
      case 'show-window':
        c.showWindow();
        break;
      case 'call-voicemail':
        c.callVoicemail();
        break;
      case 'open-chat':
        c.openChat();
        break;
      case 'quit':
        c.quit();
        break;
    }
  }

  destroy(): void {
    this.#tray?.destroy();
    this.#tray = null;
  }

  #render(): void {
    const tray = this.#tray;
    if (!tray) {
      return;
    }
    const summary = this.#deps.summary();
    const state = trayState(summary);
    if (state !== this.#state) {
      tray.setImage(this.#iconPath(state));
      this.#state = state;
    }
    tray.setToolTip(trayTooltip(summary));
    tray.setContextMenu(this.#deps.buildMenu(this.menu().map((e) => this.#toElectron(e))));
  }

  #toElectron(entry: TrayMenuEntry): MenuItemConstructorOptions {
    const item: MenuItemConstructorOptions = { type: entry.type };
    if (entry.label !== undefined) {
      item.label = entry.label;
    }
    if (entry.enabled !== undefined) {
      item.enabled = entry.enabled;
    }
    if (entry.checked !== undefined) {
      item.checked = entry.checked;
    }
    if (entry.submenu) {
      item.submenu = entry.submenu.map((e) => this.#toElectron(e));
    }
    const command = entry.command;
    if (command) {
      item.click = () => this.run(command);
    }
    return item;
  }

  #iconPath(state: TrayState): string {
    return join(this.#deps.iconDir, trayIconFile(state, this.#deps.platform));
  }
}
