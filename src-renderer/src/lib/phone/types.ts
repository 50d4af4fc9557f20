// Public types of the phone engine: account configuration, registration and call states with
// their causes, and the engine's own event maps. The UI sees only these, never JsSIP.
import type { PhoneCall } from './call';

/** Everything the engine needs to run one account (settings + the secret, just in time). */
export interface EngineAccount {
  id: string;
  label: string;
  websocketUri: string;
  sipUri: string;
  authUser: string;
  displayName: string;
  realm: string;
  /** Exactly one of password / ha1. */
  password: string | null;
  ha1: string | null;
  iceServers: RTCIceServer[];
  iceGatheringCapMs: number;
  registerExpires: number;
  sessionTimers: boolean;
  sessionExpires: number;
  dtmfMode: 'rfc4733' | 'info';
}

/** Why registration is not (or no longer) working. */
export type RegistrationFailure =
  | 'wrong-credentials'
  | 'server-unreachable'
  | 'websocket-refused'
  | 'connection-lost'
  | 'timeout'
  | 'server-error'
  | 'rejected'
  | 'bad-configuration';

export type RegistrationState =
  | { status: 'stopped' }
  | { status: 'connecting'; attempt: number }
  | { status: 'registering' }
  | { status: 'registered'; since: number }
  | { status: 'unregistering' }
  | { status: 'unregistered' }
  | {
      status: 'failed';
      cause: RegistrationFailure;
      /** One plain sentence for the user. */
      message: string;
      /** SIP status code when the registrar answered. */
      code: number | null;
      /** When the engine will try again on its own (epoch ms), or null when it waits for the user. */
      retryAt: number | null;
    };

export type CallDirection = 'outgoing' | 'incoming';

/** The life of one call. */
export type CallStatus =
  | 'dialing' // outgoing, INVITE being prepared or sent, nothing back yet
  | 'ringing' // outgoing 180/183 received
  | 'incoming' // incoming, waiting for the user
  | 'answering' // incoming, 200 OK being prepared
  | 'active' // confirmed, media flowing
  | 'ended';

export type CallEndCause =
  | 'hangup-local'
  | 'hangup-remote'
  | 'canceled-local'
  | 'canceled-remote'
  | 'declined-local'
  | 'busy'
  | 'declined'
  | 'not-found'
  | 'unavailable'
  | 'no-answer'
  | 'rejected'
  | 'address-incomplete'
  | 'incompatible-media'
  | 'microphone-unavailable'
  | 'media-failed'
  | 'connection-lost'
  | 'answered-elsewhere'
  | 'auth-failed'
  | 'error';

/** How a call ended, for the UI and the history. */
export interface CallEnd {
  cause: CallEndCause;
  /** SIP status code of the final response, when there was one. */
  code: number | null;
  /** One plain sentence for the user. */
  message: string;
}

/** The other party as the UI shows it. */
export interface CallParty {
  name: string | null;
  /** user part (number or user name) */
  user: string;
  /** full address, sip:user@host */
  uri: string;
}

/** A snapshot of one call, cheap to copy into UI state. */
export interface CallSnapshot {
  id: string;
  accountId: string;
  direction: CallDirection;
  status: CallStatus;
  party: CallParty;
  /** epoch ms */
  createdAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  end: CallEnd | null;
  muted: boolean;
  /** Whether remote audio has started to play. */
  remoteAudio: boolean;
}

export interface CallEvents {
  changed: CallSnapshot;
  ended: CallSnapshot;
  /** The remote audio stream arrived (attached to the output already). */
  'remote-stream': MediaStream;
  /** Timing marks for diagnostics and the benchmark (name → performance.now()). */
  mark: { name: string; t: number };
}

export interface EngineEvents {
  registration: RegistrationState;
  incoming: PhoneCall;
  outgoing: PhoneCall;
}
