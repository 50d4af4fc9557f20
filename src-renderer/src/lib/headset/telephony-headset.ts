// Owns talking to one telephony headset over WebHID: input reports become call events (hook
// off/on, mute, flash, redial, drop, line busy) and the call's state becomes lights (off-hook,
// ring and the ringer, mute, hold), vendor-neutral from the control map. The quirks handled:
// - a hook switch that reports its state (absolute) or a press that toggles it (relative), or
//   -1/+1 on/off buttons; every report carries every field, so only changes count;
// - headsets follow the host's Off-Hook light: when the host answers or hangs up, the device's
//   hook state is taken to follow, so its echo is not mistaken for a press; an absolute switch
//   that did not move is no request, even when the host changed its light in between (a report
//   sent before the headset followed the light carries the old state);
// - a relative Phone Mute press is a request to toggle; when the host changed mute by itself,
//   one press arriving right after is the device echoing the new light and is ignored;
// - devices without report ids use report id 0; lights that share a report are written
//   together (headset-lights.ts builds each report whole from the host's state).
import { TypedEmitter } from '../emitter';
import { createLogger, type Logger } from '../logger';
import {
  buildControlMap,
  controlMapFromDescriptor,
  hasCallControls,
  type InputControl,
  type InputField,
  type OutputControl,
  type TelephonyControlMap,
} from './control-map';
import { ALL_LIGHTS_OFF, LightReports, type HeadsetLights } from './headset-lights';
import { readField } from './report-bits';
import type { HidDevice, HidInputReportEvent } from './webhid';

export type { HeadsetLights } from './headset-lights';

/** What the user did on the headset. */
export interface HeadsetEvents {
  /** Hook switch: offHook true = answer / pick up, false = hang up. */
  hook: { offHook: boolean };
  /** Mute button: the state the user asks for. */
  mute: { muted: boolean };
  flash: null;
  redial: null;
  /** A separate hang-up button ("Drop"). */
  drop: null;
  /** Line Busy Tone: the headset is busy elsewhere (a mobile call, another softphone). */
  'line-busy': { busy: boolean };
  /** A light could not be set (the device refused the report or went away). */
  error: { message: string };
}

export interface TelephonyHeadsetOptions {
  /** Raw report descriptor, used when the device's collections hold no call controls. */
  descriptor?: Uint8Array;
  /** A Phone Mute press this soon after the host changed mute is taken as the device's echo. */
  muteEchoWindowMs?: number;
  now?: () => number;
  log?: Logger;
}

/** A headset that cannot be used, with a sentence for the user. */
export class HeadsetError extends Error {
  override name = 'HeadsetError';
}

export const DEFAULT_MUTE_ECHO_WINDOW_MS = 1000;

