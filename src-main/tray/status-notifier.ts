// Whether a tray icon can be seen on Linux. Electron's Linux Tray is a StatusNotifierItem: it is
// shown only by a panel that runs a StatusNotifier host, reached through the
// org.kde.StatusNotifierWatcher service on the session bus (freedesktop StatusNotifierItem
// spec). Stock GNOME has none (only the AppIndicator extension adds one), so there a tray icon
// is invisible and an app hidden to it is lost. The watcher may start after us (autostart at
// login races the panel), so its arrival and departure are followed. macOS and Windows always
// have a tray.
import { createLogger, describeError, type Logger } from '../logger';
import type { DbusSession } from './dbus-session';
import type { DbusValue } from './dbus-wire';

export const WATCHER = 'org.kde.StatusNotifierWatcher';
const WATCHER_PATH = '/StatusNotifierWatcher';

/** The plain sentence shown when there is no tray (Settings, start hidden). */
export const NO_TRAY_MESSAGE =
  'Your desktop shows no tray icons (on GNOME, the AppIndicator extension adds them), so ' +
  'closing the window minimises it instead of hiding it, and "Start hidden" is off.';

/** The part of DbusSession the probe uses. */
export type BusLike = Pick<DbusSession, 'call' | 'subscribe' | 'close'>;

export interface StatusNotifierDeps {
  platform: NodeJS.Platform;
  /** Opens the session bus; rejects when there is none. */
  openBus(): Promise<BusLike>;
  log?: Logger;
}

export class TrayAvailability {
  #available: boolean;
  #bus: BusLike | null = null;
  readonly #listeners = new Set<(available: boolean) => void>();
  readonly #deps: StatusNotifierDeps;
  readonly #log: Logger;

  constructor(deps: StatusNotifierDeps) {
    this.#deps = deps;
    this.#log = deps.log ?? createLogger('tray');
    // Until the probe says otherwise: no promise of a tray on Linux.
    this.#available = deps.platform !== 'linux';
  }

  /** Whether a tray icon can be seen now. */
  get available(): boolean {
    return this.#available;
  }

  /** Why there is no tray, for the user; null when there is one. */
  get message(): string | null {
    return this.#available ? null : NO_TRAY_MESSAGE;
  }

  /** Hears changes (a panel with a tray started or stopped). */
  onChange(listener: (available: boolean) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Probes once and follows the watcher from then on (Linux); resolves with the first answer. */
  async start(): Promise<boolean> {
    if (this.#deps.platform !== 'linux') {
      return this.#available;
    }
    try {
      const bus = await this.#deps.openBus();
      this.#bus = bus;
      await bus.subscribe(
        `type='signal',sender='org.freedesktop.DBus',interface='org.freedesktop.DBus',member='NameOwnerChanged',arg0='${WATCHER}'`,
        () => void this.#probe(),
      );
      await bus.subscribe(
        `type='signal',interface='${WATCHER}',member='StatusNotifierHostRegistered'`,
        () => void this.#probe(),
      );
      await this.#probe();
    } catch (error: unknown) {
      this.#log.info(`no session bus to find a tray on: ${describeError(error)}`);
      this.#set(false);
    }
    return this.#available;
  }

  stop(): void {
    this.#bus?.close();
    this.#bus = null;
  }

  async #probe(): Promise<void> {
    const bus = this.#bus;
    if (!bus) {
      return;
    }
    try {
      this.#set(await hostPresent(bus));
    } catch (error: unknown) {
      this.#log.info(`the tray probe failed: ${describeError(error)}`);
      this.#set(false);
    }
  }

  #set(available: boolean): void {
    if (available === this.#available) {
      return;
    }
    this.#available = available;
    this.#log.info(available ? 'a tray is available' : 'no tray is available');
    for (const listener of [...this.#listeners]) {
      listener(available);
    }
  }
}

/** Whether the watcher runs and (where it says) a host has registered with it. */
export async function hostPresent(bus: Pick<BusLike, 'call'>): Promise<boolean> {
  const [owned] = await bus.call({
    destination: 'org.freedesktop.DBus',
    path: '/org/freedesktop/DBus',
    interface: 'org.freedesktop.DBus',
    member: 'NameHasOwner',
    signature: 's',
    body: [WATCHER],
  });
  if (owned !== true) {
    return false;
  }
  try {
    const [reply] = await bus.call({
      destination: WATCHER,
      path: WATCHER_PATH,
      interface: 'org.freedesktop.DBus.Properties',
      member: 'Get',
      signature: 'ss',
      body: [WATCHER, 'IsStatusNotifierHostRegistered'],
    });
    return unwrap(reply) !== false;
  } catch {
    // A watcher without the property (some minimal ones): it exists, so a host is assumed.
    return true;
  }
}

function unwrap(value: DbusValue | undefined): DbusValue | undefined {
  return typeof value === 'object' && value !== null && 'variant' in value ? value.value : value;
}
