// Contacts store on fake-indexeddb: add/edit/delete, favourites first, search, import with
// duplicates, persistence, caller-name resolution; number normalization and draft checks.
import { describe, expect, it } from 'vitest';
import {
  checkDraft,
  draftOf,
  editorDraft,
} from '../../../src-renderer/src/lib/contacts/contact-draft';
import { ContactsStore } from '../../../src-renderer/src/lib/contacts/contacts-store';
import {
  normalizeNumber,
  normalizeSipAddress,
  numberKey,
  sameNumber,
  significantDigits,
} from '../../../src-renderer/src/lib/contacts/normalize';
import type { ContactDraft } from '../../../src-renderer/src/lib/contacts/types';
import { freshDb } from '../history/fake-db';

function draft(name: string, numbers: string[] = [], sip: string[] = []): ContactDraft {
  return {
    name,
    numbers: numbers.map((value) => ({ label: 'work', value })),
    sipAddresses: sip,
    favourite: false,
  };
}

async function store(): Promise<ContactsStore> {
  const { db } = await freshDb();
  let id = 0;
  let now = 1000;
  return ContactsStore.open(db, { newId: () => `k${++id}`, now: () => ++now });
}

function names(s: ContactsStore, query = ''): string[] {
  const r = s.search(query);
  return Array.from({ length: r.count }, (_, i) => r.at(i)?.name ?? '?');
}

describe('number normalization', () => {
  it('normalizes what a number dials and its significant digits', () => {
    expect(normalizeNumber('+49 (0)30 123-4567')).toBe('+49301234567');
    expect(normalizeNumber('030 / 1234567')).toBe('0301234567');
    expect(normalizeNumber('+1 (555) CALL-NOW')).toBe('1555');
    expect(normalizeNumber('alice')).toBe('');
    expect(significantDigits('+49301234567')).toBe('49301234567');
    expect(significantDigits('0049301234567')).toBe('49301234567');
    expect(significantDigits('0301234567')).toBe('301234567');
    expect(numberKey('+49 30 1234567')).toBe('301234567');
    expect(numberKey('1001')).toBe('1001');
    expect(numberKey('room12')).toBe('');
  });

  it('matches national and international forms on the last 9 significant digits only', () => {
    expect(sameNumber('+49 30 1234567', '030 1234567')).toBe(true);
    expect(sameNumber('+49 30 1234567', '0049301234567')).toBe(true);
    expect(sameNumber('+49 30 1234567', '+33 30 1234567')).toBe(false);
    // Fewer than 9 significant digits: exact only.
    expect(sameNumber('+49 30 123456', '030 123456')).toBe(false);
    expect(sameNumber('1001', '1001')).toBe(true);
    expect(sameNumber('21001', '1001')).toBe(false);
  });

  it('canonicalizes SIP addresses', () => {
    expect(normalizeSipAddress('"Bob" <SIP:Bob@Example.com;transport=ws>')).toBe('bob@example.com');
    expect(normalizeSipAddress('sips:a@b.c?subject=x')).toBe('sips:a@b.c');
    expect(normalizeSipAddress('  ')).toBe('');
  });
});

describe('checkDraft', () => {
  it('needs a name, number or address, and checks every number and address', () => {
    expect(checkDraft(draft(''))).toEqual([
      { field: 'name', message: 'Give the contact a name, a number or an address.' },
    ]);
    expect(checkDraft(draft('', ['123']))).toEqual([]);
    expect(checkDraft(draft('X', ['123', 'abc'], ['bob@example.com', '+49 30 1', '']))).toEqual([
      { field: 'numbers.1', message: 'This is not a phone number.' },
      { field: 'sipAddresses.1', message: 'Enter a SIP address such as alice@example.com.' },
    ]);
  });
});

describe('editorDraft', () => {
  it('starts a new contact with one number line and empty organisation and notes', () => {
    expect(editorDraft(null)).toEqual({
      name: '',
      org: '',
      notes: '',
      numbers: [{ label: 'mobile', value: '' }],
      sipAddresses: [],
      favourite: false,
    });
  });

  it('copies a contact, so typing into the draft leaves the contact as it was', () => {
    const contact = {
      id: 'k1',
      name: 'Bob',
      numbers: [{ label: 'work', value: '1002', normalized: '1002' }],
      sipAddresses: ['bob@example.com'],
      favourite: true,
      notes: 'desk by the window',
      createdAt: 1,
      updatedAt: 1,
    };
    const edit = editorDraft(contact);
    expect(edit).toEqual({
      name: 'Bob',
      org: '',
      notes: 'desk by the window',
      numbers: [{ label: 'work', value: '1002' }],
      sipAddresses: ['bob@example.com'],
      favourite: true,
    });
    edit.numbers[0]!.value = '1003';
    edit.sipAddresses.push('bob@other.example.com');
    expect(contact.numbers[0]?.value).toBe('1002');
    expect(contact.sipAddresses).toEqual(['bob@example.com']);
  });
});

