// Secrets never belong in the settings file, but a hand-edited file may carry one (a
// "password" added to an account, an RTCIceServer-style TURN "credential"). These helpers find
// such fields by name at any depth so recovery can drop them, tell the user, and keep them out
// of the backup copy of the file as well.

/** Field names that hold a secret. Exact names: `secretKind` (a legitimate field) must not match. */
const SECRET_NAME =
  /^(password|passwd|pass|pwd|secret|ha1|credential|credentials|turncredential|token|apikey|authorization)$/i;

export function isSecretFieldName(name: string): boolean {
  return SECRET_NAME.test(name);
}

export interface StrippedSecrets {
  value: unknown;
  /** Where secret fields were found, e.g. 'accounts[0].password'. */
  paths: string[];
}

/** A copy of `raw` with every secret-named field replaced by `replace(path)` (or removed when it returns undefined). */
function walk(
  raw: unknown,
  path: string,
  paths: string[],
  replacement: string | undefined,
): unknown {
  if (Array.isArray(raw)) {
    return raw.map((item, i) => walk(item, `${path}[${i}]`, paths, replacement));
  }
  if (typeof raw !== 'object' || raw === null) {
    return raw;
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) {
    const here = path ? `${path}.${key}` : key;
    if (isSecretFieldName(key)) {
      paths.push(here);
      if (replacement !== undefined) {
        out[key] = replacement;
      }
      continue;
    }
    out[key] = walk(value, here, paths, replacement);
  }
  return out;
}

/** `raw` without any secret-named field, and where they were. */
export function stripSecretFields(raw: unknown): StrippedSecrets {
  const paths: string[] = [];
  return { value: walk(raw, '', paths, undefined), paths };
}

/** `raw` with every secret-named field's value replaced by a marker (for the backup copy). */
export function redactSecretFields(raw: unknown): StrippedSecrets {
  const paths: string[] = [];
  return { value: walk(raw, '', paths, '[removed: secrets belong in the keychain]'), paths };
}
