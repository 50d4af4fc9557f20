// Owns the provisioning file: a JSON document an administrator hands to users with accounts
// (and a few app options) to import, never with passwords. Export from settings, import into
// validated accounts with fresh ids plus a report. Platform-free; the format is described in
// docs/provisioning.md.
import { z } from 'zod';
import { checkAccount } from './account-validation';
import {
  accountSchema,
  dialRulesSchema,
  screenPopSchema,
  settingsFieldSchemas,
} from './settings-schema';
import {
  DEFAULT_ACCOUNT,
  type AccountSettings,
  type AppSettings,
  type AppSettingsPatch,
} from './settings-types';

/** The `format` marker of every provisioning file. */
export const PROVISIONING_FORMAT = 'open-softphone-provisioning';
/** The format version this code writes and reads. */
export const PROVISIONING_VERSION = 1;
/** Largest file accepted, in characters. */
export const MAX_PROVISIONING_CHARS = 1_000_000;

/** An account in a provisioning file: account settings without the id (a new one is made). */
export type ProvisionedAccount = Omit<AccountSettings, 'id'>;

/** App options a provisioning file may set; `defaultAccount` is an index into `accounts`. */
export interface ProvisionedSettings {
  defaultAccount?: number;
  startHidden?: boolean;
  startAtLogin?: boolean;
  autoDialLinks?: boolean;
  bringToFrontOnIncoming?: boolean;
  notifyIncoming?: boolean;
  dndResponseCode?: AppSettings['dndResponseCode'];
  theme?: AppSettings['theme'];
}

/** The whole file. */
export interface ProvisioningFile {
  format: typeof PROVISIONING_FORMAT;
  version: typeof PROVISIONING_VERSION;
  accounts: ProvisionedAccount[];
  settings?: ProvisionedSettings;
}

/** What an import will do: accounts added, accounts left out (already configured), options set. */
export interface ProvisioningReport {
  added: { label: string; sipUri: string }[];
  skipped: { label: string; sipUri: string; reason: string }[];
  /** Names of the app options the file sets. */
  settings: string[];
}

/** Result of reading a file: everything to apply, or every reason it was refused. */
export type ProvisioningImport =
  | {
      ok: true;
      accounts: AccountSettings[];
      settings: AppSettingsPatch;
      report: ProvisioningReport;
    }
  | { ok: false; errors: string[] };

const SETTING_KEYS = [
  'startHidden',
  'startAtLogin',
  'autoDialLinks',
  'bringToFrontOnIncoming',
  'notifyIncoming',
  'dndResponseCode',
  'theme',
] as const;

const REQUIRED = { label: true, websocketUri: true, sipUri: true } as const;

const provisionedAccountSchema = accountSchema
  .omit({ id: true })
  .partial()
  .required(REQUIRED)
  // An id in a hand-written file is tolerated and ignored: imported accounts always get new ids.
  // Dial rules and screen-pop may name only the fields that differ from the defaults.
  .extend({
    id: z.string().max(64).optional(),
    dialRules: dialRulesSchema.partial().optional(),
    screenPop: screenPopSchema.partial().optional(),
  });

const provisionedSettingsSchema = z.strictObject({
  defaultAccount: z.number().int().min(0).optional(),
  startHidden: settingsFieldSchemas.startHidden.optional(),
  startAtLogin: settingsFieldSchemas.startAtLogin.optional(),
  autoDialLinks: settingsFieldSchemas.autoDialLinks.optional(),
  bringToFrontOnIncoming: settingsFieldSchemas.bringToFrontOnIncoming.optional(),
  notifyIncoming: settingsFieldSchemas.notifyIncoming.optional(),
  dndResponseCode: settingsFieldSchemas.dndResponseCode.optional(),
  theme: settingsFieldSchemas.theme.optional(),
});