describe('ContactsStore', () => {
  it('adds, edits and deletes; cleans drafts; keeps favourites first, then by name', async () => {
    const s = await store();
    const bob = await s.add(draft(' bob ', [' +49 30 1234567 ', ''], ['SIP:Bob@Example.com']));
    expect(bob).toEqual({
      id: 'k1',
      name: 'bob',
      numbers: [{ label: 'work', value: '+49 30 1234567', normalized: '+49301234567' }],
      sipAddresses: ['bob@example.com'],
      favourite: false,
      createdAt: 1001,
      updatedAt: 1001,
    });
    await s.add(draft('Álvaro'));
    await s.add(draft('zed'));
    expect(names(s)).toEqual(['Álvaro', 'bob', 'zed']);
    const zed = s.all()[2];
    await s.setFavourite(zed?.id ?? '', true);
    expect(names(s)).toEqual(['zed', 'Álvaro', 'bob']);
    const edited = await s.update('k1', { ...draftOf(bob), name: 'Robert', org: ' ACME ' });
    expect(edited).toMatchObject({ name: 'Robert', org: 'ACME', createdAt: 1001, updatedAt: 1005 });
    await s.remove('k2');
    expect(names(s)).toEqual(['zed', 'Robert']);
    await expect(s.update('nope', draft('x'))).rejects.toThrow('No contact nope');
  });

  it('searches by name (accents, case), organisation, number digits and address', async () => {
    const s = await store();
    await s.add({ ...draft('Élodie Durand', ['+33 6 12 34 56 78']), org: 'Durand & Fils' });
    await s.add(draft('Bob', ['030 1234567'], ['bob@pbx.example.com']));
    expect(names(s, 'elo')).toEqual(['Élodie Durand']);
    expect(names(s, 'FILS')).toEqual(['Élodie Durand']);
    expect(names(s, '612345')).toEqual(['Élodie Durand']);
    expect(names(s, '30-123')).toEqual(['Bob']);
    expect(names(s, 'pbx.example')).toEqual(['Bob']);
    expect(names(s, 'nobody')).toEqual([]);
  });

  it('persists across a reopen', async () => {
    const { db } = await freshDb();
    const a = await ContactsStore.open(db);
    await a.add(draft('Kept', ['1001']));
    const b = await ContactsStore.open(db);
    expect(names(b)).toEqual(['Kept']);
  });

  it('imports many drafts in one go, leaving out those identical to stored contacts', async () => {
    const s = await store();
    await s.add(draft('Bob', ['030 1234567']));
    const result = await s.importDrafts([
      draft('bob', ['030-1234567']),
      draft('Carol', ['1002']),
      draft('Carol', ['1002']),
    ]);
    expect(result.added.map((c) => c.name)).toEqual(['Carol']);
    expect(result.duplicates.map((d) => [d.draft.name, d.existing.name])).toEqual([
      ['bob', 'Bob'],
      ['Carol', 'Carol'],
    ]);
    expect(names(s)).toEqual(['Bob', 'Carol']);
  });

  it('resolves callers by SIP address, exact number, then an unambiguous 9-digit tail', async () => {
    const s = await store();
    await s.add(draft('Berlin Office', ['+49 30 1234567']));
    await s.add(draft('Alice', ['1001'], ['alice@pbx.example.com']));
    await s.add(draft('Twin A', ['+44 20 7946 0000']));
    await s.add(draft('Twin B', ['+1 20 7946 0000']));
    await s.add(draft('Paris', ['01 23 45 67 89']));
    expect(s.resolve('alice', 'sip:Alice@PBX.example.com;transport=ws')?.name).toBe('Alice');
    expect(s.resolve('1001', 'sip:1001@other.example.com')?.name).toBe('Alice');
    expect(s.resolve('0301234567', 'sip:0301234567@pbx')?.name).toBe('Berlin Office');
    expect(s.resolve('+49301234567', 'sip:+49301234567@pbx')?.name).toBe('Berlin Office');
    expect(s.nameFor('00493012345678', 'sip:x@pbx')).toBeNull();
    // Both twins end in the same 9 digits: no guess.
    expect(s.resolve('02079460000', 'sip:02079460000@pbx')).toBeNull();
    expect(s.resolve('+442079460000', 'sip:+442079460000@pbx')?.name).toBe('Twin A');
    expect(s.resolve('+33123456789', 'sip:+33123456789@pbx')?.name).toBe('Paris');
    expect(s.resolve('bob', 'sip:bob@pbx')).toBeNull();
    expect(s.resolve('21001', 'sip:21001@pbx')).toBeNull();
  });
});
