// Owns strict decoding of bytes in a named charset, the same in Node and Chromium: TextDecoder
// with fatal errors, except windows-1252 — the WHATWG Encoding target of the labels
// 'iso-8859-1', 'latin1', 'us-ascii' and 'windows-1252' — which is decoded here from its table,
// because Node 20's TextDecoder reads it as ISO-8859-1 (0x80 → U+0080, not '€') while Chromium
// follows the standard.

export type CharsetResult =
  | { ok: true; text: string; encoding: string }
  | { ok: false; code: 'unsupported-encoding' | 'invalid-encoding' };

/** WHATWG windows-1252 index for 0x80–0x9F; the other bytes map to the same code point. */
const WINDOWS_1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    const chunk = bytes.subarray(i, i + 4096);
    out += String.fromCharCode(
      ...Array.from(chunk, (b) => (b >= 0x80 && b <= 0x9f ? WINDOWS_1252_HIGH[b - 0x80]! : b)),
    );
  }
  return out;
}

/**
 * Decodes `bytes` as `label` (any WHATWG label, any case) without replacement characters:
 * bytes that are invalid in the charset give 'invalid-encoding', an unknown label
 * 'unsupported-encoding'. A byte-order mark is kept as U+FEFF (callers strip it if they want).
 */
export function decodeCharset(bytes: Uint8Array, label: string): CharsetResult {
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label.trim(), { fatal: true, ignoreBOM: true });
  } catch {
    return { ok: false, code: 'unsupported-encoding' };
  }
  if (decoder.encoding === 'windows-1252') {
    return { ok: true, text: decodeWindows1252(bytes), encoding: 'windows-1252' };
  }
  try {
    return { ok: true, text: decoder.decode(bytes), encoding: decoder.encoding };
  } catch {
    return { ok: false, code: 'invalid-encoding' };
  }
}
