// Owns making text from the network (chat messages, display names, presence notes) safe to show
// as plain text in any surface: control characters removed, bidirectional controls balanced so
// they cannot reorder anything outside their own line, and a helper to isolate a piece of such
// text inside a sentence of ours (a notification "Bob: …", a tray tooltip). Never builds markup.
//
// The bidi rule (Unicode UAX #9 explicit formatting characters):
// - overrides LRO U+202D and RLO U+202E are removed together with the PDF that closes them:
//   they only serve to display characters in an order other than the one they were sent in
//   (the "txt.exe" file-name trick), which chat text never needs;
// - embeddings LRE/RLE and isolates LRI/RLI/FSI are kept when used in balanced pairs; a PDF or
//   PDI that closes nothing is removed, and whatever is still open at the end of a line (LF or
//   U+2029) is closed there, so no line can change the direction of the next one;
// - at most MAX_BIDI_DEPTH levels are kept; deeper openers are removed with their closers;
// - marks (LRM, RLM, ALM) are harmless and kept.

/** What cleanText removed, so a caller can say "some characters were removed". */
export interface CleanedText {
  text: string;
  /** Characters removed or replaced (controls, unpaired surrogates, noncharacters, bidi). */
  removed: number;
}

export interface CleanOptions {
  /** Keep line breaks and tabs (chat messages); otherwise everything is one line (names). */
  multiline?: boolean;
}

/** Deepest explicit bidi nesting kept (UAX #9 allows 125; nothing legitimate needs more). */
export const MAX_BIDI_DEPTH = 16;

const LRE = 0x202a;
const RLE = 0x202b;
const PDF = 0x202c;
const LRO = 0x202d;
const RLO = 0x202e;
const LRI = 0x2066;
const RLI = 0x2067;
const FSI = 0x2068;
const PDI = 0x2069;

/** First Strong Isolate and Pop Directional Isolate, for isolate(). */
const FSI_CHAR = '\u2068';
const PDI_CHAR = '\u2069';

function isRemovedControl(c: number): boolean {
  // C0 (except TAB and LF, handled by the caller), DEL, C1, BOM/ZWNBSP, U+FFFE/U+FFFF,
  // and the interlinear annotation controls that can hide text.
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0xfeff ||
    c === 0xfffe ||
    c === 0xffff ||
    (c >= 0xfff9 && c <= 0xfffb) ||
    (c >= 0xfdd0 && c <= 0xfdef)
  );
}

/**
 * Removes what must never reach a display: C0/C1 controls (TAB and LF kept in multiline text),
 * DEL, noncharacters, the BOM; replaces unpaired surrogates with U+FFFD; turns CR LF, CR,
 * U+2028 and U+2029 into LF (or a space in single-line text); then balances bidi controls.
 */
export function cleanText(input: string, options: CleanOptions = {}): CleanedText {
  const multiline = options.multiline ?? false;
  let out = '';
  let removed = 0;
  for (let i = 0; i < input.length; i++) {
    const c = input.charCodeAt(i);
    if (c === 0x0d) {
      if (input.charCodeAt(i + 1) === 0x0a) {
        i++;
      }
      out += multiline ? '\n' : ' ';
    } else if (c === 0x0a || c === 0x2028 || c === 0x2029) {
      out += multiline ? '\n' : ' ';
    } else if (c === 0x09) {
      out += multiline ? '\t' : ' ';
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = input.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        out += input[i]! + input[i + 1]!;
        i++;
      } else {
        out += '\uFFFD';
        removed++;
      }
    } else if (isRemovedControl(c)) {
      removed++;
    } else {
      out += input[i]!;
    }
  }
  const bidi = balanceBidi(out);
  return { text: bidi.text, removed: removed + bidi.removed };
}

interface Opened {
  kind: 'embedding' | 'override' | 'isolate';
  kept: boolean;
}

function closerFor(kind: Opened['kind']): string {
  return kind === 'isolate' ? PDI_CHAR : '\u202C';
}

