// The SIP methods an engine accepts, as one list from which its Allow header is derived. JsSIP
// 3.13 writes one constant Allow (JsSIP.C.ALLOWED_METHODS, MESSAGE and SUBSCRIBE included) on
// every request, every OPTIONS answer and every 405, while it refuses MESSAGE and SUBSCRIBE with
// 405 until someone listens for them: the 405 contradicted itself. Here the core methods are
// those JsSIP always takes (calls, transfers, DTMF INFO, NOTIFY, OPTIONS); a feature that takes
// MESSAGE or SUBSCRIBE registers through the engine (PhoneEngine.acceptRequests) and Allow
// follows. The socket rewrites the Allow header of everything the engine sends from this list.
// UPDATE, INFO and REFER exist for us only inside a dialog: outside one they match no dialog and
// are answered 481 (RFC 3261 §12.2.2), not a 405 that would contradict the Allow listing them.
import { tagOf } from './cancel-screen';
import { buildResponse, type ScreenVerdict, type SipHead } from './sip-screen';

/** What JsSIP handles for every engine: INVITE dialogs, UPDATE, REFER, INFO, NOTIFY, OPTIONS. */
export const CORE_METHODS = [
  'INVITE',
  'ACK',
  'CANCEL',
  'BYE',
  'UPDATE',
  'OPTIONS',
  'REFER',
  'INFO',
  'NOTIFY',
] as const;

/** Core methods we take only inside a dialog (RFC 3311 UPDATE, RFC 6086 INFO, REFER in a call). */
const IN_DIALOG_ONLY: ReadonlySet<string> = new Set(['UPDATE', 'INFO', 'REFER']);

/** Methods a feature may take on; JsSIP answers them 405 while nobody does. */
export type ExtensionMethod = 'MESSAGE' | 'SUBSCRIBE';

const ALLOW_LINE = /^Allow[ \t]*:.*$/im;

/** The part of JsSIP's UA (a Node EventEmitter) used to listen for extension methods. */
export interface RequestEmitter {
  on(event: string, listener: (event: never) => void): unknown;
  removeListener(event: string, listener: (event: never) => void): unknown;
}

/** The UA event JsSIP emits for each extension method. */
const UA_EVENTS: Record<ExtensionMethod, string> = {
  MESSAGE: 'newMessage',
  SUBSCRIBE: 'newSubscribe',
};

type Taker = (event: never) => void;

export class HandledMethods {
  readonly #takers = new Map<ExtensionMethod, Set<Taker>>();
  readonly #listening = new Map<ExtensionMethod, Taker>();
  #ua: RequestEmitter | null = null;
  readonly #onError: (error: unknown) => void;

  /** `onError` hears a taker that threw (it never reaches JsSIP). */
  constructor(onError: (error: unknown) => void = () => {}) {
    this.#onError = onError;
  }

  /**
   * Adds a taker of `method`'s requests; JsSIP stops answering them 405 and Allow lists the
   * method while at least one taker is there. Returns the function that lets go.
   */
  take(method: ExtensionMethod, taker: Taker): () => void {
    const takers = this.#takers.get(method) ?? new Set<Taker>();
    takers.add(taker);
    this.#takers.set(method, takers);
    this.#sync();
    return () => {
      takers.delete(taker);
      if (takers.size === 0) {
        this.#takers.delete(method);
      }
      this.#sync();
    };
  }

  /** Listens on a new UA (the previous one is forgotten: it was stopped). */
  bind(ua: RequestEmitter): void {
    this.#ua = ua;
    this.#listening.clear();
    this.#sync();
  }

  /** Whether requests of `method` are accepted now. */
  accepts(method: string): boolean {
    const upper = method.toUpperCase();
    return (
      (CORE_METHODS as readonly string[]).includes(upper) ||
      this.#takers.has(upper as ExtensionMethod)
    );
  }

  /** 481 for a request of an in-dialog-only method that arrives outside any dialog. */
  screen(head: SipHead): ScreenVerdict {
    const method = head.method?.toUpperCase() ?? '';
    if (head.kind !== 'request' || !IN_DIALOG_ONLY.has(method)) {
      return { action: 'pass' };
    }
    if (tagOf(head.headers.get('to')?.[0] ?? null) !== null) {
      return { action: 'pass' };
    }
    const reason = `a ${method} outside any dialog`;
    const response = buildResponse(head, 481, 'Call/Transaction Does Not Exist');
    return response ? { action: 'reply', response, reason } : { action: 'drop', reason };
  }

  /** The Allow header value. */
  get allow(): string {
    return [...CORE_METHODS, ...[...this.#takers.keys()].sort()].join(',');
  }

  /** `message` (as JsSIP wrote it) with its Allow header, if any, set to this list. */
  rewriteAllow(message: string): string {
    const end = message.search(/\r?\n\r?\n/);
    const head = end >= 0 ? message.slice(0, end) : message;
    if (!ALLOW_LINE.test(head)) {
      return message;
    }
    return head.replace(ALLOW_LINE, `Allow: ${this.allow}`) + message.slice(head.length);
  }

  // JsSIP answers 405 while its UA has no listener for the event: listen exactly while taken.
  #sync(): void {
    const ua = this.#ua;
    if (!ua) {
      return;
    }
    for (const method of Object.keys(UA_EVENTS) as ExtensionMethod[]) {
      const takers = this.#takers.get(method);
      const active = this.#listening.get(method);
      if (takers && !active) {
        const dispatch: Taker = (event) => {
          for (const take of [...takers]) {
            try {
              take(event);
            } catch (error: unknown) {
              this.#onError(error);
            }
          }
        };
        this.#listening.set(method, dispatch);
        ua.on(UA_EVENTS[method], dispatch);
      } else if (!takers && active) {
        this.#listening.delete(method);
        ua.removeListener(UA_EVENTS[method], active);
      }
    }
  }
}
