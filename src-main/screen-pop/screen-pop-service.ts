// Owns opening screen-pop pages. The page asks with a call event ('screen-pop/open'); main
// reads the account's template from its own settings (the page never hands over a URL), checks
// the event against the account's choice, fills the template (shared/screen-pop.ts), checks the
// result once more as a URL (http/https only, no user:password, the template's own host) and
// hands it to shell.openExternal — once per call and event, however often it is asked.
import {
  decideScreenPop,
  expandScreenPop,
  screenPopOrigin,
  type ScreenPopValues,
} from '@shared/screen-pop';
import type { ScreenPopRequest, ScreenPopResult } from '@shared/ipc-contract';
import type { AccountSettings, AppSettings } from '@shared/settings-types';
import { createLogger, describeError, type Logger } from '../logger';

/** How many (call, event) pairs are remembered to open each only once. */
const REMEMBERED = 500;

export interface ScreenPopDeps {
  settings(): AppSettings;
  /** Electron's shell.openExternal. */
  openExternal(url: string): Promise<void>;
  log?: Logger;
}

function refused(message: string): ScreenPopResult {
  return { opened: false, message };
}

/** The URL check main makes whatever the template said: http(s), no credentials, same origin. */
export function checkScreenPopUrl(url: string, template: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'The screen-pop address is not a valid web address; nothing was opened.';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return `Screen-pop only opens http:// and https:// addresses, not ${parsed.protocol}; nothing was opened.`;
  }
  if (parsed.username !== '' || parsed.password !== '') {
    return 'The screen-pop address contains a user name or password; nothing was opened.';
  }
  const origin = screenPopOrigin(template);
  if (origin === null || new URL(origin).origin !== parsed.origin) {
    return 'The filled-in screen-pop address points to another site than the template; nothing was opened.';
  }
  return null;
}

function accountAddress(account: AccountSettings): string {
  return account.sipUri.replace(/^sips?:/i, '');
}

export class ScreenPopService {
  readonly #deps: ScreenPopDeps;
  readonly #log: Logger;
  readonly #opened = new Set<string>();

  constructor(deps: ScreenPopDeps) {
    this.#deps = deps;
    this.#log = deps.log ?? createLogger('screen-pop');
  }

  /** Opens the account's page for this call event, or says why not. */
  async open(request: ScreenPopRequest): Promise<ScreenPopResult> {
    const account = this.#deps.settings().accounts.find((a) => a.id === request.accountId);
    if (!account) {
      return refused('That account does not exist.');
    }
    const facts = { direction: request.call.direction, declinedAutomatically: false };
    const decision = decideScreenPop(request.event, facts, account.screenPop);
    if (!decision.open) {
      return refused(`Nothing to open: ${decision.reason}.`);
    }
    const key = `${request.call.callId}\u0000${request.event}`;
    if (this.#opened.has(key)) {
      return refused('This call event already opened its page.');
    }
    const values: ScreenPopValues = {
      number: request.call.number,
      name: request.call.name ?? '',
      account: accountAddress(account),
      direction: request.call.direction,
      callId: request.call.callId,
    };
    const expanded = expandScreenPop(account.screenPop.url, values);
    if (!expanded.ok) {
      return refused(expanded.message);
    }
    const problem = checkScreenPopUrl(expanded.url, account.screenPop.url);
    if (problem) {
      this.#log.warn(`refused a screen-pop for account ${account.id}: ${problem}`);
      return refused(problem);
    }
    this.#remember(key);
    try {
      await this.#deps.openExternal(expanded.url);
    } catch (error: unknown) {
      // The URL carries the caller's number: log the origin only.
      this.#log.warn(`could not open ${new URL(expanded.url).origin}/…: ${describeError(error)}`);
      return refused('The default browser could not open the screen-pop page.');
    }
    return { opened: true, message: null };
  }

  #remember(key: string): void {
    this.#opened.add(key);
    if (this.#opened.size > REMEMBERED) {
      const oldest = this.#opened.values().next().value;
      if (oldest !== undefined) {
        this.#opened.delete(oldest);
      }
    }
  }
}
