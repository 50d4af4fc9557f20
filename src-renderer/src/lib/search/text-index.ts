// Owns search-as-you-type over many records: one folded "haystack" string per record, kept in
// plain arrays in the caller's display order, and queries answered by substring scans that
// narrow the previous result when the query only grew. No IndexedDB access per keystroke.
import { digitsOf, foldText, isNumberLike } from './fold';

/** One piece of a query: folded text, or digits to be found ignoring separators. */
export interface QueryToken {
  kind: 'text' | 'digits';
  value: string;
}

// Between fields of the text part, between the text part and the digits part.
const FIELD = '\u0001';
const PART = '\u0000';
const CACHE_SIZE = 64;

/**
 * Splits a query into tokens that must all match. A query that is only a number with
 * separators ('+49 30 123-4') is one digits token ('4930123 4' would be two otherwise).
 */
export function parseQuery(raw: string): QueryToken[] {
  const trimmed = raw.trim();
  if (trimmed === '') {
    return [];
  }
  if (isNumberLike(trimmed)) {
    return [{ kind: 'digits', value: digitsOf(trimmed) }];
  }
  return trimmed
    .split(/\s+/)
    .map((word) =>
      isNumberLike(word)
        ? { kind: 'digits', value: digitsOf(word) }
        : { kind: 'text', value: foldText(word) },
    );
}

/**
 * The haystack of one record: its folded texts, then the digits of every field (texts and
 * numbers), each field kept apart so digits never run across two fields.
 */
export function buildHaystack(
  texts: readonly (string | null | undefined)[],
  numbers: readonly string[] = [],
): string {
  const present = texts.filter((t): t is string => typeof t === 'string' && t !== '');
  const digits = [...present, ...numbers].map(digitsOf).filter((d) => d !== '');
  return present.map(foldText).join(FIELD) + PART + digits.join(FIELD);
}

/**
 * True when every record matching `next` also matches `prev`: each token of `prev` is
 * contained in a token of the same kind in `next` (the query only grew).
 */
export function refines(prev: readonly QueryToken[], next: readonly QueryToken[]): boolean {
  return prev.every((p) => next.some((n) => n.kind === p.kind && n.value.includes(p.value)));
}

function signature(tokens: readonly QueryToken[]): string {
  return tokens.map((t) => `${t.kind[0]}${t.value}`).join(FIELD);
}

/** A record matches when its haystack contains every token. */
function matches(hay: string, tokens: readonly QueryToken[]): boolean {
  for (const token of tokens) {
    if (hay.indexOf(token.value) < 0) {
      return false;
    }
  }
  return true;
}

/**
 * Records in a fixed order (slot 0 first), each a key and a haystack. `search` returns the
 * matching slots in ascending order, or null for "everything" (an empty query).
 */
export class TextIndex {
  #keys: string[] = [];
  #hays: string[] = [];
  #cache = new Map<string, { tokens: QueryToken[]; slots: Int32Array }>();

  /** Number of records. */
  get size(): number {
    return this.#keys.length;
  }

  /** The key at `slot`, or undefined past the end. */
  keyAt(slot: number): string | undefined {
    return this.#keys[slot];
  }

  /** The slot of `key`, or -1 (a linear scan: mutations are rare, keystrokes are not). */
  slotOf(key: string): number {
    return this.#keys.indexOf(key);
  }

  /** Replaces all records; `keys` and `hays` are taken over, not copied. */
  reset(keys: string[], hays: string[]): void {
    if (keys.length !== hays.length) {
      throw new Error('TextIndex.reset: keys and haystacks differ in length');
    }
    this.#keys = keys;
    this.#hays = hays;
    this.#cache.clear();
  }

  /** Inserts a record at `slot` (default: the end). */
  insert(key: string, hay: string, slot = this.#keys.length): void {
    this.#keys.splice(slot, 0, key);
    this.#hays.splice(slot, 0, hay);
    this.#cache.clear();
  }

  /** Replaces the haystack of `key`; false when it is not indexed. */
  update(key: string, hay: string): boolean {
    const slot = this.slotOf(key);
    if (slot < 0) {
      return false;
    }
    this.#hays[slot] = hay;
    this.#cache.clear();
    return true;
  }

  /** Removes the record `key`; false when it is not indexed. */
  remove(key: string): boolean {
    const slot = this.slotOf(key);
    if (slot < 0) {
      return false;
    }
    this.#keys.splice(slot, 1);
    this.#hays.splice(slot, 1);
    this.#cache.clear();
    return true;
  }

  /** Matching slots, ascending; null when the query is empty (every record matches). */
  search(query: string): Int32Array | null {
    const tokens = parseQuery(query);
    if (tokens.length === 0) {
      return null;
    }
    const sig = signature(tokens);
    const cached = this.#cache.get(sig);
    if (cached) {
      return cached.slots;
    }
    const slots = this.#scan(tokens, this.#narrowest(tokens));
    if (this.#cache.size >= CACHE_SIZE) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) {
        this.#cache.delete(oldest);
      }
    }
    this.#cache.set(sig, { tokens, slots });
    return slots;
  }

  /** The smallest earlier result that `tokens` refines, so only its slots need a look. */
  #narrowest(tokens: readonly QueryToken[]): Int32Array | null {
    let best: Int32Array | null = null;
    for (const entry of this.#cache.values()) {
      if ((best === null || entry.slots.length < best.length) && refines(entry.tokens, tokens)) {
        best = entry.slots;
      }
    }
    return best;
  }

  #scan(tokens: readonly QueryToken[], within: Int32Array | null): Int32Array {
    const hays = this.#hays;
    const count = within ? within.length : hays.length;
    const out = new Int32Array(count);
    let n = 0;
    for (let i = 0; i < count; i++) {
      const slot = within ? (within[i] ?? 0) : i;
      if (matches(hays[slot] ?? '', tokens)) {
        out[n++] = slot;
      }
    }
    return out.slice(0, n);
  }
}
