// Owns making a short piece of text from the network (a caller's display name, a SIP user part,
// a reason phrase) safe to show as one line in any surface: the renderer's DOM, the OS
// notification, the incoming-call popup, the tray tooltip and menu. Platform-free and pure, so
// both processes use the same rules: the renderer cleans names where they enter the phone
// (phone/target.ts), main cleans again before it hands anything to the OS.
//
// A label keeps what a person's name legitimately needs (any script, emoji with their joiners,
// the LRM/RLM marks) and loses what could hide, reorder or forge text: C0/C1 controls and DEL,
// noncharacters and the BOM, the interlinear annotation controls, zero-width spaces, and every
// explicit bidi formatting character (embeddings, overrides, isolates and their terminators:
// "‮gnp.exe" must not read as "exe.png"). Line and paragraph separators become spaces, runs of
// white space one space, and the result is cut to a length on a code point boundary. Where a
// label goes inside a sentence of ours in a plain-text surface, `isolate` wraps it so a
// right-to-left name cannot reorder the sentence (the DOM does the same with dir="auto").

/** Longest label shown for a display name (code points, the ellipsis included). */
export const NAME_MAX = 64;

const ELLIPSIS = '…';
const FSI = '\u2068';
const PDI = '\u2069';

function removed(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x061c || // ARABIC LETTER MARK: a bidi control in disguise
    c === 0x180e ||
    c === 0x200b || // ZERO WIDTH SPACE
    (c >= 0x202a && c <= 0x202e) || // LRE RLE PDF LRO RLO
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x2069) || // LRI RLI FSI PDI
    (c >= 0x206a && c <= 0x206f) ||
    c === 0xfeff ||
    (c >= 0xfff9 && c <= 0xfffb) ||
    (c >= 0xfdd0 && c <= 0xfdef) ||
    (c & 0xfffe) === 0xfffe
  );
}

function isSpace(c: number): boolean {
  return (
    c === 0x20 ||
    c === 0x09 ||
    c === 0x0a ||
    c === 0x0d ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/**
 * One line of network text for a label: cleaned as the header says, white space collapsed and
 * trimmed, cut to `max` code points with '…'. Unpaired surrogates become U+FFFD.
 */
export function networkLabel(input: string, max = NAME_MAX): string {
  let out = '';
  let pendingSpace = false;
  for (const ch of input) {
    const c = ch.codePointAt(0) ?? 0;
    if (isSpace(c)) {
      pendingSpace = out !== '';
      continue;
    }
    if (removed(c)) {
      continue;
    }
    const visible = c >= 0xd800 && c <= 0xdfff ? '\uFFFD' : ch;
    out += (pendingSpace ? ' ' : '') + visible;
    pendingSpace = false;
  }
  return cut(out, max);
}

function cut(text: string, max: number): string {
  const points = Array.from(text);
  if (points.length <= max) {
    return text;
  }
  // A zero-width joiner left at the end would glue the ellipsis to half an emoji sequence.
  const kept = points.slice(0, Math.max(0, max - 1));
  while (kept.length > 0 && (kept.at(-1) === '\u200d' || kept.at(-1) === ' ')) {
    kept.pop();
  }
  return `${kept.join('')}${ELLIPSIS}`;
}

const RIGHT_TO_LEFT =
  /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;

/**
 * `label` between First Strong Isolate and Pop Directional Isolate when it has right-to-left
 * letters, so it cannot pull the punctuation of our plain-text sentence ("In call with … (muted)")
 * into its own direction. A left-to-right label is returned as it is.
 */
export function isolate(label: string): string {
  return RIGHT_TO_LEFT.test(label) ? `${FSI}${label}${PDI}` : label;
}

/**
 * Text for the body of a freedesktop notification, which servers read as markup (the spec's
 * "body-markup": <b>, <i>, <a href>, <img>…): '&', '<' and '>' as entities. Applied after the
 * text is cut, so an entity is never cut in half.
 */
export function escapeBodyMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Text for a plain-text OS surface that some desktops still read as rich text (a notification
 * title, a StatusNotifierItem tooltip): the two characters every tag needs are shown as the
 * look-alike single guillemets, so nothing can become a tag, whatever the desktop does.
 */
export function neutralizeTags(text: string): string {
  return text.replace(/</g, '\u2039').replace(/>/g, '\u203a');
}