const fileSchema = z.strictObject({
  format: z.literal(PROVISIONING_FORMAT),
  version: z.literal(PROVISIONING_VERSION),
  accounts: z.array(provisionedAccountSchema).min(1).max(32),
  settings: provisionedSettingsSchema.optional(),
});

const SECRET_NAMES = new Set([
  'password',
  'passwd',
  'pwd',
  'pass',
  'passphrase',
  'secret',
  'ha1',
  'credential',
  'credentials',
  'token',
  'authtoken',
  'accesstoken',
  'apikey',
]);

function isSecretKey(key: string): boolean {
  const k = key.toLowerCase().replace(/[-_\s]/g, '');
  return SECRET_NAMES.has(k) || k.endsWith('password') || k.endsWith('secret');
}

// user:password@ in a URI (wss://u:p@host, sip:u:p@host).
const URI_PASSWORD = /^[a-z][a-z0-9+.-]*:(?:\/\/)?[^/@\s]*:[^/@\s]*@/i;

function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}

/**
 * Paths of every field that holds or looks like a secret: keys named like passwords, secrets,
 * HA1 digests, TURN credentials or tokens, and URIs with a password in their user part.
 * Only paths are returned, never values.
 */
export function findSecretFields(value: unknown, path: PropertyKey[] = []): string[] {
  if (typeof value === 'string') {
    return URI_PASSWORD.test(value.trim()) ? [pathText(path)] : [];
  }
  if (Array.isArray(value)) {
    return value.flatMap((item, i) => findSecretFields(item, [...path, i]));
  }
  if (value === null || typeof value !== 'object') {
    return [];
  }
  return Object.entries(value).flatMap(([key, inner]) =>
    isSecretKey(key) ? [pathText([...path, key])] : findSecretFields(inner, [...path, key]),
  );
}

/** The provisioning file for `settings` (all accounts, or those in `accountIds`); never a secret. */
export function exportProvisioning(
  settings: AppSettings,
  options: { accountIds?: readonly string[]; includeSettings?: boolean } = {},
): ProvisioningFile {
  const chosen = settings.accounts.filter(
    (a) => !options.accountIds || options.accountIds.includes(a.id),
  );
  const accounts = chosen.map(({ id: _id, ...rest }) => rest);
  const file: ProvisioningFile = {
    format: PROVISIONING_FORMAT,
    version: PROVISIONING_VERSION,
    accounts,
  };
  if (options.includeSettings !== false) {
    const picked: ProvisionedSettings = {};
    for (const key of SETTING_KEYS) {
      Object.assign(picked, { [key]: settings[key] });
    }
    const defaultIndex = chosen.findIndex((a) => a.id === settings.defaultAccountId);
    if (defaultIndex >= 0) {
      picked.defaultAccount = defaultIndex;
    }
    file.settings = picked;
  }
  return file;
}

/** The file as text (pretty JSON, trailing newline). */
export function serializeProvisioning(file: ProvisioningFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

function readJson(text: string): { ok: true; value: unknown } | { ok: false; errors: string[] } {
  if (text.length > MAX_PROVISIONING_CHARS) {
    return { ok: false, errors: ['The file is too large to be a provisioning file.'] };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    // JSON.parse messages quote the input, which could be a secret: say only what is wrong.
    return { ok: false, errors: ['The file is not valid JSON.'] };
  }
}

function checkHeader(value: unknown): string | null {
  const head = (value ?? {}) as { format?: unknown; version?: unknown };
  if (typeof value !== 'object' || value === null || head.format !== PROVISIONING_FORMAT) {
    return 'This is not an Open Softphone provisioning file ("format" must be "open-softphone-provisioning").';
  }
  if (typeof head.version === 'number' && head.version > PROVISIONING_VERSION) {
    return `This file is format version ${head.version}; this app reads version ${PROVISIONING_VERSION}. Update the app to import it.`;
  }
  return null;
}

/**
 * Reads a provisioning file. Refused, with one sentence per problem, when it is not JSON, not
 * this format, holds any secret (the field is named, its value is never kept or shown), or has
 * an invalid account. Otherwise every account gets a new id from `newId` and the defaults for
 * fields it leaves out; accounts already configured (same SIP address and server) are skipped.
 */
export function importProvisioning(
  text: string,
  options: { existing?: readonly AccountSettings[]; newId?: () => string } = {},
): ProvisioningImport {
  const json = readJson(text);
  if (!json.ok) {
    return json;
  }
  const header = checkHeader(json.value);
  if (header) {
    return { ok: false, errors: [header] };
  }
  const secrets = findSecretFields(json.value);
  if (secrets.length > 0) {
    return {
      ok: false,
      errors: secrets.map(
        (path) =>
          `The file contains a password or other secret in "${path}". Provisioning files must never hold secrets: remove it and give each user their password separately.`,
      ),
    };
  }
  const parsed = fileSchema.safeParse(json.value);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((i) => `${pathText(i.path) || 'file'}: ${i.message}`),
    };
  }
  return buildImport(parsed.data, options.existing ?? [], options.newId ?? defaultId);
}

