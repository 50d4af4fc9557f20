// Runtime schemas of the settings file and of account settings (zod): main validates the file
// on load and every account the renderer sends. Strict: unknown keys are refused, so a secret
// smuggled into the settings can never be written back. The settings types (settings-types.ts)
// are inferred from these schemas, so each field is declared once, here.
import { z } from 'zod';
import { DEFAULT_ACCOUNT, DEFAULT_AUDIO, DEFAULT_SETTINGS } from './settings-types';

const text = (max: number) => z.string().max(max);

export const deviceChoiceSchema = z.strictObject({ id: text(512), label: text(512) }).nullable();

export const iceServerSchema = z.strictObject({
  urls: z.array(text(512)).min(1).max(8),
  username: text(256).optional(),
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
  /** How key presses are sent in a call. */
  dtmfMode: z.enum(['rfc4733', 'info']),
  /** RFC 4028 session timers; some servers insist on them (422 Min-SE is honoured). */
  sessionTimers: z.boolean(),
  /** Session-Expires asked for when session timers are on, in seconds. */
  sessionExpires: z.number().int().min(90).max(86_400),
  /** Honour Call-Info answer-after / intercom headers from this server. */
  allowAutoAnswerHeader: z.boolean(),
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
});

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
  theme: z.enum(['system', 'light', 'dark']),
  audio: audioSchema,
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

export { DEFAULT_AUDIO, DEFAULT_SETTINGS };
