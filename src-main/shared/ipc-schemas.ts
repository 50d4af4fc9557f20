// Runtime validation of every renderer → main request (DESIGN.md §3): main parses each payload
// with the schema of its channel before a handler runs; anything else is refused unchanged.
import { z } from 'zod';
import type { InvokeChannel } from './ipc-contract';
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

const phoneSummary = z.strictObject({
  registration: z.enum(['offline', 'connecting', 'registered', 'failed']),
  registrationText: shortText(500),
  call: z.enum(['idle', 'ringing', 'calling', 'in-call', 'on-hold']),
  party: networkText(300).nullable(),
  muted: z.boolean(),
  doNotDisturb: z.boolean(),
  missedCount: z.number().int().min(0).max(1_000_000),
  recentNumbers: z
    .array(z.strictObject({ display: networkText(300), dial: shortText(300) }))
    .max(10),
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

/** One schema per invoke channel; the record type makes a missing channel a compile error. */
export const invokeSchemas: Record<InvokeChannel, z.ZodType> = {
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
};

/** A readable one-line description of what was wrong with a payload. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'payload'}: ${issue.message}`)
    .join('; ');
}
