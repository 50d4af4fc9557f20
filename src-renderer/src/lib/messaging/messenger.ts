// Owns SIP MESSAGE (RFC 3428) for one account: answering every incoming MESSAGE (200 for a text
// or a typing indication; 415 with Accept, 413, 400 from incoming-body.ts; 603 for a blocked
// sender; 480 with Retry-After while no store can take it) and handing what was accepted to
// the chat service, and sending ours with `ua.sendMessage` with a bounded wait for the answer.
// It binds to the account's JsSIP UA through the engine ('ua' event), so a restarted engine keeps
// chat. Never throws into JsSIP: a listener that failed answers 500.
import type { UA } from 'jssip';
import type { IncomingMessageEvent, OutgoingMessageEvent } from 'jssip/lib/UA';
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import type { PhoneEngine } from '../phone';
import { systemScheduler, type Scheduler } from '../scheduler';
import { singleLine } from '../text/inert-text';
import { outcomeOfResponse, outcomeOfSystem, type SendOutcome } from './delivery';
import { acceptIncomingMessage } from './incoming-body';
import type { IsComposing } from './iscomposing';
import { canonicalPeer } from './peer';

const log = createLogger('messenger');

/** What the messenger uses of a phone engine. */
export type MessagingEngine = Pick<PhoneEngine, 'account' | 'registration' | 'ua' | 'on'>;

/** The content type of the text we send (RFC 3428 §8: UTF-8 text/plain must be supported). */
export const TEXT_CONTENT_TYPE = 'text/plain;charset=UTF-8';

/**
 * Longest wait for the final answer to a MESSAGE. JsSIP gives up after Timer F (64·T1 = 32 s)
 * with 'Request Timeout'; this bound makes sure the wait ends even if that event never comes.
 */
export const SEND_TIMEOUT_MS = 40_000;

/** What decides about incoming messages beyond their body. */
export interface MessengerPolicy {
  /** False while messages cannot be stored (nor wait for a store that is opening): 480 with Retry-After. */
  ready(): boolean;
  /** True for a sender the user blocked (answered 603 Decline). */
  isBlocked(accountId: string, peer: string): boolean;
}

/** A chat text that arrived and was answered 200. */
export interface IncomingText {
  accountId: string;
  peer: string;
  /** The peer's decoded user part. */
  user: string;
  /** The display name in From, cleaned to one line; null when none. */
  name: string | null;
  text: string;
  /** Characters removed while cleaning (shown as a note when > 0). */
  removed: number;
  callId: string;
}

/** A typing indication that arrived and was answered 200. */
export interface IncomingComposing {
  accountId: string;
  peer: string;
  indication: IsComposing;
}

/** A MESSAGE we refused (for diagnostics and tests). */
export interface RefusedMessage {
  accountId: string;
  peer: string | null;
  status: number;
  detail: string;
}

export interface MessengerEvents {
  message: IncomingText;
  composing: IncomingComposing;
  refused: RefusedMessage;
}

/** JsSIP's newMessage listener: incoming MESSAGEs, and (originator 'local') the ones we send. */
export type MessageEventListener = (event: IncomingMessageEvent | OutgoingMessageEvent) => void;

/**
 * The one place MESSAGE handling registers with the engine: JsSIP answers 405 while no
 * 'newMessage' listener exists, and takes MESSAGE as soon as one does. Returns the unbind.
 * (Where the engine derives Allow from the methods taken, this is its registration instead.)
 */
export function takeMessages(engine: MessagingEngine, listener: MessageEventListener): () => void {
  let bound: UA | null = null;
  const bind = (ua: UA): void => {
    bound = ua;
    ua.on('newMessage', listener);
  };
  if (engine.ua) {
    bind(engine.ua);
  }
  const off = engine.on('ua', bind);
  return () => {
    off();
    // JsSIP's UA is a Node-style EventEmitter; its typings only declare `on`.
    (bound as { removeListener(e: string, l: MessageEventListener): void } | null)?.removeListener(
      'newMessage',
      listener,
    );
  };
}

export class Messenger extends TypedEmitter<MessengerEvents> {
  readonly #engine: MessagingEngine;
  readonly #policy: MessengerPolicy;
  readonly #scheduler: Scheduler;
  readonly #unbind: () => void;

