// Registers the phone as the OS handler of tel:, sip:, sips: and callto:. Our handler command
// always ends with a `--` separator before the link, so Chromium stops parsing switches there
// and a crafted link can never become a command-line flag. Dev builds register the Electron
// binary with the app path. (macOS takes the schemes from Info.plist and Linux from the
// desktop file's MimeType; see docs/desktop-shell.md.)
import type { App } from 'electron';
import { resolve } from 'node:path';
import { createLogger, type Logger } from '../logger';
import { LINK_SCHEMES, type LinkScheme } from './argv';

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

export interface ProtocolClientDeps {
  app: Pick<App, 'setAsDefaultProtocolClient'>;
  command: HandlerCommand;
  log?: Logger;
}

/** Registers every scheme; returns which registrations the OS accepted. */
export function registerLinkHandlers(deps: ProtocolClientDeps): Record<LinkScheme, boolean> {
  const log = deps.log ?? createLogger('links');
  const result = {} as Record<LinkScheme, boolean>;
  for (const scheme of LINK_SCHEMES) {
    result[scheme] = deps.app.setAsDefaultProtocolClient(
      scheme,
      deps.command.path,
      deps.command.args,
    );
    if (!result[scheme]) {
      log.warn(`the OS did not accept us as the ${scheme}: handler`);
    }
  }
  return result;
}
