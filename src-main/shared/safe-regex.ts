// Owns the regular expressions users write into dial rules. They are compiled by this module,
// not by the JS engine: a backtracking engine can take exponential time on patterns like
// (a|a)*b or (\d+)+x, and a dial rule runs on every number. This is a Thompson/Pike VM
// (https://swtch.com/~rsc/regexp/regexp2.html): work is bounded by pattern size × input length
// whatever the pattern, with JavaScript's leftmost-first matches and captures for the supported
// syntax (groups are reset at each repeat and an optional repeat may not match nothing, as in
// ECMAScript). One known difference: a repeat nested in a repeat whose body can match nothing
// (like ((a*?)*?)+) may end a match earlier than JavaScript; dial rules never need that.
// Unsupported syntax (back-references, look-around, flags) is refused with a sentence.
// Platform-free and pure.

/** Longest pattern accepted, in characters. */
export const MAX_PATTERN_LENGTH = 200;
/** Largest compiled program (instructions); {n,m} copies its body, so this bounds them. */
const MAX_PROGRAM = 4000;
/** Largest count in {n}, {n,} or {n,m}. */
const MAX_REPEAT = 64;

/** A compiled pattern. `groupCount` is the number of capturing groups. */
export interface SafeRegex {
  readonly source: string;
  readonly groupCount: number;
}

/** A match: `groups[0]` is the whole match, `groups[i]` the i-th group (undefined if unset). */
export interface SafeMatch {
  index: number;
  end: number;
  groups: (string | undefined)[];
}

export type SafeRegexResult = { ok: true; regex: SafeRegex } | { ok: false; message: string };

type CharTest = (c: number) => boolean;

type Node =
  | { t: 'char'; test: CharTest }
  | { t: 'bol' }
  | { t: 'eol' }
  | { t: 'group'; index: number | null; body: Node }
  | { t: 'alt'; options: Node[] }
  | { t: 'cat'; items: Node[] }
  | { t: 'rep'; body: Node; min: number; max: number; greedy: boolean };

type Inst =
  | { op: 'char'; test: CharTest }
  | { op: 'split'; x: number; y: number }
  | { op: 'jmp'; x: number }
  | { op: 'save'; n: number }
  | { op: 'clear'; from: number; to: number }
  /** Fails the thread when the loop iteration that started at caps[n] consumed nothing. */
  | { op: 'progress'; n: number }
  | { op: 'bol' }
  | { op: 'eol' }
  | { op: 'match' };

interface Compiled extends SafeRegex {
  readonly program: Inst[];
  /** Capture slots plus one slot per loop for the position its iteration started at. */
  readonly slots: number;
}

class PatternError extends Error {}

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

/** Recursive-descent parser of the supported syntax into a small AST. */
class Parser {
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
function groupRange(node: Node): [number, number] | null {
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

/** Compiles the AST to Pike VM instructions. */
class Emitter {
  readonly program: Inst[] = [];
  slots: number;

  constructor(groups: number) {
    this.slots = (groups + 1) * 2;
  }

  emit(node: Node): void {
    if (this.program.length > MAX_PROGRAM) {
      throw new PatternError('the pattern is too large (shorten its repeat counts).');
    }
    switch (node.t) {
      case 'char':
        this.program.push({ op: 'char', test: node.test });
        return;
      case 'bol':
      case 'eol':
        this.program.push({ op: node.t });
        return;
      case 'cat':
        node.items.forEach((item) => this.emit(item));
        return;
      case 'group':
        this.#group(node.index, node.body);
        return;
      case 'alt':
        this.#alternation(node.options);
        return;
      case 'rep':
        this.#repetition(node);
    }
  }

  #group(index: number | null, body: Node): void {
    if (index === null) {
      this.emit(body);
      return;
    }
    this.program.push({ op: 'save', n: index * 2 });
    this.emit(body);
    this.program.push({ op: 'save', n: index * 2 + 1 });
  }

  #alternation(options: Node[]): void {
    const jumps: { op: 'jmp'; x: number }[] = [];
    options.forEach((option, i) => {
      if (i === options.length - 1) {
        this.emit(option);
        return;
      }
      const split = { op: 'split' as const, x: this.program.length + 1, y: 0 };
      this.program.push(split);
      this.emit(option);
      const jump = { op: 'jmp' as const, x: 0 };
      this.program.push(jump);
      jumps.push(jump);
      split.y = this.program.length;
    });
    jumps.forEach((jump) => (jump.x = this.program.length));
  }

