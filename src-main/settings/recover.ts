// Recovers settings from whatever is on disk: valid fields are kept, invalid or unknown ones
// fall back to defaults one by one, broken accounts are dropped, and every loss is described
// in a sentence for the user. Pure: the store does the file work.
import { accountSchema, settingsFieldSchemas, withAccountDefaults } from '@shared/settings-schema';
import { DEFAULT_SETTINGS, type AccountSettings, type AppSettings } from '@shared/settings-types';

export interface Recovered {
  settings: AppSettings;
  /** What could not be kept, one sentence each; empty when the input was fully valid. */
  problems: string[];
}

const FIELD_NAMES = Object.keys(settingsFieldSchemas) as (keyof typeof settingsFieldSchemas)[];
const KNOWN = new Set<string>(['version', 'accounts', ...FIELD_NAMES]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Best-effort settings from parsed JSON. */
export function recoverSettings(raw: unknown): Recovered {
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
    const parsed = accountSchema.safeParse(withAccountDefaults(item));
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
