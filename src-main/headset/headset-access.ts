// Owns main's side of the headset's WebHID access (https://www.electronjs.org/docs/latest/tutorial/devices):
// - `select-hid-device`: the page called navigator.hid.requestDevice; only telephony devices
//   are offered, the page's own picker shows them ('headset/choose-device'), and the user's
//   pick ('headset/device-chosen') is remembered in settings. A pick that never comes is
//   cancelled after a bound, so requestDevice always settles.
// - the permission check ('hid' for our own page only) and the device permission handler
//   (our own page, telephony devices, the remembered one): Electron keeps grants only in
//   memory, so this is what makes the headset come back after a restart or a replug.
// - `hid-device-revoked` (HIDDevice.forget()): the remembered headset is dropped.
import type { EventChannel, EventMap, HidDeviceSummary } from '@shared/ipc-contract';
import type { AppSettings, HeadsetDeviceChoice } from '@shared/settings-types';
import { createLogger, type Logger } from '../logger';
import {
  isRememberedHeadset,
  isTelephonyDevice,
  rememberHeadset,
  summarizeDevice,
  type HidDeviceInfo,
} from './hid-devices';

/** How long the picker may stay open before requestDevice is cancelled. */
export const CHOICE_TIMEOUT_MS = 120_000;

type Callback = (deviceId?: string | null) => void;

/** The Session events used here (Electron's Session satisfies it). */
export interface HidSessionLike {
  on(
    event: 'select-hid-device',
    listener: (
      event: { preventDefault(): void },
      details: { deviceList: HidDeviceInfo[]; frame: { url: string } | null },
      callback: Callback,
    ) => void,
  ): unknown;
  on(
    event: 'hid-device-added' | 'hid-device-removed',
    listener: (event: unknown, details: { device: HidDeviceInfo }) => void,
  ): unknown;
  on(
    event: 'hid-device-revoked',
    listener: (event: unknown, details: { device: HidDeviceInfo }) => void,
  ): unknown;
}

/** Electron's DevicePermissionHandlerHandlerDetails, loosely. */
export interface DevicePermissionRequest {
  deviceType: string;
  origin: string;
  device: unknown;
}

export interface HeadsetAccessDeps {
  isOwnUrl(url: string | null): boolean;
  /** The headset in the settings. */
  remembered(): HeadsetDeviceChoice | null;
  /** Saves (or clears) the remembered headset. */
  remember(choice: HeadsetDeviceChoice | null): void;
  send<C extends EventChannel>(channel: C, payload: EventMap[C]): boolean;
  newId?: () => string;
  /** Starts a timer; returns its cancel function. */
  startTimer?: (fn: () => void, ms: number) => () => void;
  choiceTimeoutMs?: number;
  log?: Logger;
}

interface PendingChoice {
  requestId: string;
  devices: HidDeviceInfo[];
  callback: Callback;
  cancelTimer: () => void;
}

function asDevice(value: unknown): HidDeviceInfo | null {
  if (typeof value !== 'object' || value === null) {
    return null;
  }
  const d = value as Partial<HidDeviceInfo>;
  const ok =
    typeof d.vendorId === 'number' &&
    typeof d.productId === 'number' &&
    typeof d.name === 'string' &&
    typeof d.deviceId === 'string';
  return ok ? (d as HidDeviceInfo) : null;
}

export class HeadsetAccess {
  readonly #deps: HeadsetAccessDeps;
  readonly #log: Logger;
  #pending: PendingChoice | null = null;
  /** Chosen in this run (in effect before the settings write lands). */
  #granted: HeadsetDeviceChoice | null = null;

  constructor(deps: HeadsetAccessDeps) {
    this.#deps = deps;
    this.#log = deps.log ?? createLogger('headset');
  }