  // Each iteration starts with the body's groups unset, and an optional iteration that matches
  // nothing fails, as ECMAScript's RepeatMatcher specifies.
  #iteration(body: Node, optional: boolean): void {
    const groups = groupRange(body);
    if (groups) {
      this.program.push({ op: 'clear', from: groups[0] * 2, to: groups[1] * 2 + 1 });
    }
    if (!optional) {
      this.emit(body);
      return;
    }
    const slot = this.slots++;
    this.program.push({ op: 'save', n: slot });
    this.emit(body);
    this.program.push({ op: 'progress', n: slot });
  }

  #repetition(node: Extract<Node, { t: 'rep' }>): void {
    for (let i = 0; i < node.min; i++) {
      this.#iteration(node.body, false);
    }
    if (node.max === Infinity) {
      const loop = this.program.length;
      const split = { op: 'split' as const, x: 0, y: 0 };
      this.program.push(split);
      const bodyAt = this.program.length;
      this.#iteration(node.body, true);
      this.program.push({ op: 'jmp', x: loop });
      this.#order(split, bodyAt, this.program.length, node.greedy);
      return;
    }
    const splits: { op: 'split'; x: number; y: number }[] = [];
    for (let i = node.min; i < node.max; i++) {
      const split = { op: 'split' as const, x: 0, y: 0 };
      this.program.push(split);
      splits.push(split);
      const bodyAt = this.program.length;
      this.#iteration(node.body, true);
      split.x = bodyAt;
    }
    const end = this.program.length;
    splits.forEach((split) => this.#order(split, split.x, end, node.greedy));
  }

  #order(split: { x: number; y: number }, body: number, skip: number, greedy: boolean): void {
    split.x = greedy ? body : skip;
    split.y = greedy ? skip : body;
  }
}

/**
 * Compiles `pattern`. Supported: literals, escapes (\d \w \s and their negations, \t \n \r,
 * escaped punctuation), classes [..] with ranges and ^, '.', '^', '$', groups ( ) and (?: ),
 * '|', and the quantifiers * + ? {n} {n,} {n,m} (greedy, or lazy with a trailing '?').
 */
export function compileSafeRegex(pattern: string): SafeRegexResult {
  if (pattern.length === 0) {
    return { ok: false, message: 'The pattern is empty.' };
  }
  if (pattern.length > MAX_PATTERN_LENGTH) {
    return { ok: false, message: `The pattern is longer than ${MAX_PATTERN_LENGTH} characters.` };
  }
  try {
    const parser = new Parser(pattern);
    const ast = parser.parse();
    const emitter = new Emitter(parser.groups);
    emitter.program.push({ op: 'save', n: 0 });
    emitter.emit(ast);
    emitter.program.push({ op: 'save', n: 1 }, { op: 'match' });
    if (emitter.program.length > MAX_PROGRAM) {
      throw new PatternError('the pattern is too large (shorten its repeat counts).');
    }
    const regex: Compiled = {
      source: pattern,
      groupCount: parser.groups,
      program: emitter.program,
      slots: emitter.slots,
    };
    return { ok: true, regex };
  } catch (error: unknown) {
    if (error instanceof PatternError) {
      return { ok: false, message: `The pattern is not valid: ${error.message}` };
    }
    throw error;
  }
}

interface Thread {
  pc: number;
  caps: number[];
}

/** Counts the VM's work (instructions visited), for tests and benchmarks of the bound. */
export interface RegexWork {
  steps: number;
}

/**
 * The leftmost match of `regex` in `input` (JS semantics: leftmost, then the alternative and
 * repeat count a backtracking engine would take first), or null. Each instruction is visited
 * at most once per input position: work ≤ program size × (input length + 1), whatever the
 * pattern.
 */
