// What the tray shows for a phone summary: the icon state, the tooltip and the menu, as plain
// data. Pure, so every state is unit-tested without Electron; tray-service.ts turns it into a
// real Tray and Menu.
import type { PhoneSummary } from '@shared/ipc-contract';
import { isolate, networkLabel, neutralizeTags } from '@shared/network-text';
import type { TrayState } from './tray-states';

/** What a tray menu item does when clicked. */
export type TrayCommand =
  | { kind: 'call-back'; dial: string }
  | { kind: 'call-clipboard' }
  | { kind: 'toggle-dnd' }
  | { kind: 'toggle-window' }
  | { kind: 'show-window' }
  | { kind: 'call-voicemail' }
  | { kind: 'open-chat' }
  | { kind: 'quit' };

export interface TrayMenuEntry {
  type: 'normal' | 'separator' | 'checkbox' | 'submenu';
  label?: string;
  enabled?: boolean;
  checked?: boolean;
  command?: TrayCommand;
  submenu?: TrayMenuEntry[];
}

/** How many recent numbers the menu offers. */
export const RECENT_IN_MENU = 5;
/** Windows cuts tooltips at 127 characters; we cut everywhere so all platforms show the same. */
export const TOOLTIP_MAX = 127;
const PRODUCT = 'Open Softphone';

/**
 * The icon for a summary: a call (recorded or not) beats do-not-disturb, which beats missed
 * calls or unread messages (the attention icon, a red dot), which beat voicemail waiting, which
 * beats registration.
 */
export function trayState(summary: PhoneSummary): TrayState {
  if (summary.call === 'ringing') {
    return 'ringing';
  }
  if (summary.call !== 'idle') {
    return summary.recording === 'recording' ? 'recording' : 'in-call';
  }
  if (summary.doNotDisturb) {
    return 'dnd';
  }
  if (summary.missedCount > 0 || summary.unreadMessages > 0) {
    return 'missed';
  }
  if (summary.voicemailWaiting || summary.voicemailNew > 0) {
    return 'voicemail';
  }
  if (summary.registration === 'registered') {
    return 'registered';
  }
  return summary.registration === 'connecting' ? 'connecting' : 'offline';
}

function callLine(summary: PhoneSummary): string | null {
  // Network text: one inert line, never a tag (KDE reads StatusNotifierItem tooltips as rich
  // text), isolated when right-to-left so our sentence keeps its order.
  const party = summary.party
    ? isolate(neutralizeTags(networkLabel(summary.party)))
    : 'unknown caller';
  switch (summary.call) {
    case 'ringing':
      return `Incoming call from ${party}`;
    case 'calling':
      return `Calling ${party}…`;
    case 'in-call':
      return `In call with ${party}${summary.muted ? ' (muted)' : ''}`;
    case 'on-hold':
      return `On hold: ${party}`;
    default:
      return null;
  }
}

/** The REC line: a call is being recorded, or its recording is paused. */
export function recordingText(summary: PhoneSummary): string | null {
  switch (summary.recording) {
    case 'recording':
      return 'REC: this call is being recorded';
    case 'paused':
      return 'REC paused';
    default:
      return null;
  }
}

export function missedText(count: number): string {
  return count === 1 ? '1 missed call' : `${count} missed calls`;
}

/** "2 new voicemails", or "Voicemail waiting" when the server gave no count; null when none. */
export function voicemailText(summary: PhoneSummary): string | null {
  if (summary.voicemailNew > 0) {
    return summary.voicemailNew === 1
      ? '1 new voicemail'
      : `${summary.voicemailNew} new voicemails`;
  }
  return summary.voicemailWaiting ? 'Voicemail waiting' : null;
}

/** Only the count: no sender or text from the network is ever shown by the tray. */
export function unreadText(count: number): string {
  return count === 1 ? '1 unread message' : `${count} unread messages`;
}

/** The tooltip: product and registration, then the call, do-not-disturb and missed calls. */
export function trayTooltip(summary: PhoneSummary): string {
  const lines = [
    `${PRODUCT}: ${summary.registrationText}`,
    callLine(summary),
    recordingText(summary),
    summary.doNotDisturb ? 'Do not disturb' : null,
    summary.missedCount > 0 ? missedText(summary.missedCount) : null,
    voicemailText(summary),
    summary.unreadMessages > 0 ? unreadText(summary.unreadMessages) : null,
  ].filter((line): line is string => line !== null);
  const text = lines.join('\n');
  return text.length <= TOOLTIP_MAX ? text : `${text.slice(0, TOOLTIP_MAX - 1)}…`;
}

// '&' marks a mnemonic in Windows and Linux menus; a caller named "Smith & Co" must show as is.
function menuText(text: string, max = 60): string {
  const short = text.length <= max ? text : `${text.slice(0, max - 1)}…`;
  return short.replace(/&/g, '&&');
}

/** The tray menu for a summary and the window's visibility. */
export function trayMenu(summary: PhoneSummary, windowVisible: boolean): TrayMenuEntry[] {
  const recent = summary.recentNumbers.slice(0, RECENT_IN_MENU);
  const entries: TrayMenuEntry[] = [
    { type: 'normal', label: menuText(summary.registrationText), enabled: false },
  ];
  const call = callLine(summary);
  if (call) {
    entries.push({ type: 'normal', label: menuText(call), enabled: false });
  }
  const rec = recordingText(summary);
  if (rec) {
    entries.push({ type: 'normal', label: menuText(rec), enabled: false });
  }
  if (summary.missedCount > 0) {
    entries.push({
      type: 'normal',
      label: menuText(missedText(summary.missedCount)),
      command: { kind: 'show-window' },
    });
  }
  const voicemail = voicemailText(summary);
  if (voicemail) {
    entries.push({
      type: 'normal',
      label: `Call voicemail (${voicemail.toLowerCase()})`,
      command: { kind: 'call-voicemail' },
    });
  }
  if (summary.unreadMessages > 0) {
    entries.push({
      type: 'normal',
      label: menuText(unreadText(summary.unreadMessages)),
      command: { kind: 'open-chat' },
    });
  }
  entries.push(
    { type: 'separator' },
    // An empty submenu renders badly on some Linux trays: say there is nothing to call back.
    recent.length > 0
      ? {
          type: 'submenu',
          label: 'Call back',
          submenu: recent.map((r) => ({
            type: 'normal',
            label: menuText(r.display),
            command: { kind: 'call-back', dial: r.dial },
          })),
        }
      : { type: 'normal', label: 'No recent calls', enabled: false },
    { type: 'normal', label: 'Call number from clipboard', command: { kind: 'call-clipboard' } },
    { type: 'separator' },
    {
      type: 'checkbox',
      label: 'Do not disturb',
      checked: summary.doNotDisturb,
      command: { kind: 'toggle-dnd' },
    },
    { type: 'separator' },
    {
      type: 'normal',
      label: windowVisible ? 'Hide window' : 'Show window',
      command: { kind: 'toggle-window' },
    },
    { type: 'normal', label: `Quit ${PRODUCT}`, command: { kind: 'quit' } },
  );
  return entries;
}

/** The summary shown before the page has sent one. */
export const STARTING_SUMMARY: PhoneSummary = {
  registration: 'offline',
  registrationText: 'Starting…',
  call: 'idle',
  party: null,
  muted: false,
  doNotDisturb: false,
  missedCount: 0,
  unreadMessages: 0,
  recentNumbers: [],
  voicemailWaiting: false,
  voicemailNew: 0,
};
