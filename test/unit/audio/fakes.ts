// Fakes at the browser edge for the audio unit tests: a Web Audio context that records the
// graph it is asked to build (oscillators, gains, automation), an <audio> element with a
// sinkId, and a MediaDevices whose device list the test changes (hot-plug).
import type { RingerPorts, ToneElement } from '../../../src-renderer/src/lib/audio/ringer';
import type {
  MediaDeviceInfoLike,
  MediaDevicesLike,
} from '../../../src-renderer/src/lib/audio/devices';

class FakeParam {
  value = 0;
  readonly events: { kind: string; value: number; time: number }[] = [];
  setValueAtTime(value: number, time: number): this {
    this.events.push({ kind: 'set', value, time });
    return this;
  }
  linearRampToValueAtTime(value: number, time: number): this {
    this.events.push({ kind: 'linear', value, time });
    return this;
  }
  setTargetAtTime(value: number, time: number): this {
    this.events.push({ kind: 'target', value, time });
    return this;
  }
}

export class FakeNode {
  readonly outputs = new Set<FakeNode>();
  constructor(readonly kind: string) {}
  connect<T extends FakeNode>(node: T): T {
    this.outputs.add(node);
    return node;
  }
  disconnect(): void {
    this.outputs.clear();
  }
}

export class FakeGain extends FakeNode {
  readonly gain = new FakeParam();
  constructor() {
    super('gain');
    this.gain.value = 1;
  }
}

export class FakeOscillator extends FakeNode {
  readonly frequency = new FakeParam();
  startAt: number | null = null;
  stopAt: number | null = null;
  stoppedNow = false;
  onended: (() => void) | null = null;
  constructor() {
    super('oscillator');
  }
  start(t: number): void {
    this.startAt = t;
  }
  stop(t?: number): void {
    if (t === undefined) {
      this.stoppedNow = true;
    } else {
      this.stopAt = t;
    }
  }
}

/** A context whose clock the test moves; records every oscillator it made. */
export class FakeAudioContext {
  currentTime = 0;
  state: 'running' | 'suspended' | 'closed' = 'suspended';
  readonly oscillators: FakeOscillator[] = [];
  readonly gains: FakeGain[] = [];
  readonly dest = Object.assign(new FakeNode('dest'), { stream: { id: 'tones' } });
  createGain(): FakeGain {
    const gain = new FakeGain();
    this.gains.push(gain);
    return gain;
  }
  createOscillator(): FakeOscillator {
    const osc = new FakeOscillator();
    this.oscillators.push(osc);
    return osc;
  }
  createMediaStreamDestination(): FakeNode & { stream: { id: string } } {
    return this.dest;
  }
  /** Set to make resume() reject, as a context whose device is gone does. */
  failResume: Error | null = null;
  readonly #errorListeners: (() => void)[] = [];
  async resume(): Promise<void> {
    if (this.failResume) {
      throw this.failResume;
    }
    this.state = 'running';
  }
  async suspend(): Promise<void> {
    this.state = 'suspended';
  }
  addEventListener(type: string, listener: () => void): void {
    if (type === 'error') {
      this.#errorListeners.push(listener);
    }
  }
  /** The context's 'error' event: its output device failed (Web Audio, AudioContext.onerror). */
  fail(): void {
    for (const listener of this.#errorListeners) {
      listener();
    }
  }
  async close(): Promise<void> {
    this.state = 'closed';
  }
}

export class FakeElement implements ToneElement {
  srcObject: MediaProvider | null = null;
  sinkId = '';
  playing = false;
  failSinkIds = new Set<string>();
  async play(): Promise<void> {
    this.playing = true;
  }
  pause(): void {
    this.playing = false;
  }
  async setSinkId(id: string): Promise<void> {
    if (this.failSinkIds.has(id)) {
      throw new DOMException('Requested device not found', 'NotFoundError');
    }
    this.sinkId = id;
  }
}

/** Ports that hand out fakes and keep them for inspection. */
export function fakeRingerPorts(): RingerPorts & {
  contexts: FakeAudioContext[];
  elements: FakeElement[];
} {
  const contexts: FakeAudioContext[] = [];
  const elements: FakeElement[] = [];
  return {
    contexts,
    elements,
    createContext: () => {
      const ctx = new FakeAudioContext();
      contexts.push(ctx);
      return ctx as unknown as AudioContext;
    },
    createElement: () => {
      const el = new FakeElement();
      elements.push(el);
      return el;
    },
  };
}

/** MediaDevices with a settable list and a devicechange the test fires. */
export class FakeMediaDevices implements MediaDevicesLike {
  devices: MediaDeviceInfoLike[];
  readonly #listeners = new Set<() => void>();
  enumerations = 0;
  constructor(devices: MediaDeviceInfoLike[]) {
    this.devices = devices;
  }
  async enumerateDevices(): Promise<MediaDeviceInfoLike[]> {
    this.enumerations += 1;
    return this.devices.map((d) => ({ ...d }));
  }
  addEventListener(_type: 'devicechange', listener: () => void): void {
    this.#listeners.add(listener);
  }
  removeEventListener(_type: 'devicechange', listener: () => void): void {
    this.#listeners.delete(listener);
  }
  get listenerCount(): number {
    return this.#listeners.size;
  }
  /** Replaces the list and fires devicechange. */
  plug(devices: MediaDeviceInfoLike[]): void {
    this.devices = devices;
    for (const listener of this.#listeners) {
      listener();
    }
  }
}

/** A device info. */
export function dev(
  kind: 'audioinput' | 'audiooutput',
  deviceId: string,
  label: string,
  groupId = `g-${label}`,
): MediaDeviceInfoLike {
  return { kind, deviceId, label, groupId };
}

/** Lets pending promise callbacks run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 10; i += 1) {
    await Promise.resolve();
  }
}
