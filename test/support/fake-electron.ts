// A fake of the `electron` module, for the composition test that imports the real
// src-main/index.ts (vi.mock('electron')): records what the composition root asks of
// Electron, in order, and lets the test fire app events, tray clicks and IPC requests. It is
// a Linux machine without a desktop session bus (so without a StatusNotifier host: no tray).
import type { BrowserWindowConstructorOptions, MenuItemConstructorOptions } from 'electron';
import { FakeEmitter } from './fake-emitter';
import { FakeGlobalShortcut } from './fake-global-shortcut';
import { FakeWindow } from './fake-window';

/** Everything the fake saw, in order ('ready' marks when whenReady resolved). */
export const calls: string[] = [];
export const windows: FakeBrowserWindow[] = [];
export const trays: FakeTray[] = [];
export const ipcHandlers = new Map<
  string,
  (event: unknown, payload: unknown) => Promise<unknown>
>();
export const protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
export const blockers = new Map<number, string>();
let resolveReady: () => void = () => {};
const ready = new Promise<void>((r) => (resolveReady = r));
let resolveLoaded: (w: FakeBrowserWindow) => void = () => {};
/** Resolves when the first window starts loading its page (the app is up). */
export const windowLoaded = new Promise<FakeBrowserWindow>((r) => (resolveLoaded = r));

export function fireReady(): void {
  calls.push('ready');
  resolveReady();
}

class FakeApp extends FakeEmitter {
  isPackaged = false;
  userData = '';
  readonly switches = new Map<string, string>();
  readonly commandLine = {
    appendSwitch: (name: string, value?: string) => {
      calls.push(`switch ${name}=${value ?? ''}`);
      this.switches.set(name, value ?? '');
    },
    getSwitchValue: (name: string) => this.switches.get(name) ?? '',
    hasSwitch: (name: string) => this.switches.has(name),
  };
  override on(event: string, listener: (...args: never[]) => unknown): this {
    calls.push(`app.on ${event}`);
    return super.on(event, listener);
  }
  requestSingleInstanceLock(): boolean {
    calls.push('requestSingleInstanceLock');
    return true;
  }
  enableSandbox(): void {
    calls.push('enableSandbox');
  }
  setAppUserModelId(id: string): void {
    calls.push(`setAppUserModelId ${id}`);
  }
  getPath(): string {
    return this.userData;
  }
  setPath(): void {}
  getAppPath(): string {
    return process.cwd();
  }
  getVersion(): string {
    return '0.0.0-test';
  }
  whenReady(): Promise<void> {
    return ready;
  }
  focus(): void {}
  isDefaultProtocolClient(scheme: string): boolean {
    calls.push(`isDefaultProtocolClient ${scheme}`);
    return false;
  }
  getApplicationNameForProtocol(): string {
    return '';
  }
  quit(): void {
    calls.push('app.quit');
  }
  exit(code: number): void {
    calls.push(`app.exit ${code}`);
  }
  setAsDefaultProtocolClient(scheme: string, path: string, args: string[]): boolean {
    calls.push(`setAsDefaultProtocolClient ${scheme} ${JSON.stringify(args.slice(-1))}`);
    return true;
  }
  setLoginItemSettings(): void {
    calls.push('setLoginItemSettings');
  }
  setBadgeCount(count: number): boolean {
    calls.push(`setBadgeCount ${count}`);
    return true;
  }
}

export const app = new FakeApp();

export class FakeBrowserWindow extends FakeWindow {
  constructor(options: BrowserWindowConstructorOptions) {
    super(options);
    windows.push(this);
    calls.push('new BrowserWindow');
  }
  override loadURL(url: string): Promise<void> {
    const done = super.loadURL(url);
    resolveLoaded(this);
    return done;
  }
  static getFocusedWindow(): FakeBrowserWindow | null {
    return null;
  }
}
export { FakeBrowserWindow as BrowserWindow };

export class FakeTray extends FakeEmitter {
  image: string;
  tooltip = '';
  menu: MenuItemConstructorOptions[] | null = null;
  constructor(image: string) {
    super();
    this.image = image;
    trays.push(this);
  }
  setImage(image: string): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: MenuItemConstructorOptions[] | null): void {
    this.menu = menu;
  }
  destroy(): void {
    calls.push('tray.destroy');
  }
  click(label: string): void {
    const item = this.menu?.find((i) => i.label === label);
    (item?.click as (() => void) | undefined)?.();
  }
}
export { FakeTray as Tray };

