// The small state summary pushed to the main process for the tray tooltip, icon and menu.
import type { PhoneSummary, RecentNumber } from '@shared/ipc-contract';
import type { AccountSettings } from '@shared/settings-types';
import type { CallSnapshot, RegistrationState } from '../phone';

/** What the summary is made of. */
export interface SummaryInputs {
  accounts: readonly AccountSettings[];
  registrationOf: (id: string) => RegistrationState;
  calls: readonly CallSnapshot[];
  doNotDisturb: boolean;
  missedCount: number;
  /** Chat messages not read yet. */
  unreadMessages: number;
  recentNumbers: RecentNumber[];
  /** Voicemail waiting on every account together (presence.svelte.ts). */
  voicemail: { waiting: boolean; newCount: number };
  /** The name shown for a party (contacts first). */
  nameOf: (party: CallSnapshot['party']) => string;
  /** A call is being recorded, or its recording is paused (null: none). */
  recording?: 'recording' | 'paused' | null;
}

/** Summarizes accounts and calls; the worst registration wins the icon, the first call the party. */
export function summarize({
  accounts,
  registrationOf,
  calls,
  doNotDisturb,
  missedCount,
  unreadMessages,
  recentNumbers,
  voicemail,
  nameOf,
  recording = null,
}: SummaryInputs): PhoneSummary {
  const enabled = accounts.filter((a) => a.enabled);
  const states = enabled.map((a) => ({ account: a, state: registrationOf(a.id) }));
  const registered = states.filter((s) => s.state.status === 'registered');
  const failed = states.find((s) => s.state.status === 'failed');
  const registration: PhoneSummary['registration'] =
    enabled.length === 0
      ? 'offline'
      : failed
        ? 'failed'
        : registered.length === enabled.length
          ? 'registered'
          : 'connecting';
  const incoming = calls.find((c) => c.status === 'incoming');
  const lines = calls.filter((c) => c.status !== 'incoming' && c.status !== 'ended');
  const active = lines.find((c) => !c.hold.local) ?? lines[0];
  const call: PhoneSummary['call'] = incoming
    ? 'ringing'
    : !active
      ? 'idle'
      : active.status !== 'active'
        ? 'calling'
        : active.hold.local || active.hold.remote
          ? 'on-hold'
          : 'in-call';
  const party = incoming ?? active;
  return {
    registration,
    registrationText: registrationText(
      registration,
      registered.map((s) => s.account.label),
      failed?.state,
    ),
    call,
    party: party ? nameOf(party.party) : null,
    muted: active?.muted ?? false,
    doNotDisturb,
    missedCount,
    unreadMessages,
    recentNumbers,
    voicemailWaiting: voicemail.waiting || voicemail.newCount > 0,
    voicemailNew: voicemail.newCount,
    ...(recording && lines.length > 0 ? { recording } : {}),
  };
}

function registrationText(
  registration: PhoneSummary['registration'],
  labels: string[],
  failed: RegistrationState | undefined,
): string {
  switch (registration) {
    case 'offline':
      return 'No account set up';
    case 'registered':
      return `Registered: ${labels.join(', ')}`;
    case 'failed':
      return failed?.status === 'failed' ? failed.message : 'Not registered';
    default:
      return 'Connecting…';
  }
}
