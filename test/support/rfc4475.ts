// Reads the RFC 4475 torture corpus from ../shared/rfc4475 (never copied into the repo) and
// makes the "retargeted" variant of each request: the same bytes with the Request-URI user
// replaced, so the message reaches the user agent's core instead of a 404 at the door.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const RFC4475_DIR = resolve(import.meta.dirname, '../../../shared/rfc4475');

export interface TortureMessage {
  file: string;
  category: string;
  expected: string;
  /** The message bytes as a latin1 string (byte-exact, CRLF kept). */
  text: string;
  /** The message bytes. */
  bytes: Buffer;
}

/** All corpus messages; throws a clear error when the folder is missing. */
export function loadRfc4475(): TortureMessage[] {
  if (!existsSync(RFC4475_DIR)) {
    throw new Error(
      `The RFC 4475 corpus is expected at ${RFC4475_DIR} (../shared/rfc4475 beside the project).`,
    );
  }
  const manifest = new Map<string, { category: string; expected: string }>();
  for (const line of readFileSync(resolve(RFC4475_DIR, 'MANIFEST.tsv'), 'utf8')
    .split('\n')
    .slice(1)) {
    const [, file, category, , expected] = line.split('\t');
    if (file) {
      manifest.set(file, { category: category ?? '', expected: expected ?? '' });
    }
  }
  return readdirSync(RFC4475_DIR)
    .filter((f) => f.endsWith('.dat'))
    .sort()
    .map((file) => {
      const bytes = readFileSync(resolve(RFC4475_DIR, file));
      return {
        file,
        category: manifest.get(file)?.category ?? 'unknown',
        expected: manifest.get(file)?.expected ?? '',
        text: bytes.toString('latin1'),
        bytes,
      };
    });
}

/** The message with its Request-URI's user part set to `user` (requests with a sip/sips R-URI only). */
export function retarget(text: string, user: string, host: string): string | null {
  const eol = text.indexOf('\r\n');
  const start = eol >= 0 ? text.slice(0, eol) : text;
  const match = /^(\S+)\s+(sips?):(?:[^@\s]*@)?([^;\s?>]+)(\S*)(\s+SIP\/.*)$/i.exec(start);
  if (!match) {
    return null;
  }
  const [, method, scheme, , rest, tail] = match;
  return `${method} ${scheme}:${user}@${host}${rest ?? ''}${tail ?? ''}${eol >= 0 ? text.slice(eol) : ''}`;
}
