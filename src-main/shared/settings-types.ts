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
  /** Record every answered call of this account (the consent announcement still applies). */
  autoRecord: boolean;
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
  /**
   * RNNoise on the microphone path for new calls (on top of the browser's own noise
   * suppression; each call can still turn it on or off).
   */
  rnnoise: boolean;
}

/** How a recording is encoded: Opus in WebM (small) or 16-bit PCM WAV (lossless). */
export type RecordingFormat = 'webm' | 'wav';

/** Call recording settings. */
export interface RecordingSettings {
  /** Where new recordings go; null = the OS music folder (documents when there is none). */
  folder: string | null;
  format: RecordingFormat;
  /** 'stereo': you on the left, the other side on the right; 'mono': both mixed. */
  channels: 'mono' | 'stereo';
  /**
   * File name without extension. Fields: {date} (2026-03-01), {time} (14-05-09), {party},
   * {direction} (incoming/outgoing), {account}. Everything is made safe for every OS.
   */
  nameTemplate: string;
  /** Play "this call is being recorded" to the other side when recording starts. */
  announce: boolean;
  /** A user-picked audio file played instead of the built-in announcement (null = built-in). */
  announcementFile: string | null;
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
  theme: 'system' | 'light' | 'dark';
  audio: AudioSettings;
  recording: RecordingSettings;
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
  rnnoise: false,
};

export const DEFAULT_RECORDING_NAME = '{date} {time} {direction} {party}';

export const DEFAULT_RECORDING: RecordingSettings = {
  folder: null,
  format: 'webm',
  channels: 'mono',
  nameTemplate: DEFAULT_RECORDING_NAME,
  announce: true,
  announcementFile: null,
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
  theme: 'system',
  audio: DEFAULT_AUDIO,
  recording: DEFAULT_RECORDING,
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
  autoRecord: false,
};
