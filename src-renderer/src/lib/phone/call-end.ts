// Maps how JsSIP reports the end of a session (originator, cause, final response) to the
// engine's own CallEnd with a plain sentence for the user.
import type { CallDirection, CallEnd, CallEndCause } from './types';

/** What JsSIP's `ended`/`failed` event carries, reduced to plain data. */
export interface SessionEndInfo {
  originator: 'local' | 'remote' | 'system';
  cause: string;
  /** Final SIP status code, when the end came with a response. */
  code: number | null;
  /** The Reason header of a CANCEL/BYE, when there was one. */
  reasonHeader: string | null;
  /** Whether the call had been answered. */
  established: boolean;
  direction: CallDirection;
}

const MESSAGES: Record<CallEndCause, string> = {
  'hangup-local': 'You hung up.',
  'hangup-remote': 'The other side hung up.',
  'canceled-local': 'You cancelled the call.',
  'canceled-remote': 'The caller hung up before the call was answered.',
  'declined-local': 'You declined the call.',
  busy: 'The line is busy.',
  declined: 'The call was declined.',
  'not-found': 'That number or address does not exist on the server.',
  unavailable: 'The person you called is not available right now.',
  'no-answer': 'Nobody answered.',
  'no-response': 'The other side did not respond.',
  rejected: 'The server refused the call.',
  'address-incomplete': 'The number is incomplete.',
  'incompatible-media': 'The other side does not support a common audio format.',
  'microphone-unavailable': 'The microphone could not be opened.',
  'media-failed': 'The audio connection failed.',
  'connection-lost': 'The connection to the server was lost.',
  'answered-elsewhere': 'The call was answered on another device.',
  'auth-failed': 'The server did not accept the account credentials for this call.',
  transferred: 'The call was transferred.',
  interrupted: 'The call was cut off: the phone window stopped and had to start again.',
  error: 'The call failed.',
};

/** The sentence shown for a cause. */
export function endMessage(cause: CallEndCause, code: number | null): string {
  const base = MESSAGES[cause];
  return cause === 'error' && code !== null ? `The call failed (SIP ${code}).` : base;
}

/** Builds a CallEnd with the standard sentence. */
export function callEnd(cause: CallEndCause, code: number | null = null): CallEnd {
  return { cause, code, message: endMessage(cause, code) };
}

// JsSIP cause strings (JsSIP.C.causes) → our causes, for ends that are not a plain hang-up.
const BY_JSSIP_CAUSE: Record<string, CallEndCause> = {
  Busy: 'busy',
  'Not Found': 'not-found',
  Unavailable: 'unavailable',
  'No Answer': 'no-answer',
  Expires: 'no-answer',
  'Address Incomplete': 'address-incomplete',
  'Incompatible SDP': 'incompatible-media',
  'Missing SDP': 'incompatible-media',
  'Bad Media Description': 'incompatible-media',
  'Authentication Error': 'auth-failed',
  'User Denied Media Access': 'microphone-unavailable',
  'WebRTC Error': 'media-failed',
  'RTP Timeout': 'media-failed',
  'Connection Error': 'connection-lost',
  'Request Timeout': 'connection-lost',
  'No ACK': 'connection-lost',
  'Dialog Error': 'connection-lost',
};

/** Maps a JsSIP session end to the engine's CallEnd. */
export function mapSessionEnd(info: SessionEndInfo): CallEnd {
  if (info.cause === 'Terminated') {
    return callEnd(info.originator === 'local' ? 'hangup-local' : 'hangup-remote');
  }
  if (info.cause === 'Canceled') {
    return mapCancel(info);
  }
  if (info.cause === 'Rejected') {
    if (info.originator === 'local') {
      return callEnd('declined-local', info.code);
    }
    return callEnd(info.code === 403 ? 'rejected' : 'declined', info.code);
  }
  const mapped = BY_JSSIP_CAUSE[info.cause];
  if (mapped) {
    return callEnd(mapped, info.code);
  }
  return callEnd('error', info.code);
}

function mapCancel(info: SessionEndInfo): CallEnd {
  if (info.originator === 'local') {
    return callEnd(info.direction === 'incoming' ? 'declined-local' : 'canceled-local');
  }
  // RFC 3326: "Reason: SIP ;cause=200 ;text="Call completed elsewhere"" on the CANCEL.
  if (info.reasonHeader && /cause\s*=\s*200\b/i.test(info.reasonHeader)) {
    return callEnd('answered-elsewhere');
  }
  return callEnd('canceled-remote');
}
