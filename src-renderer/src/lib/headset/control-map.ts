// Owns finding where a headset's telephony controls live: for each button (hook switch, phone
// mute, flash, redial, drop, line busy) the input report id, bit offset and size and whether it
// reports a state (absolute) or a press (relative toggle, or -1/+1 on/off buttons); for each
// light (off-hook, mute, ring, hold, microphone LEDs, the ringer) the output report and bits;
// and every report's length. Built from WebHID's HIDDevice.collections, or from raw descriptor
// bytes through report-descriptor.ts (same structure). Pure.
import { parseReportDescriptor } from './report-descriptor';
import { LED, PAGE_TELEPHONY, TELEPHONY } from './usages';
import type { HidCollectionInfo, HidReportInfo, HidReportItemInfo } from './webhid';

export type InputControl =
  'hookSwitch' | 'phoneMute' | 'flash' | 'redial' | 'drop' | 'lineBusyTone';
export type OutputControl =
  'offHookLed' | 'muteLed' | 'ringLed' | 'holdLed' | 'microphoneLed' | 'ringer';

/**
 * How a field's value is read (HID Usage Tables 1.5 §3.4.1.2, On/Off Control):
 * - 'absolute': the value is the state (a toggle switch; 1 = on);
 * - 'toggle': relative 0/1, each press (0 → 1) toggles the state (a toggle button);
 * - 'on-off': relative -1/0/+1, +1 turns on and -1 turns off (on/off buttons);
 * - 'selector': an array field; the control is pressed while a slot holds its selector.
 */
export type InputSemantics = 'absolute' | 'toggle' | 'on-off' | 'selector';

/** Where a field lives in its report (bits counted after the report id byte). */
export interface FieldLocation {
  reportId: number;
  bitOffset: number;
  bitSize: number;
  logicalMinimum: number;
  logicalMaximum: number;
}

export interface InputField extends FieldLocation {
  usage: number;
  semantics: InputSemantics;
  /** The descriptor's Preferred State flag (a push button returns to it when released). */
  preferredState: boolean;
  /** 'selector' only: how many array slots follow bitOffset, and the value that means this control. */
  slots: number;
  selector: number;
}

export interface OutputField extends FieldLocation {
  usage: number;
}

/** One report's length in bytes, without the report id byte. */
export interface ReportLayout {
  reportId: number;
  byteLength: number;
}

export interface TelephonyControlMap {
  inputs: Partial<Record<InputControl, InputField>>;
  outputs: Partial<Record<OutputControl, OutputField>>;
  inputReports: ReportLayout[];
  outputReports: ReportLayout[];
  /** The device has a top-level collection on the Telephony page. */
  telephonyCollection: boolean;
}

const INPUT_USAGES: Record<number, InputControl> = {
  [TELEPHONY.hookSwitch]: 'hookSwitch',
  [TELEPHONY.phoneMute]: 'phoneMute',
  [TELEPHONY.flash]: 'flash',
  [TELEPHONY.redial]: 'redial',
  [TELEPHONY.drop]: 'drop',
  [TELEPHONY.lineBusyTone]: 'lineBusyTone',
};

const OUTPUT_USAGES: Record<number, OutputControl> = {
  [LED.offHook]: 'offHookLed',
  [LED.mute]: 'muteLed',
  [LED.ring]: 'ringLed',
  [LED.hold]: 'holdLed',
  [LED.microphone]: 'microphoneLed',
  [TELEPHONY.ringer]: 'ringer',
};

/** Array usage lists longer than this are not expanded (no telephony array is near it). */
const MAX_ARRAY_USAGES = 1024;

type Kind = 'inputReports' | 'outputReports';

interface Found<F> {
  field: F;
  /** Found inside a Telephony top-level collection (preferred over other collections). */
  telephony: boolean;
}

class MapBuilder {
  readonly inputs = new Map<InputControl, Found<InputField>>();
  readonly outputs = new Map<OutputControl, Found<OutputField>>();
  readonly bits: Record<Kind, Map<number, number>> = {
    inputReports: new Map(),
    outputReports: new Map(),
  };

  addCollection(collection: HidCollectionInfo): void {
    const telephony = collection.usagePage === PAGE_TELEPHONY;
    for (const kind of ['inputReports', 'outputReports'] as const) {
      for (const report of collection[kind] ?? []) {
        this.#addReport(kind, report, telephony);
      }
    }
  }

