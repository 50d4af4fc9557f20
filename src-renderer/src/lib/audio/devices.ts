// Audio devices: live lists of microphones and outputs from an injected MediaDevices, saved
// choices resolved by identity (device id, then label after a replug changed the id), and
// notices when a chosen device vanishes or comes back, with the device live calls must move to.
import type { DeviceChoice } from '@shared/settings-types';
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';

const log = createLogger('devices');

/** The parts of MediaDeviceInfo the manager reads. */
export interface MediaDeviceInfoLike {
  deviceId: string;
  kind: string;
  label: string;
  groupId: string;
}

/** The parts of `navigator.mediaDevices` the manager uses (injectable for tests). */
export interface MediaDevicesLike {
  enumerateDevices(): Promise<MediaDeviceInfoLike[]>;
  getUserMedia?(constraints: MediaStreamConstraints): Promise<MediaStream>;
  addEventListener(type: 'devicechange', listener: () => void): void;
  removeEventListener(type: 'devicechange', listener: () => void): void;
}

/** One microphone or output as the UI lists it. */
export interface AudioDevice {
  id: string;
  kind: 'audioinput' | 'audiooutput';
  /** The OS label, or a placeholder ("Microphone 2") while labels are hidden. */
  label: string;
  groupId: string;
}

/** Which setting a device is chosen for. */
export type DeviceRole = 'microphone' | 'speaker' | 'ringer';

/** The saved choice per role (null = system default). */
export type DeviceChoices = Record<DeviceRole, DeviceChoice | null>;

/** Where a saved choice points now. */
export type DeviceResolution =
  | { status: 'default' }
  | { status: 'found'; device: AudioDevice; by: 'id' | 'label' }
  | { status: 'missing' }
  /** Labels are hidden (no microphone permission yet): the choice cannot be checked. */
  | { status: 'unknown' };

/** The lists the manager knows. */
export interface DeviceLists {
  inputs: AudioDevice[];
  outputs: AudioDevice[];
  /** False until the user allowed the microphone once: ids and labels are then empty. */
  labelsAvailable: boolean;
  /** Label of the OS default input/output (without Chromium's "Default - " prefix). */
  defaultInputLabel: string | null;
  defaultOutputLabel: string | null;
}

/** A chosen device vanished or came back; `deviceId` is what live calls must use now. */
export interface DeviceTransition {
  role: DeviceRole;
  change: 'lost' | 'back';
  choice: DeviceChoice;
  /** The device id to use from now on (null = system default). */
  deviceId: string | null;
  /** One plain sentence for the user. */
  notice: string;
}

export interface DeviceEvents {
  /** The lists changed (or were read for the first time). */
  changed: DeviceLists;
  /** A chosen device vanished (fall back to the default) or came back (move back to it). */
  transition: DeviceTransition;
  /** The OS default device of a kind changed; calls on "system default" should reopen it. */
  'default-changed': 'audioinput' | 'audiooutput';
}

const PSEUDO_IDS = new Set(['default', 'communications']);
const ROLES: readonly DeviceRole[] = ['microphone', 'speaker', 'ringer'];
const ROLE_KIND: Record<DeviceRole, AudioDevice['kind']> = {
  microphone: 'audioinput',
  speaker: 'audiooutput',
  ringer: 'audiooutput',
};
const ROLE_NAME: Record<DeviceRole, string> = {
  microphone: 'microphone',
  speaker: 'speaker',
  ringer: 'ringer device',
};

/** Chromium prefixes its pseudo-devices: "Default - Jabra Evolve 65". */
export function plainLabel(label: string): string {
  return label.replace(/^(Default|Communications) - /, '').trim();
}

