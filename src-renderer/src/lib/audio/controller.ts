// The sound logic of the app, framework-free: saved settings and the device choices they hold,
// the live device lists, moving live calls when a choice changes or a chosen device comes and
// goes, the ringer (own device) and call tones (call output), ringtone preview. The reactive
// AudioState mirrors it for the UI; unit tests drive it with a fake MediaDevices.
import { DEFAULT_AUDIO, type AudioSettings, type DeviceChoice } from '@shared/settings-types';
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import type { MicrophoneOptions } from '../phone';
import {
  choiceOf,
  DeviceManager,
  devicesFor,
  resolveChoice,
  type DeviceLists,
  type DeviceResolution,
  type DeviceRole,
  type DeviceTransition,
  type MediaDevicesLike,
} from './devices';
import { tonePlan, type PolicyCall } from './ring-policy';
import { Ringer, type RingerPorts } from './ringer';
import { microphoneOptionsFor, withDevice, type ProcessingKey } from './settings';
import { CALL_WAITING, ringbackTone, ringtoneById, type RingbackStyle } from './tones';

const log = createLogger('audio');
const PREVIEW_MS = 4000;
const ROLES = ['microphone', 'speaker', 'ringer'] as const;

/** What a live call offers for moving its audio (PhoneCall has both). */
export interface LiveCallAudio {
  switchMicrophone(options: MicrophoneOptions): Promise<void>;
  setSpeaker(sinkId: string | null): Promise<void>;
}

/** The narrow ports the app wires in. */
export interface AudioPorts {
  devices: MediaDevicesLike;
  /** Saves the settings; main's saved copy comes to load() (the reply) before it resolves. */
  saveAudio(settings: AudioSettings): Promise<void>;
  liveCalls(): LiveCallAudio[];
  /** New defaults for calls to come (PhoneEngine.setAudio of every engine). */
  setCallDefaults?(microphone: MicrophoneOptions, speakerId: string | null): void;
  ringerPorts?: RingerPorts;
  /** Local ringback convention (default ETSI 425 Hz). */
  ringback?: RingbackStyle;
}

export interface ControllerEvents {
  /** Settings, lists, notice or a player's state changed. */
  changed: void;
}

