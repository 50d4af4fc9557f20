// What the tray shows for a phone summary: the icon state, the tooltip and the menu, as plain
// data. Pure, so every state is unit-tested without Electron; tray-service.ts turns it into a
// real Tray and Menu.
import type { PhoneSummary } from '@shared/ipc-contract';
import type { TrayState } from './tray-states';

/** What a tray menu item does when clicked. */
export type TrayCommand =
  | { kind: 'call-back'; dial: string }
  | { kind: 'call-clipboard' }
  | { kind: 'toggle-dnd' }
  | { kind: 'toggle-window' }
  | { kind: 'show-window' }
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

/** The icon for a summary: a call (recorded or not) beats do-not-disturb, which beats missed calls and registration. */
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
  if (summary.missedCount > 0) {
    return 'missed';
  }
  if (summary.registration === 'registered') {
    return 'registered';
  }
  return summary.registration === 'connecting' ? 'connecting' : 'offline';
}

function callLine(summary: PhoneSummary): string | null {
  const party = summary.party ?? 'unknown caller';
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

/** The tooltip: product and registration, then the call, do-not-disturb and missed calls. */
export function trayTooltip(summary: PhoneSummary): string {
  const lines = [
    `${PRODUCT}: ${summary.registrationText}`,
    callLine(summary),
    recordingText(summary),
    summary.doNotDisturb ? 'Do not disturb' : null,
    summary.missedCount > 0 ? missedText(summary.missedCount) : null,
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
  recentNumbers: [],
};
