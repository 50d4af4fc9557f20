// Owns turning untrusted dial input (tel:/sip:/sips:/callto: links from the OS, and text typed or
// pasted by the user) into a DialTarget that is safe to hand to the SIP engine, or a reason why not.
// Platform-free and pure: no Electron, Node, DOM, URL or TextDecoder; %-escapes are decoded by hand.

/** Where a dial target came from: the link's scheme, or 'typed' for scheme-less user input. */
export type DialScheme = 'tel' | 'sip' | 'sips' | 'callto' | 'typed';

/** A parsed, sanitised thing to call. Everything that could not be shown faithfully was rejected. */
export interface DialTarget {
  /** 'number' = a telephone number to be dialled through the account's server; 'address' = a SIP address user@host. */
  kind: 'number' | 'address';
  /**
   * What the engine dials. Numbers: '+' and 3–15 digits for global numbers, or local digits
   * (0-9 * # and the DTMF letters A-D), no separators, e.g. '+4930123456', '0301234567', '*97'.
   * Addresses: 'sip:user@host[:port]' ('sips:' for sips links), the user part %-escaped where
   * RFC 3261 requires it and also for ';' and '?', host lower-cased. A bare typed user name
   * ('alice') is dialled as is; the engine appends the account's domain.
   */
  dial: string;
  /** What the UI shows: numbers with separators normalised to single spaces ('+49 30 123456'); addresses as 'user@host[:port]' with the user part decoded. */
  display: string;
  scheme: DialScheme;
  /** RFC 3966 ;ext= or a typed 'x123' / ',123' suffix (digits only), to be sent as DTMF after answer. */
  extension?: string;
  /** RFC 3966 ;phone-context= (a lower-cased domain name, or '+' and digits). */
  phoneContext?: string;
  /** RFC 3966 ;isub= (ISDN subaddress, decoded, kept for display only). */
  isdnSubaddress?: string;
  /** Display name from a typed SIP name-addr ('"Bob" <sip:bob@example.com>'). */
  name?: string;
  /**
   * A per-call caller-ID prefix the user dialled before a number, as on mobile phones:
   * '#31#' hides our number for this call ('hidden', the engine calls anonymously: RFC 3323
   * Privacy: id), '*31#' shows it ('shown'). The prefix is not dialled (a '#' in a Request-URI
   * means nothing to a gateway); `display` keeps it so the user sees what will happen.
   */
  callerId?: 'hidden' | 'shown';
  /**
   * A sip:/sips: link's `?body=` URI header (RFC 3261 §19.1.1), decoded: the text of a message
   * to show as a DRAFT in the chat with this address. Inert data: it is never sent, and never
   * placed in a SIP request, without the user's click. At most MAX_LINK_BODY code points of
   * printable text (line breaks and tabs allowed, CR LF → LF); otherwise it is dropped and
   * listed in `dropped`.
   */
  body?: string;
  /** Parts of the input that were removed for safety, human-readable, e.g. 'URI header "Subject"'. Empty when nothing was removed. */
  dropped: string[];
}

/** Why an input was refused; each has a fixed user-facing sentence in the result's message. */
export type DialRejectReason =
  | 'empty'
  | 'too-long'
  | 'control-characters'
  | 'bad-escape'
  | 'unknown-scheme'
  | 'not-a-number'
  | 'invalid-characters'
  | 'non-ascii'
  | 'bad-host'
  | 'bad-user'
  | 'looks-like-a-switch'
  | 'unsupported-callto'
  | 'bad-parameter';

/** Outcome of a parse: a target, or a reason plus one plain sentence for the user (never echoing the input). */
export type DialParseResult =
  { ok: true; target: DialTarget } | { ok: false; reason: DialRejectReason; message: string };

/** Maximum accepted input length in characters (UTF-16 code units), checked before anything else. */
export const MAX_DIAL_INPUT = 2048;

/** Longest message draft a link may carry (code points, after decoding). */
export const MAX_LINK_BODY = 1000;

type Step<T> = { ok: true; value: T } | { ok: false; reason: DialRejectReason };

interface NumberBody {
  dial: string;
  display: string;
  global: boolean;
}

interface TelParams {
  extension?: string;
  phoneContext?: string;
  isdnSubaddress?: string;
  dropped: string[];
}

interface NumberParts extends TelParams {
  dial: string;
  display: string;
  callerId?: 'hidden' | 'shown';
}

interface SipAddress {
  user: string;
  host: string;
  port: string;
  /** ';user=phone' (RFC 3261 §19.1.1), kept for a telephone-number user: gateways route on it. */
  userPhone: boolean;
  dropped: string[];
}

interface Param {
  name: string;
  value: string | undefined;
}

interface NameAddr {
  name: string;
  inner: string;
  tail: string;
}

const MESSAGES: Record<DialRejectReason, string> = {
  empty: 'There is no phone number or SIP address to call.',
  'too-long': 'This is too long to be a phone number or SIP address.',
  'control-characters': 'This contains hidden control characters, so it cannot be called.',
  'bad-escape': 'This link contains a damaged %-escape sequence.',
  'unknown-scheme': 'This link is not a phone number or SIP address.',
  'not-a-number': 'This is not a valid phone number.',
  'invalid-characters':
    'This contains characters that are not allowed in a phone number or SIP address.',
  'non-ascii': 'This contains non-ASCII characters that could disguise what would be called.',
  'bad-host': 'The server part of this SIP address is not valid.',
  'bad-user': 'This SIP address does not name a valid user.',
  'looks-like-a-switch': 'This looks like a command-line option, not a phone number or address.',
  'unsupported-callto': 'This callto: link names a contact of another calling service.',
  'bad-parameter': 'This link has a malformed or repeated parameter.',
};

