// Which app opens tel:, sip:, sips: and callto: links, and the user's explicit "Use Open
// Softphone for tel:/sip: links" action. Nothing is registered at start: the installers declare
// the schemes (Linux desktop entry MimeType, macOS Info.plist, Windows Default Apps
// capabilities) and the OS or the user picks the handler. Only the Settings action changes it:
// - macOS and Linux: app.setAsDefaultProtocolClient (LaunchServices / `xdg-settings set
//   default-url-scheme-handler`; Electron ignores the command on Linux and uses desktopName).
// - Windows: since Windows 8 an app cannot make itself the default (the UserChoice key is
//   hash-protected; electron/electron#14108), so the action opens Default Apps at our entry,
//   which the installer registered. A dev run (nothing installed) falls back to the registry
//   command that setAsDefaultProtocolClient writes, which Windows honours while no UserChoice
//   exists. Our command always ends with `--` before the link, so a link is never a switch.
import type { App } from 'electron';
import { resolve } from 'node:path';
import type { LinkHandlerState } from '@shared/ipc-contract';
import { createLogger, type Logger } from '../logger';
import { LINK_SCHEMES } from './argv';

export interface HandlerCommand {
  path: string;
  args: string[];
}

/** The command the OS runs for a link (the link is appended after `args`). */
export function handlerCommand(input: {
  isPackaged: boolean;
  execPath: string;
  argv: readonly string[];
}): HandlerCommand {
  if (input.isPackaged) {
    return { path: input.execPath, args: ['--'] };
  }
  // `electron <app path>`: the app path is argv[1] in dev.
  const appPath = input.argv[1];
  return { path: input.execPath, args: appPath ? [resolve(appPath), '--'] : ['--'] };
}

/** Default Apps, opened at the entry the installer registered (Windows 10 1709+ and 11). */
export const WINDOWS_DEFAULT_APPS_URL =
  'ms-settings:defaultapps?registeredAppUser=Open%20Softphone';

export interface LinkHandlersDeps {
  app: Pick<
    App,
    'setAsDefaultProtocolClient' | 'isDefaultProtocolClient' | 'getApplicationNameForProtocol'
  >;
  platform: NodeJS.Platform;
  isPackaged: boolean;
  command: HandlerCommand;
  /** The product name Windows shows for our ProgID (the installer's ApplicationName). */
  productName: string;
  openExternal(url: string): Promise<void>;
  log?: Logger;
}

export class LinkHandlers {
  readonly #deps: LinkHandlersDeps;
  readonly #log: Logger;

  constructor(deps: LinkHandlersDeps) {
    this.#deps = deps;
    this.#log = deps.log ?? createLogger('links');
  }

  /** Which app handles each scheme now, and what the Settings action will do. */
  state(): LinkHandlerState {
    const schemes = LINK_SCHEMES.map((scheme) => {
      const handler = this.#handlerName(scheme);
      return { scheme, handler, isDefault: this.#isDefault(scheme, handler) };
    });
    const viaSystem = this.#viaSystemSettings();
    return {
      schemes,
      allDefault: schemes.every((s) => s.isDefault),
      action: viaSystem ? 'open-system-settings' : 'register',
      note: viaSystem
        ? 'Windows asks you to choose: pick Open Softphone for TEL, SIP, SIPS and CALLTO in Default apps.'
        : null,
    };
  }

  /** The user asked to handle links: registers (macOS, Linux) or opens Default Apps (Windows). */
  async makeDefault(): Promise<LinkHandlerState> {
    if (this.#viaSystemSettings()) {
      await this.#deps.openExternal(WINDOWS_DEFAULT_APPS_URL);
      return this.state();
    }
    const { path, args } = this.#deps.command;
    for (const scheme of LINK_SCHEMES) {
      if (!this.#deps.app.setAsDefaultProtocolClient(scheme, path, args)) {
        this.#log.warn(`the OS did not accept us as the ${scheme}: handler`);
      }
    }
    return this.state();
  }

  #viaSystemSettings(): boolean {
    return this.#deps.platform === 'win32' && this.#deps.isPackaged;
  }

  #handlerName(scheme: string): string {
    try {
      return this.#deps.app.getApplicationNameForProtocol(`${scheme}:`);
    } catch {
      return '';
    }
  }

  // On Windows the registry command isDefaultProtocolClient compares is not what opens a link
  // once the user chose an app (UserChoice); the name of the app Windows resolves is.
  #isDefault(scheme: string, handler: string): boolean {
    if (this.#deps.platform === 'win32' && this.#deps.isPackaged) {
      return handler === this.#deps.productName;
    }
    const { path, args } = this.#deps.command;
    return this.#deps.app.isDefaultProtocolClient(scheme, path, args);
  }
}
