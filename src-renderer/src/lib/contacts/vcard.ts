// Owns reading vCard files (2.1 best effort, 3.0, 4.0) into contact drafts, with a report of every
// card left out and why. Pure: bytes or text in, drafts out; nothing is stored here.
// Writing is in ./vcard-write.ts.
import { draftIdentity } from './contact-draft';
import { normalizeSipAddress } from './normalize';
import type { ContactDraft } from './types';
import { labelFromAppleLabel, labelFromTypes } from './vcard-labels';
import {
  decodeInput,
  decodeValue,
  logicalLines,
  paramOf,
  parseContentLine,
  splitStructured,
  unescapeText,
  type ContentLine,
} from './vcard-lines';

/** A card that was not imported: its position in the file (1 = first card), why, and a hint of which. */
export interface VCardSkip {
  index: number;
  reason: string;
  snippet: string;
}

/** What a file gave: drafts in file order, and the cards left out. */
export interface VCardReport {
  imported: ContactDraft[];
  skipped: VCardSkip[];
}

interface RawCard {
  index: number;
  lines: string[];
  error?: string;
}

const NESTED =
  'A new card begins before this one ends (END:VCARD is missing or a card is nested in it).';
const UNCLOSED = 'The file ends before this card does (END:VCARD is missing).';
const FAVOURITE_CATEGORIES = new Set([
  'starred',
  'favorites',
  'favourites',
  'favorite',
  'favourite',
]);
const CJK = /[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]/;

/**
 * Reads every card of a .vcf file. A card is imported when it has at least one phone number or
 * SIP address (IMPP:sip:, X-SIP, TEL;VALUE=uri:sip:); its name is FN, else N, else ORG, else its
 * first number or address. Photos and other binary values are skipped, the card kept. A card
 * identical to an earlier one (same name, numbers and addresses) is reported as a duplicate.
 * Lines outside cards and lines without a property name are ignored.
 */
export function parseVCards(input: string | Uint8Array): VCardReport {
  const report: VCardReport = { imported: [], skipped: [] };
  const seen = new Map<string, number>();
  for (const card of splitCards(logicalLines(decodeInput(input)))) {
    const built = card.error ? { reason: card.error } : buildDraft(card.lines);
    if ('reason' in built) {
      report.skipped.push({
        index: card.index,
        reason: built.reason,
        snippet: snippetOf(card.lines),
      });
      continue;
    }
    const identity = draftIdentity(built.draft);
    const first = seen.get(identity);
    if (first !== undefined) {
      const reason = `Duplicate of card ${first} (same name, numbers and addresses).`;
      report.skipped.push({ index: card.index, reason, snippet: built.draft.name });
      continue;
    }
    seen.set(identity, card.index);
    report.imported.push(built.draft);
  }
  return report;
}

function splitCards(lines: readonly string[]): RawCard[] {
  const cards: RawCard[] = [];
  let current: RawCard | null = null;
  let count = 0;
  for (const line of lines) {
    const marker = line.trim().toUpperCase();
    if (marker === 'BEGIN:VCARD') {
      if (current) {
        cards.push({ ...current, error: NESTED });
      }
      current = { index: ++count, lines: [] };
    } else if (marker === 'END:VCARD') {
      if (current) {
        cards.push(current);
      }
      current = null;
    } else if (current) {
      current.lines.push(line);
    }
  }
  if (current) {
    cards.push({ ...current, error: UNCLOSED });
  }
  return cards;
}

/** What one card says, gathered property by property. */
interface CardFields {
  version: string;
  fn: string;
  n: string[];
  org: string;
  notes: string[];
  numbers: ContactDraft['numbers'];
  sips: string[];
  favourite: boolean;
}

function buildDraft(lines: readonly string[]): { draft: ContactDraft } | { reason: string } {
  const parsed = lines.map(parseContentLine).filter((l): l is ContentLine => l !== null);
  const fields: CardFields = {
    version: parsed.find((l) => l.name === 'VERSION')?.value.trim() ?? '3.0',
    fn: '',
    n: [],
    org: '',
    notes: [],
    numbers: [],
    sips: [],
    favourite: false,
  };
  const groupLabels = new Map<string, string>();
  for (const line of parsed) {
    if (line.name === 'X-ABLABEL' && line.group) {
      groupLabels.set(line.group.toLowerCase(), labelFromAppleLabel(textOf(line, fields.version)));
    }
  }
  for (const line of parsed) {
    readProperty(line, fields, groupLabels);
  }
  return finishDraft(fields);
}

