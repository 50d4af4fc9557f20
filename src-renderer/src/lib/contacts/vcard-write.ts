// Owns writing contacts as vCard 3.0 or 4.0: escaping, TYPE parameters from labels (custom
// labels as Apple-style grouped X-ABLabel), tel: URIs where they are lossless, and folding at
// 75 octets on UTF-8 character boundaries with CRLF line ends. Pure; reading is in ./vcard.ts.
import type { ContactDraft } from './types';
import { typesFromLabel } from './vcard-labels';

/** The vCard versions we write. */
export type VCardVersion = '3.0' | '4.0';

const MAX_OCTETS = 75;
const PRODID = 'PRODID:-//Open Softphone//Contacts export//EN';
// A number written only with characters a tel: URI allows as they are (RFC 3966 visual separators).
const TEL_URI_SAFE = /^\+?[0-9][0-9\-.()]*$/;
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;

/** Escapes a text value: backslash, newline, comma and semicolon. */
export function escapeText(value: string): string {
  return value.replace(/[\\,;]/g, (ch) => `\\${ch}`).replace(/\r\n|\r|\n/g, '\\n');
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * Folds one content line so that no physical line exceeds 75 octets (the leading space of a
 * continuation counts), never inside a UTF-8 character; lines are joined with CRLF.
 */
export function foldLine(line: string): string {
  let out = '';
  let octets = 0;
  for (const ch of line) {
    const size = utf8Length(ch.codePointAt(0) ?? 0);
    if (octets + size > MAX_OCTETS) {
      out += '\r\n ';
      octets = 1;
    }
    out += ch;
    octets += size;
  }
  return out;
}

/** Writes contacts as one .vcf text (CRLF line ends). */
export function serializeVCards(contacts: readonly ContactDraft[], version: VCardVersion): string {
  return contacts.map((c) => serializeVCard(c, version)).join('');
}

/** Writes one contact as a vCard. */
export function serializeVCard(contact: ContactDraft, version: VCardVersion): string {
  const lines = ['BEGIN:VCARD', `VERSION:${version}`, PRODID, `FN:${escapeText(contact.name)}`];
  if (version === '3.0') {
    lines.push(`N:${structuredName(contact.name)}`);
  }
  if (contact.org) {
    lines.push(`ORG:${escapeText(contact.org)}`);
  }
  let group = 0;
  for (const number of contact.numbers) {
    const types = typesFromLabel(number.label);
    const prefix = types === null ? `item${++group}.` : '';
    lines.push(prefix + telLine(number.value, types ?? [], version));
    if (types === null) {
      lines.push(`${prefix}X-ABLabel:${escapeText(number.label)}`);
    }
  }
  for (const address of contact.sipAddresses) {
    lines.push(`IMPP:${address.startsWith('sips:') ? address : `sip:${address}`}`);
  }
  if (contact.favourite) {
    lines.push('CATEGORIES:Favorites');
  }
  if (contact.notes) {
    lines.push(`NOTE:${escapeText(contact.notes)}`);
  }
  lines.push('END:VCARD');
  return lines.map((l) => `${foldLine(l)}\r\n`).join('');
}

function telLine(value: string, types: readonly string[], version: VCardVersion): string {
  if (version === '3.0') {
    const type = types.length ? `;TYPE=${types.map((t) => t.toUpperCase()).join(',')}` : '';
    return `TEL${type}:${escapeText(value)}`;
  }
  const type =
    types.length > 1 ? `;TYPE="${types.join(',')}"` : types.length ? `;TYPE=${types[0]}` : '';
  return TEL_URI_SAFE.test(value)
    ? `TEL;VALUE=uri${type}:tel:${value}`
    : `TEL;VALUE=text${type}:${escapeText(value)}`;
}

/** N for 3.0 (which requires it): the last word as family name, the rest as given names. */
function structuredName(name: string): string {
  const words = name.trim().split(/\s+/);
  if (words.length < 2 || CJK.test(name)) {
    return `;${escapeText(name.trim())};;;`;
  }
  const family = words.pop() ?? '';
  return `${escapeText(family)};${escapeText(words.join(' '))};;;`;
}
