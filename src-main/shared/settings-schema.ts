// Runtime schemas of the settings file and of account settings (zod): main validates the file
// on load and every account the renderer sends. Strict: unknown keys are refused, so a secret
// smuggled into the settings can never be written back. The settings types (settings-types.ts)
// are inferred from these schemas, so each field is declared once, here.
import { z } from 'zod';
import {
  DEFAULT_ACCOUNT,
  DEFAULT_AUDIO,
  DEFAULT_RECORDING,
  DEFAULT_SETTINGS,
} from './settings-types';

const text = (max: number) => z.string().max(max);

export const deviceChoiceSchema = z.strictObject({ id: text(512), label: text(512) }).nullable();

export const iceServerSchema = z.strictObject({
  urls: z.array(text(512)).min(1).max(8),
  username: text(256).optional(),
});

/** Per-account dial rules; patterns are checked for syntax by checkAccount (dial-rules.ts). */
export const dialRulesSchema = z.strictObject({
  /** Remove spaces, dashes, dots, slashes and brackets first. */
  stripPunctuation: z.boolean(),
  /** Replaces a leading '+' (e.g. '00' or '011'); '' keeps the '+'. */
  internationalPrefix: text(8),
  /** Put in front of outside numbers (e.g. '0' or '9'); '' = none. */
  outsideLinePrefix: text(8),
  /** Numbers with at least this many digits are outside numbers. */
  outsideLineMinDigits: z.number().int().min(1).max(32),
  rewrites: z.array(z.strictObject({ pattern: text(200), replacement: text(64) })).max(20),
});

/** Per-account screen-pop; the URL template is checked by checkAccount (screen-pop.ts). */
export const screenPopSchema = z.strictObject({
  /** http(s) URL with {number}, {name}, {account}, {direction}, {callId}; '' = off. */
  url: text(2048),
  on: z.enum(['ringing', 'answered', 'ended']),
  direction: z.enum(['incoming', 'outgoing', 'both']),
});

export const accountSchema = z.strictObject({
  /** Stable identifier; also the keychain account key (see README, "Where your data lives"). */
  id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be letters, digits or dashes'),
  /** The user's name for the account ("Office PBX"). */
  label: text(100),
  /** Disabled accounts stay configured but do not connect. */
  enabled: z.boolean(),
  /** SIP over WebSocket server, e.g. wss://pbx.example.com:8089/ws */
  websocketUri: text(2048),
  /** Address of record, e.g. sip:1001@pbx.example.com */
  sipUri: text(512),
  /** Authentication user when it differs from the user part of sipUri ('' = same). */
  authUser: text(256),
  /** Shown to the people we call ('' = none). */
  displayName: text(256),
  /** Digest realm to answer ('' = whatever the server asks). Needed for HA1 secrets. */
  realm: text(256),
  /** Whether the stored secret is the password or its HA1 digest. */
  secretKind: z.enum(['password', 'ha1']),
  /** STUN/TURN servers; empty = host candidates only (typical on a LAN or with a media relay). */
  iceServers: z.array(iceServerSchema).max(8),
  /** Longest time the INVITE or 200 OK may wait for STUN/TURN candidates, in ms. */
  iceGatheringCapMs: z.number().int().min(100).max(30_000),
  /** Requested registration lifetime in seconds. */
  registerExpires: z.number().int().min(60).max(86_400),
  /**
   * Seconds without hearing from the server before an OPTIONS keep-alive probes the
   * connection (0 = off); no answer within 8 s more replaces the connection.
   */
  keepAliveS: z.number().int().min(0).max(300),
  /**
   * RFC 5626 `+sip.instance` of this phone for this account: made once when the account is
   * first saved and kept, so the registrar replaces our binding instead of adding stale ones.
   */
  instanceId: z.uuid().optional(),
  /** How key presses are sent in a call. */
  dtmfMode: z.enum(['rfc4733', 'info']),
  /** RFC 4028 session timers; some servers insist on them (422 Min-SE is honoured). */
  sessionTimers: z.boolean(),
  /** Session-Expires asked for when session timers are on, in seconds. */
  sessionExpires: z.number().int().min(90).max(86_400),
  /** Honour Call-Info answer-after / intercom headers from this server. */
  allowAutoAnswerHeader: z.boolean(),
  /**
   * Outbound proxy as a SIP URI ('' = none): sent as the pre-loaded Route of every request that
   * starts a dialog or registers (RFC 3261 §8.1.2); the WebSocket server stays the transport.
   */
  outboundProxy: text(512),
  /** The number that reaches this account's voicemail ('' = none). */
  voicemailNumber: text(64),
  /** How numbers are rewritten before they are dialled on this account (see dial-rules.ts). */
  dialRules: dialRulesSchema,
  /** The web page opened for calls on this account (see screen-pop.ts). */
  screenPop: screenPopSchema,
  /** Record every answered call of this account (the consent announcement still applies). */
  autoRecord: z.boolean(),
  /**
   * The PBX's directed-pickup feature code dialled before a ringing colleague's extension
   * ('*8' on Asterisk, '**' on FreeSWITCH); '' = pick up with an INVITE carrying Replaces,
   * built from the dialog information, when the PBX provides the dialog's identifiers.
   */
  pickupCode: text(8),
});