  #addReport(kind: Kind, report: HidReportInfo, telephony: boolean): void {
    const reportId = report.reportId ?? 0;
    for (const item of report.items ?? []) {
      const offset = this.bits[kind].get(reportId) ?? 0;
      const size = item.reportSize ?? 0;
      const count = item.reportCount ?? 0;
      if (!item.isConstant && size > 0 && size <= 32) {
        this.#addFields(kind, item, { reportId, offset, size, count }, telephony);
      }
      this.bits[kind].set(reportId, offset + size * count);
    }
  }

  #addFields(
    kind: Kind,
    item: HidReportItemInfo,
    at: { reportId: number; offset: number; size: number; count: number },
    telephony: boolean,
  ): void {
    const base = {
      reportId: at.reportId,
      bitSize: at.size,
      logicalMinimum: item.logicalMinimum ?? 0,
      logicalMaximum: item.logicalMaximum ?? 0,
    };
    if (item.isArray) {
      if (kind === 'inputReports') {
        this.#addSelectors(item, { ...base, bitOffset: at.offset }, at.count, telephony);
      }
      return;
    }
    for (let i = 0; i < at.count; i++) {
      const usage = usageOfField(item, i);
      if (usage === null) {
        continue;
      }
      const location = { ...base, bitOffset: at.offset + i * at.size };
      if (kind === 'inputReports') {
        this.#offerInput(
          usage,
          { ...location, usage, ...semanticsOf(item), slots: 1, selector: 0 },
          telephony,
        );
      } else {
        this.#offerOutput(usage, { ...location, usage }, telephony);
      }
    }
  }

  #addSelectors(
    item: HidReportItemInfo,
    location: FieldLocation,
    slots: number,
    telephony: boolean,
  ): void {
    arrayUsages(item).forEach((usage, index) => {
      const selector = location.logicalMinimum + index;
      const field: InputField = {
        ...location,
        usage,
        semantics: 'selector',
        preferredState: item.hasPreferredState ?? true,
        slots,
        selector,
      };
      this.#offerInput(usage, field, telephony);
    });
  }

  #offerInput(usage: number, field: InputField, telephony: boolean): void {
    const control = INPUT_USAGES[usage];
    if (control && better(this.inputs.get(control), telephony)) {
      this.inputs.set(control, { field, telephony });
    }
  }

  #offerOutput(usage: number, field: OutputField, telephony: boolean): void {
    const control = OUTPUT_USAGES[usage];
    if (control && better(this.outputs.get(control), telephony)) {
      this.outputs.set(control, { field, telephony });
    }
  }
}

/** The first place a control is found wins, except that a Telephony collection beats others. */
function better<F>(existing: Found<F> | undefined, telephony: boolean): boolean {
  return !existing || (telephony && !existing.telephony);
}

/** The usage of a variable item's i-th field: its own, else the last one (HID 1.11 §6.2.2.8). */
function usageOfField(item: HidReportItemInfo, i: number): number | null {
  if (item.isRange) {
    const min = item.usageMinimum ?? 0;
    const max = item.usageMaximum ?? min;
    return Math.min(min + i, max);
  }
  const usages = item.usages ?? [];
  return usages.length === 0 ? null : (usages[Math.min(i, usages.length - 1)] ?? null);
}

function arrayUsages(item: HidReportItemInfo): number[] {
  if (!item.isRange) {
    return item.usages ?? [];
  }
  const min = item.usageMinimum ?? 0;
  const max = Math.min(item.usageMaximum ?? min, min + MAX_ARRAY_USAGES - 1);
  return Array.from({ length: Math.max(0, max - min + 1) }, (_v, k) => min + k);
}

function semanticsOf(item: HidReportItemInfo): Pick<InputField, 'semantics' | 'preferredState'> {
  const preferredState = item.hasPreferredState ?? true;
  if (item.isAbsolute ?? true) {
    return { semantics: 'absolute', preferredState };
  }
  return { semantics: (item.logicalMinimum ?? 0) < 0 ? 'on-off' : 'toggle', preferredState };
}

function layouts(bits: Map<number, number>): ReportLayout[] {
  return [...bits]
    .map(([reportId, total]) => ({ reportId, byteLength: Math.ceil(total / 8) }))
    .sort((a, b) => a.reportId - b.reportId);
}

function unwrap<K extends string, F>(found: Map<K, Found<F>>): Partial<Record<K, F>> {
  return Object.fromEntries([...found].map(([k, v]) => [k, v.field])) as Partial<Record<K, F>>;
}

/**
 * Builds the control map from top-level collections (WebHID's HIDDevice.collections, whose
 * top-level entries list every item of their reports in order). Reports with the same id in
 * several top-level collections are laid out in collection order, as the device sends them.
 */
export function buildControlMap(collections: readonly HidCollectionInfo[]): TelephonyControlMap {
  const builder = new MapBuilder();
  collections.forEach((c) => builder.addCollection(c));
  return {
    inputs: unwrap(builder.inputs),
    outputs: unwrap(builder.outputs),
    inputReports: layouts(builder.bits.inputReports),
    outputReports: layouts(builder.bits.outputReports),
    telephonyCollection: collections.some((c) => c.usagePage === PAGE_TELEPHONY),
  };
}

/** The control map of a raw report descriptor, with the parser's warnings. */
export function controlMapFromDescriptor(bytes: Uint8Array): {
  map: TelephonyControlMap;
  warnings: string[];
} {
  const parsed = parseReportDescriptor(bytes);
  return { map: buildControlMap(parsed.collections), warnings: parsed.warnings };
}

/** Whether the map has a button worth listening to (the hook switch or phone mute). */
export function hasCallControls(map: TelephonyControlMap): boolean {
  return map.inputs.hookSwitch !== undefined || map.inputs.phoneMute !== undefined;
}
