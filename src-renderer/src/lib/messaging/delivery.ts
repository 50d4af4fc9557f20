// Owns what the answer to a MESSAGE we sent means for the user (RFC 3428 §7): a 2xx is delivered,
// 202 Accepted is "accepted by the server" (it stores the message and delivers it later, as
// Kamailio's msilo does), and everything else is a failure with one plain sentence and the code.
// The sentences never quote the peer's text or reason phrase (the network's words are not ours).
// Pure.

/** How a send ended. */
export type SendOutcome =
  | { state: 'delivered' | 'accepted'; code: number }
  | { state: 'failed'; code: number | null; reason: string };

/** Why a send ended without a SIP answer. */
export type SystemFailure = 'timeout' | 'transport' | 'not-connected' | 'bad-target' | 'internal';

const BY_CODE: Record<number, string> = {
  401: 'The server did not accept this account’s credentials for the message',
  403: 'The server refused to pass this message on',
  404: 'The server does not know this address',
  407: 'The server did not accept this account’s credentials for the message',
  405: 'The other phone does not take text messages',
  408: 'The server could not reach the other phone in time',
  410: 'This address is no longer in use',
  413: 'The message is too long for the server or the other phone',
  414: 'The address is too long for the server',
  415: 'The other phone does not take text messages',
  416: 'The server does not take this kind of address',
  480: 'The other person is not online, and the server does not keep messages for later',
  484: 'The address is incomplete',
  486: 'The other phone is busy and did not take the message',
  488: 'The other phone does not take text messages',
  501: 'The other phone does not take text messages',
  600: 'The other phone is busy and did not take the message',
  603: 'The other person declined the message',
  604: 'The address does not exist anywhere',
  606: 'The other phone does not take text messages',
};

function reasonFor(code: number): string {
  const known = BY_CODE[code];
  if (known) {
    return known;
  }
  if (code >= 300 && code < 400) {
    return 'The address has moved and the server did not forward the message';
  }
  if (code >= 500 && code < 600) {
    return 'The server could not pass the message on right now';
  }
  return 'The message was not delivered';
}

/** The outcome for a final SIP response to our MESSAGE. */
export function outcomeOfResponse(code: number): SendOutcome {
  if (code === 202) {
    return { state: 'accepted', code };
  }
  if (code >= 200 && code < 300) {
    return { state: 'delivered', code };
  }
  return { state: 'failed', code, reason: `${reasonFor(code)} (SIP ${code}).` };
}

/** The outcome when no SIP answer arrived. */
export function outcomeOfSystem(failure: SystemFailure, waitedS = 0): SendOutcome {
  const reason: Record<SystemFailure, string> = {
    timeout: `No answer from the server within ${waitedS} seconds; the message may not have arrived.`,
    transport:
      'The connection to the server was lost while sending; the message may not have arrived.',
    'not-connected': 'The account is not connected, so the message could not be sent.',
    'bad-target': 'This is not an address messages can be sent to.',
    internal: 'The message could not be sent because of an error in the app.',
  };
  return { state: 'failed', code: null, reason: reason[failure] };
}

/** A short label for a message state, for the thread and screen readers. */
export function stateLabel(state: string, code: number | null): string {
  switch (state) {
    case 'queued':
      return 'Waiting to send';
    case 'sending':
      return 'Sending…';
    case 'delivered':
      return 'Delivered';
    case 'accepted':
      return 'Accepted by the server';
    case 'failed':
      return code === null ? 'Not sent' : `Not delivered (${code})`;
    default:
      return '';
  }
}
