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
import { groupRange, Parser, PatternError, type CharTest, type Node } from './regex-syntax';

/** Longest pattern accepted, in characters. */
export const MAX_PATTERN_LENGTH = 200;
/** Largest compiled program (instructions); {n,m} copies its body, so this bounds them. */
const MAX_PROGRAM = 4000;

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
