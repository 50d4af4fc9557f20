// Owns how contact numbers and SIP addresses are compared: the normalized dial form of a number,
// its "significant digits", the tolerant national/international match used for caller names,
// and the canonical form of a SIP address. Pure.
import { parseTypedDial } from '@shared/dial-target';
import { digitsOf } from '../search/fold';

/** Shortest tail of significant digits two numbers must share to be the same line. */
export const TAIL_DIGITS = 9;

/**
 * What a number dials: parseTypedDial's `dial` ('+49 (0)30 123' → '+4930123', '030/123' →
 * '030123'), without an extension. Input that does not parse as a number falls back to its
 * digits ('' when there are none), so that at least digit search and matching work.
 */
export function normalizeNumber(value: string): string {
  return dialNumber(value) ?? digitsOf(value);
}

/**
 * Digits that identify a line regardless of how it was written: without '+', an international
 * '00' prefix or a national trunk '0' ('+49301234567', '0049301234567' → '49301234567';
 * '0301234567' → '301234567').
 */
export function significantDigits(normalized: string): string {
  const digits = digitsOf(normalized);
  if (normalized.startsWith('+')) {
    return digits;
  }
  return digits.replace(/^00?/, '');
}

/** What `value` dials when it is a telephone number ('+49 30 123' → '+4930123'); null otherwise. */
export function dialNumber(value: string): string | null {
  const parsed = parseTypedDial(value);
  return parsed.ok && parsed.target.kind === 'number' ? parsed.target.dial : null;
}

/**
 * The key used to find a number: its last TAIL_DIGITS significant digits, or all of them when
 * there are fewer; '' when `value` is not a number ('alice', 'room12'). Two numbers with the same key and at least TAIL_DIGITS significant digits are
 * taken to be the same line ('+49 30 1234567' and '030 1234567').
 */
export function numberKey(value: string): string {
  const significant = significantDigits(dialNumber(value) ?? '');
  return significant.length > TAIL_DIGITS ? significant.slice(-TAIL_DIGITS) : significant;
}

/**
 * True when two numbers are the same line: equal normalized forms, or a tailMatch (one side
 * national, the same last TAIL_DIGITS significant digits). Short numbers (extensions, '*97')
 * must match exactly.
 */
export function sameNumber(a: string, b: string): boolean {
  const na = normalizeNumber(a);
  const nb = normalizeNumber(b);
  if (na === '' || nb === '') {
    return false;
  }
  if (na === nb) {
    return true;
  }
  return tailMatch(na, nb);
}

/**
 * The tolerant part of sameNumber: at least one side written nationally (two international
 * forms carry their country codes and must be equal), both with TAIL_DIGITS significant digits,
 * and the same last TAIL_DIGITS.
 */
export function tailMatch(na: string, nb: string): boolean {
  if (na.startsWith('+') && nb.startsWith('+')) {
    return false;
  }
  const sa = significantDigits(na);
  const sb = significantDigits(nb);
  if (sa.length < TAIL_DIGITS || sb.length < TAIL_DIGITS) {
    return false;
  }
  return sa.slice(-TAIL_DIGITS) === sb.slice(-TAIL_DIGITS);
}

/**
 * Canonical SIP address for storage and comparison: the scheme 'sip:' dropped ('sips:' kept),
 * display name, angle brackets, URI parameters and headers removed, lower-cased
 * ('"Bob" <SIP:Bob@Example.com;transport=ws>' → 'bob@example.com'). '' when there is no address.
 */
export function normalizeSipAddress(value: string): string {
  let s = value.trim();
  const open = s.lastIndexOf('<');
  if (open >= 0) {
    const close = s.indexOf('>', open);
    s = s.slice(open + 1, close < 0 ? undefined : close);
  }
  s = s.trim().toLowerCase();
  const secure = s.startsWith('sips:');
  s = s.replace(/^sips?:/, '');
  s = s.split(/[;?]/)[0] ?? '';
  return s === '' ? '' : (secure ? 'sips:' : '') + s;
}
