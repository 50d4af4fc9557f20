// Owns our own presence publication (RFC 3903) for one account: the first PUBLISH with a body,
// refreshes with SIP-If-Match before the server's Expires runs out, a changed status sent as a
// modification, and the removal (Expires: 0) when the account stops or the app quits. A server
// that does not take publications (489 Bad Event, 405, 501) is asked once and then left alone:
// the state says so in one sentence for the UI. One request is in flight at a time; a status
// chosen meanwhile is sent when it returns. Timers go through the Scheduler port.
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import { systemScheduler, type Cancel, type Scheduler } from '../scheduler';
import type { PublishOutcome, PublishRequest, PublishSender } from './jssip-publish';
import { backoffMs, refreshDelayMs } from './resubscribe';

const log = createLogger('publication');

export type PublicationState =
  | { state: 'off' }
  | { state: 'publishing' }
  | { state: 'published'; expiresS: number }
  /** The server does not take publications: nothing more is sent. */
  | { state: 'unsupported'; message: string }
  | { state: 'retrying'; message: string; retryAt: number }
  /** The server refused; sent again only when the status changes. */
  | { state: 'failed'; message: string };

/** A body to publish (built by the caller: buildPidf). */
export interface PublicationBody {
  contentType: string;
  text: string;
}

export interface PublicationDeps {
  send: PublishSender;
  /** Our address of record. */
  target: string;
  event?: string;
  expiresS?: number;
  scheduler?: Scheduler;
  random?: () => number;
}

export interface PublicationEvents {
  changed: PublicationState;
}

const UNSUPPORTED = new Set([405, 489, 501]);

/** One sentence for a response that ends publishing. */
function refusal(status: number): { unsupported: boolean; message: string } {
  if (UNSUPPORTED.has(status)) {
    return {
      unsupported: true,
      message: `Your server does not accept presence publications (${status}), so colleagues cannot see the status you choose here.`,
    };
  }
  if (status === 401 || status === 407) {
    return {
      unsupported: false,
      message: `The server did not accept our credentials for publishing your status (${status}).`,
    };
  }
  return {
    unsupported: false,
    message: `The server refused to publish your status (${status}).`,
  };
}

export class Publication extends TypedEmitter<PublicationEvents> {
  readonly #send: PublishSender;
  readonly #target: string;
  readonly #event: string;
  readonly #scheduler: Scheduler;
  readonly #random: () => number;
  #expiresS: number;
  #state: PublicationState = { state: 'off' };
  #desired: PublicationBody | null = null;
  /** The body the server holds (last 2xx). */
  #published: PublicationBody | null = null;
  #etag: string | null = null;
  #inFlight = false;
  #online = false;
  #failures = 0;
  #timer: Cancel | null = null;

  constructor(deps: PublicationDeps) {
    super();
    this.#send = deps.send;
    this.#target = deps.target;
    this.#event = deps.event ?? 'presence';
    this.#expiresS = deps.expiresS ?? 3600;
    this.#scheduler = deps.scheduler ?? systemScheduler;
    this.#random = deps.random ?? Math.random;
  }

  get state(): PublicationState {
    return this.#state;
  }

  /** Publishes `body` (or a change to it) as soon as the connection allows. */
  set(body: PublicationBody): void {
    const same = this.#desired?.text === body.text;
    this.#desired = body;
    const state = this.#state.state;
    if (state === 'unsupported' || (same && state !== 'failed')) {
      return;
    }
    if (state === 'failed') {
      this.#failures = 0;
    }
    if (state !== 'retrying') {
      // A pending refresh would send the old state; the modification goes now instead.
      this.#stopTimer();
    }
    this.#kick();
  }

  /** The connection is up again: refresh what the server holds, or publish what is wanted. */
  online(): void {
    this.#online = true;
    if (this.#inFlight || this.#timer !== null) {
      return;
    }
    const current = this.#etag !== null && this.#desired?.text === this.#published?.text;
    if (current && this.#etag) {
      this.#dispatch(this.#request(this.#expiresS, this.#etag, null));
      return;
    }
    this.#kick();
  }

  /** The connection is gone: stop the timers; the next online() refreshes or publishes. */
  offline(): void {
    this.#online = false;
    this.#stopTimer();
    this.#inFlight = false;
    if (this.#state.state !== 'unsupported' && this.#state.state !== 'failed') {
      this.#setState({ state: 'off' });
    }
  }

