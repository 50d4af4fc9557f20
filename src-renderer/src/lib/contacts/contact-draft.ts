// Owns checking and cleaning a contact draft (from the editor or a vCard) before it is stored,
// and the identity used to spot duplicates. Pure.
import { parseTypedDial } from '@shared/dial-target';
import { digitsOf, foldText } from '../search/fold';
import { normalizeNumber, normalizeSipAddress } from './normalize';
import type { Contact, ContactDraft, ContactNumber } from './types';

/** One problem with a draft, keyed by field ('name', 'numbers.1', 'sipAddresses.0'). */
export interface DraftProblem {
  field: string;
  message: string;
}

/** Problems that stop a draft from being saved; empty when it is fine. */
export function checkDraft(draft: ContactDraft): DraftProblem[] {
  const problems: DraftProblem[] = [];
  const numbers = draft.numbers.filter((n) => n.value.trim() !== '');
  const addresses = draft.sipAddresses.filter((a) => a.trim() !== '');
  if (draft.name.trim() === '' && numbers.length === 0 && addresses.length === 0) {
    problems.push({ field: 'name', message: 'Give the contact a name, a number or an address.' });
  }
  draft.numbers.forEach((n, i) => {
    if (n.value.trim() !== '' && normalizeNumber(n.value) === '') {
      problems.push({ field: `numbers.${i}`, message: 'This is not a phone number.' });
    }
  });
  draft.sipAddresses.forEach((a, i) => {
    const parsed = a.trim() === '' ? null : parseTypedDial(a);
    if (parsed && (!parsed.ok || parsed.target.kind !== 'address')) {
      problems.push({
        field: `sipAddresses.${i}`,
        message: 'Enter a SIP address such as alice@example.com.',
      });
    }
  });
  return problems;
}

/** The stored form of a draft's numbers: trimmed, empty ones dropped, normalized added. */
export function cleanNumbers(numbers: ContactDraft['numbers']): ContactNumber[] {
  return numbers
    .map((n) => ({ label: n.label.trim() || 'other', value: n.value.trim() }))
    .filter((n) => n.value !== '')
    .map((n) => ({ ...n, normalized: normalizeNumber(n.value) }));
}

/** The stored form of SIP addresses: canonical, empty and repeated ones dropped. */
export function cleanAddresses(addresses: readonly string[]): string[] {
  return [...new Set(addresses.map(normalizeSipAddress).filter((a) => a !== ''))];
}

/** A new contact from a draft. */
export function contactFromDraft(draft: ContactDraft, id: string, now: number): Contact {
  return { id, ...cleanDraft(draft), createdAt: now, updatedAt: now };
}

/** The stored fields of a draft, without the optional ones when they are empty. */
export function cleanDraft(draft: ContactDraft): Omit<Contact, 'id' | 'createdAt' | 'updatedAt'> {
  const clean: Omit<Contact, 'id' | 'createdAt' | 'updatedAt'> = {
    name: draft.name.trim(),
    numbers: cleanNumbers(draft.numbers),
    sipAddresses: cleanAddresses(draft.sipAddresses),
    favourite: draft.favourite,
  };
  const org = draft.org?.trim();
  const notes = draft.notes?.trim();
  if (org) {
    clean.org = org;
  }
  if (notes) {
    clean.notes = notes;
  }
  return clean;
}

/** The editable part of a stored contact. */
export function draftOf(contact: Contact): ContactDraft {
  const draft: ContactDraft = {
    name: contact.name,
    numbers: contact.numbers.map(({ label, value }) => ({ label, value })),
    sipAddresses: [...contact.sipAddresses],
    favourite: contact.favourite,
  };
  if (contact.org !== undefined) {
    draft.org = contact.org;
  }
  if (contact.notes !== undefined) {
    draft.notes = contact.notes;
  }
  return draft;
}

/**
 * What the editor starts from: the contact's fields (or empty ones for a new contact), with an
 * empty organisation and notes to type into and at least one number line.
 */
export function editorDraft(contact: Contact | null): ContactDraft {
  const base = contact
    ? draftOf(contact)
    : { name: '', numbers: [], sipAddresses: [], favourite: false };
  return {
    ...base,
    org: base.org ?? '',
    notes: base.notes ?? '',
    numbers: base.numbers.length ? base.numbers : [{ label: 'mobile', value: '' }],
  };
}

/** Two drafts with the same identity are duplicates: same folded name, number digits and addresses. */
export function draftIdentity(draft: ContactDraft): string {
  // Digits (and a leading '+') are enough to tell numbers apart here, and much cheaper than
  // parsing each one: an import compares every card with every stored contact.
  const numbers = draft.numbers
    .map((n) => n.value.trim())
    .filter((v) => v !== '')
    .map((v) => (v.startsWith('+') ? '+' : '') + digitsOf(v))
    .sort();
  const addresses = cleanAddresses(draft.sipAddresses).sort();
  return [foldText(draft.name.trim()), numbers.join(','), addresses.join(',')].join('|');
}
