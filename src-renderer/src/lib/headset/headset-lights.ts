// Owns turning the host's lights (off-hook, ring, mute, hold) into a headset's output reports:
// which reports a light lives in, and each report built whole from the lights' state, so lights
// that share a report are always written together and one never clears another. Ring drives
// both the Ring light and the Telephony Ringer; mute drives the Mute light, or the Microphone
// light on headsets without one. Pure apart from the per-report buffers it keeps.
import type { OutputControl, TelephonyControlMap } from './control-map';
import { writeBits } from './report-bits';

/** The lights the host drives. */
export interface HeadsetLights {
  offHook: boolean;
  ring: boolean;
  mute: boolean;
  hold: boolean;
}

export const ALL_LIGHTS_OFF: Readonly<HeadsetLights> = {
  offHook: false,
  ring: false,
  mute: false,
  hold: false,
};

const LIGHT_OUTPUTS: Record<keyof HeadsetLights, readonly OutputControl[]> = {
  offHook: ['offHookLed'],
  ring: ['ringLed', 'ringer'],
  mute: ['muteLed'],
  hold: ['holdLed'],
};

export class LightReports {
  readonly #map: TelephonyControlMap;
  readonly #reports = new Map<number, Uint8Array<ArrayBuffer>>();

  constructor(map: TelephonyControlMap) {
    this.#map = map;
    for (const layout of map.outputReports) {
      this.#reports.set(layout.reportId, new Uint8Array(layout.byteLength));
    }
  }

  #controls(light: keyof HeadsetLights): readonly OutputControl[] {
    return light === 'mute' && !this.#map.outputs.muteLed
      ? ['microphoneLed']
      : LIGHT_OUTPUTS[light];
  }

  /** The output reports `light` lives in (none when the headset lacks it). */
  reportsOf(light: keyof HeadsetLights): number[] {
    return this.#controls(light).flatMap((c) => {
      const field = this.#map.outputs[c];
      return field ? [field.reportId] : [];
    });
  }

  /** Every report that holds a light, each once. */
  allReports(): number[] {
    const keys = Object.keys(LIGHT_OUTPUTS) as (keyof HeadsetLights)[];
    return [...new Set(keys.flatMap((light) => this.reportsOf(light)))];
  }

  /** Report `reportId` (without its id byte) with every light in it set from `lights`. */
  build(reportId: number, lights: HeadsetLights): Uint8Array<ArrayBuffer> {
    const bytes = this.#reports.get(reportId) ?? new Uint8Array(0);
    for (const light of Object.keys(LIGHT_OUTPUTS) as (keyof HeadsetLights)[]) {
      for (const control of this.#controls(light)) {
        const field = this.#map.outputs[control];
        if (field && field.reportId === reportId) {
          const value = lights[light] ? field.logicalMaximum || 1 : field.logicalMinimum;
          writeBits(bytes, field.bitOffset, field.bitSize, value);
        }
      }
    }
    return bytes.slice();
  }
}
