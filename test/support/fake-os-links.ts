// A fake of Electron's protocol-handler APIs (app.setAsDefaultProtocolClient,
// isDefaultProtocolClient, getApplicationNameForProtocol) that models what each OS does, per
// Electron's app docs and implementation notes:
// - Linux: Electron ignores path/args and runs `xdg-settings set default-url-scheme-handler
//   <scheme> <desktopName>`; the check asks xdg-settings the same; the handler's name comes
//   back as a desktop file name ("expect a different format on Linux, possibly with a .desktop
//   suffix").
// - macOS: "you can only register protocols that have been added to your app's info.plist"
//   (LSSetDefaultHandlerForURLScheme); other schemes are refused.
// - Windows: the API writes HKCU\Software\Classes\<scheme>\shell\open\command and compares
//   that command, but since Windows 8 what opens a link is the user's hash-protected UserChoice
//   (electron/electron#14108), which getApplicationNameForProtocol (AssocQueryString) follows.
// Every call is recorded; `runs` counts xdg-settings runs on Linux.

export interface OsLinksOptions {
  platform: NodeJS.Platform;
  /** macOS: the schemes Info.plist declares. */
  plistSchemes?: string[];
  /** Who handles each scheme before we do anything (app names). */
  initial?: Record<string, string>;
}

export class FakeOsLinks {
  readonly calls: string[] = [];
  /** Linux: xdg-settings invocations (each is a synchronous child process in Electron). */
  runs = 0;
  /** Windows: HKCU\Software\Classes\<scheme>\shell\open\command values. */
  readonly registryCommands = new Map<string, string>();
  /** Windows: UserChoice per scheme (what the user picked in Default Apps), as an app name. */
  readonly userChoice = new Map<string, string>();
  /** Linux/macOS: the default handler per scheme. */
  readonly defaults = new Map<string, string>();
  readonly #opts: OsLinksOptions;

  constructor(opts: OsLinksOptions) {
    this.#opts = opts;
    for (const [scheme, app] of Object.entries(opts.initial ?? {})) {
      (opts.platform === 'win32' ? this.userChoice : this.defaults).set(scheme, app);
    }
  }

  readonly app = {
    setAsDefaultProtocolClient: (scheme: string, path?: string, args?: string[]): boolean => {
      this.calls.push(`set ${scheme} ${JSON.stringify([path, ...(args ?? [])])}`);
      switch (this.#opts.platform) {
        case 'linux':
          this.runs += 1;
          this.defaults.set(scheme, 'open-softphone.desktop');
          return true;
        case 'darwin':
          if (!(this.#opts.plistSchemes ?? []).includes(scheme)) {
            return false;
          }
          this.defaults.set(scheme, 'Open Softphone');
          return true;
        default:
          this.registryCommands.set(scheme, command(path, args));
          return true;
      }
    },
    isDefaultProtocolClient: (scheme: string, path?: string, args?: string[]): boolean => {
      this.calls.push(`is ${scheme}`);
      switch (this.#opts.platform) {
        case 'linux':
          this.runs += 1;
          return this.defaults.get(scheme) === 'open-softphone.desktop';
        case 'darwin':
          return this.defaults.get(scheme) === 'Open Softphone';
        default:
          return this.registryCommands.get(scheme) === command(path, args);
      }
    },
    getApplicationNameForProtocol: (url: string): string => {
      const scheme = url.replace(/:.*$/, '');
      if (this.#opts.platform === 'win32') {
        const chosen = this.userChoice.get(scheme);
        if (chosen !== undefined) {
          return chosen;
        }
        return this.registryCommands.has(scheme) ? 'Open Softphone' : '';
      }
      return this.defaults.get(scheme) ?? '';
    },
  };
}

function command(path: string | undefined, args: string[] | undefined): string {
  return [path ?? 'electron.exe', ...(args ?? []), '%1'].map((a) => `"${a}"`).join(' ');
}
