// Reactive contacts for the views: query and result (held raw), actions, vCard import with a
// report and export as a Blob, and caller names for the history and incoming calls.
import { createContext } from 'svelte';
import { editorDraft } from './contact-draft';
import type { ContactResults, ContactsStore } from './contacts-store';
import type { Contact, ContactDraft } from './types';
import { parseVCards, type VCardSkip } from './vcard';
import { serializeVCards, type VCardVersion } from './vcard-write';

/** What an import did, for the report shown to the user. */
export interface ContactImportReport {
  /** Contacts added. */
  added: number;
  /** Cards of the file left out, with the reason. */
  skipped: VCardSkip[];
  /** Names of cards left out because the same contact is already stored. */
  existing: string[];
}

/**
 * A contact being edited (or a new one, `contact` null), with what has been typed so far. It
 * lives here, not in the view, so a call that takes the window over does not lose it.
 */
export interface ContactEdit {
  readonly contact: Contact | null;
  /** The editor's fields; reactive, changed in place as the user types (the editor binds it). */
  draft: ContactDraft;
}

/** The contacts as the views see them. */
export class ContactsState {
  readonly #store: ContactsStore;
  #query = $state('');
  #results = $state.raw<ContactResults>({ count: 0, at: () => undefined });
  #version = $state(0);
  #lastImport = $state.raw<ContactImportReport | null>(null);
  #edit = $state<ContactEdit | null>(null);
  #unsubscribe: () => void;

  constructor(store: ContactsStore) {
    this.#store = store;
    this.#results = store.search('');
    this.#unsubscribe = store.on('changed', () => this.#refresh());
  }

  /** Stops listening to the store. */
  dispose(): void {
    this.#unsubscribe();
  }

  /** The search text; setting it searches at once. */
  get query(): string {
    return this.#query;
  }
  set query(value: string) {
    this.#query = value;
    this.#refresh();
  }

  /** Contacts matching the query. */
  get count(): number {
    return this.#results.count;
  }

  /** Every contact. */
  get total(): number {
    void this.#version;
    return this.#store.size;
  }

  /** The contact at a position of the result (favourites first, then by name); reactive. */
  at(position: number): Contact | undefined {
    void this.#version;
    return this.#results.at(position);
  }

  /** The contact `id`; reactive. */
  get(id: string): Contact | undefined {
    void this.#version;
    return this.#store.get(id);
  }

  /** The favourite contacts (the presence panel watches them); reactive. */
  favourites(): Contact[] {
    void this.#version;
    return this.#store.all().filter((c) => c.favourite);
  }

  /** Up to `limit` contacts matching `query` (a picker's suggestions; the list's query is kept). */
  suggest(query: string, limit = 8): Contact[] {
    void this.#version;
    const results = this.#store.search(query);
    const out: Contact[] = [];
    for (let i = 0; i < Math.min(limit, results.count); i++) {
      const contact = results.at(i);
      if (contact) {
        out.push(contact);
      }
    }
    return out;
  }

  /** Calls `listener` after every change to the contacts; returns the function that stops it. */
  onChange(listener: () => void): () => void {
    return this.#store.on('changed', listener);
  }

  /** The report of the last import, until the next one. */
  get lastImport(): ContactImportReport | null {
    return this.#lastImport;
  }

  /** The caller's contact name, or null; reactive (a contact saved mid-call renames the call). */
  nameFor(partyUser: string, partyUri: string): string | null {
    void this.#version;
    return this.#store.nameFor(partyUser, partyUri);
  }

  /** The caller's contact, or null; reactive. */
  resolve(partyUser: string, partyUri: string): Contact | null {
    void this.#version;
    return this.#store.resolve(partyUser, partyUri);
  }

  /** Adds a contact. */
  add(draft: ContactDraft): Promise<Contact> {
    return this.#store.add(draft);
  }

  /** Saves an edited contact. */
  update(id: string, draft: ContactDraft): Promise<Contact> {
    return this.#store.update(id, draft);
  }

  /** Deletes a contact. */
  remove(id: string): Promise<void> {
    return this.#store.remove(id);
  }

  /** Marks or unmarks a contact as a favourite. */
  toggleFavourite(id: string): Promise<void> {
    const contact = this.#store.get(id);
    return contact ? this.#store.setFavourite(id, !contact.favourite) : Promise.resolve();
  }

  /** Imports a .vcf file's bytes or text; the report is also kept in lastImport. */
  async importVCard(input: string | Uint8Array): Promise<ContactImportReport> {
    const parsed = parseVCards(input);
    const result = await this.#store.importDrafts(parsed.imported);
    const report: ContactImportReport = {
      added: result.added.length,
      skipped: parsed.skipped,
      existing: result.duplicates.map((d) => d.draft.name),
    };
    this.#lastImport = report;
    return report;
  }

  /** The contact being edited, with its typed fields, until it is saved or cancelled. */
  get edit(): ContactEdit | null {
    return this.#edit;
  }

  /** Opens the editor on `contact`, or on a new contact (null), dropping any other edit. */
  startEdit(contact: Contact | null): void {
    this.#edit = { contact, draft: editorDraft(contact) };
  }

  /** Closes the editor (saved or cancelled). */
  endEdit(): void {
    this.#edit = null;
  }

  /** Forgets the last import report. */
  dismissImport(): void {
    this.#lastImport = null;
  }

  /** All contacts (or those with `ids`) as a .vcf Blob. */
  exportVCard(version: VCardVersion, ids?: readonly string[]): Blob {
    const all = this.#store.all();
    const chosen = ids ? all.filter((c) => ids.includes(c.id)) : all;
    return new Blob([serializeVCards(chosen, version)], { type: 'text/vcard;charset=utf-8' });
  }

  #refresh(): void {
    this.#results = this.#store.search(this.#query);
    this.#version++;
  }
}

const [getContacts, setContacts] = createContext<ContactsState>();

/** The ContactsState of the app (set once by the shell with setContacts). */
export { getContacts, setContacts };
