// Fakes of WebHID's HIDDevice and navigator.hid that behave as the spec
// (https://wicg.github.io/webhid/) and Chromium's implementation
// (third_party/blink/renderer/modules/hid/hid_device.cc, hid.cc) document:
// - open() rejects InvalidStateError "The device is already open." when open, and
//   NotAllowedError "Failed to open the device." when the OS refuses (another app holds it
//   exclusively, or Linux hidraw permissions);
// - sendReport() rejects InvalidStateError "The device must be opened first." when closed and
//   NotAllowedError "Failed to write the report." when the OS refuses the report — an unknown
//   report id, a report id on a device without ids (or 0 on one with ids), or a length other
//   than the report's (Windows' HID stack requires the exact length);
// - input reports arrive as 'inputreport' events with `reportId` (0 without ids) and a DataView
//   without the report id byte, and only while the device is open;
// - a forgotten device rejects everything with "The device is forgotten.";
// - requestDevice needs a user gesture ("Must be handling a user gesture to show a permission
//   request."); the choice itself is made by the embedder (Electron: select-hid-device), given
//   here as `chooser` (it may take its time: Electron waits for select-hid-device's callback);
//   getDevices and connect/disconnect only concern permitted devices: those granted in this
//   session, or those the embedder's device permission handler allows (Electron:
//   setDevicePermissionHandler, asked again after a restart), given here as `permission`;
// - forget() revokes the permission (the embedder hears of it: Electron's hid-device-revoked).
import type {
  Hid,
  HidCollectionInfo,
  HidConnectionEvent,
  HidDevice,
  HidDeviceFilter,
  HidInputReportEvent,
} from '../../src-renderer/src/lib/headset/webhid';

class DOMExceptionLike extends Error {
  constructor(
    message: string,
    override readonly name: string,
  ) {
    super(message);
  }
}

export interface SentReport {
  reportId: number;
  bytes: number[];
}

export interface FakeHidDeviceOptions {
  vendorId: number;
  productId: number;
  productName: string;
  collections: HidCollectionInfo[];
  /** Output report id → length in bytes (without the id), as the device's descriptor says. */
  outputReportBytes: Record<number, number>;
  /** The OS refuses to open the device. */
  failOpen?: boolean;
}

export class FakeHidDevice implements HidDevice {
  readonly vendorId: number;
  readonly productId: number;
  readonly productName: string;
  readonly collections: HidCollectionInfo[];
  readonly sent: SentReport[] = [];
  failOpen: boolean;
  /** Reject the next sendReport calls with the OS's refusal (an unplug in flight). */
  failWrites = false;
  #opened = false;
  #forgotten = false;
  readonly #outputs: Map<number, number>;
  readonly #listeners = new Set<(event: HidInputReportEvent) => void>();
  readonly #sentWaiters: { count: number; resolve: () => void }[] = [];
  readonly #forgetListeners = new Set<() => void>();

