// Public types of the phone engine: account configuration, registration and call states with
// their causes, and the engine's own event maps. The UI sees only these, never JsSIP.
// A leaf module: it imports no module of the engine, so every other one can import it.
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { DialRules } from '@shared/settings-types';

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
  /** Idle seconds before a keep-alive probe (0 = off; default 20, see keep-alive.ts). */
  keepAliveS?: number;
  /** RFC 5626 `+sip.instance` UUID kept for this account (JsSIP makes a new one per UA without it). */
  instanceId?: string;
  sessionTimers: boolean;
  sessionExpires: number;
  dtmfMode: 'rfc4733' | 'info';
  /** How telephone numbers are rewritten before they are dialled (none when absent). */
  dialRules?: DialRules;
  /**
   * Outbound proxy (a SIP URI): the pre-loaded Route of every request outside a dialog
   * (RFC 3261 §8.1.2). Absent or '' = none; requests still travel over the WebSocket.
   */
  outboundProxy?: string;
}

/** Why registration is not (or no longer) working. */
export type RegistrationFailure =
  | 'wrong-credentials'
  | 'server-unreachable'
  | 'local-network-blocked'
  | 'websocket-refused'
  | 'connection-lost'
  | 'timeout'
  | 'server-error'
  | 'rejected'
  /** The registrar answered, but its answer cannot be used (see register-answer.ts). */
  | 'unusable-answer'
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
  | 'no-response'
  | 'rejected'
  | 'address-incomplete'
  | 'incompatible-media'
  | 'microphone-unavailable'
  | 'media-failed'
  | 'connection-lost'
  | 'answered-elsewhere'
  | 'auth-failed'
  | 'transferred'
  /** The app's window stopped (a crash, a kill, a power cut) while the call was up. */
  | 'interrupted'
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

/** Facts about a call known when it was created. */
export interface CallInfo {
  /** Placed without revealing our identity. */
  anonymous: boolean;
  /** The caller asked for automatic answer after this many seconds (Call-Info answer-after, intercom). */
  autoAnswerAfterS: number | null;
  /** This call replaces another one of ours (we are the target of an attended transfer). */
  replacesCallId: string | null;
  /** This call was placed because the other side of a call transferred us (REFER): who did. */
  transferredBy: CallParty | null;
  /** Digits sent as key presses once the far end answers (a link's RFC 3966 ;ext=). */
  extension: string | null;
}

/** A transfer we started, and how far it got. */
export interface TransferState {
  kind: 'blind' | 'attended';
  target: string;
  state: 'requesting' | 'requested' | 'trying' | 'ringing' | 'succeeded' | 'failed';
  /** Why it failed, for the user. */
  message: string | null;
}

/**
 * Something wrong with an answered call's connection that the user should see while it lasts:
 * the connection under it is being replaced and the call re-INVITEd (`reconnecting`), or
 * nothing has come from the other side for a while (`silent`, see ghost-watch.ts).
 */
export interface CallTrouble {
  kind: 'reconnecting' | 'silent';
  /** One plain sentence for the user. */
  message: string;
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
  /** Who holds the call: we (local) and/or the other side (remote). */
  hold: { local: boolean; remote: boolean };
  /** The other side plays early media (183 with SDP) before answering. */
  earlyMedia: boolean;
  transfer: TransferState | null;
  /** The connection trouble the call is in now, if any. */
  trouble: CallTrouble | null;
  info: CallInfo;
}

/** A REFER the other side sent us (JsSIP's refer event), to accept or reject. */
export interface ReferRequest {
  request: { refer_to: { uri: { toString(): string; user?: string; host: string } } };
  accept(init: (session: RTCSession) => void, options: object): void;
  reject(): void;
}

/** An INVITE with Replaces for one of our calls (JsSIP's replaces event). */
export interface ReplacesRequest {
  accept(init: (session: RTCSession) => void): void;
  reject(): void;
}

export interface CallEvents {
  changed: CallSnapshot;
  /** The call was answered (either side). */
  answered: CallSnapshot;
  ended: CallSnapshot;
  /** The remote audio stream arrived (attached to the output already). */
  'remote-stream': MediaStream;
  /** Timing marks for diagnostics and the benchmark (name → performance.now()). */
  mark: { name: string; t: number };
  /** The microphone track was (re)opened. */
  microphone: MediaStreamTrack;
  /** The voice track changed (microphone opened or switched, noise suppression on or off). */
  voice: MediaStreamTrack | null;
  /** What the other side hears from us changed (replaceTrack went through). */
  sending: MediaStreamTrack | null;
  /** A key the other side pressed (RFC 4733 or INFO). */
  dtmf: string;
  /** The other side asks us to call someone else (we are being transferred). */
  refer: ReferRequest;
  /** Someone replaces this call with theirs (attended transfer to us). */
  replaces: ReplacesRequest;
  /** Something the user should know about this call that is not a change of state (one sentence). */
  notice: string;
}
