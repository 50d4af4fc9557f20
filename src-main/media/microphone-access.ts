// The OS's own microphone permission, which Chromium's permission handler cannot override: on
// macOS (10.14+) the privacy setting per app, on Windows 10+ the global "let desktop apps access
// your microphone" switch (systemPreferences.getMediaAccessStatus, documented for win32 and
// darwin). Denied there, getUserMedia still succeeds but records silence, so the call would go
// out mute with no hint. This reports the state with a sentence naming the fix, and on macOS
// asks the user (askForMediaAccess, darwin only) at the right moment: right before the first
// call that needs the microphone, not at start. Linux has no such OS switch.
import type { MicrophoneAccess } from '@shared/ipc-contract';

/** The part of Electron's systemPreferences used here (askForMediaAccess exists on macOS only). */
export interface MediaPermissionsLike {
  getMediaAccessStatus?(
    mediaType: 'microphone',
  ): 'not-determined' | 'granted' | 'denied' | 'restricted' | 'unknown';
  askForMediaAccess?(mediaType: 'microphone'): Promise<boolean>;
}

const MAC_DENIED =
  'macOS does not let Open Softphone use the microphone, so the other side would hear nothing. ' +
  'Turn it on in System Settings › Privacy & Security › Microphone, then restart Open Softphone.';
const MAC_RESTRICTED =
  'The microphone is blocked for Open Softphone by a device management profile; ask your administrator.';
const WIN_DENIED =
  'Windows does not let desktop apps use the microphone, so the other side would hear nothing. ' +
  'Turn on "Let desktop apps access your microphone" in Settings › Privacy & security › Microphone.';

/** The sentence for a status on a platform; null when calls can use the microphone. */
export function microphoneMessage(
  status: MicrophoneAccess['status'],
  platform: NodeJS.Platform,
): string | null {
  if (status === 'denied') {
    return platform === 'win32' ? WIN_DENIED : MAC_DENIED;
  }
  if (status === 'restricted') {
    return MAC_RESTRICTED;
  }
  return null;
}

export class MicrophoneAccessCheck {
  constructor(
    private readonly prefs: MediaPermissionsLike,
    private readonly platform: NodeJS.Platform,
  ) {}

  /** The current state; with `ask`, macOS shows its permission prompt if it never did. */
  async check(ask: boolean): Promise<MicrophoneAccess> {
    if (this.platform !== 'darwin' && this.platform !== 'win32') {
      return { status: 'granted', message: null };
    }
    let status = this.prefs.getMediaAccessStatus?.('microphone') ?? 'unknown';
    if (
      status === 'not-determined' &&
      ask &&
      this.platform === 'darwin' &&
      this.prefs.askForMediaAccess
    ) {
      status = (await this.prefs.askForMediaAccess('microphone')) ? 'granted' : 'denied';
    }
    return { status, message: microphoneMessage(status, this.platform) };
  }
}