/** The value as text, unescaped, with line ends as '\n'. */
function textOf(line: ContentLine, version: string): string {
  return unescapeText(decodeValue(line) ?? '', version).replace(/\r\n?/g, '\n');
}

function readProperty(line: ContentLine, f: CardFields, labels: Map<string, string>): void {
  switch (line.name) {
    case 'FN':
      f.fn ||= textOf(line, f.version).trim();
      break;
    case 'N':
      f.n = f.n.length ? f.n : structuredOf(line, f.version);
      break;
    case 'ORG':
      f.org ||= structuredOf(line, f.version)
        .filter((p) => p !== '')
        .join(', ');
      break;
    case 'NOTE':
      f.notes.push(textOf(line, f.version).trim());
      break;
    case 'TEL':
      readTel(line, f, labels.get(line.group?.toLowerCase() ?? ''));
      break;
    case 'IMPP':
    case 'X-SIP':
    case 'X-SIP-URI':
      addSip(f, line.name, (decodeValue(line) ?? '').trim());
      break;
    case 'CATEGORIES':
      f.favourite ||= textOf(line, f.version)
        .split(',')
        .some((c) => FAVOURITE_CATEGORIES.has(c.trim().toLowerCase()));
      break;
  }
}

function structuredOf(line: ContentLine, version: string): string[] {
  return splitStructured(decodeValue(line) ?? '').map((p) => unescapeText(p, version).trim());
}

function readTel(line: ContentLine, f: CardFields, groupLabel: string | undefined): void {
  const raw = unescapeText(decodeValue(line) ?? '', f.version).trim();
  if (/^sips?:/i.test(raw)) {
    addSip(f, 'IMPP', raw);
    return;
  }
  const value = paramOf(line, 'VALUE') === 'URI' || /^tel:/i.test(raw) ? telUriText(raw) : raw;
  if (value === '') {
    return;
  }
  const custom = line.params.get('X-CUSTOM')?.[0]?.trim();
  const label = groupLabel || custom || labelFromTypes(line.params.get('TYPE') ?? []);
  f.numbers.push({ label, value });
}

/** 'tel:+1-555-0100;ext=12' → '+1-555-0100 x12'. */
function telUriText(uri: string): string {
  const [number = '', ...params] = uri.replace(/^tel:/i, '').split(';');
  const ext = params.find((p) => p.toLowerCase().startsWith('ext='))?.slice(4);
  let text = number;
  try {
    text = decodeURIComponent(number);
  } catch {
    // A stray '%' is kept as written.
  }
  return ext ? `${text} x${ext}` : text;
}

function addSip(f: CardFields, property: string, value: string): void {
  const isSip = /^sips?:/i.test(value);
  // IMPP carries many services (xmpp:, skype:); only SIP ones are addresses. X-SIP values may lack the scheme.
  if (property === 'IMPP' && !isSip) {
    return;
  }
  const address = normalizeSipAddress(value);
  if (address !== '' && !f.sips.includes(address)) {
    f.sips.push(address);
  }
}

function nameFromN(n: readonly string[]): string {
  const [family = '', given = '', additional = '', prefix = '', suffix = ''] = n;
  if (CJK.test(family + given)) {
    return [prefix, family + given, suffix].filter((p) => p !== '').join(' ');
  }
  return [prefix, given, additional, family, suffix].filter((p) => p !== '').join(' ');
}

function finishDraft(f: CardFields): { draft: ContactDraft } | { reason: string } {
  const name = f.fn || nameFromN(f.n);
  if (f.numbers.length === 0 && f.sips.length === 0) {
    return {
      reason: name
        ? 'The card has no phone number or SIP address.'
        : 'The card has no name, phone number or SIP address.',
    };
  }
  const draft: ContactDraft = {
    name: name || f.org || f.numbers[0]?.value || f.sips[0] || '',
    numbers: f.numbers,
    sipAddresses: f.sips,
    favourite: f.favourite,
  };
  if (f.org) {
    draft.org = f.org;
  }
  const notes = f.notes.filter((n) => n !== '').join('\n');
  if (notes) {
    draft.notes = notes;
  }
  return { draft };
}

/** A short hint of which card it was: its name when it has one, else its first lines. */
function snippetOf(lines: readonly string[]): string {
  const parsed = lines.map(parseContentLine);
  const fn = parsed.find((l) => l?.name === 'FN');
  const n = parsed.find((l) => l?.name === 'N');
  const named = fn ? textOf(fn, '3.0') : n ? nameFromN(structuredOf(n, '3.0')) : '';
  const text =
    named.trim() ||
    lines
      .filter((l) => !/^VERSION:/i.test(l))
      .join(' ')
      .trim();
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