  /**
   * Removes the publication (Expires: 0), waiting at most `timeoutMs` for the answer; nothing is
   * published again until set() is called.
   */
  remove(timeoutMs = 2000): Promise<void> {
    this.#stopTimer();
    this.#inFlight = false;
    this.#desired = null;
    const etag = this.#etag;
    this.#etag = null;
    this.#published = null;
    if (this.#state.state !== 'unsupported') {
      this.#setState({ state: 'off' });
    }
    if (!etag || !this.#online) {
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => {
      const cancel = this.#scheduler.schedule(resolve, timeoutMs);
      this.#send(this.#request(0, etag, null), () => {
        cancel();
        resolve();
      });
    });
  }

  // Sends what is due: the desired body when it differs from the published one.
  #kick(): void {
    if (!this.#online || this.#inFlight || this.#timer !== null || !this.#desired) {
      return;
    }
    if (this.#desired.text === this.#published?.text && this.#etag) {
      return;
    }
    this.#dispatch(this.#request(this.#expiresS, this.#etag, this.#desired));
  }

  #request(expiresS: number, ifMatch: string | null, body: PublicationBody | null): PublishRequest {
    return { target: this.#target, event: this.#event, expiresS, ifMatch, body };
  }

  #dispatch(request: PublishRequest): void {
    this.#inFlight = true;
    if (request.body) {
      this.#setState({ state: 'publishing' });
    }
    this.#send(request, (outcome) => this.#onOutcome(request, outcome));
  }

  #onOutcome(request: PublishRequest, outcome: PublishOutcome): void {
    if (!this.#inFlight || !this.#online) {
      return;
    }
    this.#inFlight = false;
    if (outcome.kind !== 'response') {
      this.#retry(
        outcome.kind === 'timeout'
          ? 'The server did not answer the publication of your status.'
          : 'The connection failed while publishing your status.',
        null,
      );
      return;
    }
    const { status } = outcome;
    if (status >= 200 && status < 300) {
      this.#onPublished(request, outcome.etag, outcome.expiresS);
      return;
    }
    if (status === 412) {
      // The server lost our entity tag: publish the whole state again, once, at once.
      this.#etag = null;
      this.#published = null;
      if (request.ifMatch && this.#desired) {
        this.#dispatch(this.#request(this.#expiresS, null, this.#desired));
      } else {
        this.#retry('The server refused the publication of your status (412).', null);
      }
      return;
    }
    if (status === 423 && outcome.minExpiresS && outcome.minExpiresS <= 86_400) {
      this.#expiresS = outcome.minExpiresS;
      this.#dispatch({ ...request, expiresS: outcome.minExpiresS });
      return;
    }
    if (status >= 500 || status === 408 || status === 480) {
      this.#retry(`Publishing your status failed (${status}).`, outcome.retryAfterS);
      return;
    }
    const { unsupported, message } = refusal(status);
    log.info(`publication stopped: ${status}`);
    this.#etag = null;
    this.#published = null;
    this.#setState(unsupported ? { state: 'unsupported', message } : { state: 'failed', message });
  }

  #onPublished(request: PublishRequest, etag: string | null, expiresS: number | null): void {
    this.#failures = 0;
    this.#etag = etag ?? this.#etag;
    if (request.body) {
      this.#published = request.body;
    }
    const granted = expiresS !== null && expiresS > 0 ? expiresS : request.expiresS;
    this.#setState({ state: 'published', expiresS: granted });
    if (this.#desired && this.#desired.text !== this.#published?.text) {
      this.#kick();
      return;
    }
    this.#timer = this.#scheduler.schedule(
      () => {
        this.#timer = null;
        if (this.#etag) {
          this.#dispatch(this.#request(this.#expiresS, this.#etag, null));
        } else {
          this.#published = null;
          this.#kick();
        }
      },
      refreshDelayMs(granted, this.#random),
    );
  }

  #retry(message: string, retryAfterS: number | null): void {
    const delay =
      retryAfterS !== null
        ? Math.min(retryAfterS, 3600) * 1000
        : backoffMs(this.#failures, { random: this.#random });
    this.#failures += 1;
    this.#setState({ state: 'retrying', message, retryAt: this.#scheduler.now() + delay });
    this.#timer = this.#scheduler.schedule(() => {
      this.#timer = null;
      this.#published = null;
      this.#kick();
    }, delay);
  }

  #stopTimer(): void {
    this.#timer?.();
    this.#timer = null;
  }

  #setState(state: PublicationState): void {
    this.#state = state;
    this.emit('changed', state);
  }
}
