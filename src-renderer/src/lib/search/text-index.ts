// Owns search-as-you-type over many records: one folded "haystack" string per record, kept in
// plain arrays in the caller's display order, and queries answered by substring scans that
// narrow the previous result when the query only grew. No IndexedDB access per keystroke.
import { digitsOf, foldText, isNumberLike } from './fold';

/** One piece of a query: folded text, or digits to be found ignoring separators. */
export interface QueryToken {
  kind: 'text' | 'digits';
  value: string;
}

// Between fields of the text part, between the text part and the digits part, between records.
const FIELD = '\u0001';
const PART = '\u0000';
const RECORD = '\u0002';
// Control characters never reach a token, so a token cannot match across fields or records.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/g;
const CACHE_SIZE = 64;

/**
 * Splits a query into tokens that must all match. A query that is only a number with
 * separators ('+49 30 123-4') is one digits token ('4930123 4' would be two otherwise).
 */
export function parseQuery(raw: string): QueryToken[] {
  const trimmed = raw.replace(CONTROL, ' ').trim();
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
 * The haystack of one record: its folded texts, then the digits of each number, every field
 * kept apart so nothing matches across two fields. Digit runs inside texts need no digits part:
 * a digits token is looked for in the whole haystack.
 */
export function buildHaystack(
  texts: readonly (string | null | undefined)[],
  numbers: readonly string[] = [],
): string {
  let hay = '';
  for (const text of texts) {
    if (text) {
      hay += (hay === '' ? '' : FIELD) + foldText(text);
    }
  }
  hay += PART;
  for (const number of numbers) {
    const digits = digitsOf(number);
    if (digits !== '') {
      hay += digits + FIELD;
    }
  }
  return hay;
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
function matches(hay: string, values: readonly string[]): boolean {
  for (let t = 0; t < values.length; t++) {
    if (hay.indexOf(values[t] ?? '') < 0) {
      return false;
    }
  }
  return true;
}

/**
 * Records in a fixed order (slot 0 first), each a key and a haystack. `search` returns the
 * matching slots in ascending order, or null for "everything" (an empty query).
 *
 * All haystacks also live in one joined string: a query over every record is one indexOf
 * sweep through it (the engine's fast string search, no call per record); a query narrowing an
 * earlier result checks each candidate's own haystack, which is a slice of the joined string.
 */
export class TextIndex {
  #keys: string[] = [];
  #hays: string[] = [];
  #joined = '';
  // #offsets[slot] = where the slot's haystack starts in #joined; one extra entry at the end.
  #offsets = new Int32Array(1);
  #cache = new Map<string, { tokens: QueryToken[]; slots: Int32Array }>();
  // Reused between scans; each result is a right-sized copy.
  #scratch = new Int32Array(0);

  /** Number of records. */
  get size(): number {
    return this.#keys.length;
  }

  /** The key at `slot`, or undefined past the end. */
  keyAt(slot: number): string | undefined {
    return this.#keys[slot];
  }

  /** The haystack at `slot`, or undefined past the end. */
  hayAt(slot: number): string | undefined {
    return this.#hays[slot];
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
    this.#changed();
  }

  /** Inserts a record at `slot` (default: the end). */
  insert(key: string, hay: string, slot = this.#keys.length): void {
    this.#keys.splice(slot, 0, key);
    this.#hays.splice(slot, 0, hay);
    this.#changed();
  }

  /** Replaces the haystack of `key`; false when it is not indexed. */
  update(key: string, hay: string): boolean {
    const slot = this.slotOf(key);
    if (slot < 0) {
      return false;
    }
    this.#hays[slot] = hay;
    this.#changed();
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
    this.#changed();
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
    const within = this.#narrowest(tokens);
    const slots = within ? this.#filter(tokens, within) : this.#sweep(tokens);
    if (this.#cache.size >= CACHE_SIZE) {
      const oldest = this.#cache.keys().next().value;
      if (oldest !== undefined) {
        this.#cache.delete(oldest);
      }
    }
    this.#cache.set(sig, { tokens, slots });
    return slots;
  }

  /** Rebuilds the joined string (a mutation is rare: a call ends, a row is deleted). */
  #changed(): void {
    this.#cache.clear();
    const hays = this.#hays;
    this.#joined = hays.join(RECORD);
    const offsets = new Int32Array(hays.length + 1);
    let at = 0;
    for (let i = 0; i < hays.length; i++) {
      offsets[i] = at;
      at += (hays[i] ?? '').length + RECORD.length;
    }
    offsets[hays.length] = at;
    this.#offsets = offsets;
    // Keep each haystack as a slice of the joined string, not as a second copy of the text.
    for (let i = 0; i < hays.length; i++) {
      hays[i] = this.#joined.slice(offsets[i] ?? 0, (offsets[i + 1] ?? 0) - RECORD.length);
    }
    if (this.#scratch.length < hays.length) {
      this.#scratch = new Int32Array(hays.length);
    }
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

  /** Every record: sweeps the joined string for the longest token, checks the others per hit. */
  #sweep(tokens: readonly QueryToken[]): Int32Array {
    const values = tokens.map((t) => t.value).sort((a, b) => b.length - a.length);
    const lead = values[0] ?? '';
    const rest = values.slice(1);
    const joined = this.#joined;
    const offsets = this.#offsets;
    const out = this.#scratch;
    let n = 0;
    let slot = 0;
    let at = joined.indexOf(lead);
    while (at >= 0) {
      while ((offsets[slot + 1] ?? Infinity) <= at) {
        slot++;
      }
      if (rest.length === 0 || matches(this.#hays[slot] ?? '', rest)) {
        out[n++] = slot;
      }
      at = joined.indexOf(lead, offsets[slot + 1] ?? joined.length);
    }
    return out.slice(0, n);
  }

  /** Candidates of an earlier result: each candidate's haystack must hold every token. */
  #filter(tokens: readonly QueryToken[], within: Int32Array): Int32Array {
    const hays = this.#hays;
    const out = this.#scratch;
    const values = tokens.map((t) => t.value);
    const first = values[0] ?? '';
    const single = values.length === 1;
    let n = 0;
    for (let i = 0; i < within.length; i++) {
      const slot = within[i] ?? 0;
      const hay = hays[slot] ?? '';
      if (single ? hay.indexOf(first) >= 0 : matches(hay, values)) {
        out[n++] = slot;
      }
    }
    return out.slice(0, n);
  }
}
