// The WebHID shapes the headset code uses (https://wicg.github.io/webhid/), written out because
// TypeScript's DOM library does not include WebHID. Every dictionary member is optional in the
// spec's IDL, so it is optional here too; Chromium fills all of them. Usages are 32-bit
// "extended usages": usage page << 16 | usage id.

/** HIDReportItem: one Main item (Input/Output/Feature) of a report. */
export interface HidReportItemInfo {
  isAbsolute?: boolean;
  isArray?: boolean;
  isBufferedBytes?: boolean;
  isConstant?: boolean;
  isLinear?: boolean;
  isRange?: boolean;
  isVolatile?: boolean;
  hasNull?: boolean;
  hasPreferredState?: boolean;
  wrap?: boolean;
  /** Set when the item lists its usages (isRange false). */
  usages?: number[];
  /** Set when the item names a range (isRange true). */
  usageMinimum?: number;
  usageMaximum?: number;
  reportSize?: number;
  reportCount?: number;
  unitExponent?: number;
  logicalMinimum?: number;
  logicalMaximum?: number;
  physicalMinimum?: number;
  physicalMaximum?: number;
}

/** HIDReportInfo: the items of one report id, in order. */
export interface HidReportInfo {
  reportId?: number;
  items?: HidReportItemInfo[];
}

/**
 * HIDCollectionInfo. Chromium adds every report item to its collection and to all ancestors,
 * so a top-level collection lists every item of its reports in descriptor order.
 */
export interface HidCollectionInfo {
  usagePage?: number;
  usage?: number;
  type?: number;
  children?: HidCollectionInfo[];
  inputReports?: HidReportInfo[];
  outputReports?: HidReportInfo[];
  featureReports?: HidReportInfo[];
}

/** HIDInputReportEvent: `data` excludes the report id byte; reportId is 0 without report ids. */
export interface HidInputReportEvent {
  readonly reportId: number;
  readonly data: DataView;
}

/** HIDDevice. */
export interface HidDevice {
  readonly opened: boolean;
  readonly vendorId: number;
  readonly productId: number;
  readonly productName: string;
  readonly collections: readonly HidCollectionInfo[];
  open(): Promise<void>;
  close(): Promise<void>;
  forget?(): Promise<void>;
  /** `data` excludes the report id; use reportId 0 for a device without report ids. */
  sendReport(reportId: number, data: Uint8Array<ArrayBuffer>): Promise<void>;
  addEventListener(type: 'inputreport', listener: (event: HidInputReportEvent) => void): void;
  removeEventListener(type: 'inputreport', listener: (event: HidInputReportEvent) => void): void;
}

/** HIDDeviceFilter. */
export interface HidDeviceFilter {
  vendorId?: number;
  productId?: number;
  usagePage?: number;
  usage?: number;
}

/** HIDConnectionEvent. */
export interface HidConnectionEvent {
  readonly device: HidDevice;
}

/** navigator.hid. */
export interface Hid {
  getDevices(): Promise<HidDevice[]>;
  requestDevice(options: { filters: HidDeviceFilter[] }): Promise<HidDevice[]>;
  addEventListener(
    type: 'connect' | 'disconnect',
    listener: (event: HidConnectionEvent) => void,
  ): void;
  removeEventListener(
    type: 'connect' | 'disconnect',
    listener: (event: HidConnectionEvent) => void,
  ): void;
}

/** navigator.hid when the browser has WebHID (Electron and Chromium do), else undefined. */
export function navigatorHid(): Hid | undefined {
  const nav = globalThis.navigator as (Navigator & { hid?: Hid }) | undefined;
  return nav?.hid;
}