const INPUT_ORDER: readonly InputControl[] = [
  'hookSwitch',
  'phoneMute',
  'flash',
  'redial',
  'drop',
  'lineBusyTone',
];

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class TelephonyHeadset extends TypedEmitter<HeadsetEvents> {
  readonly device: HidDevice;
  readonly map: TelephonyControlMap;
  readonly #options: TelephonyHeadsetOptions;
  readonly #log: Logger;
  readonly #onReport = (event: HidInputReportEvent): void => this.#handleReport(event);
  readonly #lightReports: LightReports;
  /** Last raw value of each input, for edge detection across repeated reports. */
  readonly #last = new Map<InputControl, number>();
  #lights: HeadsetLights = { ...ALL_LIGHTS_OFF };
  /** The hook state the device is believed to be in. */
  #offHook = false;
  /** The mute state the device is believed to be in. */
  #muted = false;
  #muteEchoUntil = -Infinity;
  #sending: Promise<void> = Promise.resolve();
  #closed = false;

  private constructor(
    device: HidDevice,
    map: TelephonyControlMap,
    options: TelephonyHeadsetOptions,
  ) {
    super();
    this.device = device;
    this.map = map;
    this.#options = options;
    this.#log = options.log ?? createLogger('headset');
    this.#lightReports = new LightReports(map);
  }

  /**
   * Opens `device` and starts listening. Refused with a HeadsetError when the device has no
   * hook switch or mute button (not a telephony headset) or cannot be opened.
   */
  static async open(
    device: HidDevice,
    options: TelephonyHeadsetOptions = {},
  ): Promise<TelephonyHeadset> {
    const map = controlMapOf(device, options.descriptor);
    if (!hasCallControls(map)) {
      throw new HeadsetError(
        `${device.productName || 'This device'} has no hook switch or mute button that the phone can use.`,
      );
    }
    if (!device.opened) {
      try {
        await device.open();
      } catch (error: unknown) {
        throw new HeadsetError(
          `${device.productName || 'The headset'} could not be opened (${errorText(error)}). Another app may be using it, or on Linux the system may not let this user open it.`,
        );
      }
    }
    const headset = new TelephonyHeadset(device, map, options);
    device.addEventListener('inputreport', headset.#onReport);
    // Clear whatever a previous run (or another app) left lit.
    await headset.#send(headset.#lightReports.allReports());
    return headset;
  }

  /** The lights as the host last set them. */
  get lights(): HeadsetLights {
    return { ...this.#lights };
  }

  /** Which buttons and lights this headset has. */
  get capabilities(): { inputs: InputControl[]; outputs: OutputControl[] } {
    return {
      inputs: INPUT_ORDER.filter((c) => this.map.inputs[c] !== undefined),
      outputs: Object.keys(this.map.outputs) as OutputControl[],
    };
  }

  setOffHook(offHook: boolean): Promise<void> {
    return this.setLights({ offHook });
  }

  setRing(ring: boolean): Promise<void> {
    return this.setLights({ ring });
  }

  setMute(mute: boolean): Promise<void> {
    return this.setLights({ mute });
  }

  setHold(hold: boolean): Promise<void> {
    return this.setLights({ hold });
  }

  /**
   * Sets several lights at once; each affected report is sent once. A light is sent when it
   * changes, and also when it answers a press the device is waiting on (a headset whose mute
   * or hook press gets no reply may undo it by itself, WICG/webhid#72).
   */
  setLights(change: Partial<HeadsetLights>): Promise<void> {
    if (this.#closed) {
      return Promise.resolve();
    }
    const next = { ...this.#lights, ...change };
    const send = (Object.keys(change) as (keyof HeadsetLights)[]).filter(
      (light) => next[light] !== this.#lights[light] || this.#awaitsReply(light),
    );
    if (change.offHook !== undefined && this.map.outputs.offHookLed) {
      this.#offHook = change.offHook; // headsets follow the Off-Hook light
    }
    if (change.mute !== undefined && change.mute !== this.#muted) {
      // Not the answer to a press: the host changed mute by itself; the device may echo it.
      const echoWindow = this.#options.muteEchoWindowMs ?? DEFAULT_MUTE_ECHO_WINDOW_MS;
      this.#muteEchoUntil = this.#now() + echoWindow;
    }
    if (change.mute !== undefined) {
      this.#muted = change.mute;
    }
    this.#lights = next;
    return this.#send([...new Set(send.flatMap((light) => this.#lightReports.reportsOf(light)))]);
  }

  // The device asked for a state the host's light does not show yet.
  #awaitsReply(light: keyof HeadsetLights): boolean {
    if (light === 'mute') {
      return this.#muted !== this.#lights.mute;
    }
    return light === 'offHook' && this.#offHook !== this.#lights.offHook;
  }

  /** Stops listening, turns the lights off and closes the device. */
  async close(): Promise<void> {
    if (this.#closed) {
      return;
    }
    await this.setLights(ALL_LIGHTS_OFF);
    this.#closed = true;
    this.device.removeEventListener('inputreport', this.#onReport);
    this.removeAllListeners();
    try {
      await this.device.close();
    } catch (error: unknown) {
      this.#log.info(`closing the headset failed: ${errorText(error)}`);
    }
  }

  /** The device went away: stop without touching it. */
  detach(): void {
    this.#closed = true;
    this.device.removeEventListener('inputreport', this.#onReport);
    this.removeAllListeners();
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  #send(reportIds: number[]): Promise<void> {
    for (const reportId of reportIds) {
      const data = this.#lightReports.build(reportId, this.#lights);
      this.#sending = this.#sending.then(async () => {
        try {
          await this.device.sendReport(reportId, data);
        } catch (error: unknown) {
          const message = `The headset did not accept its lights (${errorText(error)}).`;
          this.#log.warn(message);
          this.emit('error', { message });
        }
      });
    }
    return this.#sending;
  }

  #handleReport(event: HidInputReportEvent): void {
    if (this.#closed) {
      return;
    }
    for (const control of INPUT_ORDER) {
      const field = this.map.inputs[control];
      if (field && field.reportId === event.reportId) {
        this.#input(control, field, valueOf(field, event.data));
      }
    }
  }

  #input(control: InputControl, field: InputField, value: number): void {
    const previous = this.#last.get(control) ?? 0;
    this.#last.set(control, value);
    const pressed = value > 0 && previous <= 0;
    switch (control) {
      case 'hookSwitch':
        this.#hook(field, value, pressed, previous);
        return;
      case 'phoneMute':
        this.#mute(field, value, pressed, previous);
        return;
      case 'lineBusyTone':
        if ((value !== 0) !== (previous !== 0)) {
          this.emit('line-busy', { busy: value !== 0 });
        }
        return;
      default:
        if (pressed) {
          this.emit(control, null);
        }
    }
  }

  #hook(field: InputField, value: number, pressed: boolean, previous: number): void {
    if (stale(field, value, previous)) {
      return;
    }
    const next = nextState(field, value, pressed, this.#offHook);
    if (next !== null && next !== this.#offHook) {
      this.#offHook = next;
      this.emit('hook', { offHook: next });
    }
  }

  #mute(field: InputField, value: number, pressed: boolean, previous: number): void {
    if (stale(field, value, previous)) {
      return;
    }
    const toggles = field.semantics === 'toggle' || field.semantics === 'selector';
    if (toggles && pressed && this.#now() <= this.#muteEchoUntil) {
      this.#muteEchoUntil = -Infinity; // one echo per host change
      this.#log.debug('ignored a Phone Mute press that echoed the host’s own change');
      return;
    }
    const next = nextState(field, value, pressed, this.#muted);
    if (next !== null && next !== this.#muted) {
      this.#muted = next;
      this.emit('mute', { muted: next });
    }
  }
}