const LINK_SCHEMES = ['tel', 'sip', 'sips', 'callto'] as const;
type LinkScheme = (typeof LINK_SCHEMES)[number];

const SCHEME_RE = /^([A-Za-z][A-Za-z0-9+.-]*):/;
/** Characters RFC 3986 never allows raw in a URI (space included). */
const LINK_FORBIDDEN = /[ "<>\\^`{|}]/;
const NON_ASCII = /[\u0080-\uffff]/;
const USER_RAW = /^(?:[A-Za-z0-9\-_.!~*'()&=+$,;/]|%[0-9A-Fa-f]{2})+$/;
/** User characters left unescaped in `dial` (RFC 3261 unreserved + user-unreserved minus ';' '?'). */
const USER_PLAIN = /^[A-Za-z0-9\-_.!~*'()&=+$,/]$/;
const PARAM_CHARS = /^(?:[A-Za-z0-9\-_.!~*'()[\]/:&+$]|%[0-9A-Fa-f]{2})+$/;
const HEADER_NAME = /^(?:[A-Za-z0-9\-_.!~*'()[\]/?:+$]|%[0-9A-Fa-f]{2})+$/;
const TEL_PNAME = /^[A-Za-z0-9-]+$/;
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const TEL_SEPARATORS = '-.() ';
const TYPED_SEPARATORS = '-.() /';
const TYPED_NUMBER_SHAPE = /^[+0-9*#()\-./ ]+$/;
const TYPED_EXTENSION = /^(.*?[0-9#*)]) *(?:[,;pw]+|x|ext\.?) *([0-9]+)$/i;
const BARE_USER = /^[A-Za-z][A-Za-z0-9._~!$&'()*+,=-]*$/;
/** A SIP user part that is a telephone number (RFC 3966 telephone-subscriber, decoded). */
const TELEPHONE_USER =
  /^(?:\+[0-9().-]*[0-9][0-9().-]*|[0-9A-Da-d*#().-]*[0-9][0-9A-Da-d*#().-]*)$/;
const CALLTO_NUMBER = /^[+0-9*#().\- ]+$/;
const MAX_GLOBAL_DIGITS = 15;
const MIN_GLOBAL_DIGITS = 3;
const MAX_LOCAL_DIGITS = 32;

/**
 * Parses a link handed over by the OS (argv, second-instance, open-url, tray). It must use one of
 * tel:, sip:, sips: or callto: (scheme case-insensitive); ASCII spaces around it are trimmed.
 *
 * Strict by design: raw non-ASCII, raw spaces (except between the digits of a tel: or callto:
 * number, which web pages and apps pass as written), control/bidi/zero-width characters (raw or
 * %-escaped), malformed escapes or UTF-8, and anything starting with '-' are refused. SIP URI
 * parameters, headers and passwords are removed and listed in `dropped`, except ';user=phone'
 * on a telephone-number user, which gateways route on. tel: numbers allow the RFC 3966
 * separators '-', '.', '(', ')' and %20; a '(0)' after the country code is dropped; a leading
 * '#31#' or '*31#' sets `callerId`. Vanity letters (1-800-FLOWERS) are NOT converted; local tel:
 * numbers accept only the DTMF letters A-D (E and F cannot be dialled and are refused). tel://
 * and sip:// forms are accepted. sip: links always give kind 'address', even for ';user=phone'
 * or numeric users: the server named in the link is what the user sees and what gets called.
 */
export function parseDialLink(input: string): DialParseResult {
  if (typeof input !== 'string') {
    return finish(no('empty'));
  }
  if (input.length > MAX_DIAL_INPUT) {
    return finish(no('too-long'));
  }
  return finish(parseLinkText(trimAsciiSpaces(input)));
}

/**
 * Parses what the user typed or pasted (dial field, "Call number from clipboard"). Accepts:
 * - a number in common written forms: '+49 (0)30 1234567', '(030) 123-45 67', '+1.415.555.0100',
 *   '030/1234567', with no-break/thin spaces, Unicode dashes and fullwidth digits/'＋' normalised,
 *   optionally ending in an extension ('x123', 'ext. 123', ',,123', 'p123', 'w123', ';123'),
 *   optionally after a '#31#' / '*31#' caller-ID prefix (`callerId`);
 * - a link with a scheme (parsed exactly like parseDialLink, `scheme` is the link's);
 * - a SIP address without scheme ('alice@example.com' → dial 'sip:alice@example.com');
 * - a name-addr ('"Bob" <sip:bob@example.com>', name → `name`);
 * - a bare user name starting with a letter ('alice'): kind 'address' with `dial` 'alice', to
 *   which the engine appends the account's domain. Digits-only input ('1001') is a number.
 * Letters mixed into a number (vanity numbers) are refused as 'not-a-number'.
 */
export function parseTypedDial(input: string): DialParseResult {
  if (typeof input !== 'string') {
    return finish(no('empty'));
  }
  if (input.length > MAX_DIAL_INPUT) {
    return finish(no('too-long'));
  }
  return finish(parseTypedText(input.trim(), true));
}

// ---------------------------------------------------------------------------------------------
// Result plumbing

function ok<T>(value: T): Step<T> {
  return { ok: true, value };
}

function no<T>(reason: DialRejectReason): Step<T> {
  return { ok: false, reason };
}

function mapStep<A, B>(step: Step<A>, map: (value: A) => B): Step<B> {
  return step.ok ? ok(map(step.value)) : step;
}

function finish(step: Step<DialTarget>): DialParseResult {
  if (step.ok) {
    return { ok: true, target: step.value };
  }
  return { ok: false, reason: step.reason, message: MESSAGES[step.reason] };
}

// ---------------------------------------------------------------------------------------------
// Character classes and %-decoding

/** C0, DEL, C1, and invisible format characters (bidi controls, zero-width, line separators). */
function isControlCode(c: number): boolean {
  return (
    c < 0x20 ||
    (c >= 0x7f && c <= 0x9f) ||
    c === 0x061c ||
    c === 0x180e ||
    (c >= 0x200b && c <= 0x200f) ||
    (c >= 0x2028 && c <= 0x202e) ||
    (c >= 0x2060 && c <= 0x2064) ||
    (c >= 0x2066 && c <= 0x206f) ||
    c === 0xfeff
  );
}

function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (isControlCode(s.charCodeAt(i))) {
      return true;
    }
  }
  return false;
}

function hasNonAscii(s: string): boolean {
  return NON_ASCII.test(s);
}

function hasLoneSurrogate(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) {
      continue;
    }
    const next = s.charCodeAt(i + 1);
    if (c > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) {
      return true;
    }
    i++;
  }
  return false;
}

function hexByte(s: string, at: number): number {
  const pair = s.slice(at, at + 2);
  return /^[0-9A-Fa-f]{2}$/.test(pair) ? parseInt(pair, 16) : -1;
}

/** Decodes %-escapes exactly once; runs of escaped bytes must be well-formed UTF-8. */
function decodePercent(s: string): Step<string> {
  let out = '';
  let i = 0;
  while (i < s.length) {
    if (s.charAt(i) !== '%') {
      out += s.charAt(i);
      i++;
      continue;
    }
    const bytes: number[] = [];
    while (s.charAt(i) === '%') {
      const byte = hexByte(s, i + 1);
      if (byte < 0) {
        return no('bad-escape');
      }
      bytes.push(byte);
      i += 3;
    }
    const text = decodeUtf8(bytes);
    if (text === null) {
      return no('bad-escape');
    }
    out += text;
  }
  return ok(out);
}

function decodeUtf8(bytes: number[]): string | null {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const seq = utf8Sequence(bytes, i);
    if (seq === null) {
      return null;
    }
    out += String.fromCodePoint(seq.cp);
    i += seq.len;
  }
  return out;
}

/** One strict UTF-8 sequence: no overlongs, no surrogates, nothing above U+10FFFF. */
function utf8Sequence(bytes: number[], at: number): { cp: number; len: number } | null {
  const b0 = bytes[at] ?? 0;
  if (b0 < 0x80) {
    return { cp: b0, len: 1 };
  }
  const len =
    b0 >= 0xc2 && b0 <= 0xdf ? 2 : b0 >= 0xe0 && b0 <= 0xef ? 3 : b0 >= 0xf0 && b0 <= 0xf4 ? 4 : 0;
  if (len === 0) {
    return null;
  }
  let cp = b0 & (0xff >> (len + 1));
  for (let k = 1; k < len; k++) {
    const b = bytes[at + k];
    if (b === undefined || (b & 0xc0) !== 0x80) {
      return null;
    }
    cp = (cp << 6) | (b & 0x3f);
  }
  const min = len === 2 ? 0x80 : len === 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
    return null;
  }
  return { cp, len };
}

/** A parameter/header name for `dropped`: decoded when possible, at most 40 characters. */
function label(name: string): string {
  const decoded = decodePercent(name);
  const chars = Array.from(decoded.ok ? decoded.value : name);
  return chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : chars.join('');
}

// ---------------------------------------------------------------------------------------------
// Links

function trimAsciiSpaces(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) === 0x20) {
    start++;
  }
  while (end > start && s.charCodeAt(end - 1) === 0x20) {
    end--;
  }
  return s.slice(start, end);
}

function isLinkScheme(s: string | undefined): s is LinkScheme {
  return (LINK_SCHEMES as readonly (string | undefined)[]).includes(s);
}

function parseLinkText(text: string): Step<DialTarget> {
  if (text === '') {
    return no('empty');
  }
  if (hasControl(text)) {
    return no('control-characters');
  }
  if (text.startsWith('-')) {
    return no('looks-like-a-switch');
  }
  const match = SCHEME_RE.exec(text);
  const scheme = match?.[1]?.toLowerCase();
  if (match === null || !isLinkScheme(scheme)) {
    return no('unknown-scheme');
  }
  if (hasNonAscii(text)) {
    return no('non-ascii');
  }
  const after = text.slice(match[0].length);
  const spaced = scheme === 'tel' || scheme === 'callto' ? escapeNumberSpaces(after) : after;
  if (LINK_FORBIDDEN.test(spaced)) {
    return no('invalid-characters');
  }
  const full = spaced.replace(/^\/\//, '');
  if (full === '') {
    return no('empty');
  }
  // The body header may hold line breaks, which everything else refuses: it is read on its own.
  const split: Step<{ rest: string; body?: LinkBody }> =
    scheme === 'sip' || scheme === 'sips' ? takeBodyHeader(full) : ok({ rest: full });
  if (!split.ok) {
    return split;
  }
  const { rest, body } = split.value;
  const checked = checkDecoded(rest);
  const parsed = checked.ok ? parseSchemeRest(scheme, rest) : checked;
  return parsed.ok && body ? ok(withBody(parsed.value, body)) : parsed;
}

interface LinkBody {
  text: string | null;
  dropped: string | null;
}

/**
 * Removes a `body=` header from the headers of a sip: link (`user@host?h=v&body=…`), returning
 * the rest and the body read by readLinkBody. A repeated body header is malformed.
 */
function takeBodyHeader(rest: string): Step<{ rest: string; body?: LinkBody }> {
  const at = rest.indexOf('@');
  const query = rest.indexOf('?', at < 0 ? 0 : at);
  if (query < 0) {
    return ok({ rest });
  }
  const kept: string[] = [];
  const bodies: string[] = [];
  for (const header of rest.slice(query + 1).split('&')) {
    const eq = header.indexOf('=');
    const name = decodePercent(eq < 0 ? header : header.slice(0, eq));
    if (name.ok && name.value.toLowerCase() === 'body' && eq >= 0) {
      bodies.push(header.slice(eq + 1));
    } else {
      kept.push(header);
    }
  }
  if (bodies.length > 1) {
    return no('bad-parameter');
  }
  const head = rest.slice(0, query);
  const others = kept.filter((h) => h !== '');
  const without = others.length > 0 ? `${head}?${others.join('&')}` : head;
  const raw = bodies[0];
  return raw === undefined ? ok({ rest: without }) : ok({ rest: without, body: readLinkBody(raw) });
}

/**
 * Decodes a link's body: text without C0/C1 controls (TAB and line breaks allowed), at most
 * MAX_LINK_BODY code points. Bidi and zero-width characters are left to the renderer, which
 * cleans every draft like network text (emoji need the zero-width joiner).
 */
function readLinkBody(raw: string): LinkBody {
  const decoded = decodePercent(raw);
  if (!decoded.ok) {
    return { text: null, dropped: 'URI header "body" (a damaged %-escape)' };
  }
  const text = decoded.value.replace(/\r\n?/g, '\n');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a) || (c >= 0x7f && c <= 0x9f)) {
      return { text: null, dropped: 'URI header "body" (hidden control characters)' };
    }
  }
  if (hasLoneSurrogate(text)) {
    return { text: null, dropped: 'URI header "body" (invalid characters)' };
  }
  if (Array.from(text).length > MAX_LINK_BODY) {
    return { text: null, dropped: `URI header "body" (longer than ${MAX_LINK_BODY} characters)` };
  }
  return text.trim() === '' ? { text: null, dropped: null } : { text, dropped: null };
}

function withBody(target: DialTarget, body: LinkBody): DialTarget {
  if (body.text !== null) {
    return { ...target, body: body.text };
  }
  return body.dropped ? { ...target, dropped: [...target.dropped, body.dropped] } : target;
}

/**
 * The raw spaces of a tel:/callto: number (the part before ';' or '?') as %20, which RFC 3966
 * allows as a visual separator: 'tel:+49 30 123456' is what many pages and apps pass. Spaces
 * anywhere else stay raw and are refused.
 */
function escapeNumberSpaces(rest: string): string {
  const end = rest.search(/[;?]/);
  const number = end < 0 ? rest : rest.slice(0, end);
  return trimAsciiSpaces(number).replace(/ /g, '%20') + (end < 0 ? '' : rest.slice(end));
}

/** Validates the escapes of `s` and refuses control characters or a leading '-' once decoded. */
function checkDecoded(s: string): Step<string> {
  if (s.startsWith('-')) {
    return no('looks-like-a-switch');
  }
  const decoded = decodePercent(s);
  if (!decoded.ok) {
    return decoded;
  }
  if (hasControl(decoded.value)) {
    return no('control-characters');
  }
  if (decoded.value.trimStart().startsWith('-')) {
    return no('looks-like-a-switch');
  }
  return decoded;
}

function parseSchemeRest(scheme: LinkScheme, rest: string): Step<DialTarget> {
  if (scheme === 'tel') {
    return mapStep(parseTelRest(rest), (n) => numberTarget(n, 'tel'));
  }
  if (scheme === 'callto') {
    return parseCalltoRest(rest);
  }
  return mapStep(parseSipRest(rest), (a) => addressTarget(a, scheme === 'sips', scheme));
}

function numberTarget(n: NumberParts, scheme: DialScheme): DialTarget {
  const target: DialTarget = {
    kind: 'number',
    dial: n.dial,
    display: n.display,
    scheme,
    dropped: n.dropped,
  };
  if (n.extension !== undefined) {
    target.extension = n.extension;
  }
  if (n.phoneContext !== undefined) {
    target.phoneContext = n.phoneContext;
  }
  if (n.isdnSubaddress !== undefined) {
    target.isdnSubaddress = n.isdnSubaddress;
  }
  if (n.callerId !== undefined) {
    target.callerId = n.callerId;
  }
  return target;
}

function addressTarget(a: SipAddress, secure: boolean, scheme: DialScheme): DialTarget {
  const hostport = a.port === '' ? a.host : `${a.host}:${a.port}`;
  return {
    kind: 'address',
    dial: `${secure ? 'sips' : 'sip'}:${escapeUser(a.user)}@${hostport}${a.userPhone ? ';user=phone' : ''}`,
    display: `${a.user}@${hostport}`,
    scheme,
    dropped: a.dropped,
  };
}

// ---------------------------------------------------------------------------------------------
// Telephone numbers (tel: links, numeric callto: links, typed numbers)

function parseTelRest(rest: string): Step<NumberParts> {
  const [numberRaw = '', ...params] = rest.split(';');
  const decoded = decodePercent(numberRaw);
  if (!decoded.ok) {
    return decoded;
  }
  const prefixed = splitCallerIdPrefix(decoded.value);
  const body = parseNumberBody(prefixed.number, TEL_SEPARATORS, true);
  if (!body.ok) {
    return body;
  }
  const extra = parseTelParams(params, body.value.global);
  if (!extra.ok) {
    return extra;
  }
  const parts = { ...extra.value, dial: body.value.dial, display: body.value.display };
  return ok(withCallerId(parts, prefixed.callerId));
}

/** GSM per-call caller-ID codes: '#31#' hides our number for the call, '*31#' shows it. */
const CALLER_ID_PREFIXES: Readonly<Record<string, 'hidden' | 'shown'>> = {
  '#31#': 'hidden',
  '*31#': 'shown',
};

/**
 * '#31#+49 30 123' → the number '+49 30 123' and 'hidden'. Only when a number follows: a code
 * alone ('#31#') is dialled as it is (a PBX feature code).
 */
function splitCallerIdPrefix(text: string): {
  number: string;
  callerId: 'hidden' | 'shown' | undefined;
} {
  const callerId = CALLER_ID_PREFIXES[text.slice(0, 4)];
  const number = text.slice(4).trimStart();
  if (callerId === undefined || !/[0-9]/.test(number)) {
    return { number: text, callerId: undefined };
  }
  return { number, callerId };
}

/** A parsed number with the caller-ID prefix it had: in `callerId`, and visible in `display`. */
function withCallerId(
  parts: Omit<NumberParts, 'callerId'>,
  callerId: 'hidden' | 'shown' | undefined,
): NumberParts {
  if (callerId === undefined) {
    return { ...parts };
  }
  const code = callerId === 'hidden' ? '#31#' : '*31#';
  return { ...parts, display: `${code} ${parts.display}`, callerId };
}

/** Digits and separators → dial digits plus a display grouped by single spaces. */
function parseNumberBody(text: string, separators: string, allowHex: boolean): Step<NumberBody> {
  const global = text.startsWith('+');
  const rest = global ? dropTrunkZero(text.slice(1)) : text;
  const groups: string[] = [];
  let group = '';
  for (const ch of rest) {
    const digit = numberChar(ch, global, allowHex);
    if (digit !== null) {
      group += digit;
      continue;
    }
    if (!separators.includes(ch)) {
      return no(badNumberChar(ch));
    }
    if (group !== '') {
      groups.push(group);
    }
    group = '';
  }
  if (group !== '') {
    groups.push(group);
  }
  return checkNumber(global, groups);
}

/** '+49 (0)30' → '+49  30': the bracketed trunk zero after a 1–3 digit country code is dropped. */
function dropTrunkZero(s: string): string {
  const at = s.indexOf('(0)');
  if (at < 0) {
    return s;
  }
  const digitsBefore = s.slice(0, at).replace(/[^0-9]/g, '').length;
  if (digitsBefore < 1 || digitsBefore > 3) {
    return s;
  }
  return `${s.slice(0, at)} ${s.slice(at + 3)}`;
}

function numberChar(ch: string, global: boolean, allowHex: boolean): string | null {
  if (/^[0-9]$/.test(ch)) {
    return ch;
  }
  if (global) {
    return null;
  }
  if (ch === '*' || ch === '#') {
    return ch;
  }
  return allowHex && /^[A-Da-d]$/.test(ch) ? ch.toUpperCase() : null;
}

function badNumberChar(ch: string): DialRejectReason {
  if (ch === '+') {
    return 'not-a-number';
  }
  return hasNonAscii(ch) ? 'non-ascii' : 'invalid-characters';
}

function checkNumber(global: boolean, groups: string[]): Step<NumberBody> {
  const digits = groups.join('');
  const prefix = global ? '+' : '';
  if (!/[0-9]/.test(digits)) {
    return no('not-a-number');
  }
  const tooShort = global && digits.length < MIN_GLOBAL_DIGITS;
  const tooLong = digits.length > (global ? MAX_GLOBAL_DIGITS : MAX_LOCAL_DIGITS);
  if (tooShort || tooLong) {
    return no('not-a-number');
  }
  return ok({ dial: prefix + digits, display: prefix + groups.join(' '), global });
}

function parseTelParams(params: string[], global: boolean): Step<TelParams> {
  const out: TelParams = { dropped: [] };
  const seen = new Set<string>();
  for (const raw of params) {
    const param = splitParam(raw, TEL_PNAME);
    if (!param.ok) {
      return param;
    }
    const key = param.value.name.toLowerCase();
    if (seen.has(key)) {
      return no('bad-parameter');
    }
    seen.add(key);
    const applied = applyTelParam(out, key, param.value, global);
    if (!applied.ok) {
      return applied;
    }
  }
  return ok(out);
}

function applyTelParam(out: TelParams, key: string, param: Param, global: boolean): Step<true> {
  if (key !== 'ext' && key !== 'isub' && key !== 'phone-context') {
    out.dropped.push(`URI parameter "${label(param.name)}"`);
    return ok(true);
  }
  const decoded = decodePercent(param.value ?? '');
  if (!decoded.ok || decoded.value === '' || (key === 'phone-context' && global)) {
    return no('bad-parameter');
  }
  const parse = key === 'ext' ? parseExtension : key === 'isub' ? parseIsub : parsePhoneContext;
  const value = parse(decoded.value);
  if (!value.ok) {
    return value;
  }
  if (key === 'ext') {
    out.extension = value.value;
  } else if (key === 'isub') {
    out.isdnSubaddress = value.value;
  } else {
    out.phoneContext = value.value;
  }
  return ok(true);
}

function parseExtension(value: string): Step<string> {
  let digits = '';
  for (const ch of value) {
    if (/^[0-9]$/.test(ch)) {
      digits += ch;
    } else if (!TEL_SEPARATORS.includes(ch)) {
      return no('bad-parameter');
    }
  }
  return digits.length >= 1 && digits.length <= MAX_LOCAL_DIGITS ? ok(digits) : no('bad-parameter');
}

function parseIsub(value: string): Step<string> {
  return /^[!-~]+$/.test(value) ? ok(value) : no('bad-parameter');
}

function parsePhoneContext(value: string): Step<string> {
  if (value.startsWith('+')) {
    const digits = value.slice(1).replace(/[-.()]/g, '');
    return /^[0-9]{1,15}$/.test(digits) ? ok(`+${digits}`) : no('bad-parameter');
  }
  const lower = value.toLowerCase();
  return !hasNonAscii(value) && isHostname(lower) ? ok(lower) : no('bad-parameter');
}

/** name[=value]; the name must match `nameChars`, a value (if any) must be non-empty paramchars. */
function splitParam(raw: string, nameChars: RegExp): Step<Param> {
  const eq = raw.indexOf('=');
  const name = eq < 0 ? raw : raw.slice(0, eq);
  const value = eq < 0 ? undefined : raw.slice(eq + 1);
  if (!nameChars.test(name)) {
    return no('bad-parameter');
  }
  if (value !== undefined && !PARAM_CHARS.test(value)) {
    return no('bad-parameter');
  }
  return ok({ name, value });
}

// ---------------------------------------------------------------------------------------------
// SIP addresses (sip:/sips: links, callto: with '@', typed user@host)

function parseSipRest(rest: string): Step<SipAddress> {
  const at = rest.indexOf('@');
  if (at < 0) {
    return no('bad-user');
  }
  const userinfo = parseUserinfo(rest.slice(0, at));
  if (!userinfo.ok) {
    return userinfo;
  }
  const query = rest.indexOf('?', at);
  const main = query < 0 ? rest.slice(at + 1) : rest.slice(at + 1, query);
  const semi = main.indexOf(';');
  const hostport = parseHostPort(semi < 0 ? main : main.slice(0, semi));
  if (!hostport.ok) {
    return hostport;
  }
  const phoneUser = TELEPHONE_USER.test(userinfo.value.user);
  const params =
    semi < 0 ? ok({ dropped: [], userPhone: false }) : sipParams(main.slice(semi + 1), phoneUser);
  if (!params.ok) {
    return params;
  }
  const headers = query < 0 ? ok<string[]>([]) : dropHeaders(rest.slice(query + 1));
  if (!headers.ok) {
    return headers;
  }
  const dropped = [...userinfo.value.dropped, ...params.value.dropped, ...headers.value];
  return ok({
    user: userinfo.value.user,
    ...hostport.value,
    userPhone: params.value.userPhone,
    dropped,
  });
}

function parseUserinfo(raw: string): Step<{ user: string; dropped: string[] }> {
  const colon = raw.indexOf(':');
  const user = parseUser(colon < 0 ? raw : raw.slice(0, colon));
  if (!user.ok) {
    return user;
  }
  return ok({ user: user.value, dropped: colon < 0 ? [] : ['password in userinfo'] });
}

/**
 * RFC 3261 user characters, except a raw '?' (which would make headers look like a user). Once
 * decoded the user must be printable ASCII without spaces or '@', so the display cannot mislead.
 */
function parseUser(raw: string): Step<string> {
  if (hasNonAscii(raw)) {
    return no('non-ascii');
  }
  if (!USER_RAW.test(raw)) {
    return no('bad-user');
  }
  const decoded = decodePercent(raw);
  if (!decoded.ok) {
    return decoded;
  }
  if (hasNonAscii(decoded.value)) {
    return no('non-ascii');
  }
  return /^[!-?A-~]+$/.test(decoded.value) ? decoded : no('bad-user');
}

function escapeUser(user: string): string {
  let out = '';
  for (const ch of user) {
    const hex = ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0');
    out += USER_PLAIN.test(ch) ? ch : `%${hex}`;
  }
  return out;
}

function parseHostPort(raw: string): Step<{ host: string; port: string }> {
  if (hasNonAscii(raw)) {
    return no('bad-host');
  }
  const split = splitHostPort(raw.toLowerCase());
  if (split === null || !isValidHost(split.host)) {
    return no('bad-host');
  }
  if (split.port === null) {
    return ok({ host: split.host, port: '' });
  }
  const port = /^[0-9]{1,5}$/.test(split.port) ? Number(split.port) : 0;
  if (port < 1 || port > 65535) {
    return no('bad-host');
  }
  return ok({ host: split.host, port: String(port) });
}

function splitHostPort(s: string): { host: string; port: string | null } | null {
  if (s.startsWith('[')) {
    const close = s.indexOf(']');
    const after = close < 0 ? '' : s.slice(close + 1);
    if (close < 0 || (after !== '' && !after.startsWith(':'))) {
      return null;
    }
    return { host: s.slice(0, close + 1), port: after === '' ? null : after.slice(1) };
  }
  const colon = s.indexOf(':');
  return colon < 0
    ? { host: s, port: null }
    : { host: s.slice(0, colon), port: s.slice(colon + 1) };
}

function isValidHost(host: string): boolean {
  if (host.startsWith('[')) {
    return host.endsWith(']') && isIpv6(host.slice(1, -1));
  }
  if (/^[0-9.]+$/.test(host)) {
    return isIpv4(host);
  }
  return isHostname(host);
}

/** Lower-case LDH hostname: labels 1–63, no edge '-', ≤ 253 chars, top label starts with a letter. */
function isHostname(host: string): boolean {
  const name = host.endsWith('.') ? host.slice(0, -1) : host;
  if (name === '' || name.length > 253) {
    return false;
  }
  const labels = name.split('.');
  if (!labels.every((l) => HOST_LABEL.test(l))) {
    return false;
  }
  return /^[a-z]/.test(labels[labels.length - 1] ?? '');
}

function isIpv4(s: string): boolean {
  const parts = s.split('.');
  return (
    parts.length === 4 && parts.every((p) => /^(?:0|[1-9][0-9]{0,2})$/.test(p) && Number(p) <= 255)
  );
}

/** Lower-case IPv6 text form: up to 8 groups, at most one '::', optional trailing dotted quad. */
function isIpv6(s: string): boolean {
  if (!/^[0-9a-f:.]+$/.test(s)) {
    return false;
  }
  const halves = s.split('::');
  if (halves.length > 2) {
    return false;
  }
  const groups = halves.flatMap((h) => (h === '' ? [] : h.split(':')));
  let count = 0;
  for (const [i, group] of groups.entries()) {
    const lastGroup = i === groups.length - 1 && !s.endsWith(':');
    if (group.includes('.') ? !(lastGroup && isIpv4(group)) : !/^[0-9a-f]{1,4}$/.test(group)) {
      return false;
    }
    count += group.includes('.') ? 2 : 1;
  }
  return halves.length === 2 ? count < 8 : count === 8;
}

/**
 * SIP URI parameters: all are dropped (maddr, transport, lr, method… would reroute or reshape
 * the request), except ';user=phone' when the user part is a telephone number.
 */
function sipParams(s: string, phoneUser: boolean): Step<{ dropped: string[]; userPhone: boolean }> {
  const dropped: string[] = [];
  let userPhone = false;
  for (const raw of s.split(';')) {
    const param = splitParam(raw, PARAM_CHARS);
    if (!param.ok) {
      return param;
    }
    const { name, value } = param.value;
    if (phoneUser && name.toLowerCase() === 'user' && value?.toLowerCase() === 'phone') {
      userPhone = true;
    } else {
      dropped.push(`URI parameter "${label(name)}"`);
    }
  }
  return ok({ dropped, userPhone });
}

/** ?name=value&...: every header is dropped; a header without a name or '=' is malformed. */
function dropHeaders(s: string): Step<string[]> {
  const dropped: string[] = [];
  for (const raw of s.split('&')) {
    if (raw === '') {
      continue;
    }
    const eq = raw.indexOf('=');
    if (eq < 0 || !HEADER_NAME.test(raw.slice(0, eq))) {
      return no('bad-parameter');
    }
    dropped.push(`URI header "${label(raw.slice(0, eq))}"`);
  }
  return ok(dropped);
}

// ---------------------------------------------------------------------------------------------
// callto:

function parseCalltoRest(rest: string): Step<DialTarget> {
  const q = rest.indexOf('?');
  const main = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? [] : dropQuery(rest.slice(q + 1));
  if (main === '') {
    return no('empty');
  }
  if (main.includes('@')) {
    const address = parseSipRest(main);
    return mapStep(address, (a) =>
      addressTarget({ ...a, dropped: [...a.dropped, ...query] }, false, 'callto'),
    );
  }
  const numberPart = decodePercent(main.split(';')[0] ?? '');
  if (!numberPart.ok || !CALLTO_NUMBER.test(numberPart.value)) {
    return no('unsupported-callto');
  }
  return mapStep(parseTelRest(main), (n) =>
    numberTarget({ ...n, dropped: [...n.dropped, ...query] }, 'callto'),
  );
}

function dropQuery(query: string): string[] {
  return query
    .split('&')
    .filter((part) => part !== '')
    .map((part) => `URI query "${label(part.split('=')[0] || part)}"`);
}

// ---------------------------------------------------------------------------------------------
// Typed input

function parseTypedText(s: string, allowNameAddr: boolean): Step<DialTarget> {
  if (s === '') {
    return no('empty');
  }
  if (hasControl(s)) {
    return no('control-characters');
  }
  if (hasLoneSurrogate(s)) {
    return no('invalid-characters');
  }
  if (s.startsWith('-')) {
    return no('looks-like-a-switch');
  }
  if (s.includes('<') || s.includes('>')) {
    return allowNameAddr ? parseNameAddr(s) : no('invalid-characters');
  }
  if (SCHEME_RE.test(s)) {
    return parseLinkText(s);
  }
  return s.includes('@') ? parseTypedAddress(s) : parseTypedPlain(s);
}

function parseTypedAddress(s: string): Step<DialTarget> {
  const checked = checkDecoded(s);
  if (!checked.ok) {
    return checked;
  }
  return mapStep(parseSipRest(s), (a) => addressTarget(a, false, 'typed'));
}

function parseTypedPlain(s: string): Step<DialTarget> {
  const normalised = normaliseTypedChars(s);
  const number = parseTypedNumber(normalised);
  if (number !== null) {
    return mapStep(number, (n) => numberTarget(n, 'typed'));
  }
  if (BARE_USER.test(s)) {
    return ok({ kind: 'address', dial: s, display: s, scheme: 'typed', dropped: [] });
  }
  if (hasNonAscii(normalised)) {
    return no('non-ascii');
  }
  const numberish = /^[+0-9(*#]/.test(normalised) && /[0-9]/.test(normalised);
  return no(numberish ? 'not-a-number' : 'invalid-characters');
}

/** Fullwidth digits and '＋' → ASCII, Unicode spaces → ' ', Unicode dashes and minus → '-'. */
function normaliseTypedChars(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.codePointAt(0) ?? 0;
    if (c >= 0xff10 && c <= 0xff19) {
      out += String.fromCharCode(c - 0xff10 + 0x30);
    } else if (c === 0xff0b) {
      out += '+';
    } else if (
      c === 0xa0 ||
      c === 0x1680 ||
      (c >= 0x2000 && c <= 0x200a) ||
      c === 0x202f ||
      c === 0x205f ||
      c === 0x3000
    ) {
      out += ' ';
    } else if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212) {
      out += '-';
    } else {
      out += ch;
    }
  }
  return out;
}

/**
 * A typed number with an optional caller-ID prefix and extension suffix, or null when `s` is
 * not number-shaped.
 */
function parseTypedNumber(typed: string): Step<NumberParts> | null {
  const prefixed = splitCallerIdPrefix(typed);
  const parts = parseTypedDigits(prefixed.number);
  return parts && mapStep(parts, (p) => withCallerId(p, prefixed.callerId));
}

function parseTypedDigits(s: string): Step<NumberParts> | null {
  const match = TYPED_EXTENSION.exec(s);
  const body = match?.[1] ?? s;
  const extension = match?.[2];
  if (!TYPED_NUMBER_SHAPE.test(body)) {
    return null;
  }
  const parsed = parseNumberBody(body, TYPED_SEPARATORS, false);
  if (!parsed.ok) {
    return parsed;
  }
  if (extension !== undefined && extension.length > MAX_LOCAL_DIGITS) {
    return no('not-a-number');
  }
  const parts: NumberParts = {
    dial: parsed.value.dial,
    display: parsed.value.display,
    dropped: [],
  };
  if (extension !== undefined) {
    parts.extension = extension;
  }
  return ok(parts);
}

function parseNameAddr(s: string): Step<DialTarget> {
  const parts = splitNameAddr(s);
  if (!parts.ok) {
    return parts;
  }
  const tail = dropNameAddrParams(parts.value.tail);
  if (!tail.ok) {
    return tail;
  }
  const inner = parseTypedText(parts.value.inner.trim(), false);
  if (!inner.ok) {
    return inner;
  }
  const target: DialTarget = { ...inner.value, dropped: [...inner.value.dropped, ...tail.value] };
  const name = parts.value.name.replace(/\s+/g, ' ').trim();
  if (name !== '') {
    target.name = name;
  }
  return ok(target);
}

/** '"Name" <uri>;params' or 'Name <uri>' → its pieces; anything else is refused. */
function splitNameAddr(s: string): Step<NameAddr> {
  const quoted = s.startsWith('"') ? readQuoted(s) : null;
  const open = s.indexOf('<');
  if (s.startsWith('"') ? quoted === null : open < 0 || /["<>]/.test(s.slice(0, open))) {
    return no('invalid-characters');
  }
  const name = quoted?.text ?? s.slice(0, open);
  const rest = quoted === null ? s.slice(open) : s.slice(quoted.end).trimStart();
  const close = rest.indexOf('>');
  if (!rest.startsWith('<') || close < 0 || rest.slice(1, close).includes('<')) {
    return no('invalid-characters');
  }
  return ok({ name, inner: rest.slice(1, close), tail: rest.slice(close + 1).trim() });
}

function readQuoted(s: string): { text: string; end: number } | null {
  let text = '';
  for (let i = 1; i < s.length; i++) {
    const ch = s.charAt(i);
    if (ch === '"') {
      return { text, end: i + 1 };
    }
    if (ch === '\\') {
      i++;
    }
    text += s.charAt(i);
  }
  return null;
}

function dropNameAddrParams(tail: string): Step<string[]> {
  if (tail === '') {
    return ok([]);
  }
  if (!tail.startsWith(';')) {
    return no('invalid-characters');
  }
  const dropped: string[] = [];
  for (const raw of tail.slice(1).split(';')) {
    const param = splitParam(raw.trim(), PARAM_CHARS);
    if (!param.ok) {
      return param;
    }
    dropped.push(`name-addr parameter "${label(param.value.name)}"`);
  }
  return ok(dropped);
}
