// Owns what main knows about HID devices offered by Electron (select-hid-device, the device
// permission handler): which ones are telephony devices (a top-level collection on the HID
// Telephony usage page 0x0B, the same test WebHID's `usagePage` filter applies), how a chosen
// headset is remembered, and how it is recognised again after a restart or a replug.
import type { HidDeviceSummary } from '@shared/ipc-contract';
import type { HeadsetDeviceChoice } from '@shared/settings-types';

/** HID usage page "Telephony Devices" (HID Usage Tables 1.5, §14). */
export const TELEPHONY_USAGE_PAGE = 0x0b;

/** The parts of Electron's HIDDevice used here (https://www.electronjs.org/docs/latest/api/structures/hid-device). */
export interface HidDeviceInfo {
  deviceId: string;
  name: string;
  vendorId: number;
  productId: number;
  serialNumber?: string | undefined;
  /** Top-level collections; typed loosely because Electron types their children as `{}`. */
  collections?: readonly unknown[] | undefined;
}

function usagePageOf(collection: unknown): number | null {
  if (typeof collection !== 'object' || collection === null) {
    return null;
  }
  const page = (collection as { usagePage?: unknown }).usagePage;
  return typeof page === 'number' ? page : null;
}

/** Whether the device has a top-level collection on the Telephony page. */
export function isTelephonyDevice(device: Pick<HidDeviceInfo, 'collections'>): boolean {
  const collections = Array.isArray(device.collections) ? device.collections : [];
  return collections.some((c) => usagePageOf(c) === TELEPHONY_USAGE_PAGE);
}

/** What the settings keep of a chosen headset. */
export function rememberHeadset(device: HidDeviceInfo): HeadsetDeviceChoice {
  return {
    vendorId: device.vendorId,
    productId: device.productId,
    serialNumber: device.serialNumber ? device.serialNumber : null,
    name: device.name.slice(0, 256),
  };
}

/**
 * Whether `device` is the remembered headset: same vendor and product, and the same serial
 * number when both have one (two identical headsets are told apart), else the same name.
 */
export function isRememberedHeadset(
  device: HidDeviceInfo,
  remembered: HeadsetDeviceChoice | null,
): boolean {
  if (!remembered) {
    return false;
  }
  if (device.vendorId !== remembered.vendorId || device.productId !== remembered.productId) {
    return false;
  }
  if (remembered.serialNumber && device.serialNumber) {
    return remembered.serialNumber === device.serialNumber;
  }
  return remembered.name === device.name;
}

/** What the page is shown about a device in the headset picker. */
export function summarizeDevice(device: HidDeviceInfo): HidDeviceSummary {
  return {
    deviceId: device.deviceId,
    name: device.name.slice(0, 256) || 'Unnamed headset',
    vendorId: device.vendorId,
    productId: device.productId,
  };
}
