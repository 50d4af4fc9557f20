// Owns screen-pop: the per-account URL template ({number}, {name}, {account}, {direction},
// {callId}) opened in the default browser when a call rings, is answered or ends, and the
// decision whether a call event opens it. Every value is URL-encoded; the scheme and host of the
// template are literal (a caller's name can never choose the site), and only http/https is
// accepted. Main opens the page (and checks the URL again); the renderer only asks. Pure.
import type { ScreenPopEvent, ScreenPopSettings } from './settings-types';

/** The placeholders a template may use. */
export const SCREEN_POP_PLACEHOLDERS = [
  'number',
  'name',
  'account',
  'direction',
  'callId',
] as const;
export type ScreenPopPlaceholder = (typeof SCREEN_POP_PLACEHOLDERS)[number];
export type ScreenPopValues = Record<ScreenPopPlaceholder, string>;

/** Longest value put into the URL (a display name from the network can be long). */
export const MAX_SCREEN_POP_VALUE = 256;
/** Longest expanded URL. */
export const MAX_SCREEN_POP_URL = 4096;

export type ScreenPopExpansion = { ok: true; url: string } | { ok: false; message: string };

const PLACEHOLDER = /\{([^{}]*)\}/g;
const ORIGIN = /^(https?):\/\/([^/?#{}\s]+)(?=[/?#]|$)/i;

/** The problem with a template in one sentence, or null when it can be used ('' = off is fine). */
export function checkScreenPopTemplate(template: string): string | null {
  if (template === '') {
    return null;
  }
  if (hasSpaceOrControl(template)) {
    return 'The screen-pop address cannot contain spaces, control or invisible characters.';
  }
  const origin = ORIGIN.exec(template);
  if (!origin) {
    return 'The screen-pop address must start with http:// or https:// and a server name written out (no {placeholder} before the path).';
  }
  if ((origin[2] ?? '').includes('@')) {
    return 'The screen-pop address cannot contain a user name or password.';
  }
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = match[1] ?? '';
    if (!(SCREEN_POP_PLACEHOLDERS as readonly string[]).includes(name)) {
      return `The screen-pop address uses {${name}}; the placeholders are ${SCREEN_POP_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}.`;
    }
  }
  if (/[{}]/.test(template.replace(PLACEHOLDER, ''))) {
    return 'The screen-pop address has a "{" or "}" that is not part of a placeholder.';
  }
  return null;
}

function hasSpaceOrControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    const invisible =
      (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
    if (
      c <= 0x20 ||
      (c >= 0x7f && c <= 0x9f) ||
      invisible ||
      c === 0xfeff ||
      /\s/.test(text.charAt(i))
    ) {
      return true;
    }
  }
  return false;
}

// encodeURIComponent throws on lone surrogates (possible in a display name from the network).
function wellFormed(value: string): string {
  return value.replace(
    /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g,
    '\ufffd',
  );
}

/** The template with every placeholder replaced by its URL-encoded value. */
export function expandScreenPop(template: string, values: ScreenPopValues): ScreenPopExpansion {
  const problem = checkScreenPopTemplate(template);
  if (problem) {
    return { ok: false, message: problem };
  }
  if (template === '') {
    return { ok: false, message: 'No screen-pop address is set for this account.' };
  }
  const url = template.replace(PLACEHOLDER, (_all, name: ScreenPopPlaceholder) =>
    encodeURIComponent(wellFormed(values[name].slice(0, MAX_SCREEN_POP_VALUE))),
  );
  if (url.length > MAX_SCREEN_POP_URL) {
    return { ok: false, message: 'The screen-pop address is too long once filled in.' };
  }
  return { ok: true, url };
}

/** The scheme and host a template names (both literal), lower-cased, e.g. "https://crm.example.com". */
export function screenPopOrigin(template: string): string | null {
  const origin = ORIGIN.exec(template);
  return origin ? `${(origin[1] ?? '').toLowerCase()}://${(origin[2] ?? '').toLowerCase()}` : null;
}

/** What the renderer knows about a call when it considers a screen-pop. */
export interface ScreenPopCallFacts {
  direction: 'incoming' | 'outgoing';
  /** The call was declined by do-not-disturb (or another automatic refusal) without ringing. */
  declinedAutomatically: boolean;
}

export type ScreenPopDecision = { open: true } | { open: false; reason: string };

/**
 * Whether `event` of a call opens the account's screen-pop: only the event the user picked, only
 * for the chosen direction, never for a call that do-not-disturb declined (it never rang for the
 * user, so nothing of it may open either).
 */
export function decideScreenPop(
  event: ScreenPopEvent,
  call: ScreenPopCallFacts,
  settings: ScreenPopSettings,
): ScreenPopDecision {
  if (settings.url === '') {
    return { open: false, reason: 'screen-pop is off for this account' };
  }
  if (call.declinedAutomatically) {
    return { open: false, reason: 'the call was declined without ringing' };
  }
  if (settings.on !== event) {
    return { open: false, reason: `screen-pop opens on ${settings.on}, not on ${event}` };
  }
  if (settings.direction !== 'both' && settings.direction !== call.direction) {
    return { open: false, reason: `screen-pop is for ${settings.direction} calls only` };
  }
  return { open: true };
}