  constructor(engine: MessagingEngine, policy: MessengerPolicy, scheduler = systemScheduler) {
    super();
    this.#engine = engine;
    this.#policy = policy;
    this.#scheduler = scheduler;
    this.#unbind = takeMessages(engine, (event) => {
      if (String(event.originator) === 'remote') {
        this.#receive(event as IncomingMessageEvent);
      }
    });
  }

  get accountId(): string {
    return this.#engine.account.id;
  }

  /** Whether a MESSAGE can go out now (the account is registered). */
  get canSend(): boolean {
    return this.#engine.registration.status === 'registered' && this.#engine.ua !== null;
  }

  /**
   * Sends one MESSAGE to `peer` and resolves with how it ended: never rejects, and never waits
   * longer than SEND_TIMEOUT_MS.
   */
  send(peer: string, body: string, contentType = TEXT_CONTENT_TYPE): Promise<SendOutcome> {
    const ua = this.#engine.ua;
    if (!ua || !this.canSend) {
      return Promise.resolve(outcomeOfSystem('not-connected'));
    }
    return new Promise<SendOutcome>((resolve) => {
      let done = false;
      const finish = (outcome: SendOutcome): void => {
        if (!done) {
          done = true;
          cancel();
          resolve(outcome);
        }
      };
      const cancel = this.#scheduler.schedule(
        () => finish(outcomeOfSystem('timeout', Math.round(SEND_TIMEOUT_MS / 1000))),
        SEND_TIMEOUT_MS,
      );
      try {
        ua.sendMessage(peer, body, {
          contentType,
          eventHandlers: {
            succeeded: (e) => finish(outcomeOfResponse(e.response.status_code)),
            failed: (e) => finish(this.#failure(e.response?.status_code ?? null, e.cause)),
          },
        });
      } catch (error: unknown) {
        log.warn(`MESSAGE not sent: ${error instanceof Error ? error.message : String(error)}`);
        finish(outcomeOfSystem(error instanceof TypeError ? 'bad-target' : 'internal'));
      }
    });
  }

  /** Stops taking MESSAGE (JsSIP answers 405 again) and drops listeners. */
  dispose(): void {
    this.#unbind();
    this.removeAllListeners();
  }

  #failure(code: number | null, cause: unknown): SendOutcome {
    if (code !== null && code >= 300) {
      return outcomeOfResponse(code);
    }
    const reason = String(cause);
    if (reason === 'Request Timeout') {
      return outcomeOfSystem('timeout', 32);
    }
    return outcomeOfSystem(reason === 'Connection Error' ? 'transport' : 'internal');
  }

  #receive(event: IncomingMessageEvent): void {
    const { request, message } = event;
    const accountId = this.accountId;
    let peer: string | null = null;
    try {
      const from = request.from;
      peer = canonicalPeer(from.uri);
      const refusal = this.#refusal(peer);
      if (refusal) {
        this.#refuse(event, peer, ...refusal);
        return;
      }
      const verdict = acceptIncomingMessage({
        contentType: request.getHeader('Content-Type'),
        body: request.body,
      });
      if (verdict.action === 'reject') {
        this.#refuse(event, peer, verdict.status, verdict.reasonPhrase, verdict.headers);
        return;
      }
      message.accept({});
      const known = peer as string;
      if (verdict.action === 'composing') {
        this.emit('composing', { accountId, peer: known, indication: verdict.indication });
        return;
      }
      const name = singleLine(from.display_name ?? '', 128);
      this.emit('message', {
        accountId,
        peer: known,
        user: from.uri.user ?? '',
        name: name === '' ? null : name,
        text: verdict.text,
        removed: verdict.removed,
        callId: request.getHeader('Call-ID') ?? '',
      });
    } catch (error: unknown) {
      log.error('an incoming MESSAGE could not be handled', error);
      this.#refuse(event, peer, 500, 'Server Internal Error', []);
    }
  }

  // Who may not send to us right now, before the body is even looked at.
  #refusal(peer: string | null): [number, string, string[]] | null {
    if (peer === null) {
      return [400, 'Bad From', []];
    }
    if (!this.#policy.ready()) {
      return [480, 'Temporarily Unavailable', ['Retry-After: 5']];
    }
    return this.#policy.isBlocked(this.accountId, peer) ? [603, 'Decline', []] : null;
  }

  #refuse(
    event: IncomingMessageEvent,
    peer: string | null,
    status: number,
    phrase: string,
    headers: string[],
  ): void {
    try {
      event.message.reject({ status_code: status, reason_phrase: phrase, extraHeaders: headers });
    } catch (error: unknown) {
      // Already answered (a listener threw after accepting): nothing more to send.
      log.debug(`MESSAGE already answered: ${error instanceof Error ? error.message : ''}`);
    }
    this.emit('refused', { accountId: this.accountId, peer, status, detail: phrase });
  }
}