/** Sorts raw device infos into the lists the UI shows. */
export function listAudioDevices(infos: readonly MediaDeviceInfoLike[]): DeviceLists {
  const audio = infos.filter((d) => d.kind === 'audioinput' || d.kind === 'audiooutput');
  const labelsAvailable = audio.some((d) => d.label !== '');
  const pick = (kind: AudioDevice['kind'], noun: string): AudioDevice[] =>
    audio
      .filter((d) => d.kind === kind && !PSEUDO_IDS.has(d.deviceId) && d.deviceId !== '')
      .map((d, i) => ({
        id: d.deviceId,
        kind,
        label: d.label !== '' ? d.label : `${noun} ${i + 1}`,
        groupId: d.groupId,
      }));
  const defaultLabel = (kind: string): string | null => {
    const entry = audio.find((d) => d.kind === kind && d.deviceId === 'default');
    return entry && entry.label !== '' ? plainLabel(entry.label) : null;
  };
  return {
    inputs: pick('audioinput', 'Microphone'),
    outputs: pick('audiooutput', 'Speaker'),
    labelsAvailable,
    defaultInputLabel: defaultLabel('audioinput'),
    defaultOutputLabel: defaultLabel('audiooutput'),
  };
}

/**
 * Finds a saved choice among the devices of its kind: by id first, then (ids change when a
 * device is replugged or the browser profile is reset) by its label. null and the "default"
 * pseudo-device mean the system default, which always resolves.
 */
export function resolveChoice(
  choice: DeviceChoice | null,
  devices: readonly AudioDevice[],
  labelsAvailable = true,
): DeviceResolution {
  if (choice === null || PSEUDO_IDS.has(choice.id) || choice.id === '') {
    return { status: 'default' };
  }
  const byId = devices.find((d) => d.id === choice.id);
  if (byId) {
    return { status: 'found', device: byId, by: 'id' };
  }
  if (!labelsAvailable) {
    return { status: 'unknown' };
  }
  const wanted = plainLabel(choice.label);
  const byLabel = wanted === '' ? undefined : devices.find((d) => plainLabel(d.label) === wanted);
  return byLabel ? { status: 'found', device: byLabel, by: 'label' } : { status: 'missing' };
}

/** The device id to open for a resolution (null = system default, also for a missing device). */
export function deviceIdOf(
  resolution: DeviceResolution,
  choice: DeviceChoice | null,
): string | null {
  switch (resolution.status) {
    case 'found':
      return resolution.device.id;
    case 'unknown':
      // Labels are hidden but the saved id may still be valid: try it.
      return choice?.id ?? null;
    default:
      return null;
  }
}

/** The choice to save for a device picked in the UI (null = system default). */
export function choiceOf(device: AudioDevice | null): DeviceChoice | null {
  return device ? { id: device.id, label: device.label } : null;
}

/**
 * Compares two resolutions of the same choice: a found device that is now missing was
 * unplugged, a missing one that is found again came back. Anything else is no transition.
 */
export function transitionOf(
  role: DeviceRole,
  choice: DeviceChoice | null,
  before: DeviceResolution,
  after: DeviceResolution,
): DeviceTransition | null {
  if (choice === null) {
    return null;
  }
  const name = ROLE_NAME[role];
  const label = plainLabel(choice.label) || `the chosen ${name}`;
  if (before.status === 'found' && after.status === 'missing') {
    return {
      role,
      change: 'lost',
      choice,
      deviceId: null,
      notice: `${label} was disconnected. The ${name} is now the system default.`,
    };
  }
  if (before.status === 'missing' && after.status === 'found') {
    return {
      role,
      change: 'back',
      choice,
      deviceId: after.device.id,
      notice: `${label} is back. The ${name} is ${label} again.`,
    };
  }
  return null;
}

/** Which devices a role may use. */
export function devicesFor(role: DeviceRole, lists: DeviceLists): AudioDevice[] {
  return ROLE_KIND[role] === 'audioinput' ? lists.inputs : lists.outputs;
}

const EMPTY: DeviceLists = {
  inputs: [],
  outputs: [],
  labelsAvailable: false,
  defaultInputLabel: null,
  defaultOutputLabel: null,
};

