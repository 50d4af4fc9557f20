// Owns text folding for search: case- and diacritic-insensitive comparison keys, and the
// digits-only form of numbers so that '+49 (30) 123-45' is found by typing '3012345'.
// Pure and platform-free; used to build search haystacks and to parse queries.

// Letters that NFD does not decompose into base + combining mark.
const SPECIAL: Record<string, string> = {
  ß: 'ss',
  ẞ: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
};

const COMBINING = /\p{M}/gu;
// Most names, numbers and addresses are plain ASCII: they skip Unicode normalization.
// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;
const SPECIAL_RE = /[ßẞæœøłđðþıħ]/g;
const HAS_SPECIAL = /[ßẞæœøłđðþıħ]/;

/**
 * Folds `text` for comparison: Unicode compatibility form (fullwidth → ASCII), lower case,
 * combining marks removed ('Dvořák' → 'dvorak') and a few letters without a decomposition
 * mapped ('Łódź' → 'lodz', 'Straße' → 'strasse'). Scripts without case (CJK, Arabic) pass through.
 */
export function foldText(text: string): string {
  if (!NON_ASCII.test(text)) {
    return text.toLowerCase();
  }
  const lower = text.normalize('NFKD').toLowerCase().replace(COMBINING, '');
  return HAS_SPECIAL.test(lower) ? lower.replace(SPECIAL_RE, (ch) => SPECIAL[ch] ?? ch) : lower;
}

/** Only the ASCII digits of `text` (after folding fullwidth digits): '+49 (30) 12-3' → '4930123'. */
export function digitsOf(text: string): string {
  return (NON_ASCII.test(text) ? text.normalize('NFKC') : text).replace(/[^0-9]/g, '');
}

/** True when `text` has at least one digit and otherwise only number separators (+ - . ( ) / space). */
export function isNumberLike(text: string): boolean {
  const folded = text.normalize('NFKC');
  return /[0-9]/.test(folded) && /^[0-9+\-.()/\s]+$/.test(folded);
}
