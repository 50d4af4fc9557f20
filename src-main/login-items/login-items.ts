// "Start at login": a login item on macOS and Windows (app.setLoginItemSettings), a freedesktop
// autostart entry on Linux (~/.config/autostart/open-softphone.desktop, XDG_CONFIG_HOME aware,
// Exec pointing at the AppImage when running from one). Applied at start and on every
// settings change, so a moved AppImage or a toggled setting is picked up.
import type { App } from 'electron';
import { isAbsolute, join, resolve } from 'node:path';
import { createLogger, describeError, type Logger } from '../logger';

/** The Linux desktop file name (also the autostart entry's name). */
export const DESKTOP_FILE_NAME = 'open-softphone.desktop';

export interface LaunchCommand {
  path: string;
  args: string[];
}

/** How the OS should start us at login: the AppImage, the packaged binary, or electron + app path. */
export function launchCommand(input: {
  isPackaged: boolean;
  execPath: string;
  argv: readonly string[];
  appImage?: string | undefined;
}): LaunchCommand {
  if (input.appImage) {
    return { path: input.appImage, args: [] };
  }
  const appPath = input.argv[1];
  return input.isPackaged || !appPath
    ? { path: input.execPath, args: [] }
    : { path: input.execPath, args: [resolve(appPath)] };
}

/** $XDG_CONFIG_HOME/autostart (a relative XDG_CONFIG_HOME is invalid and ignored, per the spec). */
export function autostartDir(env: NodeJS.ProcessEnv, home: string): string {
  const config = env.XDG_CONFIG_HOME;
  return join(config && isAbsolute(config) ? config : join(home, '.config'), 'autostart');
}

// Desktop Entry spec, "The Exec key": quote each argument, backslash-escape " ` $ \ inside the
// quotes, double '%' (field codes); then the string-value escaping doubles every backslash.
function execArg(arg: string): string {
  if (/[\n\r\t\0]/.test(arg)) {
    throw new Error('A launch path with control characters cannot go into a desktop entry.');
  }
  const quoted = `"${arg.replace(/%/g, '%%').replace(/[\\"`$]/g, (c) => `\\${c}`)}"`;
  return quoted.replace(/\\/g, '\\\\');
}

/** The autostart desktop entry for a launch command. */
export function autostartEntry(command: LaunchCommand): string {
  const exec = [command.path, ...command.args].map(execArg).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=Open Softphone',
    'Comment=Make and take phone calls over SIP',
    `Exec=${exec}`,
    'Icon=open-softphone',
    'Terminal=false',
    'Categories=Network;Telephony;',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export interface AutostartFs {
  mkdir(path: string, options: { recursive: true }): Promise<unknown>;
  /** Replaces a file atomically (files/atomic-write.ts). */
  writeFileAtomic(path: string, text: string, options: { mode: number }): Promise<void>;
  rm(path: string, options: { force: true }): Promise<void>;
}

export interface LoginItemsDeps {
  platform: NodeJS.Platform;
  app: Pick<App, 'setLoginItemSettings'>;
  command: LaunchCommand;
  /** Linux only: the autostart folder. */
  autostartDir: string;
  fs: AutostartFs;
  log?: Logger;
}

export class LoginItems {
  #applied: boolean | null = null;
  readonly #deps: LoginItemsDeps;
  readonly #log: Logger;

  constructor(deps: LoginItemsDeps) {
    this.#deps = deps;
    this.#log = deps.log ?? createLogger('login-items');
  }

  /** Makes the OS start us at login, or not. Repeated calls with the same value do nothing. */
  async apply(enabled: boolean): Promise<void> {
    if (this.#applied === enabled) {
      return;
    }
    this.#applied = enabled;
    try {
      await this.#apply(enabled);
    } catch (error: unknown) {
      this.#applied = null;
      this.#log.warn(`could not change start at login: ${describeError(error)}`);
    }
  }

  async #apply(enabled: boolean): Promise<void> {
    const { platform, app, command } = this.#deps;
    if (platform === 'darwin') {
      app.setLoginItemSettings({ openAtLogin: enabled });
    } else if (platform === 'win32') {
      // Electron writes args into the Run key as they are: paths with spaces need quotes.
      const args = command.args.map((a) => (/\s/.test(a) ? `"${a}"` : a));
      app.setLoginItemSettings({ openAtLogin: enabled, path: command.path, args });
    } else {
      await this.#applyAutostart(enabled);
    }
  }

  async #applyAutostart(enabled: boolean): Promise<void> {
    const { fs, autostartDir: dir } = this.#deps;
    const file = join(dir, DESKTOP_FILE_NAME);
    if (!enabled) {
      await fs.rm(file, { force: true });
      return;
    }
    await fs.mkdir(dir, { recursive: true });
    // Readable by the session's autostart manager, like any desktop entry.
    await fs.writeFileAtomic(file, autostartEntry(this.#deps.command), { mode: 0o644 });
  }
}
