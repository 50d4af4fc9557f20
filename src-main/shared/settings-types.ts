// The shape of the non-secret settings file (accounts, app and audio options) shared by main,
// preload and renderer, and its defaults. Secrets never appear here: they live in the OS
// keychain. The types are inferred from the zod schemas in settings-schema.ts, imported as
// types only: the renderer imports this module, and its bundle must not pull zod in.
import type { z } from 'zod';
import type {
  accountSchema,
  audioSchema,
  deviceChoiceSchema,
  iceServerSchema,
  settingsPatchSchema,
  settingsSchema,
} from './settings-schema';

/** A STUN or TURN server. The TURN credential is a secret and lives in the keychain. */
export type IceServerSettings = z.infer<typeof iceServerSchema>;

/** One SIP account (fields documented on accountSchema). Everything here is safe to write to disk. */
export type AccountSettings = z.infer<typeof accountSchema>;

/** A chosen audio device, remembered by identity so it is found again after a replug. */
export type DeviceChoice = NonNullable<z.infer<typeof deviceChoiceSchema>>;

/** Sound settings. A null device means "system default". */
export type AudioSettings = z.infer<typeof audioSchema>;

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
};
