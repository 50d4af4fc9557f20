// Recording file names: the user's template filled with the call's date, party, direction and
// account, made safe as ONE file name on Windows, macOS and Linux. The party comes from the
// network (a SIP display name) and is hostile: path separators, control and bidi characters,
// reserved device names, trailing dots and over-long names are all neutralised. Pure.

/** The values a template may use. */
export interface RecordingNameFields {
  /** Local start time of the recording. */
  date: Date;
  /** Display name or number of the other side, as received (untrusted). */
  party: string;
  direction: 'incoming' | 'outgoing';
  /** The account's label. */
  account: string;
}

/** Longest base name in UTF-8 bytes: 255-byte name limits minus " (999)" and ".webm". */
export const MAX_NAME_BYTES = 200;
const FALLBACK = 'recording';
// Windows device names, with or without an extension, also with superscript digits.
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;
// C0/C1 controls, DEL, bidi embeddings/overrides/isolates, zero-width and BOM characters.
// eslint-disable-next-line no-control-regex
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g;
// Characters Windows forbids in names; '/' everywhere; ':' is a separator on old macOS.
const FORBIDDEN = /[<>:"/\\|?*]/g;

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Fills `template` and returns a safe base name (no extension). */
export function renderRecordingName(template: string, fields: RecordingNameFields): string {
  const d = fields.date;
  const values: Record<string, string> = {
    date: `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`,
    time: `${pad(d.getHours())}-${pad(d.getMinutes())}-${pad(d.getSeconds())}`,
    party: fields.party,
    direction: fields.direction,
    account: fields.account,
  };
  const filled = template.replace(/\{(date|time|party|direction|account)\}/g, (_m, key: string) =>
    // Each value is cleaned on its own first, so a party cannot inject another token.
    cleanPart(values[key] ?? ''),
  );
  return sanitizeFileName(filled);
}

function cleanPart(value: string): string {
  return value.normalize('NFC').replace(INVISIBLE, '').replace(FORBIDDEN, '_').replace(/[{}]/g, '');
}

/** One safe file-name component (no extension), never empty. */
export function sanitizeFileName(name: string): string {
  let safe = cleanPart(name)
    .replace(/\s+/g, ' ')
    .trim()
    // No hidden files, no names that read as command-line options.
    .replace(/^[.\-\s]+/, '');
  safe = truncateUtf8(safe, MAX_NAME_BYTES)
    // Windows drops trailing dots and spaces, which would make two names collide.
    .replace(/[.\s]+$/, '');
  if (safe === '') {
    return FALLBACK;
  }
  return RESERVED.test(safe) ? `_${safe}` : safe;
}

/** The longest prefix of `text` that fits in `maxBytes` of UTF-8, never splitting a character. */
export function truncateUtf8(text: string, maxBytes: number): string {
  const encoder = new TextEncoder();
  if (encoder.encode(text).length <= maxBytes) {
    return text;
  }
  let bytes = 0;
  let out = '';
  for (const char of text) {
    const size = encoder.encode(char).length;
    if (bytes + size > maxBytes) {
      break;
    }
    bytes += size;
    out += char;
  }
  return out;
}

/** The n-th candidate for a base name: "name.ext", then "name (2).ext", "name (3).ext"… */
export function numberedFileName(base: string, ext: string, n: number): string {
  return n <= 1 ? `${base}.${ext}` : `${base} (${n}).${ext}`;
}
