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
  /** How numbers are rewritten before they are dialled on this account (see dial-rules.ts). */
  dialRules: DialRules;
  /** The web page opened for calls on this account (see screen-pop.ts). */
  screenPop: ScreenPopSettings;
}

/** One regex rewrite of a number: the first match of `pattern` is replaced ($1…$9, $&, $$). */
export interface DialRewriteRule {
  pattern: string;
  replacement: string;
}

/**
 * Per-account dial rules, applied in this order: strip punctuation, the rewrites (each on the
 * result of the one before), '+' → international prefix, then the outside-line prefix.
 */
export interface DialRules {
  /** Remove spaces, dashes, dots, slashes and brackets first. */
  stripPunctuation: boolean;
  /** Replaces a leading '+' (e.g. '00' or '011'); '' keeps the '+'. */
  internationalPrefix: string;
  /** Put in front of outside numbers (e.g. '0' or '9'); '' = none. */
  outsideLinePrefix: string;
  /** Numbers with at least this many digits are outside numbers. */
  outsideLineMinDigits: number;
  rewrites: DialRewriteRule[];
}

/** When a screen-pop page opens: as the call rings, when it is answered, or when it ends. */
export type ScreenPopEvent = 'ringing' | 'answered' | 'ended';

/** Per-account screen-pop: a URL template opened in the default browser for calls. */
export interface ScreenPopSettings {
  /** http(s) URL with {number}, {name}, {account}, {direction}, {callId}; '' = off. */
  url: string;
  on: ScreenPopEvent;
  direction: 'incoming' | 'outgoing' | 'both';
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

/** The headset remembered for its buttons and lights (WebHID), found again after a replug. */
export interface HeadsetDeviceChoice {
  vendorId: number;
  productId: number;
  /** The USB serial number when the device has one (main sees it; the page does not). */
  serialNumber: string | null;
  name: string;
}

export interface HeadsetSettings {
  /** null = no headset chosen (its buttons do nothing). */
  device: HeadsetDeviceChoice | null;
}

/** A global hotkey's action. */
export type HotkeyAction = 'answer' | 'hangUp' | 'mute' | 'showPhone' | 'dialSelection';

/** Global hotkeys (Electron globalShortcut). Off by default. */
export interface HotkeySettings {
  enabled: boolean;
  /** Electron accelerator per action ('CommandOrControl+Alt+Shift+A'); '' = none. */
  accelerators: Record<HotkeyAction, string>;
  /** "Dial the selected text" dials at once instead of filling the dial field. Off by default. */
  dialSelectionImmediately: boolean;
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
  headset: HeadsetSettings;
  hotkeys: HotkeySettings;
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

export const DEFAULT_HOTKEYS: HotkeySettings = {
  enabled: false,
  accelerators: {
    answer: 'CommandOrControl+Alt+Shift+A',
    hangUp: 'CommandOrControl+Alt+Shift+H',
    mute: 'CommandOrControl+Alt+Shift+M',
    showPhone: 'CommandOrControl+Alt+Shift+P',
    dialSelection: 'CommandOrControl+Alt+Shift+D',
  },
  dialSelectionImmediately: false,
};

export const DEFAULT_HEADSET: HeadsetSettings = { device: null };

export const DEFAULT_DIAL_RULES: DialRules = {
  stripPunctuation: true,
  internationalPrefix: '',
  outsideLinePrefix: '',
  outsideLineMinDigits: 7,
  rewrites: [],
};

export const DEFAULT_SCREEN_POP: ScreenPopSettings = {
  url: '',
  on: 'ringing',
  direction: 'incoming',
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
  headset: DEFAULT_HEADSET,
  hotkeys: DEFAULT_HOTKEYS,
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
  dialRules: DEFAULT_DIAL_RULES,
  screenPop: DEFAULT_SCREEN_POP,
};
