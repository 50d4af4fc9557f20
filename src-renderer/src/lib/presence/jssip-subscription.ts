// Owns the binding of one RFC 6665 subscription to JsSIP 3.13's Subscriber (`ua.subscribe`):
// it sends the SUBSCRIBE, hands over each NOTIFY with its parsed Subscription-State, and says
// once how the subscription ended — including what JsSIP keeps to itself.
//
// JsSIP's Subscriber reports every error response as one code (SUBSCRIBE_NON_OK_RESPONSE) and
// drops the response, yet the next step depends on it: 481 → a new subscription at once, 423 →
// again with Min-Expires, 503 → after Retry-After, 489 → never. Every response to a SUBSCRIBE
// (initial or refresh, through RequestSender or the dialog) reaches the instance method
// `_receiveSubscribeResponse(response)`, so that one method is wrapped on this instance to note
// the status and headers before JsSIP acts on them; nothing else of JsSIP changes. Likewise
// JsSIP emits 'notify' only for a NOTIFY with a body, while an empty NOTIFY is how a notifier
// says "no meaningful state" (RFC 6665 §4.2.2; Kamailio sends one for a colleague with no calls),
// so `receiveRequest` (the Subscriber's dialog callback) is wrapped too, to report those after
// JsSIP accepted them. These wrappers and `_terminateDialog` (used by abandon()) are the only
// members touched beyond the typings; the unit tests on the loop server (481 on refresh, 423,
// Retry-After, empty NOTIFY, abandon) fail if JsSIP renames them. Pinned: jssip 3.13.8.
import type { UA } from 'jssip';
import type { Subscriber } from 'jssip/lib/Subscriber';
import type { IncomingRequest, IncomingResponse } from 'jssip/lib/SIPMessage';
import { endFromSubscriberTermination, type SubscriptionEnd } from './resubscribe';
import {
  parseDeltaSeconds,
  parseSubscriptionState,
  type SubscriptionState,
} from './subscription-state';

/** What to subscribe to. */
export interface SubscriptionSpec {
  /** The resource: a SIP URI (the watched colleague, or our own AOR for voicemail). */
  target: string;
  /** Event package: 'dialog', 'presence', 'message-summary'. */
  event: string;
  /** Accept header value: the body type we read. */
  accept: string;
  /** Expires asked for, in seconds (the server may grant less; JsSIP refreshes in time). */
  expiresS: number;
}

/** One NOTIFY (JsSIP has already answered it 200); `body` is '' for an empty one. */
export interface NotifyInfo {
  body: string;
  contentType: string | null;
  /** The parsed Subscription-State; null when it could not be read. */
  substate: SubscriptionState | null;
  /** True for the last NOTIFY (Subscription-State: terminated). */
  final: boolean;
}

/** What the subscription reports. Callbacks may run synchronously inside openSubscription. */
export interface SubscriptionCallbacks {
  /** The server accepted the SUBSCRIBE (2xx); the first NOTIFY is still to come. */
  accepted(): void;
  /** The first NOTIFY arrived (with or without a body): the subscription is in place. */
  established(state: 'active' | 'pending'): void;
  notify(notify: NotifyInfo): void;
  /** The subscription is over; called at most once, never after abandon(). */
  ended(end: SubscriptionEnd): void;
}

/** A running subscription. */
export interface SubscriptionHandle {
  /** Re-SUBSCRIBE in the dialog now; the server answers with a full-state NOTIFY. */
  refresh(): void;
  /** Sends the un-SUBSCRIBE (Expires: 0); ended() follows when the server confirms. */
  unsubscribe(): void;
  /**
   * Forgets the subscription without sending anything (its connection is gone, or the wait for
   * it to end is over): JsSIP's refresh timer and dialog go, no callback runs any more.
   */
  abandon(): void;
}

/** The JsSIP members used beyond its typings (see the header). */
interface SubscriberInternals {
  _receiveSubscribeResponse(response: IncomingResponse): void;
  _terminateDialog(code: number): void;
  receiveRequest(request: IncomingRequest): void;
}

/**
 * The Subscriber's events (JsSIP types them through Node's EventEmitter, which the renderer's
 * typings do not include).
 */
