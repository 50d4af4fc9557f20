// Checks an account's settings before they are saved or used, with one plain sentence per
// problem, keyed by field so a form can show it next to the input. Used by the renderer's
// form and by main's accounts/save handler (main never trusts the renderer's checks).
import { checkDialRules } from './dial-rules';
import { checkScreenPopTemplate } from './screen-pop';
import type { AccountSettings } from './settings-types';

export type AccountField =
  | 'label'
  | 'websocketUri'
  | 'sipUri'
  | 'authUser'
  | 'realm'
  | 'iceServers'
  | 'secret'
  | 'outboundProxy'
  | 'voicemailNumber'
  | 'registerExpires'
  | 'sessionExpires'
  | 'iceGatheringCapMs'
  | 'keepAliveS'
  | 'dialRules'
  | 'screenPop'
  | 'pickupCode';

export type AccountProblems = Partial<Record<AccountField, string>>;

const WS_URI = /^wss?:\/\/(\[[0-9a-f:.]+\]|[a-z0-9.-]+)(:\d{1,5})?(\/[^\s?#]*)?(\?[^\s#]*)?$/i;
const SIP_URI = /^sips?:([^@\s:;?]+)@([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?$/i;
const ICE_URL = /^(stun|stuns|turn|turns):[^\s]+$/i;
const HA1 = /^[0-9a-f]{32}$/i;
// sip:host[:port][;params], optionally with a user part: what JsSIP accepts as a Route target.
const PROXY_URI =
  /^sips?:(?:[^@\s:;?]+@)?([a-z0-9.-]+|\[[0-9a-f:.]+\])(:\d{1,5})?(;[a-z0-9_.!~*'()%-]+(=[a-z0-9_.!~*'()%:-]+)?)*$/i;
/** What a phone keypad can dial: digits, * and #, and a leading + for a full number. */
const DIALLABLE = /^\+?[0-9*#]{1,32}$/;
const FEATURE_CODE = /^[0-9*#]{1,8}$/;

/** Problems with an account's settings; an empty object means it is fine. */
export function checkAccount(account: AccountSettings): AccountProblems {
  const problems: AccountProblems = {};
  if (!account.label.trim()) {
    problems.label = 'Give the account a name, for example "Office".';
  }
  if (!WS_URI.test(account.websocketUri.trim())) {
    problems.websocketUri =
      'Enter the WebSocket address, starting with wss:// (or ws:// on a trusted network).';
  } else if (!portOk(account.websocketUri)) {
    problems.websocketUri = 'The port in the WebSocket address must be between 1 and 65535.';
  }
  if (!SIP_URI.test(account.sipUri.trim())) {
    problems.sipUri =
      'Enter your SIP address as sip:user@domain, for example sip:1001@pbx.example.com.';
  }
  if (/[\s"<>]/.test(account.authUser)) {
    problems.authUser = 'The authentication user cannot contain spaces, quotes or angle brackets.';
  }
  if (account.secretKind === 'ha1' && !account.realm.trim()) {
    problems.realm = 'An HA1 secret only works with the realm it was made for: enter the realm.';
  }
  const proxy = account.outboundProxy.trim();
  if (proxy !== '' && !PROXY_URI.test(proxy)) {
    problems.outboundProxy =
      'Enter the outbound proxy as a SIP address, for example sip:proxy.example.com:5060;transport=tcp.';
  }
  checkRange(problems, 'registerExpires', account.registerExpires, [60, 86_400], 'seconds');
  checkRange(problems, 'sessionExpires', account.sessionExpires, [90, 86_400], 'seconds');
  checkRange(problems, 'iceGatheringCapMs', account.iceGatheringCapMs, [100, 30_000], 'ms');
  checkRange(problems, 'keepAliveS', account.keepAliveS, [0, 300], 'seconds; 0 turns it off');
  const badIce = account.iceServers.flatMap((s) => s.urls).find((u) => !ICE_URL.test(u));
  if (badIce !== undefined) {
    problems.iceServers = `"${badIce}" is not a STUN or TURN address (stun:host:port or turn:host:port).`;
  }
  const dialRules = checkDialRules(account.dialRules);
  if (dialRules.length > 0) {
    problems.dialRules = dialRules.join(' ');
  }
  const screenPop = checkScreenPopTemplate(account.screenPop.url);
  if (screenPop) {
    problems.screenPop = screenPop;
  }
  checkKeypadFields(account, problems);
  return problems;
}

function checkKeypadFields(account: AccountSettings, problems: AccountProblems): void {
  const voicemail = account.voicemailNumber.trim();
  if (voicemail !== '' && !DIALLABLE.test(voicemail)) {
    problems.voicemailNumber = 'The voicemail number can only hold digits, *, # and a leading +.';
  }
  const pickup = account.pickupCode.trim();
  if (pickup !== '' && !FEATURE_CODE.test(pickup)) {
    problems.pickupCode = 'The pickup code is up to 8 digits, * and # (for example *8 or **).';
  }
}

/** Problems with a secret about to be stored for an account of `kind`. */
export function checkSecret(kind: AccountSettings['secretKind'], secret: string): string | null {
  if (secret.length === 0) {
    return 'Enter the password.';
  }
  if (secret.length > 1024) {
    return 'That password is longer than 1024 characters.';
  }
  if (kind === 'ha1' && !HA1.test(secret)) {
    return 'An HA1 secret is 32 hexadecimal characters (the MD5 of user:realm:password).';
  }
  return null;
}

function checkRange(
  problems: AccountProblems,
  field: 'registerExpires' | 'sessionExpires' | 'iceGatheringCapMs' | 'keepAliveS',
  value: number,
  [min, max]: [number, number],
  unit: string,
): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    problems[field] = `Enter a whole number from ${min} to ${max} (${unit}).`;
  }
}

function portOk(uri: string): boolean {
  const port = /^wss?:\/\/(?:\[[^\]]+\]|[^/:]+):(\d+)/i.exec(uri)?.[1];
  return port === undefined || (Number(port) >= 1 && Number(port) <= 65535);
}

/** The user part of a SIP URI ('' when absent). */
export function sipUser(sipUri: string): string {
  return /^sips?:([^@]+)@/i.exec(sipUri.trim())?.[1] ?? '';
}
