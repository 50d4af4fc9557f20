// The shape of the non-secret settings file (accounts, app and audio options) shared by main,
// preload and renderer, and its defaults. Secrets never appear here: they live in the OS
// keychain. The types are inferred from the zod schemas in settings-schema.ts (where each field
// is documented), imported as types only: the renderer imports this module, and its bundle must
// not pull zod in.
import type { z } from 'zod';
import type {
  accountSchema,
  audioSchema,
  busyLampSchema,
  deviceChoiceSchema,
  dialRulesSchema,
  headsetSchema,
  hotkeysSchema,
  iceServerSchema,
  recordingSchema,
  screenPopSchema,
  settingsPatchSchema,
  settingsSchema,
} from './settings-schema';

/** A STUN or TURN server. The TURN credential is a secret and lives in the keychain. */
export type IceServerSettings = z.infer<typeof iceServerSchema>;

/** One SIP account (fields documented on accountSchema). Everything here is safe to write to disk. */
export type AccountSettings = z.infer<typeof accountSchema>;

/** One busy lamp: a colleague's extension watched with the dialog and presence events. */
export type BusyLampSettings = z.infer<typeof busyLampSchema>;

/** The user's own presence status; do-not-disturb is the doNotDisturb setting (published as busy). */
export type PresenceChoice = AppSettings['presenceStatus'];

/**
 * Per-account dial rules, applied in this order: strip punctuation, the rewrites (each on the
 * result of the one before), '+' → international prefix, then the outside-line prefix.
 */
export type DialRules = z.infer<typeof dialRulesSchema>;

/** One regex rewrite of a number: the first match of `pattern` is replaced ($1…$9, $&, $$). */
export type DialRewriteRule = DialRules['rewrites'][number];

/** Per-account screen-pop: a URL template opened in the default browser for calls. */
export type ScreenPopSettings = z.infer<typeof screenPopSchema>;

/** When a screen-pop page opens: as the call rings, when it is answered, or when it ends. */
export type ScreenPopEvent = ScreenPopSettings['on'];

/** A chosen audio device, remembered by identity so it is found again after a replug. */
export type DeviceChoice = NonNullable<z.infer<typeof deviceChoiceSchema>>;

/** Sound settings. A null device means "system default". */
export type AudioSettings = z.infer<typeof audioSchema>;

/** Call recording settings. */
export type RecordingSettings = z.infer<typeof recordingSchema>;

/** How a recording is encoded: Opus in WebM (small) or 16-bit PCM WAV (lossless). */
export type RecordingFormat = RecordingSettings['format'];

export type HeadsetSettings = z.infer<typeof headsetSchema>;

/** The headset remembered for its buttons and lights (WebHID), found again after a replug. */
export type HeadsetDeviceChoice = NonNullable<HeadsetSettings['device']>;

/** Global hotkeys (Electron globalShortcut). Off by default. */
export type HotkeySettings = z.infer<typeof hotkeysSchema>;

/** A global hotkey's action. */
export type HotkeyAction = keyof HotkeySettings['accelerators'];

/** The whole settings file. */
export type AppSettings = z.infer<typeof settingsSchema>;

/** Fields of AppSettings the renderer may change with settings/update (accounts go through accounts/*). */
export type AppSettingsPatch = z.infer<typeof settingsPatchSchema>;

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
  recording: DEFAULT_RECORDING,
  lamps: [],
  presenceStatus: 'available',
  notifyMessages: true,
  sendTypingIndicator: true,
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
  keepAliveS: 20,
  dtmfMode: 'rfc4733',
  sessionTimers: true,
  sessionExpires: 1800,
  allowAutoAnswerHeader: false,
  outboundProxy: '',
  voicemailNumber: '',
  dialRules: DEFAULT_DIAL_RULES,
  screenPop: DEFAULT_SCREEN_POP,
  autoRecord: false,
  pickupCode: '',
};
