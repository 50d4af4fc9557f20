// Owns sending one PUBLISH (RFC 3903) on a JsSIP 3.13 UA. JsSIP has no publication client, so
// the request is built and sent the way its own MESSAGE and OPTIONS clients do (Message.js,
// Options.js): an OutgoingRequest handed to a RequestSender, which answers a 401/407 digest
// challenge with the account's credentials and runs the non-INVITE transaction (Timer F bounds
// the wait). Two JsSIP modules outside its public index are imported for that; both are
// CommonJS (RequestSender as the module itself, SIPMessage as an object of classes).
import type { UA } from 'jssip';
import RequestSender from 'jssip/lib/RequestSender';
import { OutgoingRequest, type IncomingResponse } from 'jssip/lib/SIPMessage';
import type { URI } from 'jssip/lib/URI';

// JsSIP's typings declare OutgoingRequest without its constructor.
type OutgoingRequestCtor = new (
  method: string,
  ruri: URI,
  ua: UA,
  params: null,
  extraHeaders: string[],
) => OutgoingRequest;
const Outgoing = OutgoingRequest as unknown as OutgoingRequestCtor;

interface Normalizer {
  normalizeTarget(target: string): URI | undefined;
}

/** One PUBLISH to send. */
export interface PublishRequest {
  /** The presentity: our own address of record. */
  target: string;
  event: string;
  expiresS: number;
  /** RFC 3903 SIP-If-Match: the entity tag of the publication being refreshed, changed or removed. */
  ifMatch: string | null;
  /** The body and its type; null for a refresh or a removal. */
  body: { contentType: string; text: string } | null;
}

/** What came back: a final response's status and the headers RFC 3903 uses, or no answer. */
export type PublishOutcome =
  | {
      kind: 'response';
      status: number;
      /** SIP-ETag of a 2xx. */
      etag: string | null;
      /** Expires of a 2xx: how long the server keeps the publication. */
      expiresS: number | null;
      /** Min-Expires of a 423. */
      minExpiresS: number | null;
      retryAfterS: number | null;
    }
  | { kind: 'timeout' }
  | { kind: 'transport-error' };

/** Sends a PUBLISH; `done` is called once with the outcome (perhaps synchronously). */
export type PublishSender = (
  request: PublishRequest,
  done: (outcome: PublishOutcome) => void,
) => void;

function seconds(value: string | undefined): number | null {
  const match = /^\s*(\d{1,10})/.exec(value ?? '');
  return match ? Number(match[1]) : null;
}

function outcomeOf(response: IncomingResponse): PublishOutcome {
  const etag = response.getHeader('SIP-ETag')?.trim();
  return {
    kind: 'response',
    status: response.status_code,
    etag: etag ? etag : null,
    expiresS: seconds(response.getHeader('Expires')),
    minExpiresS: seconds(response.getHeader('Min-Expires')),
    retryAfterS: seconds(response.getHeader('Retry-After')),
  };
}

/** The sender for `ua`. A target JsSIP cannot read is reported as a 400 without sending. */
export function jssipPublishSender(ua: UA): PublishSender {
  return (request, done) => {
    let finished = false;
    const finish = (outcome: PublishOutcome): void => {
      if (!finished) {
        finished = true;
        done(outcome);
      }
    };
    // JsSIP's typings omit normalizeTarget (the same parse ua.call and ua.subscribe apply).
    const uri = (ua as unknown as Normalizer).normalizeTarget(request.target);
    if (!uri) {
      finish({
        kind: 'response',
        status: 400,
        etag: null,
        expiresS: null,
        minExpiresS: null,
        retryAfterS: null,
      });
      return;
    }
    const headers = [`Event: ${request.event}`, `Expires: ${request.expiresS}`];
    if (request.ifMatch) {
      headers.push(`SIP-If-Match: ${request.ifMatch}`);
    }
    if (request.body) {
      headers.push(`Content-Type: ${request.body.contentType}`);
    }
    const message = new Outgoing('PUBLISH', uri, ua, null, headers);
    if (request.body) {
      message.body = request.body.text;
    }
    const sender = new RequestSender(ua, message, {
      onRequestTimeout: () => finish({ kind: 'timeout' }),
      onTransportError: () => finish({ kind: 'transport-error' }),
      onReceiveResponse: (response: IncomingResponse) => {
        if (response.status_code >= 200) {
          finish(outcomeOf(response));
        }
      },
    });
    sender.send();
  };
}
