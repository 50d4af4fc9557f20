// Chromium switches set before `ready`. Call audio must not capture the keyboard's media keys
// (play/pause would otherwise be routed to our window while a call plays), so the hardware
// media-key handler and the media session service are disabled, merged with any features the
// user already disabled on the command line.
import type { CommandLine } from 'electron';

/** Chromium features the phone turns off. */
export const DISABLED_FEATURES: readonly string[] = [
  'HardwareMediaKeyHandling',
  'MediaSessionService',
];

/** Appends `disable-features`, keeping features already listed there. */
export function applyChromiumSwitches(
  commandLine: Pick<CommandLine, 'appendSwitch' | 'getSwitchValue' | 'hasSwitch'>,
): void {
  const existing = commandLine.hasSwitch('disable-features')
    ? commandLine.getSwitchValue('disable-features').split(',').filter(Boolean)
    : [];
  const features = [...new Set([...existing, ...DISABLED_FEATURES])];
  commandLine.appendSwitch('disable-features', features.join(','));
}
