// Owns the contacts: stored in IndexedDB (PhoneDb.contacts), all held in memory in display order
// (favourites first, then by name), searched through a TextIndex, and looked up by caller
// number or address (resolve). Framework-free; the UI state wraps it.
import { bumpGeneration, type PhoneDb } from '../db/phone-db';
import { TypedEmitter } from '../emitter';
import { buildHaystack, TextIndex } from '../search/text-index';
import { cleanDraft, contactFromDraft, draftIdentity } from './contact-draft';
import { ContactLookup } from './contact-lookup';
import type { Contact, ContactDraft } from './types';

/** A search result in display order, read by position. */
export interface ContactResults {
  readonly count: number;
  at(position: number): Contact | undefined;
}

/** What an import did: the contacts added and the drafts left out as duplicates. */
export interface ContactImport {
  added: Contact[];
  duplicates: { draft: ContactDraft; existing: Contact }[];
}

/** Injected clock and id source (tests make them predictable). */
export interface ContactsStoreOptions {
  now?: () => number;
  newId?: () => string;
}

const collator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

function displayOrder(a: Contact, b: Contact): number {
  if (a.favourite !== b.favourite) {
    return a.favourite ? -1 : 1;
  }
  return collator.compare(a.name, b.name) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

function haystackOf(c: Contact): string {
  return buildHaystack(
    [c.name, c.org, ...c.sipAddresses],
    c.numbers.map((n) => n.value),
  );
}

/** The contacts. Create with ContactsStore.open. */
/** What a contacts store reports. */
export interface ContactsStoreEvents {
  /** A contact was added, changed or removed, or contacts were imported. */
  changed: undefined;
}

export class ContactsStore extends TypedEmitter<ContactsStoreEvents> {
  readonly #db: PhoneDb;
  readonly #now: () => number;
  readonly #newId: () => string;
  #ordered: Contact[] = [];
  readonly #byId = new Map<string, Contact>();
  readonly #hays = new Map<string, string>();
  readonly #index = new TextIndex();
  #lookup = new ContactLookup([]);

  private constructor(db: PhoneDb, options: ContactsStoreOptions) {
    super();
    this.#db = db;
    this.#now = options.now ?? Date.now;
    this.#newId = options.newId ?? (() => crypto.randomUUID());
  }

  /** Opens the contacts on `db` and loads them all. */
  static async open(db: PhoneDb, options: ContactsStoreOptions = {}): Promise<ContactsStore> {
    const store = new ContactsStore(db, options);
    for (const contact of await db.contacts.toArray()) {
      store.#put(contact);
    }
    store.#rebuild();
    return store;
  }

  /** Number of contacts. */
  get size(): number {
    return this.#ordered.length;
  }

  /** Every contact in display order. */
  all(): readonly Contact[] {
    return this.#ordered;
  }

  /** The contact `id`, if any. */
  get(id: string): Contact | undefined {
    return this.#byId.get(id);
  }

  /** Contacts matching `query` by name, organisation, number (ignoring separators) or address. */
  search(query: string): ContactResults {
    const slots = this.#index.search(query);
    const ordered = this.#ordered;
    if (slots === null) {
      return { count: ordered.length, at: (i) => ordered[i] };
    }
    return { count: slots.length, at: (i) => ordered[slots[i] ?? -1] };
  }

  /**
   * The contact a caller is, or null: an exact SIP address match first, then the number
   * (exact, else the same last 9 significant digits when unambiguous; see ContactLookup).
   */
  resolve(partyUser: string, partyUri: string): Contact | null {
    return this.#lookup.resolve(partyUser, partyUri);
  }

  /** The resolved contact's name (for the history's display and search). */
  nameFor(partyUser: string, partyUri: string): string | null {
    return this.resolve(partyUser, partyUri)?.name ?? null;
  }

  /** Adds a contact. */
  async add(draft: ContactDraft): Promise<Contact> {
    const contact = contactFromDraft(draft, this.#newId(), this.#now());
    await this.#write(() => this.#db.contacts.add(contact));
    this.#put(contact);
    this.#changed();
    return contact;
  }

  /** Replaces the fields of contact `id` with `draft`. */
  async update(id: string, draft: ContactDraft): Promise<Contact> {
    const old = this.#byId.get(id);
    if (!old) {
      throw new Error(`No contact ${id}`);
    }
    const contact: Contact = {
      id,
      ...cleanDraft(draft),
      createdAt: old.createdAt,
      updatedAt: this.#now(),
    };
    await this.#write(() => this.#db.contacts.put(contact));
    this.#put(contact);
    this.#changed();
    return contact;
  }

  /** Marks or unmarks contact `id` as a favourite. */
  async setFavourite(id: string, favourite: boolean): Promise<void> {
    const old = this.#byId.get(id);
    if (!old || old.favourite === favourite) {
      return;
    }
    const contact = { ...old, favourite, updatedAt: this.#now() };
    await this.#write(() => this.#db.contacts.put(contact));
    this.#put(contact);
    this.#changed();
  }

  /** Deletes contact `id`. */
  async remove(id: string): Promise<void> {
    await this.#write(() => this.#db.contacts.delete(id));
    if (this.#byId.delete(id)) {
      this.#hays.delete(id);
      this.#changed();
    }
  }

  /** Adds many drafts in one transaction, leaving out those identical to a stored contact. */
  async importDrafts(drafts: readonly ContactDraft[]): Promise<ContactImport> {
    const known = new Map<string, Contact>();
    for (const c of this.#ordered) {
      known.set(draftIdentity(c), c);
    }
    const result: ContactImport = { added: [], duplicates: [] };
    const now = this.#now();
    for (const draft of drafts) {
      const identity = draftIdentity(draft);
      const existing = known.get(identity);
      if (existing) {
        result.duplicates.push({ draft, existing });
        continue;
      }
      const contact = contactFromDraft(draft, this.#newId(), now);
      known.set(identity, contact);
      result.added.push(contact);
    }
    await this.#write(() => this.#db.contacts.bulkAdd(result.added));
    result.added.forEach((c) => this.#put(c));
    this.#changed();
    return result;
  }

  /** Runs a change of the contacts table with its generation bump (see db.ts). */
  async #write(change: () => Promise<unknown>): Promise<void> {
    const db = this.#db;
    await db.transaction('rw', db.contacts, db.meta, async () => {
      await change();
      await bumpGeneration(db, 'contacts');
    });
  }

  #put(contact: Contact): void {
    this.#byId.set(contact.id, contact);
    this.#hays.set(contact.id, haystackOf(contact));
  }

  #rebuild(): void {
    this.#ordered = [...this.#byId.values()].sort(displayOrder);
    const keys = this.#ordered.map((c) => c.id);
    this.#index.reset(
      keys,
      keys.map((k) => this.#hays.get(k) ?? ''),
    );
    this.#lookup = new ContactLookup(this.#ordered);
  }

  #changed(): void {
    this.#rebuild();
    this.emit('changed', undefined);
  }
}
