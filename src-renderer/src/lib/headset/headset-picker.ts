// Owns the page's half of the headset picker: while navigator.hid.requestDevice is pending,
// main sends the telephony devices it may offer ('headset/choose-device', again with the same
// request id when one is plugged in or out); the Sound settings show them and the user's pick
// (or cancel) goes back ('headset/device-chosen'). Framework-free; a view mirrors `request`.
import type { EventMap, HeadsetChoiceRequest, InvokeRequest } from '@shared/ipc-contract';
import { TypedEmitter } from '../emitter';

/** The two bridge calls used here (lib/bridge.ts's `on` and `invoke` fit). */
export interface PickerBridge {
  on(
    channel: 'headset/choose-device',
    listener: (payload: EventMap['headset/choose-device']) => void,
  ): () => void;
  invoke(
    channel: 'headset/device-chosen',
    payload: InvokeRequest<'headset/device-chosen'>,
  ): Promise<null>;
}

export class HeadsetPicker extends TypedEmitter<{ changed: HeadsetChoiceRequest | null }> {
  readonly #bridge: PickerBridge;
  readonly #off: () => void;
  #request: HeadsetChoiceRequest | null = null;

  constructor(bridge: PickerBridge) {
    super();
    this.#bridge = bridge;
    this.#off = bridge.on('headset/choose-device', (request) => {
      this.#request = request;
      this.emit('changed', request);
    });
  }

  /** The open choice, or null. */
  get request(): HeadsetChoiceRequest | null {
    return this.#request;
  }

  /** Answers the open choice with a device id from it, or null to cancel. */
  async choose(deviceId: string | null): Promise<void> {
    const request = this.#request;
    if (!request) {
      return;
    }
    if (deviceId !== null && !request.devices.some((d) => d.deviceId === deviceId)) {
      throw new Error('That headset is no longer offered.');
    }
    this.clear();
    await this.#bridge.invoke('headset/device-chosen', { requestId: request.requestId, deviceId });
  }

  /** The request settled elsewhere (requestDevice resolved, main timed out): close the picker. */
  clear(): void {
    if (this.#request) {
      this.#request = null;
      this.emit('changed', null);
    }
  }

  dispose(): void {
    this.#off();
    this.removeAllListeners();
  }
}
