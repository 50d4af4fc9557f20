// Recovers settings from whatever is on disk: valid fields are kept, invalid or unknown ones
// fall back to defaults one by one, broken accounts are dropped, and every loss is described
// in a sentence for the user. Secret-named fields a hand edit smuggled in are removed first,
// and unknown fields of an account are dropped without losing the account. Pure: the store
// does the file work.
import { accountSchema, settingsFieldSchemas, withAccountDefaults } from '@shared/settings-schema';
import { DEFAULT_SETTINGS, type AccountSettings, type AppSettings } from '@shared/settings-types';
import { stripSecretFields } from './secret-fields';

export interface Recovered {
  settings: AppSettings;
  /** What could not be kept, one sentence each; empty when the input was fully valid. */
  problems: string[];
}

const FIELD_NAMES = Object.keys(settingsFieldSchemas) as (keyof typeof settingsFieldSchemas)[];
const KNOWN = new Set<string>(['version', 'accounts', ...FIELD_NAMES]);
const ACCOUNT_FIELDS = new Set<string>(Object.keys(accountSchema.shape));

/** The sentence for secrets found in the file (never repeating their values). */
export function secretsRemovedNotice(paths: string[]): string {
  const where = paths.slice(0, 5).join(', ');
  return (
    `The settings file contained secret fields (${where}). Secrets are never kept in the ` +
    'settings file, so they were removed; enter the password again in the account settings ' +
    'to keep it in the system keychain.'
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Best-effort settings from parsed JSON. */
export function recoverSettings(input: unknown): Recovered {
  const { value: raw, paths: secretPaths } = stripSecretFields(input);
  const recovered = recoverPlain(raw);
  if (secretPaths.length > 0) {
    recovered.problems.unshift(secretsRemovedNotice(secretPaths));
  }
  return recovered;
}

function recoverPlain(raw: unknown): Recovered {
  if (!isRecord(raw)) {
    return {
      settings: structuredClone(DEFAULT_SETTINGS),
      problems: ['The settings file did not contain settings.'],
    };
  }
  const problems: string[] = [];
  if (raw.version !== 1) {
    problems.push(
      `The settings file has version ${JSON.stringify(raw.version)}; only version 1 is understood.`,
    );
  }
  const settings: AppSettings = { ...structuredClone(DEFAULT_SETTINGS) };
  for (const name of FIELD_NAMES) {
    if (!(name in raw)) {
      continue;
    }
    const parsed = settingsFieldSchemas[name].safeParse(raw[name]);
    if (parsed.success) {
      (settings as unknown as Record<string, unknown>)[name] = parsed.data;
    } else {
      problems.push(`The setting "${name}" was not valid and was reset.`);
    }
  }
  for (const key of Object.keys(raw)) {
    if (!KNOWN.has(key)) {
      problems.push(`The unknown setting "${key.slice(0, 40)}" was ignored.`);
    }
  }
  const { accounts, problems: accountProblems } = recoverAccounts(raw.accounts);
  settings.accounts = accounts;
  problems.push(...accountProblems);
  if (
    settings.defaultAccountId !== null &&
    !accounts.some((a) => a.id === settings.defaultAccountId)
  ) {
    settings.defaultAccountId = accounts[0]?.id ?? null;
  }
  return { settings, problems };
}

function recoverAccounts(raw: unknown): { accounts: AccountSettings[]; problems: string[] } {
  if (raw === undefined) {
    return { accounts: [], problems: [] };
  }
  if (!Array.isArray(raw)) {
    return {
      accounts: [],
      problems: ['The account list was not valid; no account could be kept.'],
    };
  }
  const accounts: AccountSettings[] = [];
  const problems: string[] = [];
  raw.forEach((item: unknown, index) => {
    const name =
      isRecord(item) && typeof item.label === 'string'
        ? `"${item.label.slice(0, 60)}"`
        : `#${index + 1}`;
    if (!isRecord(item)) {
      problems.push(`Account ${name} was not valid and was removed.`);
      return;
    }
    const known: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(item)) {
      if (ACCOUNT_FIELDS.has(key)) {
        known[key] = value;
      } else {
        problems.push(
          `Account ${name} had an unknown setting "${key.slice(0, 40)}"; it was removed.`,
        );
      }
    }
    const parsed = accountSchema.safeParse(withAccountDefaults(known));
    if (!parsed.success) {
      problems.push(`Account ${name} was not valid and was removed; add it again.`);
      return;
    }
    if (accounts.some((a) => a.id === parsed.data.id)) {
      problems.push(`Account ${name} appeared twice; the second copy was removed.`);
      return;
    }
    accounts.push(parsed.data);
  });
  return { accounts, problems };
}
