// What the phone says about its accounts: each account's state in a few words plus the
// sentence with the cause, and one summary for the status bar's dot and line, where the worst
// account wins and do-not-disturb shows as its own sign. Pure.
import type { RegistrationFailure, RegistrationState } from '../phone';

/** The dot: registered, on its way, failing, off; 'dnd' when everything works but DND is on. */
export type Tone = 'ok' | 'busy' | 'bad' | 'off';

/** One account's state for the UI. */
export interface AccountStatus {
  tone: Tone;
  /** A few words ("Wrong credentials"). */
  text: string;
  /** The sentence with the cause, when something is wrong. */
  detail: string | null;
  /** What the user can do about it: fix the settings, or ask for a retry. */
  action: 'fix' | 'retry' | null;
}

const CAUSE_WORDS: Record<RegistrationFailure, string> = {
  'wrong-credentials': 'Wrong credentials',
  'server-unreachable': 'Server unreachable',
  'websocket-refused': 'WebSocket refused',
  'connection-lost': 'Connection lost, reconnecting…',
  timeout: 'No answer from the server',
  'server-error': 'Server error',
  rejected: 'Registration refused',
  'bad-configuration': 'Needs a password',
  'local-network-blocked': 'Local network blocked',
  'unusable-answer': 'Unusable server answer',
};

// Causes the user fixes in the account form, not by waiting.
const FIXED_IN_FORM = new Set<RegistrationFailure>([
  'wrong-credentials',
  'bad-configuration',
  'rejected',
]);

/** An account's state in words, with its cause and what can be done. */
export function accountStatus(enabled: boolean, state: RegistrationState): AccountStatus {
  const plain = (tone: Tone, text: string): AccountStatus => ({
    tone,
    text,
    detail: null,
    action: null,
  });
  if (!enabled) {
    return plain('off', 'Disabled');
  }
  switch (state.status) {
    case 'registered':
      return plain('ok', 'Registered');
    case 'connecting':
      return plain(
        'busy',
        state.attempt > 1 ? `Connecting (try ${state.attempt})…` : 'Connecting…',
      );
    case 'registering':
      return plain('busy', 'Registering…');
    case 'unregistering':
      return plain('busy', 'Signing out…');
    case 'unregistered':
      return plain('off', 'Not registered');
    case 'stopped':
      return plain('off', 'Offline');
    case 'failed':
      return {
        tone: 'bad',
        text: CAUSE_WORDS[state.cause],
        detail: state.message,
        action: FIXED_IN_FORM.has(state.cause) ? 'fix' : state.retryAt === null ? 'retry' : null,
      };
  }
}

/** One enabled account as the summary reads it. */
export interface SummaryAccount {
  label: string;
  state: RegistrationState;
}

/** The status bar: the dot, its line, and the status of the worst account (for tests). */
export interface PhoneStatus {
  dot: Tone | 'dnd';
  text: string;
  /** The registration status of the worst account ('none' without accounts). */
  status: RegistrationState['status'] | 'none';
}

const RANK: Record<Tone, number> = { bad: 3, busy: 2, off: 1, ok: 0 };

/**
 * The summary of every enabled account: the worst wins; DND on shows when nothing is worse.
 * `configured` counts every account, enabled or not (none yet: the first start says so).
 */
export function phoneStatus(
  accounts: readonly SummaryAccount[],
  dnd: boolean,
  configured = accounts.length,
): PhoneStatus {
  const rated = accounts.map((a) => ({ ...a, status: accountStatus(true, a.state) }));
  const worst = rated.reduce<(typeof rated)[number] | null>(
    (w, a) => (w === null || RANK[a.status.tone] > RANK[w.status.tone] ? a : w),
    null,
  );
  if (worst === null) {
    const text = configured === 0 ? 'No account set up yet' : 'No account enabled';
    return { dot: 'off', text, status: 'none' };
  }
  const text = summaryText(rated, worst);
  if (dnd) {
    return worst.status.tone === 'ok'
      ? { dot: 'dnd', text: 'Do not disturb', status: worst.state.status }
      : { dot: worst.status.tone, text: `${text} · Do not disturb`, status: worst.state.status };
  }
  return { dot: worst.status.tone, text, status: worst.state.status };
}

function summaryText(
  rated: readonly { label: string; status: AccountStatus }[],
  worst: { label: string; status: AccountStatus },
): string {
  if (rated.length === 1) {
    return worst.status.text;
  }
  if (worst.status.tone === 'ok') {
    return `All ${rated.length} registered`;
  }
  const same = rated.filter((a) => a.status.tone === worst.status.tone);
  if (same.length > 1 && worst.status.tone === 'bad') {
    return `${same.length} accounts not registered`;
  }
  return `${worst.label}: ${worst.status.text.charAt(0).toLowerCase()}${worst.status.text.slice(1)}`;
}

/** The account form field that fixes a failure (focused when the user asks to fix it). */
export function fixField(state: RegistrationState): 'secret' | 'sipUri' | null {
  if (state.status !== 'failed' || !FIXED_IN_FORM.has(state.cause)) {
    return null;
  }
  return state.cause === 'rejected' ? 'sipUri' : 'secret';
}
