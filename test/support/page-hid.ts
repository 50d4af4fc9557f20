// Runs inside the page under test (bundled into an init script by fake-hid-page.ts): replaces
// navigator.hid with the WebHID fake of fake-hid.ts, its devices built from the real
// descriptors' collections that the test passes in window.__fakeHidConfig. What Electron's
// main process decides goes to the test through Playwright bindings, where the REAL main-side
// code answers (src-main/headset/headset-access.ts behind the test bridge):
// - requestDevice → select-hid-device (window.__hidSelect), only with a user gesture;
// - the permission check and device permission handler (window.__hidPermission), asked for
//   every device not granted in this page's life (after a reload, as after a restart);
// - forget() → hid-device-revoked (window.__hidRevoked).
// The test drives the devices with window.__fakeHid (input reports, plug, unplug) and reads the
// output reports they received.
import type { HidCollectionInfo } from '../../src-renderer/src/lib/headset/webhid';
import { FakeHid, FakeHidDevice, type SentReport } from './fake-hid';

/** One device as the test describes it. */
export interface PageHidDeviceConfig {
  deviceId: string;
  vendorId: number;
  productId: number;
  productName: string;
  serialNumber: string | null;
  collections: HidCollectionInfo[];
  outputReportBytes: Record<number, number>;
  plugged: boolean;
}

/** What main sees of a device (Electron's HIDDevice). */
export interface MainHidDevice {
  deviceId: string;
  name: string;
  vendorId: number;
  productId: number;
  serialNumber?: string;
  collections: HidCollectionInfo[];
}

/** The controls the test uses through page.evaluate. */
export interface PageHidControls {
  input(deviceId: string, reportId: number, bytes: number[]): boolean;
  sent(deviceId: string): SentReport[];
  opened(deviceId: string): boolean;
  plug(deviceId: string): void;
  unplug(deviceId: string): void;
}

interface PageWindow {
  __fakeHidConfig: { devices: PageHidDeviceConfig[] };
  __fakeHid: PageHidControls;
  __hidSelect(devices: MainHidDevice[]): Promise<string | null>;
  __hidPermission(device: MainHidDevice): Promise<boolean>;
  __hidRevoked(device: MainHidDevice): Promise<void>;
}

const w = window as unknown as PageWindow;
const hid = new FakeHid();
const devices = new Map<string, { device: FakeHidDevice; main: MainHidDevice }>();

for (const config of w.__fakeHidConfig.devices) {
  const device = new FakeHidDevice(config);
  const main: MainHidDevice = {
    deviceId: config.deviceId,
    name: config.productName,
    vendorId: config.vendorId,
    productId: config.productId,
    ...(config.serialNumber ? { serialNumber: config.serialNumber } : {}),
    collections: config.collections,
  };
  devices.set(config.deviceId, { device, main });
  device.onForgotten(() => void w.__hidRevoked(main));
  if (config.plugged) {
    hid.connected.add(device);
  }
}

function mainOf(device: FakeHidDevice): MainHidDevice {
  const found = [...devices.values()].find((d) => d.device === device);
  if (!found) {
    throw new Error('unknown fake HID device');
  }
  return found.main;
}

function byId(deviceId: string): FakeHidDevice {
  const found = devices.get(deviceId);
  if (!found) {
    throw new Error(`no fake HID device ${deviceId}`);
  }
  return found.device;
}

hid.chooser = async (offered) => {
  const chosen = await w.__hidSelect(offered.map(mainOf));
  return offered.find((d) => mainOf(d).deviceId === chosen) ?? null;
};
hid.permission = (device) => w.__hidPermission(mainOf(device));

// Chromium asks for transient user activation (a click) before showing a chooser.
const requestDevice = hid.requestDevice.bind(hid);
hid.requestDevice = (options) => {
  hid.userActivation = navigator.userActivation.isActive;
  return requestDevice(options);
};

Object.defineProperty(Navigator.prototype, 'hid', { configurable: true, get: () => hid });

w.__fakeHid = {
  input: (deviceId, reportId, bytes) => byId(deviceId).input(reportId, bytes),
  sent: (deviceId) => byId(deviceId).sent.map((r) => ({ ...r, bytes: [...r.bytes] })),
  opened: (deviceId) => byId(deviceId).opened,
  plug: (deviceId) => hid.plug(byId(deviceId)),
  unplug: (deviceId) => hid.unplug(byId(deviceId)),
};
