// Owns caller-name resolution: maps from SIP address, exact normalized number and number tail
// to contacts, built once per change of the contact list.
import {
  dialNumber,
  normalizeSipAddress,
  significantDigits,
  tailMatch,
  TAIL_DIGITS,
} from './normalize';
import type { Contact } from './types';

const MEMO_LIMIT = 50_000;

function addTo(map: Map<string, Contact[]>, key: string, contact: Contact): void {
  if (key === '') {
    return;
  }
  const list = map.get(key);
  if (!list) {
    map.set(key, [contact]);
  } else if (!list.includes(contact)) {
    list.push(contact);
  }
}

/**
 * Finds the contact for a caller. Rules, in order:
 * 1. the SIP address (scheme, parameters and case ignored) equals one of a contact's addresses;
 * 2. the party's number, normalized, equals one of a contact's normalized numbers;
 * 3. one of the two is written nationally, both have at least 9 significant digits (no '+',
 *    '00' or trunk '0') and the last 9 agree, so '+49 30 1234567' finds '030 1234567' (two
 *    '+' numbers must be equal: they carry their country codes). Only when exactly one contact
 *    matches this way: a tolerant match that could name the wrong person is worse than no name.
 * Where rule 1 or 2 matches several contacts, the first in display order wins (favourites first).
 */
export class ContactLookup {
  readonly #bySip = new Map<string, Contact[]>();
  readonly #byNumber = new Map<string, Contact[]>();
  readonly #byTail = new Map<string, { contact: Contact; normalized: string }[]>();

  /** Indexes `contacts`, given in display order. */
  constructor(contacts: readonly Contact[]) {
    for (const contact of contacts) {
      for (const address of contact.sipAddresses) {
        addTo(this.#bySip, normalizeSipAddress(address), contact);
      }
      for (const number of contact.numbers) {
        addTo(this.#byNumber, number.normalized, contact);
        const significant = significantDigits(number.normalized);
        if (significant.length >= TAIL_DIGITS) {
          const key = significant.slice(-TAIL_DIGITS);
          this.#byTail.set(key, [
            ...(this.#byTail.get(key) ?? []),
            { contact, normalized: number.normalized },
          ]);
        }
      }
    }
  }

  // History asks for the same parties again and again (100,000 rows, far fewer parties).
  readonly #memo = new Map<string, Contact | null>();

  /** The contact for a party (user part and full URI), or null. */
  resolve(partyUser: string, partyUri: string): Contact | null {
    const key = `${partyUser}\n${partyUri}`;
    const known = this.#memo.get(key);
    if (known !== undefined) {
      return known;
    }
    if (this.#memo.size >= MEMO_LIMIT) {
      this.#memo.clear();
    }
    const found = this.#find(partyUser, partyUri);
    this.#memo.set(key, found);
    return found;
  }

  #find(partyUser: string, partyUri: string): Contact | null {
    const bySip = this.#bySip.get(normalizeSipAddress(partyUri));
    if (bySip?.[0]) {
      return bySip[0];
    }
    const number = dialNumber(partyUser);
    if (number === null) {
      return null;
    }
    const exact = this.#byNumber.get(number);
    if (exact?.[0]) {
      return exact[0];
    }
    const significant = significantDigits(number);
    if (significant.length < TAIL_DIGITS) {
      return null;
    }
    const tail = this.#byTail.get(significant.slice(-TAIL_DIGITS)) ?? [];
    const matches = new Set(
      tail.filter((t) => tailMatch(number, t.normalized)).map((t) => t.contact),
    );
    return matches.size === 1 ? ([...matches][0] ?? null) : null;
  }
}