  constructor(options: FakeHidDeviceOptions) {
    this.vendorId = options.vendorId;
    this.productId = options.productId;
    this.productName = options.productName;
    this.collections = options.collections;
    this.failOpen = options.failOpen ?? false;
    this.#outputs = new Map(
      Object.entries(options.outputReportBytes).map(([k, v]) => [Number(k), v]),
    );
  }

  get opened(): boolean {
    return this.#opened;
  }

  get forgotten(): boolean {
    return this.#forgotten;
  }

  #usesReportIds(): boolean {
    return ![...this.#outputs.keys()].every((id) => id === 0);
  }

  #checkUsable(): void {
    if (this.#forgotten) {
      throw new DOMExceptionLike('The device is forgotten.', 'InvalidStateError');
    }
  }

  async open(): Promise<void> {
    this.#checkUsable();
    if (this.#opened) {
      throw new DOMExceptionLike('The device is already open.', 'InvalidStateError');
    }
    if (this.failOpen) {
      throw new DOMExceptionLike('Failed to open the device.', 'NotAllowedError');
    }
    this.#opened = true;
  }

  async close(): Promise<void> {
    this.#checkUsable();
    this.#opened = false;
  }

  async forget(): Promise<void> {
    this.#forgotten = true;
    this.#opened = false;
    this.#forgetListeners.forEach((listener) => listener());
  }

  /** Listens for forget() (the embedder's hid-device-revoked). */
  onForgotten(listener: () => void): void {
    this.#forgetListeners.add(listener);
  }

  async sendReport(reportId: number, data: Uint8Array<ArrayBuffer>): Promise<void> {
    this.#checkUsable();
    if (!this.#opened) {
      throw new DOMExceptionLike('The device must be opened first.', 'InvalidStateError');
    }
    const length = this.#outputs.get(reportId);
    const idOk = this.#usesReportIds() ? reportId !== 0 : reportId === 0;
    if (this.failWrites || length === undefined || !idOk || data.byteLength !== length) {
      throw new DOMExceptionLike('Failed to write the report.', 'NotAllowedError');
    }
    this.sent.push({ reportId, bytes: [...data] });
    for (const waiter of [...this.#sentWaiters]) {
      if (this.sent.length >= waiter.count) {
        this.#sentWaiters.splice(this.#sentWaiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }

  /** Resolves once `count` reports in total have been written. */
  reportsSent(count: number): Promise<void> {
    if (this.sent.length >= count) {
      return Promise.resolve();
    }
    return new Promise((resolve) => this.#sentWaiters.push({ count, resolve }));
  }

  addEventListener(_type: 'inputreport', listener: (event: HidInputReportEvent) => void): void {
    this.#listeners.add(listener);
  }

  removeEventListener(_type: 'inputreport', listener: (event: HidInputReportEvent) => void): void {
    this.#listeners.delete(listener);
  }

  /** The headset sends an input report (bytes without the report id). Dropped while closed. */
  input(reportId: number, bytes: number[]): boolean {
    if (!this.#opened) {
      return false;
    }
    const data = new DataView(new Uint8Array(bytes).buffer);
    for (const listener of [...this.#listeners]) {
      listener({ reportId, data });
    }
    return true;
  }

  /** How many inputreport listeners are attached. */
  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** The device was unplugged: the connection is gone. */
  unplugged(): void {
    this.#opened = false;
  }
}

function matches(device: HidDevice, filter: HidDeviceFilter): boolean {
  const ids =
    (filter.vendorId === undefined || filter.vendorId === device.vendorId) &&
    (filter.productId === undefined || filter.productId === device.productId);
  const usage =
    filter.usagePage === undefined ||
    device.collections.some(
      (c) =>
        c.usagePage === filter.usagePage &&
        (filter.usage === undefined || c.usage === filter.usage),
    );
  return ids && usage;
}

type ConnectionListener = (event: HidConnectionEvent) => void;

export class FakeHid implements Hid {
  readonly connected = new Set<FakeHidDevice>();
  readonly granted = new Set<FakeHidDevice>();
  /** What the embedder's chooser picks among the offered devices (Electron: main's picker). */
  chooser: (offered: FakeHidDevice[]) => FakeHidDevice | null | Promise<FakeHidDevice | null> =
    () => null;
  /** The embedder's device permission handler, for devices not granted in this session. */
  permission: (device: FakeHidDevice) => boolean | Promise<boolean> = () => false;
  /** The page is handling a click (transient user activation). */
  userActivation = true;
  /** The offers made, for assertions. */
  readonly offers: FakeHidDevice[][] = [];
  readonly #listeners: Record<'connect' | 'disconnect', Set<ConnectionListener>> = {
    connect: new Set(),
    disconnect: new Set(),
  };

  async getDevices(): Promise<HidDevice[]> {
    const permitted: HidDevice[] = [];
    for (const device of this.connected) {
      if (await this.#permitted(device)) {
        permitted.push(device);
      }
    }
    return permitted;
  }

  async #permitted(device: FakeHidDevice): Promise<boolean> {
    return !device.forgotten && (this.granted.has(device) || (await this.permission(device)));
  }

  async requestDevice(options: { filters: HidDeviceFilter[] }): Promise<HidDevice[]> {
    if (!this.userActivation) {
      throw new DOMExceptionLike(
        'Must be handling a user gesture to show a permission request.',
        'SecurityError',
      );
    }
    const offered = [...this.connected].filter(
      (d) => options.filters.length === 0 || options.filters.some((f) => matches(d, f)),
    );
    this.offers.push(offered);
    const chosen = await this.chooser(offered);
    if (!chosen) {
      return [];
    }
    this.granted.add(chosen);
    chosen.onForgotten(() => this.granted.delete(chosen));
    return [chosen];
  }

  addEventListener(type: 'connect' | 'disconnect', listener: ConnectionListener): void {
    this.#listeners[type].add(listener);
  }

  removeEventListener(type: 'connect' | 'disconnect', listener: ConnectionListener): void {
    this.#listeners[type].delete(listener);
  }

  listenerCount(type: 'connect' | 'disconnect'): number {
    return this.#listeners[type].size;
  }

  /**
   * A device is plugged in ('connect' fires when the page may use it: at once when granted in
   * this session, else once the permission handler said yes).
   */
  plug(device: FakeHidDevice): void {
    this.connected.add(device);
    const connect = (): void => this.#listeners.connect.forEach((l) => l({ device }));
    if (this.granted.has(device)) {
      connect();
      return;
    }
    void this.#permitted(device).then((ok) => {
      if (ok && this.connected.has(device)) {
        connect();
      }
    });
  }

  /** A device is unplugged ('disconnect' fires when the page may use it). */
  unplug(device: FakeHidDevice): void {
    this.connected.delete(device);
    device.unplugged();
    const disconnect = (): void => this.#listeners.disconnect.forEach((l) => l({ device }));
    if (this.granted.has(device)) {
      disconnect();
      return;
    }
    void this.#permitted(device).then((ok) => {
      if (ok) {
        disconnect();
      }
    });
  }
}
