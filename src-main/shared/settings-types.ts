// The shape of the non-secret settings file (accounts, app and audio options) shared by main,
// preload and renderer. Secrets never appear here: they live in the OS keychain.

/** A STUN or TURN server. The TURN credential is a secret and lives in the keychain. */
export interface IceServerSettings {
  urls: string[];
  username?: string;
}

/** One SIP account. Everything here is safe to write to disk. */
export interface AccountSettings {
  /** Stable identifier; also the keychain account key (see README, "Where secrets live"). */
  id: string;
  /** The user's name for the account ("Office PBX"). */
  label: string;
  /** Disabled accounts stay configured but do not connect. */
  enabled: boolean;
  /** SIP over WebSocket server, e.g. wss://pbx.example.com:8089/ws */
  websocketUri: string;
  /** Address of record, e.g. sip:1001@pbx.example.com */
  sipUri: string;
  /** Authentication user when it differs from the user part of sipUri ('' = same). */
  authUser: string;
  /** Shown to the people we call ('' = none). */
  displayName: string;
  /** Digest realm to answer ('' = whatever the server asks). Needed for HA1 secrets. */
  realm: string;
  /** Whether the stored secret is the password or its HA1 digest. */
  secretKind: 'password' | 'ha1';
  /** STUN/TURN servers; empty = host candidates only (typical on a LAN or with a media relay). */
  iceServers: IceServerSettings[];
  /** Longest time the INVITE or 200 OK may wait for STUN/TURN candidates, in ms. */
  iceGatheringCapMs: number;
  /** Requested registration lifetime in seconds. */
  registerExpires: number;
  /** How key presses are sent in a call. */
  dtmfMode: 'rfc4733' | 'info';
  /** RFC 4028 session timers; some servers insist on them (422 Min-SE is honoured). */
  sessionTimers: boolean;
  /** Session-Expires asked for when session timers are on, in seconds. */
  sessionExpires: number;
  /** Honour Call-Info answer-after / intercom headers from this server. */
  allowAutoAnswerHeader: boolean;
  /**
   * Outbound proxy as a SIP URI ('' = none): sent as the pre-loaded Route of every request that
   * starts a dialog or registers (RFC 3261 §8.1.2); the WebSocket server stays the transport.
   */
  outboundProxy: string;
  /** The number that reaches this account's voicemail ('' = none). */
  voicemailNumber: string;
}

/** A chosen audio device, remembered by identity so it is found again after a replug. */
export interface DeviceChoice {
  id: string;
  label: string;
}

/** Sound settings. A null device means "system default". */
export interface AudioSettings {
  microphone: DeviceChoice | null;
  speaker: DeviceChoice | null;
  ringer: DeviceChoice | null;
  ringtone: string;
  /** 0..1 */
  ringVolume: number;
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
}

/** The whole settings file. */
export interface AppSettings {
  version: 1;
  accounts: AccountSettings[];
  defaultAccountId: string | null;
  startHidden: boolean;
  startAtLogin: boolean;
  /** Dial a link from the OS without waiting for a click. Off by default. */
  autoDialLinks: boolean;
  bringToFrontOnIncoming: boolean;
  notifyIncoming: boolean;
  doNotDisturb: boolean;
  /** SIP code incoming calls get while do-not-disturb is on. */
  dndResponseCode: 486 | 480 | 603;
  autoAnswer: boolean;
  /** Calls the phone handles at once (in progress plus ringing); more are refused with 486. */
  maxLines: number;
  theme: 'system' | 'light' | 'dark';
  audio: AudioSettings;
}

/** Fields of AppSettings the renderer may change with settings/update (accounts go through accounts/*). */
export type AppSettingsPatch = Partial<Omit<AppSettings, 'version' | 'accounts'>>;

export const DEFAULT_AUDIO: AudioSettings = {
  microphone: null,
  speaker: null,
  ringer: null,
  ringtone: 'chime',
  ringVolume: 0.8,
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

export const DEFAULT_SETTINGS: AppSettings = {
  version: 1,
  accounts: [],
  defaultAccountId: null,
  startHidden: false,
  startAtLogin: false,
  autoDialLinks: false,
  bringToFrontOnIncoming: false,
  notifyIncoming: true,
  doNotDisturb: false,
  dndResponseCode: 486,
  autoAnswer: false,
  maxLines: 4,
  theme: 'system',
  audio: DEFAULT_AUDIO,
};

/** Defaults for a new account; id, label and the addresses come from the user. */
export const DEFAULT_ACCOUNT: Omit<AccountSettings, 'id' | 'label' | 'websocketUri' | 'sipUri'> = {
  enabled: true,
  authUser: '',
  displayName: '',
  realm: '',
  secretKind: 'password',
  iceServers: [],
  iceGatheringCapMs: 1000,
  registerExpires: 600,
  dtmfMode: 'rfc4733',
  sessionTimers: true,
  sessionExpires: 1800,
  allowAutoAnswerHeader: false,
  outboundProxy: '',
  voicemailNumber: '',
};