interface SubscriberEvents {
  on(event: 'accepted' | 'pending' | 'active', listener: () => void): void;
  on(
    event: 'notify',
    listener: (isFinal: boolean, request: IncomingRequest, body?: string) => void,
  ): void;
  on(event: 'terminated', listener: (code: number, reason?: string, retry?: number) => void): void;
  removeAllListeners(): void;
}

/** Termination code JsSIP uses for a transport error (Subscriber.C); abandon() passes it. */
const TRANSPORT_ERROR = 1;
/** JsSIP's Subscriber.C.SUBSCRIBE_NON_OK_RESPONSE. */
const NON_OK_RESPONSE = 2;

/** Reads "120", "120 (maintenance)" or "120;duration=60" as 120. */
function leadingSeconds(value: string | undefined): number | null {
  const match = /^\s*(\d{1,20})/.exec(value ?? '');
  return match ? parseDeltaSeconds(match[1]) : null;
}

/** The end of a subscription whose error response we saw. */
function endFromResponse(response: IncomingResponse): SubscriptionEnd {
  return {
    kind: 'response',
    status: response.status_code,
    retryAfterS: leadingSeconds(response.getHeader('Retry-After')),
    minExpiresS: leadingSeconds(response.getHeader('Min-Expires')),
  };
}

/**
 * Opens a subscription on `ua`. Throws only for a target JsSIP refuses (not a SIP URI).
 */
export function openSubscription(
  ua: UA,
  spec: SubscriptionSpec,
  callbacks: SubscriptionCallbacks,
): SubscriptionHandle {
  const subscriber: Subscriber = ua.subscribe(spec.target, spec.event, spec.accept, {
    expires: spec.expiresS,
    contentType: spec.accept,
  });
  const internals = subscriber as unknown as SubscriberInternals;
  const events = subscriber as unknown as SubscriberEvents;
  let lastError: IncomingResponse | null = null;
  let live = true;
  let established = false;

  const original = internals._receiveSubscribeResponse.bind(subscriber);
  internals._receiveSubscribeResponse = (response: IncomingResponse): void => {
    if (response.status_code >= 300) {
      lastError = response;
    }
    original(response);
  };

  // Empty NOTIFYs, once JsSIP has accepted them (a final one ends the subscription instead).
  const receive = internals.receiveRequest.bind(subscriber);
  internals.receiveRequest = (request: IncomingRequest): void => {
    receive(request);
    if (live && request.method === 'NOTIFY' && !request.body) {
      const parsed = parseSubscriptionState(request.getHeader('Subscription-State'));
      callbacks.notify({
        body: '',
        contentType: null,
        substate: parsed.ok ? parsed.value : null,
        final: false,
      });
    }
  };

  const establish = (state: 'active' | 'pending'): void => {
    if (live && !established) {
      established = true;
      callbacks.established(state);
    }
  };
  events.on('accepted', () => {
    if (live) {
      callbacks.accepted();
    }
  });
  events.on('pending', () => establish('pending'));
  events.on('active', () => establish('active'));
  events.on('notify', (isFinal: boolean, request: IncomingRequest, body?: string) => {
    if (!live) {
      return;
    }
    const header = request.getHeader('Subscription-State');
    const parsed = parseSubscriptionState(header);
    const substate = parsed.ok ? parsed.value : null;
    establish(substate?.state === 'pending' ? 'pending' : 'active');
    const contentType = request.getHeader('Content-Type');
    callbacks.notify({
      body: body ?? '',
      contentType: contentType ? contentType : null,
      substate,
      final: isFinal,
    });
  });
  events.on('terminated', (code: number, reason?: string, retryAfter?: number) => {
    if (!live) {
      return;
    }
    live = false;
    const end =
      code === NON_OK_RESPONSE && lastError
        ? endFromResponse(lastError)
        : endFromSubscriberTermination(code, reason, retryAfter);
    callbacks.ended(end);
  });

  subscriber.subscribe();

  return {
    refresh(): void {
      if (live) {
        subscriber.subscribe();
      }
    },
    unsubscribe(): void {
      if (live) {
        subscriber.terminate();
      }
    },
    abandon(): void {
      live = false;
      events.removeAllListeners();
      internals._terminateDialog(TRANSPORT_ERROR);
    },
  };
}
