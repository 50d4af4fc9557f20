// Owns the syntax of dial-rule regular expressions: a recursive-descent parser of the
// supported subset (literals, escapes, classes, '.', anchors, groups, alternation, greedy and
// lazy quantifiers) into a small syntax tree, with one plain sentence for each thing it
// refuses. safe-regex.ts compiles the tree for its linear-time matcher. Platform-free and pure.

/** Largest count in {n}, {n,} or {n,m}. */
const MAX_REPEAT = 64;

export type CharTest = (c: number) => boolean;

/** The syntax tree. */
export type Node =
  | { t: 'char'; test: CharTest }
  | { t: 'bol' }
  | { t: 'eol' }
  | { t: 'group'; index: number | null; body: Node }
  | { t: 'alt'; options: Node[] }
  | { t: 'cat'; items: Node[] }
  | { t: 'rep'; body: Node; min: number; max: number; greedy: boolean };

/** A pattern that is not valid; the message says why. */
export class PatternError extends Error {}

const isDigit: CharTest = (c) => c >= 48 && c <= 57;
const isWord: CharTest = (c) =>
  isDigit(c) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
const isSpace: CharTest = (c) =>
  c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || (c >= 0x2000 && c <= 0x200a);
const not =
  (test: CharTest): CharTest =>
  (c) =>
    !test(c);
const CLASS_ESCAPES: Record<string, CharTest> = {
  d: isDigit,
  D: not(isDigit),
  w: isWord,
  W: not(isWord),
  s: isSpace,
  S: not(isSpace),
};
const CONTROL_ESCAPES: Record<string, number> = { t: 9, n: 10, r: 13, f: 12, v: 11 };
const SYNTAX = new Set('^$\\.*+?()[]{}|/-'.split(''));

/** Recursive-descent parser of the supported syntax into a syntax tree. */
export class Parser {
  #src: string;
  #pos = 0;
  groups = 0;

  constructor(src: string) {
    this.#src = src;
  }

  parse(): Node {
    const node = this.#alternation();
    if (this.#pos < this.#src.length) {
      throw new PatternError(`the ")" at position ${this.#pos + 1} has no matching "(".`);
    }
    return node;
  }