export const audioSchema = z.strictObject({
  microphone: deviceChoiceSchema,
  speaker: deviceChoiceSchema,
  ringer: deviceChoiceSchema,
  ringtone: text(64),
  /** 0..1 */
  ringVolume: z.number().min(0).max(1),
  echoCancellation: z.boolean(),
  noiseSuppression: z.boolean(),
  autoGainControl: z.boolean(),
  // Added after the first release: a file without it keeps its other sound settings.
  /**
   * RNNoise on the microphone path for new calls (on top of the browser's own noise
   * suppression; each call can still turn it on or off).
   */
  rnnoise: z.boolean().default(false),
});

/** An absolute folder or file path the user picked (main checks it again before use). */
const userPath = text(4096).refine((p) => p.length > 0 && !p.includes('\0'), 'must be a path');

export const recordingSchema = z.strictObject({
  /** Where new recordings go; null = the OS music folder (documents when there is none). */
  folder: userPath.nullable(),
  format: z.enum(['webm', 'wav']),
  /** 'stereo': you on the left, the other side on the right; 'mono': both mixed. */
  channels: z.enum(['mono', 'stereo']),
  /**
   * File name without extension. Fields: {date} (2026-03-01), {time} (14-05-09), {party},
   * {direction} (incoming/outgoing), {account}. Everything is made safe for every OS.
   */
  nameTemplate: text(200),
  /** Play "this call is being recorded" to the other side when recording starts. */
  announce: z.boolean(),
  /** A user-picked audio file played instead of the built-in announcement (null = built-in). */
  announcementFile: userPath.nullable(),
});

const usbId = z.number().int().min(0).max(0xffff);

export const headsetSchema = z.strictObject({
  /** null = no headset chosen (its buttons do nothing). */
  device: z
    .strictObject({
      vendorId: usbId,
      productId: usbId,
      /** The USB serial number when the device has one (main sees it; the page does not). */
      serialNumber: text(256).nullable(),
      name: text(256),
    })
    .nullable(),
});

const accelerator = text(100);

export const hotkeysSchema = z.strictObject({
  enabled: z.boolean(),
  /** Electron accelerator per action ('CommandOrControl+Alt+Shift+A'); '' = none. */
  accelerators: z.strictObject({
    answer: accelerator,
    hangUp: accelerator,
    mute: accelerator,
    showPhone: accelerator,
    dialSelection: accelerator,
  }),
  /** "Dial the selected text" dials at once instead of filling the dial field. Off by default. */
  dialSelectionImmediately: z.boolean(),
});

/** One busy lamp; the target is checked where it is dialled (it is what the user typed). */
export const busyLampSchema = z.strictObject({
  /** What the user typed or picked: an extension ('201') or a SIP address. */
  target: text(256).min(1),
  /** The name shown on the lamp ('' = the target). */
  label: text(100),
  /** The account that watches and calls it; null = the default account. */
  accountId: z.string().max(64).nullable(),
});

/** The most lamps a panel holds (each is two subscriptions: dialog and presence). */
export const MAX_LAMPS = 100;

/** Every top-level field except accounts, each with its own schema so they recover one by one. */
export const settingsFieldSchemas = {
  defaultAccountId: z.string().max(64).nullable(),
  startHidden: z.boolean(),
  startAtLogin: z.boolean(),
  /** Dial a link from the OS without waiting for a click. Off by default. */
  autoDialLinks: z.boolean(),
  bringToFrontOnIncoming: z.boolean(),
  notifyIncoming: z.boolean(),
  doNotDisturb: z.boolean(),
  /** SIP code incoming calls get while do-not-disturb is on. */
  dndResponseCode: z.union([z.literal(486), z.literal(480), z.literal(603)]),
  autoAnswer: z.boolean(),
  /** Calls the phone handles at once (in progress plus ringing); more are refused with 486. */
  maxLines: z.number().int().min(1).max(8),
  theme: z.enum(['system', 'light', 'dark']),
  audio: audioSchema,
  headset: headsetSchema,
  hotkeys: hotkeysSchema,
  recording: recordingSchema,
  /** The busy-lamp panel, in the order shown. */
  lamps: z.array(busyLampSchema).max(MAX_LAMPS),
  /** Published with PUBLISH where the server accepts it (do-not-disturb overrides it). */
  presenceStatus: z.enum(['available', 'away', 'busy']),
  /** Announce chat messages with an OS notification (issue 14). */
  notifyMessages: z.boolean(),
  /** Tell the people we chat with when we are typing (RFC 3994 isComposing). */
  sendTypingIndicator: z.boolean(),
} as const;

export const settingsPatchSchema = z.strictObject(settingsFieldSchemas).partial();

export const settingsSchema = z.strictObject({
  version: z.literal(1),
  accounts: z.array(accountSchema).max(32),
  ...settingsFieldSchemas,
});

/** Fills fields an older file lacks with defaults, before strict validation. */
export function withAccountDefaults(raw: Record<string, unknown>): Record<string, unknown> {
  return { ...DEFAULT_ACCOUNT, ...raw };
}

export { DEFAULT_AUDIO, DEFAULT_RECORDING, DEFAULT_SETTINGS };