  /** Listens to the session's HID events. */
  attach(session: HidSessionLike): void {
    session.on('select-hid-device', (event, details, callback) => {
      event.preventDefault();
      this.#select(details.deviceList, details.frame, callback);
    });
    session.on('hid-device-added', (_event, { device }) => this.#listChanged(device, 'added'));
    session.on('hid-device-removed', (_event, { device }) => this.#listChanged(device, 'removed'));
    session.on('hid-device-revoked', (_event, { device }) => this.#revoked(device));
  }

  /** Permission check handler part: WebHID itself, for our own page only. */
  allowCheck(
    permission: string,
    requestingOrigin: string,
    details: { securityOrigin?: string | undefined },
  ): boolean {
    return (
      permission === 'hid' &&
      this.#deps.isOwnUrl(requestingOrigin) &&
      (details.securityOrigin === undefined || this.#deps.isOwnUrl(details.securityOrigin))
    );
  }

  /** Device permission handler: the remembered telephony headset, for our own page only. */
  allowDevice(details: DevicePermissionRequest): boolean {
    const device = asDevice(details.device);
    if (details.deviceType !== 'hid' || !device || !this.#deps.isOwnUrl(details.origin)) {
      return false;
    }
    if (!isTelephonyDevice(device)) {
      return false;
    }
    return (
      isRememberedHeadset(device, this.#granted) ||
      isRememberedHeadset(device, this.#deps.remembered())
    );
  }

  /** The page's answer to 'headset/choose-device' (null = cancelled). */
  chosen(requestId: string, deviceId: string | null): void {
    const pending = this.#pending;
    if (!pending || pending.requestId !== requestId) {
      this.#log.info('a headset choice arrived for a picker that is already closed');
      return;
    }
    const device = deviceId === null ? null : pending.devices.find((d) => d.deviceId === deviceId);
    if (deviceId !== null && !device) {
      this.#log.warn('the page chose a device that was not offered; the choice was cancelled');
    }
    this.#finish(device ?? null);
  }

  /** Settings changed: a headset removed there is no longer granted. */
  settingsChanged(settings: AppSettings): void {
    if (settings.headset.device === null) {
      this.#granted = null;
    }
  }

  /** Cancels an open choice (quit). */
  stop(): void {
    this.#finish(null);
  }

  #select(list: HidDeviceInfo[], frame: { url: string } | null, callback: Callback): void {
    if (!frame || !this.#deps.isOwnUrl(frame.url)) {
      this.#log.warn('refused a HID device request from a frame that is not the phone');
      callback();
      return;
    }
    this.#finish(null); // a new request replaces one still open
    const devices = list.filter((d) => isTelephonyDevice(d));
    if (devices.length === 0) {
      callback();
      return;
    }
    const requestId = (this.#deps.newId ?? (() => globalThis.crypto.randomUUID()))();
    const start = this.#deps.startTimer ?? startTimer;
    const cancelTimer = start(() => {
      this.#log.info('nobody picked a headset in time; the request was cancelled');
      this.#finish(null);
    }, this.#deps.choiceTimeoutMs ?? CHOICE_TIMEOUT_MS);
    this.#pending = { requestId, devices, callback, cancelTimer };
    if (!this.#offer()) {
      this.#finish(null);
    }
  }

  #offer(): boolean {
    const pending = this.#pending;
    if (!pending) {
      return false;
    }
    const devices: HidDeviceSummary[] = pending.devices.map(summarizeDevice);
    return this.#deps.send('headset/choose-device', { requestId: pending.requestId, devices });
  }

  #listChanged(device: HidDeviceInfo, change: 'added' | 'removed'): void {
    const pending = this.#pending;
    if (!pending) {
      return;
    }
    const others = pending.devices.filter((d) => d.deviceId !== device.deviceId);
    pending.devices =
      change === 'added' && isTelephonyDevice(device) ? [...others, device] : others;
    this.#offer();
  }

  #revoked(device: HidDeviceInfo): void {
    if (
      isRememberedHeadset(device, this.#granted) ||
      isRememberedHeadset(device, this.#deps.remembered())
    ) {
      this.#granted = null;
      this.#deps.remember(null);
    }
  }

  #finish(device: HidDeviceInfo | null): void {
    const pending = this.#pending;
    if (!pending) {
      return;
    }
    this.#pending = null;
    pending.cancelTimer();
    if (!device) {
      pending.callback();
      return;
    }
    // Remember first: the device permission handler is asked as soon as the callback runs.
    this.#granted = rememberHeadset(device);
    this.#deps.remember(this.#granted);
    pending.callback(device.deviceId);
  }
}

function startTimer(fn: () => void, ms: number): () => void {
  const timer = setTimeout(fn, ms);
  return () => clearTimeout(timer);
}
