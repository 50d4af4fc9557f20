// Owns the character classes of XML 1.0 (fifth edition) that the reader needs: which code points
// may appear in a document at all (§2.2 Char) and which may start or continue a name (§2.3).
// Pure functions over code points; no regular expressions, so no backtracking.

/** True for a code point allowed by the XML Char production (§2.2). */
export function isXmlChar(cp: number): boolean {
  if (cp < 0x20) {
    return cp === 0x9 || cp === 0xa || cp === 0xd;
  }
  if (cp <= 0xd7ff) {
    return true;
  }
  if (cp < 0xe000) {
    return false;
  }
  if (cp <= 0xfffd) {
    return true;
  }
  return cp >= 0x10000 && cp <= 0x10ffff;
}

const NAME_START_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0xc0, 0xd6],
  [0xd8, 0xf6],
  [0xf8, 0x2ff],
  [0x370, 0x37d],
  [0x37f, 0x1fff],
  [0x200c, 0x200d],
  [0x2070, 0x218f],
  [0x2c00, 0x2fef],
  [0x3001, 0xd7ff],
  [0xf900, 0xfdcf],
  [0xfdf0, 0xfffd],
  [0x10000, 0xeffff],
];

function inRanges(cp: number, ranges: ReadonlyArray<readonly [number, number]>): boolean {
  for (const [lo, hi] of ranges) {
    if (cp < lo) {
      return false;
    }
    if (cp <= hi) {
      return true;
    }
  }
  return false;
}

/** NameStartChar (§2.3), colon included: namespace checks happen on the whole name. */
export function isNameStartChar(cp: number): boolean {
  if (cp < 0x80) {
    return (cp >= 0x61 && cp <= 0x7a) || (cp >= 0x41 && cp <= 0x5a) || cp === 0x5f || cp === 0x3a;
  }
  return inRanges(cp, NAME_START_RANGES);
}

/** NameChar (§2.3). */
export function isNameChar(cp: number): boolean {
  if (isNameStartChar(cp)) {
    return true;
  }
  if (cp < 0x80) {
    return cp === 0x2d || cp === 0x2e || (cp >= 0x30 && cp <= 0x39);
  }
  return cp === 0xb7 || (cp >= 0x300 && cp <= 0x36f) || cp === 0x203f || cp === 0x2040;
}

/** XML white space (§2.3 S): space, tab, line feed, carriage return. */
export function isXmlSpace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;
}

/**
 * Offset of the first code unit that is not an XML Char (a lone surrogate counts as invalid),
 * or -1 when every character is allowed. One pass over the string.
 */
export function findInvalidChar(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x20 && c < 0xd800) {
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (!isXmlChar(c)) {
      return i;
    }
  }
  return -1;
}
