// Owns finding links in chat text: it splits cleaned text (text/inert-text.ts) into text runs
// and link runs, and never builds HTML — the view renders each run as a text node or an element
// whose href it sets as a property. Only http, https, mailto, tel and sip links are made, and
// 'www.' names (as https). Rules:
//   - a link starts at one of those prefixes (any case) not preceded by a letter, digit, or one
//     of _ . @ / \ - (so nothing inside a word, address or path starts one);
//   - it runs to the first white space, control, bidi or zero-width character, or one of <>"`{}|\^;
//   - trailing . , : ; ! ? ' " * are not part of it, nor a ')' or ']' that closes nothing inside;
//   - http(s): must parse as a URL with a host and without user:password@ (the
//     "https://bank.example@evil.example" trick); the href is the URL's normalised form;
//   - mailto: must parse as a URL and name someone@somewhere;
//   - tel: and sip: must pass the app's own dial-link parser (the same one a click goes through);
//   - anything longer than MAX_LINK_LENGTH, or that fails these checks, stays text.
// One pass: the scan never goes back before the end of a rejected candidate.
import { parseDialLink } from '@shared/dial-target';

export type LinkScheme = 'http' | 'https' | 'mailto' | 'tel' | 'sip';

export type TextRun =
  { kind: 'text'; text: string } | { kind: 'link'; text: string; href: string; scheme: LinkScheme };

export const MAX_LINK_LENGTH = 2048;

const START = /https?:\/\/|mailto:|tel:|sip:|www\./gi;
// Inside a word, an address or a path ('foo.www.x', 'a@tel:', '/sip:') is not a link start.
const WORD_BEFORE = /[\p{L}\p{N}_.@/\\-]/u;
const STOP = new Set(['<', '>', '"', '`', '{', '}', '|', '\\', '^']);
const TRAILING = new Set(['.', ',', ':', ';', '!', '?', "'", '"', '*']);

function isStop(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return (
    c <= 0x20 ||
    (c >= 0x7f && c <= 0xa0) ||
    (c >= 0x2000 && c <= 0x200f) ||
    (c >= 0x2028 && c <= 0x202f) ||
    (c >= 0x205f && c <= 0x206f) ||
    c === 0x3000 ||
    c === 0xfeff ||
    STOP.has(ch)
  );
}

/** End (exclusive) of the non-stop run starting at `from`, scanning at most `limit` chars. */
function runEnd(text: string, from: number, limit: number): number {
  let i = from;
  while (i < text.length && i - from <= limit && !isStop(text[i]!)) {
    i++;
  }
  return i;
}

function count(text: string, ch: string): number {
  let n = 0;
  for (const c of text) {
    n += c === ch ? 1 : 0;
  }
  return n;
}

/** Drops trailing punctuation and unbalanced closing brackets. */
function trimTrailing(candidate: string): string {
  let s = candidate;
  for (;;) {
    const last = s[s.length - 1];
    if (last === undefined) {
      return s;
    }
    const unbalanced =
      (last === ')' && count(s, ')') > count(s, '(')) ||
      (last === ']' && count(s, ']') > count(s, '['));
    if (!TRAILING.has(last) && !unbalanced) {
      return s;
    }
    s = s.slice(0, -1);
  }
}

function webLink(candidate: string, scheme: 'http' | 'https', href: string): TextRun | null {
  let url: URL;
  try {
    url = new URL(href);
  } catch {
    return null;
  }
  if (url.protocol !== `${scheme}:` || url.hostname === '' || url.username || url.password) {
    return null;
  }
  return { kind: 'link', text: candidate, href: url.href, scheme };
}

function classify(candidate: string): TextRun | null {
  const lower = candidate.toLowerCase();
  if (lower.startsWith('http://') || lower.startsWith('https://')) {
    return webLink(candidate, lower.startsWith('https') ? 'https' : 'http', candidate);
  }
  if (lower.startsWith('www.')) {
    return candidate.length > 4 ? webLink(candidate, 'https', `https://${candidate}`) : null;
  }
  if (lower.startsWith('mailto:')) {
    try {
      const url = new URL(candidate);
      const address = url.pathname;
      const at = address.indexOf('@');
      return at > 0 && at < address.length - 1
        ? { kind: 'link', text: candidate, href: url.href, scheme: 'mailto' }
        : null;
    } catch {
      return null;
    }
  }
  const scheme = lower.startsWith('tel:') ? 'tel' : 'sip';
  return parseDialLink(candidate).ok
    ? { kind: 'link', text: candidate, href: candidate, scheme }
    : null;
}

/** Splits `text` into text and link runs (adjacent text merged). Never throws. */
export function findLinks(text: string): TextRun[] {
  const runs: TextRun[] = [];
  let textStart = 0;
  const start = new RegExp(START.source, START.flags);
  for (let m = start.exec(text); m !== null; m = start.exec(text)) {
    const at = m.index;
    const end = runEnd(text, at, MAX_LINK_LENGTH);
    start.lastIndex = Math.max(end, at + m[0].length);
    if (at > 0 && WORD_BEFORE.test(text[at - 1]!)) {
      continue;
    }
    if (end - at > MAX_LINK_LENGTH) {
      start.lastIndex = runEnd(text, end, Number.POSITIVE_INFINITY);
      continue;
    }
    const candidate = trimTrailing(text.slice(at, end));
    const link = classify(candidate);
    if (!link) {
      continue;
    }
    if (at > textStart) {
      runs.push({ kind: 'text', text: text.slice(textStart, at) });
    }
    runs.push(link);
    textStart = at + candidate.length;
    start.lastIndex = textStart;
  }
  if (textStart < text.length) {
    runs.push({ kind: 'text', text: text.slice(textStart) });
  }
  return runs;
}
