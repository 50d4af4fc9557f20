// Runtime validation of every renderer → main request (DESIGN.md §3): main parses each payload
// with the schema of its channel before a handler runs; anything else is refused unchanged.
import { z } from 'zod';
import { MAX_RECORDING_CHUNK_BYTES, type InvokeChannel, type InvokeRequest } from './ipc-contract';
import { networkLabel } from './network-text';
import { accountSchema, settingsPatchSchema } from './settings-schema';

const nothing = z.null();
const accountId = z.strictObject({ id: z.string().regex(/^[A-Za-z0-9-]{1,64}$/) });
const shortText = (max: number) => z.string().max(max);
/** Text that came from the network (names, numbers): cleaned to one inert line (network-text.ts). */
const networkText = (max: number) =>
  z
    .string()
    .max(max)
    .transform((text) => networkLabel(text));
// Text shown by the OS (notifications): no control characters but line feeds.
// eslint-disable-next-line no-control-regex
const OS_TEXT = new RegExp('^[^\\u0000-\\u0009\\u000b-\\u001f\\u007f-\\u009f]*$');
const osText = (max: number) => shortText(max).regex(OS_TEXT);
const conversationId = shortText(700).min(1);

const phoneSummary = z.strictObject({
  registration: z.enum(['offline', 'connecting', 'registered', 'failed']),
  registrationText: shortText(500),
  call: z.enum(['idle', 'ringing', 'calling', 'in-call', 'on-hold']),
  party: networkText(300).nullable(),
  muted: z.boolean(),
  doNotDisturb: z.boolean(),
  missedCount: z.number().int().min(0).max(1_000_000),
  unreadMessages: z.number().int().min(0).max(1_000_000),
  recentNumbers: z
    .array(z.strictObject({ display: networkText(300), dial: shortText(300) }))
    .max(10),
  voicemailWaiting: z.boolean(),
  voicemailNew: z.number().int().min(0).max(1_000_000),
  recording: z.enum(['recording', 'paused']).optional(),
});

const screenPopRequest = z.strictObject({
  accountId: accountId.shape.id,
  event: z.enum(['ringing', 'answered', 'ended']),
  call: z.strictObject({
    callId: shortText(200),
    number: shortText(300),
    name: shortText(300).nullable(),
    direction: z.enum(['incoming', 'outgoing']),
  }),
});
const recordingId = z.strictObject({ id: z.uuid() });

const recordingStart = z
  .strictObject({
    callId: shortText(100),
    accountId: shortText(64),
    party: shortText(300),
    direction: z.enum(['incoming', 'outgoing']),
    format: z.enum(['webm', 'wav']),
    pcm: z
      .strictObject({
        sampleRate: z.number().int().min(8000).max(192_000),
        channels: z.union([z.literal(1), z.literal(2)]),
      })
      .nullable(),
  })
  .refine((r) => (r.format === 'wav') === (r.pcm !== null), {
    message: 'a WAV recording needs its PCM layout, a WebM one none',
    path: ['pcm'],
  });

// Structured clone delivers a Uint8Array as a Uint8Array; anything else (a plain array, a
// string, an object with numeric keys) is refused rather than coerced.
const chunkBytes = z
  .instanceof(Uint8Array, { message: 'must be bytes (Uint8Array)' })
  .refine((b) => b.byteLength > 0, 'must not be empty')
  .refine((b) => b.byteLength <= MAX_RECORDING_CHUNK_BYTES, 'is larger than 1 MiB');

/** The schema of each channel parses exactly that channel's request type. */
export type InvokeSchemas = { [C in InvokeChannel]: z.ZodType<InvokeRequest<C>> };

/**
 * One schema per invoke channel. The mapped type makes a missing channel, or a schema whose
 * output differs from the contract's request type, a compile error.
 */
export const invokeSchemas: InvokeSchemas = {
  'app/get-info': nothing,
  'app/quit-ready': nothing,
  'settings/get': nothing,
  'settings/update': settingsPatchSchema,
  'accounts/save': z.strictObject({
    account: accountSchema,
    secret: shortText(1024).nullable(),
    turnCredential: shortText(1024).nullable(),
  }),
  'accounts/delete': accountId,
  'accounts/get-credentials': accountId,
  'phone/state-changed': phoneSummary,
  'links/take-pending': nothing,
  'notify/incoming-call': z.strictObject({
    callId: shortText(100),
    name: networkText(300).nullable(),
    number: networkText(300),
    accountLabel: networkText(100),
    recording: z.enum(['in-progress', 'will-record']).optional(),
  }),
  'notify/call-ended': z.strictObject({ callId: shortText(100) }),
  'popup/action': z.strictObject({ callId: shortText(100), action: z.enum(['answer', 'decline']) }),
  'window/show': nothing,
  'hotkeys/get-status': nothing,
  'screen-pop/open': screenPopRequest,
  'headset/device-chosen': z.strictObject({
    requestId: z.string().regex(/^[A-Za-z0-9-]{1,64}$/),
    deviceId: shortText(256).nullable(),
  }),
  'recording/start': recordingStart,
  'recording/chunk': z.strictObject({
    id: z.uuid(),
    seq: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
    data: chunkBytes,
  }),
  'recording/pause': recordingId,
  'recording/resume': recordingId,
  'recording/stop': recordingId,
  'recording/list': nothing,
  'recording/delete': recordingId,
  'recording/reveal': recordingId,
  'recording/choose-folder': nothing,
  'recording/choose-announcement': nothing,
  'recording/read-announcement': nothing,
  'links/handler-state': nothing,
  'links/make-default': nothing,
  'media/microphone-access': z.strictObject({ ask: z.boolean() }),
  'notify/message': z.strictObject({
    conversationId,
    title: osText(300).min(1),
    body: osText(1000),
  }),
  'notify/message-read': z.strictObject({ conversationId }),
  'links/open-external': z.strictObject({ url: shortText(2048) }),
};

/** A readable one-line description of what was wrong with a payload. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'payload'}: ${issue.message}`)
    .join('; ');
}