/** Keeps the device lists live and watches the chosen devices. */
export class DeviceManager extends TypedEmitter<DeviceEvents> {
  readonly #media: MediaDevicesLike;
  #lists: DeviceLists = EMPTY;
  #choices: DeviceChoices = { microphone: null, speaker: null, ringer: null };
  #resolved: Record<DeviceRole, DeviceResolution> = {
    microphone: { status: 'default' },
    speaker: { status: 'default' },
    ringer: { status: 'default' },
  };
  #generation = 0;
  #started = false;
  readonly #onChange = (): void => void this.refresh();

  constructor(media: MediaDevicesLike) {
    super();
    this.#media = media;
  }

  get lists(): DeviceLists {
    return this.#lists;
  }

  /** Reads the lists and follows devicechange until stop(). */
  async start(): Promise<void> {
    if (!this.#started) {
      this.#started = true;
      this.#media.addEventListener('devicechange', this.#onChange);
    }
    await this.refresh();
  }

  stop(): void {
    if (this.#started) {
      this.#started = false;
      this.#media.removeEventListener('devicechange', this.#onChange);
    }
  }

  /** Sets the saved choices to watch (no transition is reported for a changed choice). */
  setChoices(choices: DeviceChoices): void {
    this.#choices = { ...choices };
    for (const role of ROLES) {
      this.#resolved[role] = this.resolve(role);
    }
  }

  /** Where the saved choice of `role` points in the current lists. */
  resolve(role: DeviceRole): DeviceResolution {
    return resolveChoice(
      this.#choices[role],
      devicesFor(role, this.#lists),
      this.#lists.labelsAvailable,
    );
  }

  /** The device id `role` should use now (null = system default). */
  deviceIdFor(role: DeviceRole): string | null {
    return deviceIdOf(this.resolve(role), this.#choices[role]);
  }

  /** Opens and closes the microphone once so that the browser reveals device labels. */
  async requestLabels(): Promise<boolean> {
    if (!this.#media.getUserMedia) {
      return false;
    }
    const stream = await this.#media.getUserMedia({ audio: true, video: false });
    for (const track of stream.getTracks()) {
      track.stop();
    }
    await this.refresh();
    return this.#lists.labelsAvailable;
  }

  /** Re-reads the lists; emits `changed`, then transitions of the chosen devices. */
  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    let infos: MediaDeviceInfoLike[];
    try {
      infos = await this.#media.enumerateDevices();
    } catch (error: unknown) {
      log.warn(`could not list devices: ${String(error)}`);
      return;
    }
    if (generation !== this.#generation) {
      return; // a newer refresh is under way (devicechange comes in bursts)
    }
    this.#apply(listAudioDevices(infos));
  }

  #apply(lists: DeviceLists): void {
    const before = this.#lists;
    this.#lists = lists;
    // Transitions are decided before anyone hears of the change: a listener of `changed` may
    // update the choices (a replugged device's new id), which must not hide a transition.
    const transitions: DeviceTransition[] = [];
    for (const role of ROLES) {
      const next = this.resolve(role);
      const transition = transitionOf(role, this.#choices[role], this.#resolved[role], next);
      // An unknown state (labels hidden) keeps the last known one, so nothing flaps.
      if (next.status !== 'unknown') {
        this.#resolved[role] = next;
      }
      if (transition) {
        transitions.push(transition);
      }
    }
    this.emit('changed', lists);
    for (const kind of ['audioinput', 'audiooutput'] as const) {
      const key = kind === 'audioinput' ? 'defaultInputLabel' : 'defaultOutputLabel';
      if (before.labelsAvailable && lists.labelsAvailable && before[key] !== lists[key]) {
        this.emit('default-changed', kind);
      }
    }
    for (const transition of transitions) {
      this.emit('transition', transition);
    }
  }
}