/** The sound logic behind the audio settings and the call audio. */
export class AudioController extends TypedEmitter<ControllerEvents> {
  readonly ports: AudioPorts;
  readonly devices: DeviceManager;
  /** Rings on the ringer device. */
  readonly ringer: Ringer;
  /** Ringback and call waiting in the call output. */
  readonly callTones: Ringer;
  #settings: AudioSettings;
  #notice: string | null = null;
  /** Saves of this controller on their way to main. */
  #saving = 0;
  /** Main's copy heard while a save was on its way, taken when the last one is answered. */
  #heard: AudioSettings | null = null;
  #previewTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(ports: AudioPorts, initial: AudioSettings = DEFAULT_AUDIO) {
    super();
    this.ports = ports;
    this.#settings = initial;
    this.devices = new DeviceManager(ports.devices);
    this.ringer = new Ringer(ports.ringerPorts);
    this.callTones = new Ringer(ports.ringerPorts);
    this.ringer.on('changed', () => this.#changed());
    this.callTones.on('changed', () => this.#changed());
    this.ringer.setVolume(initial.ringVolume);
    this.devices.on('changed', () => this.#onLists());
    this.devices.on('transition', (t) => void this.#onTransition(t));
    this.devices.on('default-changed', (kind) => void this.#onDefaultChanged(kind));
  }

  get settings(): AudioSettings {
    return this.#settings;
  }
  get lists(): DeviceLists {
    return this.devices.lists;
  }
  /** The last device notice ("… was disconnected"), until dismissed. */
  get notice(): string | null {
    return this.#notice;
  }

  /** Reads the device lists and follows hot-plugging. */
  async start(): Promise<void> {
    this.devices.setChoices(this.#choices());
    await this.devices.start();
    await this.ringer.setSink(this.deviceId('ringer')).catch((e: unknown) => log.warn(String(e)));
    this.#pushDefaults();
  }

  /**
   * Builds both tone players' audio graphs ahead of the first call and suspends them
   * (Ringer.warm): the first AudioContext of a run costs 100–260 ms of the main thread, and each
   * later one 3–20 ms, which fell on a call's ringing (the incoming view, or the far end's while
   * this phone's ringback started). Suspended, they run nothing. A no-op for a player that has
   * its graph.
   */
  warmOutput(): void {
    this.ringer.warm();
    this.callTones.warm();
  }

  /**
   * Main's copy of the settings: the reply to a save, or a change made elsewhere (tray, file
   * import). While saves of this controller are on their way it is kept, not taken: main may
   * still answer with an older copy (the echo of an earlier save), and the next choice must be
   * built from this one's newest, not from that. The last reply is taken when it comes. The
   * ringer follows a choice that changed.
   */
  load(settings: AudioSettings): void {
    if (this.#saving > 0) {
      this.#heard = settings;
      return;
    }
    this.#take(settings);
  }

  /** The device a role uses now (null = system default). */
  deviceId(role: DeviceRole): string | null {
    return this.devices.deviceIdFor(role);
  }

  /** Where the saved choice of `role` points now. */
  statusOf(role: DeviceRole): DeviceResolution {
    const lists = this.devices.lists;
    return resolveChoice(this.#settings[role], devicesFor(role, lists), lists.labelsAvailable);
  }

  /** Microphone options for new calls and mic switches. */
  microphoneOptions(): MicrophoneOptions {
    return microphoneOptionsFor(this.#settings, this.deviceId('microphone'));
  }

  /** Picks a device for a role by id (null = system default), saves it and moves live audio. */
  async chooseDevice(role: DeviceRole, id: string | null): Promise<void> {
    const device = devicesFor(role, this.devices.lists).find((d) => d.id === id) ?? null;
    await this.#save(withDevice(this.#settings, role, choiceOf(device)));
    await this.#applyRole(role, this.deviceId(role));
  }

  async setRingtone(id: string): Promise<void> {
    await this.#save({ ...this.#settings, ringtone: ringtoneById(id).id });
  }

  /**
   * Sets the ring volume. A slider being dragged passes `persist: false` for each step (the
   * ringer follows at once) and saves once, on release.
   */
  async setRingVolume(volume: number, persist = true): Promise<void> {
    const v = Math.min(1, Math.max(0, volume));
    this.ringer.setVolume(v);
    if (persist) {
      await this.#save({ ...this.#settings, ringVolume: v });
      return;
    }
    this.#settings = { ...this.#settings, ringVolume: v };
    this.#changed();
  }

  /** Turns echo cancellation, noise suppression or AGC on/off; live calls reopen the mic. */
  async setProcessing(key: ProcessingKey, on: boolean): Promise<void> {
    await this.#save({ ...this.#settings, [key]: on });
    await this.#applyRole('microphone', this.deviceId('microphone'));
  }

  /** The default for new calls: RNNoise on the microphone (each call can still toggle it). */
  async setRnnoise(on: boolean): Promise<void> {
    await this.#save({ ...this.#settings, rnnoise: on });
  }

  /** Re-evaluates which tones play for these calls (call on every call change). */
  syncCalls(calls: readonly PolicyCall[]): void {
    const plan = tonePlan(calls);
    if (plan.ringer) {
      this.#stopPreview();
      this.ringer.start(ringtoneById(this.#settings.ringtone));
    } else if (!this.#previewTimer) {
      this.ringer.stop();
    }
    if (!plan.callTone) {
      this.callTones.stop();
      return;
    }
    const pattern =
      plan.callTone === 'call-waiting' ? CALL_WAITING : ringbackTone(this.ports.ringback);
    if (this.callTones.state.sinkId !== (this.deviceId('speaker') ?? '')) {
      this.callTones.setSink(this.deviceId('speaker')).catch(() => {});
    }
    this.callTones.start(pattern);
  }

  /** Plays a ringtone on the ringer device for a few seconds; again stops the preview. */
  previewRingtone(id: string = this.#settings.ringtone): void {
    const pattern = ringtoneById(id);
    const again = this.#previewTimer !== null && this.ringer.state.playing === pattern.id;
    this.#stopPreview();
    if (again) {
      this.ringer.stop();
      return;
    }
    this.ringer.start(pattern);
    this.#previewTimer = setTimeout(() => {
      this.#previewTimer = null;
      this.ringer.stop();
    }, PREVIEW_MS);
  }

  /** Shows a notice (errors of tests and switches). */
  setNotice(notice: string | null): void {
    this.#notice = notice;
    this.#changed();
  }

  /** Stops every sound and stops following the devices. */
  async dispose(): Promise<void> {
    this.#stopPreview();
    this.devices.stop();
    await Promise.all([this.ringer.dispose(), this.callTones.dispose()]);
  }

  #choices(): Record<DeviceRole, DeviceChoice | null> {
    const { microphone, speaker, ringer } = this.#settings;
    return { microphone, speaker, ringer };
  }

  #take(settings: AudioSettings): void {
    this.#settings = settings;
    this.devices.setChoices(this.#choices());
    this.ringer.setVolume(settings.ringVolume);
    this.#pushDefaults();
    const ringerId = this.deviceId('ringer');
    if (this.ringer.state.sinkId !== (ringerId ?? '')) {
      this.ringer.setSink(ringerId).catch((e: unknown) => log.warn(`ringer: ${String(e)}`));
    }
    this.#changed();
  }

  async #save(next: AudioSettings): Promise<void> {
    this.#settings = next;
    this.devices.setChoices(this.#choices());
    this.#pushDefaults();
    this.#changed();
    this.#saving += 1;
    try {
      await this.ports.saveAudio(next);
    } catch (error: unknown) {
      this.setNotice(`The audio settings could not be saved: ${describe(error)}`);
    } finally {
      this.#saving -= 1;
    }
    const heard = this.#heard;
    if (this.#saving === 0 && heard) {
      this.#heard = null;
      this.#take(heard);
    }
  }

  #pushDefaults(): void {
    this.ports.setCallDefaults?.(this.microphoneOptions(), this.deviceId('speaker'));
  }

  // Moves the live audio of one role to `deviceId` (null = system default).
  async #applyRole(role: DeviceRole, deviceId: string | null): Promise<void> {
    if (role === 'ringer') {
      await this.ringer.setSink(deviceId).catch((e: unknown) => log.warn(`ringer: ${String(e)}`));
      return;
    }
    const options = microphoneOptionsFor(this.#settings, deviceId);
    const moves = this.ports
      .liveCalls()
      .map((call) =>
        role === 'microphone' ? call.switchMicrophone(options) : call.setSpeaker(deviceId),
      );
    if (role === 'speaker') {
      moves.push(this.callTones.setSink(deviceId));
    }
    const failed = (await Promise.allSettled(moves)).find((r) => r.status === 'rejected');
    if (failed) {
      this.setNotice(
        `The ${role} could not be switched during the call: ${describe(failed.reason)}`,
      );
    }
  }

  #onLists(): void {
    // A device found again under a new id (replugged): remember the new id.
    for (const role of ROLES) {
      const r = this.devices.resolve(role);
      if (r.status === 'found' && r.by === 'label') {
        void this.#save(withDevice(this.#settings, role, choiceOf(r.device)));
      }
    }
    this.#changed();
  }

  async #onTransition(t: DeviceTransition): Promise<void> {
    this.setNotice(t.notice);
    this.#pushDefaults();
    await this.#applyRole(t.role, t.deviceId);
  }

  async #onDefaultChanged(kind: 'audioinput' | 'audiooutput'): Promise<void> {
    const role = kind === 'audioinput' ? 'microphone' : 'speaker';
    if (this.devices.resolve(role).status === 'default') {
      await this.#applyRole(role, null);
    }
  }

  #stopPreview(): void {
    if (this.#previewTimer) {
      clearTimeout(this.#previewTimer);
      this.#previewTimer = null;
    }
  }

  #changed(): void {
    this.emit('changed', undefined);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
