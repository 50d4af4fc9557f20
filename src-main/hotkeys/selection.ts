// Owns "dial the selected text": where the text comes from on each OS and what is refused
// before the shared dial parser sees it. On Linux the selection itself is readable (the X11 /
// Wayland primary selection: Electron's `clipboard.selection`, which is undefined on the other
// platforms; https://www.electronjs.org/docs/latest/api/clipboard). macOS and Windows have no such
// thing and an app cannot make another app copy without native input injection, so there the
// user copies first (Cmd/Ctrl+C) and the hotkey reads the clipboard. Whatever was selected is
// untrusted text: it is never dialled by itself unless the user turned that on.
import { parseTypedDial, type DialParseResult } from '@shared/dial-target';

/** Longest selection considered; anything longer is not a number someone selected. */
export const MAX_SELECTION = 256;

interface TextSource {
  readText(): Promise<string>;
}

/** The part of Electron's clipboard used here. */
export interface SelectionClipboard extends TextSource {
  /** Linux only: the primary selection; undefined elsewhere. */
  readonly selection?: TextSource | undefined;
}

/** Which buffer holds "what the user selected" on `platform`. */
export function selectionSource(platform: NodeJS.Platform): 'selection' | 'clipboard' {
  return platform === 'linux' || platform === 'freebsd' || platform === 'openbsd'
    ? 'selection'
    : 'clipboard';
}

/** Reads the selection (Linux) or the clipboard (elsewhere). */
export function readSelection(
  clipboard: SelectionClipboard,
  platform: NodeJS.Platform,
): Promise<string> {
  const source = selectionSource(platform) === 'selection' ? clipboard.selection : undefined;
  return (source ?? clipboard).readText();
}

function refuse(message: string): DialParseResult {
  return { ok: false, reason: 'invalid-characters', message };
}

/**
 * Parses selected text as a typed dial string, after refusing what a person would not have
 * meant as one number: more than 256 characters, or several non-empty lines. Surrounding
 * whitespace and one trailing line break (a triple-click selects the line with it) are fine;
 * control, bidi and zero-width characters, command-line switches and the rest are refused by
 * parseTypedDial with its own sentence.
 */
export function parseSelection(text: string): DialParseResult {
  if (text.length > MAX_SELECTION) {
    return {
      ok: false,
      reason: 'too-long',
      message: 'The selected text is too long to be a phone number; select just the number.',
    };
  }
  const lines = text.split(/\r\n|[\n\r\u2028\u2029\u0085]/).filter((l) => l.trim() !== '');
  if (lines.length > 1) {
    return refuse('The selected text spans several lines; select just the number.');
  }
  return parseTypedDial(lines[0] ?? '');
}