/** The field's value; a selector field reads 1 while any slot holds its selector. */
function valueOf(field: InputField, data: DataView): number {
  if (field.semantics !== 'selector') {
    return readField(data, field);
  }
  for (let slot = 0; slot < field.slots; slot++) {
    const at = { ...field, bitOffset: field.bitOffset + slot * field.bitSize };
    if (readField(data, at) === field.selector) {
      return 1;
    }
  }
  return 0;
}

/**
 * An absolute switch whose value did not move: the report carries it only because another
 * control changed. Its state may lag behind a light the host just set (the user releases
 * Drop before the headset has followed the Off-Hook light going out), so it asks for nothing.
 */
function stale(field: InputField, value: number, previous: number): boolean {
  return field.semantics === 'absolute' && value === previous;
}

/** The state a report asks for, or null when it asks for nothing. */
function nextState(
  field: InputField,
  value: number,
  pressed: boolean,
  current: boolean,
): boolean | null {
  switch (field.semantics) {
    case 'absolute':
      return value !== 0;
    case 'on-off':
      return value > 0 ? true : value < 0 ? false : null;
    default:
      return pressed ? !current : null;
  }
}

function controlMapOf(device: HidDevice, descriptor: Uint8Array | undefined): TelephonyControlMap {
  const fromCollections = buildControlMap(device.collections);
  if (hasCallControls(fromCollections) || !descriptor) {
    return fromCollections;
  }
  return controlMapFromDescriptor(descriptor).map;
}
