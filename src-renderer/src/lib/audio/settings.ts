// Small pure helpers between the saved AudioSettings and what the engine and the browser need.
import type { AudioSettings, DeviceChoice } from '@shared/settings-types';
import type { MicrophoneOptions } from '../phone';
import type { DeviceRole } from './devices';

/** The microphone options for calls (deviceId: the resolved device, null = system default). */
export function microphoneOptionsFor(
  settings: AudioSettings,
  deviceId: string | null,
): MicrophoneOptions {
  return {
    deviceId,
    echoCancellation: settings.echoCancellation,
    noiseSuppression: settings.noiseSuppression,
    autoGainControl: settings.autoGainControl,
  };
}

/** getUserMedia constraints for the options: the very ones the engine opens calls with. */
export { microphoneConstraints as constraintsFor } from '../phone';

/** The settings with another device chosen for `role` (null = system default). */
export function withDevice(
  settings: AudioSettings,
  role: DeviceRole,
  choice: DeviceChoice | null,
): AudioSettings {
  return { ...settings, [role]: choice };
}

/** The processing switches, per the WebRTC constraints of the same names. */
export type ProcessingKey = 'echoCancellation' | 'noiseSuppression' | 'autoGainControl';

/** Whether two choices point at the same device (by id). */
export function sameChoice(a: DeviceChoice | null, b: DeviceChoice | null): boolean {
  return (a?.id ?? null) === (b?.id ?? null);
}