  #peek(): string {
    return this.#src.charAt(this.#pos);
  }

  #alternation(): Node {
    const options = [this.#concatenation()];
    while (this.#peek() === '|') {
      this.#pos++;
      options.push(this.#concatenation());
    }
    return options.length === 1 ? (options[0] as Node) : { t: 'alt', options };
  }

  #concatenation(): Node {
    const items: Node[] = [];
    while (this.#pos < this.#src.length && this.#peek() !== '|' && this.#peek() !== ')') {
      items.push(this.#repetition());
    }
    return { t: 'cat', items };
  }

  #repetition(): Node {
    const atom = this.#atom();
    const bounds = this.#quantifier();
    if (!bounds) {
      return atom;
    }
    if (atom.t === 'bol' || atom.t === 'eol') {
      throw new PatternError('"^" and "$" cannot be repeated.');
    }
    const greedy = this.#peek() !== '?';
    if (!greedy) {
      this.#pos++;
    }
    if (this.#quantifierAhead()) {
      throw new PatternError(`nothing to repeat at position ${this.#pos + 1}.`);
    }
    return { t: 'rep', body: atom, min: bounds.min, max: bounds.max, greedy };
  }

  #quantifierAhead(): boolean {
    const c = this.#peek();
    return c === '*' || c === '+' || c === '?' || (c === '{' && this.#braces() !== null);
  }

  #quantifier(): { min: number; max: number } | null {
    const c = this.#peek();
    const simple: Record<string, { min: number; max: number }> = {
      '*': { min: 0, max: Infinity },
      '+': { min: 1, max: Infinity },
      '?': { min: 0, max: 1 },
    };
    const found = simple[c];
    if (found) {
      this.#pos++;
      return found;
    }
    if (c !== '{') {
      return null;
    }
    const braces = this.#braces();
    if (!braces) {
      return null; // a '{' that is not a quantifier is a literal, as in JS without the u flag
    }
    this.#pos += braces.length;
    if (braces.min > MAX_REPEAT || (braces.max !== Infinity && braces.max > MAX_REPEAT)) {
      throw new PatternError(`a repeat count is larger than ${MAX_REPEAT}.`);
    }
    if (braces.max < braces.min) {
      throw new PatternError('a repeat range is backwards ({n,m} needs n ≤ m).');
    }
    return { min: braces.min, max: braces.max };
  }

  #braces(): { min: number; max: number; length: number } | null {
    const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(this.#src.slice(this.#pos));
    if (!m) {
      return null;
    }
    const min = Number(m[1]);
    const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
    return { min, max, length: m[0].length };
  }

  #atom(): Node {
    const c = this.#peek();
    this.#pos++;
    switch (c) {
      case '(':
        return this.#group();
      case '[':
        return { t: 'char', test: this.#charClass() };
      case '.':
        return { t: 'char', test: (x) => x !== 10 && x !== 13 && x !== 0x2028 && x !== 0x2029 };
      case '^':
        return { t: 'bol' };
      case '$':
        return { t: 'eol' };
      case '\\':
        return { t: 'char', test: this.#escape(false) };
      case '*':
      case '+':
      case '?':
        throw new PatternError(`nothing to repeat at position ${this.#pos}.`);
      case '{':
        this.#pos--;
        if (this.#braces() !== null) {
          throw new PatternError(`nothing to repeat at position ${this.#pos + 1}.`);
        }
        this.#pos++;
        return literal(c);
      default:
        return literal(c);
    }
  }

  #group(): Node {
    let index: number | null = null;
    if (this.#peek() === '?') {
      if (this.#src.startsWith('?:', this.#pos)) {
        this.#pos += 2;
      } else {
        throw new PatternError(
          'look-ahead, look-behind and named groups are not supported; use ( ) or (?: ).',
        );
      }
    } else {
      this.groups += 1;
      index = this.groups;
    }
    const body = this.#alternation();
    if (this.#peek() !== ')') {
      throw new PatternError('a "(" is never closed.');
    }
    this.#pos++;
    return { t: 'group', index, body };
  }

  #escape(inClass: boolean): CharTest {
    if (this.#pos >= this.#src.length) {
      throw new PatternError('the pattern ends with a lone "\\".');
    }
    const c = this.#peek();
    this.#pos++;
    const klass = CLASS_ESCAPES[c];
    if (klass) {
      return klass;
    }
    const control = CONTROL_ESCAPES[c];
    if (control !== undefined) {
      return (x) => x === control;
    }
    if (/[1-9]/.test(c)) {
      throw new PatternError('back-references (\\1 …) are not supported in dial rules.');
    }
    if (c === 'b' || c === 'B') {
      if (inClass && c === 'b') {
        return (x) => x === 8;
      }
      throw new PatternError('word boundaries (\\b, \\B) are not supported in dial rules.');
    }
    if (SYNTAX.has(c) || !/[A-Za-z0-9]/.test(c)) {
      const code = c.charCodeAt(0);
      return (x) => x === code;
    }
    throw new PatternError(`"\\${c}" is not a supported escape.`);
  }

  #charClass(): CharTest {
    const negated = this.#peek() === '^';
    if (negated) {
      this.#pos++;
    }
    const parts: CharTest[] = [];
    let first = true;
    while (this.#pos < this.#src.length && (this.#peek() !== ']' || first)) {
      first = false;
      parts.push(this.#classPart());
    }
    if (this.#peek() !== ']') {
      throw new PatternError('a "[" is never closed.');
    }
    this.#pos++;
    const any: CharTest = (x) => parts.some((p) => p(x));
    return negated ? not(any) : any;
  }

  #classPart(): CharTest {
    const low = this.#classAtom();
    if (this.#peek() !== '-' || this.#src.charAt(this.#pos + 1) === ']' || !low.single) {
      return low.test;
    }
    this.#pos++;
    const high = this.#classAtom();
    if (!high.single) {
      throw new PatternError('a range in [ ] cannot end with a class like \\d.');
    }
    if (high.code < low.code) {
      throw new PatternError('a range in [ ] is backwards (like [9-0]).');
    }
    const [a, b] = [low.code, high.code];
    return (x) => x >= a && x <= b;
  }

  #classAtom(): { test: CharTest; single: boolean; code: number } {
    const c = this.#peek();
    this.#pos++;
    if (c !== '\\') {
      const code = c.charCodeAt(0);
      return { test: (x) => x === code, single: true, code };
    }
    const escaped = this.#peek();
    const test = this.#escape(true);
    const single = CLASS_ESCAPES[escaped] === undefined;
    const code = CONTROL_ESCAPES[escaped] ?? (escaped === 'b' ? 8 : escaped.charCodeAt(0));
    return { test, single, code };
  }
}

function literal(c: string): Node {
  const code = c.charCodeAt(0);
  return { t: 'char', test: (x) => x === code };
}

/** The lowest and highest capturing group index inside `node`, or null when it has none. */
export function groupRange(node: Node): [number, number] | null {
  const children: Node[] =
    node.t === 'cat'
      ? node.items
      : node.t === 'alt'
        ? node.options
        : 'body' in node
          ? [node.body]
          : [];
  let range: [number, number] | null =
    node.t === 'group' && node.index !== null ? [node.index, node.index] : null;
  for (const child of children) {
    const inner = groupRange(child);
    if (inner) {
      range = range ? [Math.min(range[0], inner[0]), Math.max(range[1], inner[1])] : inner;
    }
  }
  return range;
}