export function execSafeRegex(
  regex: SafeRegex,
  input: string,
  work: RegexWork = { steps: 0 },
): SafeMatch | null {
  const { program, slots } = regex as Compiled;
  // marks[pc] === position: pc is already in (or was followed for) that position's list.
  const vm: Vm = { program, input, work, marks: new Array<number>(program.length).fill(-1) };
  let current: Thread[] = [];
  let matched: number[] | null = null;
  for (let pos = 0; pos <= input.length; pos++) {
    if (matched === null) {
      const caps = new Array<number>(slots).fill(-1);
      addThread(vm, current, 0, caps, pos);
    }
    if (current.length === 0) {
      if (matched !== null) {
        break;
      }
      continue;
    }
    const next: Thread[] = [];
    const code = pos < input.length ? input.charCodeAt(pos) : -1;
    for (const thread of current) {
      const inst = program[thread.pc] as Inst;
      if (inst.op === 'match') {
        matched = thread.caps;
        break; // threads after this one have lower priority
      }
      if (inst.op === 'char' && code >= 0 && inst.test(code)) {
        addThread(vm, next, thread.pc + 1, thread.caps, pos + 1);
      }
    }
    current = next;
  }
  return matched ? toMatch(matched, regex.groupCount, input) : null;
}

function toMatch(caps: number[], groupCount: number, input: string): SafeMatch {
  const groups: (string | undefined)[] = [];
  for (let i = 0; i < (groupCount + 1) * 2; i += 2) {
    const [start, end] = [caps[i] ?? -1, caps[i + 1] ?? -1];
    groups.push(start >= 0 && end >= 0 ? input.slice(start, end) : undefined);
  }
  return { index: caps[0] ?? 0, end: caps[1] ?? 0, groups };
}

interface Vm {
  program: Inst[];
  input: string;
  work: RegexWork;
  marks: number[];
}

// Follows jumps, splits, saves and assertions (epsilon moves) in priority order; a pc already
// followed at this position is not followed again, which is what bounds the work.
function addThread(vm: Vm, list: Thread[], start: number, startCaps: number[], pos: number): void {
  const { program, input, work, marks } = vm;
  const stack: { pc: number; caps: number[] }[] = [{ pc: start, caps: startCaps }];
  while (stack.length > 0) {
    const { pc, caps } = stack.pop() as { pc: number; caps: number[] };
    if (marks[pc] === pos) {
      continue;
    }
    marks[pc] = pos;
    work.steps += 1;
    const inst = program[pc] as Inst;
    switch (inst.op) {
      case 'jmp':
        stack.push({ pc: inst.x, caps });
        break;
      case 'split':
        stack.push({ pc: inst.y, caps }, { pc: inst.x, caps });
        break;
      case 'save': {
        const copy = caps.slice();
        copy[inst.n] = pos;
        stack.push({ pc: pc + 1, caps: copy });
        break;
      }
      case 'progress':
        if (caps[inst.n] !== pos) {
          stack.push({ pc: pc + 1, caps });
        }
        break;
      case 'clear': {
        const copy = caps.slice();
        copy.fill(-1, inst.from, inst.to + 1);
        stack.push({ pc: pc + 1, caps: copy });
        break;
      }
      case 'bol':
        if (pos === 0) {
          stack.push({ pc: pc + 1, caps });
        }
        break;
      case 'eol':
        if (pos === input.length) {
          stack.push({ pc: pc + 1, caps });
        }
        break;
      default:
        list.push({ pc, caps });
    }
  }
}

/**
 * `input` with the first match of `regex` replaced, as String.prototype.replace does with a
 * non-global RegExp: $1…$9 (a group), $& (the match), $` and $' (before/after), $$ ('$').
 */
export function replaceFirstSafe(regex: SafeRegex, input: string, replacement: string): string {
  const match = execSafeRegex(regex, input);
  if (!match) {
    return input;
  }
  const before = input.slice(0, match.index);
  const after = input.slice(match.end);
  const expanded = replacement.replace(/\$([$&`']|[1-9])/g, (token, key: string) => {
    switch (key) {
      case '$':
        return '$';
      case '&':
        return match.groups[0] ?? '';
      case '`':
        return before;
      case "'":
        return after;
      default: {
        const n = Number(key);
        return n <= regex.groupCount ? (match.groups[n] ?? '') : token;
      }
    }
  });
  return before + expanded + after;
}
