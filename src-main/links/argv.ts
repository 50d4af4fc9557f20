// Finds the OS link in a command line. Untrusted input: a link must never be taken as a
// switch, so only plain arguments that start with one of our four schemes are considered, and
// when the command line has a `--` separator (our registered handlers always put one before the
// link), only what follows it. Everything found still goes through parseDialLink.
import type { LinkScheme } from '@shared/ipc-contract';

/** The URL schemes the phone answers. */
export const LINK_SCHEMES = [
  'tel',
  'sip',
  'sips',
  'callto',
] as const satisfies readonly LinkScheme[];
export type { LinkScheme };

const LINK_PREFIX = /^(?:tel|sips?|callto):/i;

/** Whether an argument starts with one of our schemes (so it is not a switch, a path or junk). */
export function looksLikeLink(arg: string): boolean {
  return LINK_PREFIX.test(arg);
}

/**
 * The link candidates of an argv, in order. argv[0] (the executable) is never one; a `--`
 * separator limits the search to what follows it.
 */
export function linkCandidates(argv: readonly string[]): string[] {
  const separator = argv.indexOf('--');
  const args = separator >= 0 ? argv.slice(separator + 1) : argv.slice(1);
  return args.filter((arg) => typeof arg === 'string' && looksLikeLink(arg));
}