function defaultId(): string {
  return globalThis.crypto.randomUUID();
}

type ParsedFile = z.infer<typeof fileSchema>;

function sameAccount(a: Pick<AccountSettings, 'sipUri' | 'websocketUri'>, b: typeof a): boolean {
  const eq = (x: string, y: string): boolean => x.trim().toLowerCase() === y.trim().toLowerCase();
  return eq(a.sipUri, b.sipUri) && eq(a.websocketUri, b.websocketUri);
}

function buildImport(
  file: ParsedFile,
  existing: readonly AccountSettings[],
  newId: () => string,
): ProvisioningImport {
  const errors: string[] = [];
  const accounts: AccountSettings[] = [];
  const report: ProvisioningReport = { added: [], skipped: [], settings: [] };
  const idsByIndex = new Map<number, string>();
  file.accounts.forEach((raw, i) => {
    // A file shared by many phones must not give them one RFC 5626 instance (see
    // docs/connection-healing.md): each phone makes its own.
    const { id: _ignored, instanceId: _shared, dialRules, screenPop, ...fields } = raw;
    const account: AccountSettings = {
      ...DEFAULT_ACCOUNT,
      ...fields,
      dialRules: { ...DEFAULT_ACCOUNT.dialRules, ...dialRules },
      screenPop: { ...DEFAULT_ACCOUNT.screenPop, ...screenPop },
      id: newId(),
    };
    const problems = Object.values(checkAccount(account));
    errors.push(...problems.map((p) => `accounts[${i}] ("${account.label}"): ${p}`));
    const summary = { label: account.label, sipUri: account.sipUri };
    if ([...existing, ...accounts].some((a) => sameAccount(a, account))) {
      report.skipped.push({
        ...summary,
        reason: 'An account with this SIP address and server is already set up.',
      });
      return;
    }
    idsByIndex.set(i, account.id);
    accounts.push(account);
    report.added.push(summary);
  });
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  const settings = settingsPatch(file.settings ?? {}, idsByIndex, errors);
  if (errors.length > 0) {
    return { ok: false, errors };
  }
  report.settings = Object.keys(settings);
  return { ok: true, accounts, settings, report };
}

function settingsPatch(
  settings: NonNullable<ParsedFile['settings']>,
  idsByIndex: ReadonlyMap<number, string>,
  errors: string[],
): AppSettingsPatch {
  const patch: AppSettingsPatch = {};
  for (const key of SETTING_KEYS) {
    if (settings[key] !== undefined) {
      Object.assign(patch, { [key]: settings[key] });
    }
  }
  const index = settings.defaultAccount;
  if (index !== undefined) {
    const id = idsByIndex.get(index);
    if (id === undefined) {
      errors.push(`settings.defaultAccount: there is no new account number ${index} in this file.`);
    } else {
      patch.defaultAccountId = id;
    }
  }
  return patch;
}
