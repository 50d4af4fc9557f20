// Whether the OS lets the app use the microphone (macOS privacy settings, Windows' microphone
// switch), asked of main before a call is placed or answered, so a call never goes out silent:
// the sentence names the setting to change. macOS shows its own prompt the first time, right
// before the first call. A granted answer is kept; any other is asked again next time.
import type { MicrophoneAccess } from '@shared/ipc-contract';
import { invoke } from '../bridge';

export class MicrophoneGate {
  #access: MicrophoneAccess | null = null;

  /** Null when calls can use the microphone; else the sentence for the user. */
  async problem(ask: boolean): Promise<string | null> {
    if (this.#access?.status !== 'granted') {
      this.#access = await invoke('media/microphone-access', { ask }).catch(() => null);
    }
    return this.#access?.message ?? null;
  }
}
