// Receives tel:/sip:/sips:/callto: links from every way the OS hands them over (cold-start argv,
// a second instance's argv, macOS open-url) plus "Call number from clipboard", parses them
// strictly, and hands the renderer one DialRequest (or the parser's plain refusal). A link
// never dials by itself: it brings the window to the front with the number filled in; only the
// user's autoDialLinks setting (for the dial-selection hotkey, its own setting) may dial at
// once. Links that arrive before the page listens are kept until it asks (`links/take-pending`).
import type { DialParseResult } from '@shared/dial-target';
import type { DialRequest, EventChannel, EventMap } from '@shared/ipc-contract';
import { createLogger, describeError, type Logger } from '../logger';
import { linkCandidates } from './argv';

type Source = DialRequest['source'];

type Pending =
  | {
      kind: 'dial';
      target: Extract<DialParseResult, { ok: true }>['target'];
      source: Source;
      /** Overrides the autoDialLinks setting (the dial-selection hotkey has its own). */
      autoDial?: boolean;
    }
  | { kind: 'rejected'; message: string };

export interface LinkServiceDeps {
  parseLink(input: string): DialParseResult;
  parseTyped(input: string): DialParseResult;
  /** The autoDialLinks setting, read when the request is delivered. */
  autoDial(): boolean;
  /** Sends an event to the page; false when there is no page. */
  send<C extends EventChannel>(channel: C, payload: EventMap[C]): boolean;
  bringToFront(): void;
  /** Reads the clipboard's text (Electron's clipboard.readText). */
  readClipboard(): Promise<string>;
  log?: Logger;
}

export class LinkService {
  #ready = false;
  #pending: Pending | null = null;
  readonly #deps: LinkServiceDeps;
  readonly #log: Logger;

  constructor(deps: LinkServiceDeps) {
    this.#deps = deps;
    this.#log = deps.log ?? createLogger('links');
  }

  /** A command line (cold start or second instance). Returns whether it carried a link. */
  fromArgv(argv: readonly string[]): boolean {
    const candidates = linkCandidates(argv);
    const first = candidates[0];
    if (first === undefined) {
      return false;
    }
    if (candidates.length > 1) {
      this.#log.info(`${candidates.length - 1} further link(s) on the command line were ignored`);
    }
    this.#offer(this.#deps.parseLink(first), 'link');
    return true;
  }

  /** A second instance started: its link if it had one, else just show the window. */
  fromSecondInstance(argv: readonly string[]): void {
    if (!this.fromArgv(argv)) {
      this.#deps.bringToFront();
    }
  }

  /** macOS open-url. */
  fromUrl(url: string): void {
    this.#offer(this.#deps.parseLink(url), 'link');
  }

  /** "Call number from clipboard": what was copied is parsed like typed text. */
  async fromClipboard(): Promise<void> {
    let text: string;
    try {
      text = await this.#deps.readClipboard();
    } catch (error: unknown) {
      this.#log.warn(`the clipboard could not be read: ${describeError(error)}`);
      this.#offer(
        { ok: false, reason: 'empty', message: 'The clipboard could not be read.' },
        'clipboard',
      );
      return;
    }
    this.#offer(this.#deps.parseTyped(text), 'clipboard');
  }

  /** Text selected in another app (the dial-selection hotkey), already parsed by its rules. */
  fromSelection(result: DialParseResult, autoDial: boolean): void {
    this.#offer(result, 'selection', autoDial);
  }

  /** The page is listening: hand over what arrived before (a refusal goes as an event). */
  takePending(): DialRequest | null {
    this.#ready = true;
    const pending = this.#pending;
    this.#pending = null;
    if (pending?.kind === 'rejected') {
      this.#deliver(pending);
      return null;
    }
    return pending ? this.#request(pending) : null;
  }

  /** The page is (re)loading: queue links until it asks again. */
  rendererReset(): void {
    this.#ready = false;
  }

  #offer(result: DialParseResult, source: Source, autoDial?: boolean): void {
    const item: Pending = result.ok
      ? {
          kind: 'dial',
          target: result.target,
          source,
          ...(autoDial === undefined ? {} : { autoDial }),
        }
      : { kind: 'rejected', message: result.message };
    if (!result.ok) {
      this.#log.info(`refused a ${source} (${result.reason})`);
    }
    if (!this.#ready || !this.#deliver(item)) {
      this.#pending = item;
    }
    this.#deps.bringToFront();
  }

  #deliver(item: Pending): boolean {
    return item.kind === 'dial'
      ? this.#deps.send('links/dial-requested', this.#request(item))
      : this.#deps.send('links/rejected', { message: item.message });
  }

  #request(item: Extract<Pending, { kind: 'dial' }>): DialRequest {
    // A link carrying a message draft (?body=) opens the chat with it: it never dials, not even
    // from the dial-selection hotkey.
    const wanted = item.autoDial ?? this.#deps.autoDial();
    const autoDial = wanted && item.target.body === undefined;
    return { target: item.target, source: item.source, autoDial };
  }
}
