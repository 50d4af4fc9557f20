// Runtime schemas of the settings file and of account settings (zod): main validates the file
// on load and every account the renderer sends. Strict: unknown keys are refused, so a secret
// smuggled into the settings can never be written back.
import { z } from 'zod';
import { DEFAULT_ACCOUNT, DEFAULT_AUDIO, DEFAULT_SETTINGS } from './settings-types';

const text = (max: number) => z.string().max(max);

export const deviceChoiceSchema = z.strictObject({ id: text(512), label: text(512) }).nullable();

export const iceServerSchema = z.strictObject({
  urls: z.array(text(512)).min(1).max(8),
  username: text(256).optional(),
});

/** Per-account dial rules; patterns are checked for syntax by checkAccount (dial-rules.ts). */
export const dialRulesSchema = z.strictObject({
  stripPunctuation: z.boolean(),
  internationalPrefix: text(8),
  outsideLinePrefix: text(8),
  outsideLineMinDigits: z.number().int().min(1).max(32),
  rewrites: z.array(z.strictObject({ pattern: text(200), replacement: text(64) })).max(20),
});

/** Per-account screen-pop; the URL template is checked by checkAccount (screen-pop.ts). */
export const screenPopSchema = z.strictObject({
  url: text(2048),
  on: z.enum(['ringing', 'answered', 'ended']),
  direction: z.enum(['incoming', 'outgoing', 'both']),
});

export const accountSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'must be letters, digits or dashes'),
  label: text(100),
  enabled: z.boolean(),
  websocketUri: text(2048),
  sipUri: text(512),
  authUser: text(256),
  displayName: text(256),
  realm: text(256),
  secretKind: z.enum(['password', 'ha1']),
  iceServers: z.array(iceServerSchema).max(8),
  iceGatheringCapMs: z.number().int().min(100).max(30_000),
  registerExpires: z.number().int().min(60).max(86_400),
  dtmfMode: z.enum(['rfc4733', 'info']),
  sessionTimers: z.boolean(),
  sessionExpires: z.number().int().min(90).max(86_400),
  allowAutoAnswerHeader: z.boolean(),
  dialRules: dialRulesSchema,
  screenPop: screenPopSchema,
});

export const audioSchema = z.strictObject({
  microphone: deviceChoiceSchema,
  speaker: deviceChoiceSchema,
  ringer: deviceChoiceSchema,
  ringtone: text(64),
  ringVolume: z.number().min(0).max(1),
  echoCancellation: z.boolean(),
  noiseSuppression: z.boolean(),
  autoGainControl: z.boolean(),
});

const usbId = z.number().int().min(0).max(0xffff);

export const headsetSchema = z.strictObject({
  device: z
    .strictObject({
      vendorId: usbId,
      productId: usbId,
      serialNumber: text(256).nullable(),
      name: text(256),
    })
    .nullable(),
});

const accelerator = text(100);

export const hotkeysSchema = z.strictObject({
  enabled: z.boolean(),
  accelerators: z.strictObject({
    answer: accelerator,
    hangUp: accelerator,
    mute: accelerator,
    showPhone: accelerator,
    dialSelection: accelerator,
  }),
  dialSelectionImmediately: z.boolean(),
});

/** Every top-level field except accounts, each with its own schema so they recover one by one. */
export const settingsFieldSchemas = {
  defaultAccountId: z.string().max(64).nullable(),
  startHidden: z.boolean(),
  startAtLogin: z.boolean(),
  autoDialLinks: z.boolean(),
  bringToFrontOnIncoming: z.boolean(),
  notifyIncoming: z.boolean(),
  doNotDisturb: z.boolean(),
  dndResponseCode: z.union([z.literal(486), z.literal(480), z.literal(603)]),
  autoAnswer: z.boolean(),
  maxLines: z.number().int().min(1).max(8),
  theme: z.enum(['system', 'light', 'dark']),
  audio: audioSchema,
  headset: headsetSchema,
  hotkeys: hotkeysSchema,
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