/** Applies the bidi rule in the header to text whose line breaks are LF. */
export function balanceBidi(text: string): CleanedText {
  let out = '';
  let removed = 0;
  // Counters keep every step O(1) amortised, however many openers a hostile text repeats.
  let keptDepth = 0;
  let isolates = 0;
  const stack: Opened[] = [];
  const pop = (): Opened => {
    const open = stack.pop()!;
    keptDepth -= open.kept ? 1 : 0;
    isolates -= open.kind === 'isolate' ? 1 : 0;
    return open;
  };
  const closeAll = (): void => {
    while (stack.length > 0) {
      const open = pop();
      if (open.kept) {
        out += closerFor(open.kind);
      }
    }
  };
  for (const ch of text) {
    const c = ch.charCodeAt(0);
    if (c === LRE || c === RLE || c === LRO || c === RLO || c === LRI || c === RLI || c === FSI) {
      const kind = c === LRO || c === RLO ? 'override' : c >= LRI ? 'isolate' : 'embedding';
      const kept = kind !== 'override' && keptDepth < MAX_BIDI_DEPTH;
      stack.push({ kind, kept });
      keptDepth += kept ? 1 : 0;
      isolates += kind === 'isolate' ? 1 : 0;
      if (kept) {
        out += ch;
      } else {
        removed++;
      }
    } else if (c === PDF) {
      // UAX #9 X7: a PDF closes the last embedding/override unless an isolate is open above it.
      const top = stack[stack.length - 1];
      if (top && top.kind !== 'isolate') {
        pop();
        if (top.kept) {
          out += ch;
        } else {
          removed++;
        }
      } else {
        removed++;
      }
    } else if (c === PDI) {
      // UAX #9 X6a: a PDI closes the innermost isolate and everything opened inside it.
      if (isolates === 0) {
        removed++;
        continue;
      }
      let inner = pop();
      while (inner.kind !== 'isolate') {
        if (inner.kept) {
          out += closerFor(inner.kind);
        }
        inner = pop();
      }
      const isolate = inner;
      if (isolate.kept) {
        out += ch;
      } else {
        removed++;
      }
    } else if (c === 0x0a) {
      closeAll();
      out += ch;
    } else {
      out += ch;
    }
  }
  closeAll();
  return { text: out, removed };
}

/**
 * One line of network text for a label (display name, presence note, lamp caller): cleaned,
 * white space collapsed, trimmed, and cut to `maxLength` code points with '…'.
 */
export function singleLine(input: string, maxLength = 128): string {
  const { text } = cleanText(input);
  const collapsed = text.replace(/\s+/g, ' ').trim();
  const points = Array.from(collapsed);
  if (points.length <= maxLength) {
    return collapsed;
  }
  return balanceBidi(
    `${points
      .slice(0, Math.max(0, maxLength - 1))
      .join('')
      .trimEnd()}…`,
  ).text;
}

/**
 * Wraps cleaned text in First Strong Isolate … Pop Directional Isolate, so a right-to-left
 * name inside a left-to-right sentence of ours ("Bob is calling") cannot reorder the sentence.
 * The DOM does the same with <bdi> or dir="auto"; plain-text surfaces (OS notifications, the
 * tray tooltip) need the characters.
 */
export function isolate(cleaned: string): string {
  return `${FSI_CHAR}${cleaned}${PDI_CHAR}`;
}

/**
 * True when `value` has no white space, no control character and no invisible formatting
 * character (zero-width, bidi controls, BOM): the shape of a URI, Call-ID or tag that can be
 * shown and compared as is.
 */
export function isVisibleToken(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (
      c <= 0x20 ||
      (c >= 0x7f && c <= 0xa0) ||
      c === 0x1680 ||
      (c >= 0x2000 && c <= 0x200f) ||
      (c >= 0x2028 && c <= 0x202f) ||
      (c >= 0x205f && c <= 0x206f) ||
      c === 0x3000 ||
      c === 0xfeff
    ) {
      return false;
    }
  }
  return true;
}