export const Menu = {
  buildFromTemplate: (template: MenuItemConstructorOptions[]) => template,
  setApplicationMenu(menu: MenuItemConstructorOptions[] | null): void {
    calls.push(`setApplicationMenu ${menu === null ? 'null' : JSON.stringify(menu)}`);
  },
};

export class Notification extends FakeEmitter {
  constructor(readonly options: { title?: string; body?: string } = {}) {
    super();
  }
  static isSupported(): boolean {
    return true;
  }
  show(): void {
    calls.push(`notification.show ${this.options.title ?? ''}`);
  }
  close(): void {}
}

export const nativeImage = {
  createFromBitmap: (buffer: Buffer, size: { width: number; height: number }) => ({ buffer, size }),
};
export const clipboard = { readText: async () => '+1 (555) 0100' };
export const net = { isOnline: () => true };
export const powerMonitor = new FakeEmitter();
let blockerId = 0;
export const powerSaveBlocker = {
  start(type: string): number {
    blockerId += 1;
    blockers.set(blockerId, type);
    return blockerId;
  },
  stop(id: number): boolean {
    return blockers.delete(id);
  },
};
export const shell = {
  openExternal: async () => {},
  showItemInFolder: (path: string) => calls.push(`showItemInFolder ${path}`),
  trashItem: async (path: string) => {
    calls.push(`trashItem ${path}`);
  },
};
export const dialog = {
  showOpenDialog: async () => ({ canceled: true, filePaths: [] as string[] }),
};
const workArea = { x: 0, y: 0, width: 1920, height: 1040 };
export const screen = {
  getPrimaryDisplay: () => ({ workArea }),
  getCursorScreenPoint: () => ({ x: 10, y: 10 }),
  getDisplayNearestPoint: () => ({ workArea }),
};
/** Linux: no OS microphone switch (getMediaAccessStatus is win32/darwin only). */
export const systemPreferences = {};
export const ipcMain = {
  handle(channel: string, listener: (event: unknown, payload: unknown) => Promise<unknown>): void {
    ipcHandlers.set(channel, listener);
  },
};
export const protocol = {
  registerSchemesAsPrivileged(schemes: { scheme: string }[]): void {
    calls.push(`registerSchemesAsPrivileged ${schemes.map((s) => s.scheme).join(',')}`);
  },
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    calls.push(`protocol.handle ${scheme}`);
    protocolHandlers.set(scheme, handler);
  },
};
export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (s: string) => Buffer.from(s),
  decryptString: (b: Buffer) => b.toString(),
  getSelectedStorageBackend: () => 'basic_text',
};
type CheckHandler = (c: null, permission: string, origin: string, details: object) => boolean;
type DeviceHandler = (details: { deviceType: string; origin: string; device: unknown }) => boolean;

class FakeSession extends FakeEmitter {
  checkHandler: CheckHandler | null = null;
  deviceHandler: DeviceHandler | null = null;
  setPermissionRequestHandler(): void {
    calls.push('setPermissionRequestHandler');
  }
  setPermissionCheckHandler(handler: CheckHandler): void {
    calls.push('setPermissionCheckHandler');
    this.checkHandler = handler;
  }
  setDevicePermissionHandler(handler: DeviceHandler): void {
    calls.push('setDevicePermissionHandler');
    this.deviceHandler = handler;
  }
  override on(event: string, listener: (...args: never[]) => unknown): this {
    calls.push(`session.on ${event}`);
    return super.on(event, listener);
  }
}
export const session = { defaultSession: new FakeSession() };
export const globalShortcut = new FakeGlobalShortcut({ platform: 'linux-x11' });

/** Invokes a channel as the page at `url` in the phone window (or WebContents `senderId`) would. */
export function invoke(
  channel: string,
  payload: unknown,
  url = 'app://softphone/index.html',
  senderId = windows[0]?.webContents.id ?? -1,
) {
  const handler = ipcHandlers.get(channel);
  if (!handler) {
    throw new Error(`no ipc handler for ${channel}`);
  }
  return handler({ senderFrame: { url }, sender: { id: senderId } }, payload) as Promise<{
    ok: boolean;
    value?: unknown;
    error?: string;
  }>;
}
