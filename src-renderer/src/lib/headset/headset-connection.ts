// Owns which headset the phone talks to: on start, the remembered headset among the devices
// WebHID already lets the page use (main grants only that one, across restarts); when it is
// plugged in again ('connect'), it is opened again; when it goes ('disconnect'), the phone is
// told. Choosing another headset goes through navigator.hid.requestDevice with the Telephony
// page filter (main shows only telephony devices and remembers the pick); forgetting it
// revokes the permission. Framework-free: the state layer mirrors its events.
import { TypedEmitter } from '../emitter';
import { createLogger, type Logger } from '../logger';
import { HeadsetError, TelephonyHeadset } from './telephony-headset';
import { PAGE_TELEPHONY } from './usages';
import type { Hid, HidConnectionEvent, HidDevice, HidDeviceFilter } from './webhid';

/** requestDevice filter: devices with a top-level collection on the Telephony page. */
export const TELEPHONY_FILTERS: readonly HidDeviceFilter[] = [{ usagePage: PAGE_TELEPHONY }];

/** What the page can see of the remembered headset (WebHID does not show serial numbers). */
export interface RememberedHeadset {
  vendorId: number;
  productId: number;
  name: string;
}

export interface HeadsetConnectionEvents {
  connected: { headset: TelephonyHeadset; name: string };
  disconnected: { name: string; reason: 'unplugged' | 'replaced' | 'forgotten' | 'stopped' };
  /** Something went wrong, in a sentence for the user. */
  error: { message: string };
}

export interface HeadsetConnectionDeps {
  /** navigator.hid, or undefined where WebHID is missing. */
  hid: Hid | undefined;
  /** The headset in the settings. */
  remembered(): RememberedHeadset | null;
  open?: (device: HidDevice) => Promise<TelephonyHeadset>;
  log?: Logger;
}

function isTelephony(device: HidDevice): boolean {
  return device.collections.some((c) => c.usagePage === PAGE_TELEPHONY);
}

/** Whether `device` is the remembered headset (vendor, product and name). */
export function matchesRemembered(
  device: HidDevice,
  remembered: RememberedHeadset | null,
): boolean {
  return (
    remembered !== null &&
    device.vendorId === remembered.vendorId &&
    device.productId === remembered.productId &&
    device.productName === remembered.name
  );
}

export class HeadsetConnection extends TypedEmitter<HeadsetConnectionEvents> {
  readonly #deps: HeadsetConnectionDeps;
  readonly #log: Logger;
  #headset: TelephonyHeadset | null = null;
  #queue: Promise<void> = Promise.resolve();
  #started = false;
  readonly #onConnect = (event: HidConnectionEvent): void => {
    void this.#serial(() => this.#plugged(event.device));
  };
  readonly #onDisconnect = (event: HidConnectionEvent): void => {
    void this.#serial(() => Promise.resolve(this.#unplugged(event.device)));
  };

  constructor(deps: HeadsetConnectionDeps) {
    super();
    this.#deps = deps;
    this.#log = deps.log ?? createLogger('headset');
  }

  /** False where the browser has no WebHID. */
  get supported(): boolean {
    return this.#deps.hid !== undefined;
  }

  /** The open headset, if any. */
  get headset(): TelephonyHeadset | null {
    return this.#headset;
  }

  /** Listens for plug/unplug and opens the remembered headset if it is there. */
  start(): Promise<void> {
    const hid = this.#deps.hid;
    if (!hid || this.#started) {
      return this.#queue;
    }
    this.#started = true;
    hid.addEventListener('connect', this.#onConnect);
    hid.addEventListener('disconnect', this.#onDisconnect);
    return this.#serial(() => this.#openRemembered());
  }

  /**
   * Asks for a headset (call from a click: WebHID needs a user gesture). Main offers only
   * telephony devices and remembers the pick. Resolves with the name of the opened headset,
   * or null when none was picked.
   */
  async choose(): Promise<string | null> {
    const hid = this.#deps.hid;
    if (!hid) {
      throw new HeadsetError('This window cannot use headset buttons (WebHID is missing).');
    }
    const devices = await hid.requestDevice({ filters: [...TELEPHONY_FILTERS] });
    const device = devices.find(isTelephony);
    if (!device) {
      return null;
    }
    await this.#serial(() => this.#connect(device, 'replaced'));
    return this.#headset ? device.productName : null;
  }

  /** Forgets the headset: its permission is revoked (main forgets it too) and it is closed. */
  forget(): Promise<void> {
    return this.#serial(async () => {
      const headset = this.#headset;
      if (!headset) {
        return;
      }
      await this.#close('forgotten');
      await headset.device.forget?.();
    });
  }

  /** The remembered headset changed in the settings: follow it. */
  rememberedChanged(): Promise<void> {
    return this.#serial(async () => {
      const current = this.#headset;
      if (current && !matchesRemembered(current.device, this.#deps.remembered())) {
        await this.#close('replaced');
      }
      if (!this.#headset) {
        await this.#openRemembered();
      }
    });
  }

  /** Stops listening and closes the headset (lights off). */
  stop(): Promise<void> {
    const hid = this.#deps.hid;
    if (hid && this.#started) {
      hid.removeEventListener('connect', this.#onConnect);
      hid.removeEventListener('disconnect', this.#onDisconnect);
      this.#started = false;
    }
    return this.#serial(() => this.#close('stopped'));
  }

  // One change at a time: a replug during an open must not open the device twice.
  #serial(step: () => Promise<void>): Promise<void> {
    this.#queue = this.#queue.then(step).catch((error: unknown) => {
      this.#log.error('headset connection step failed', error);
    });
    return this.#queue;
  }

  async #openRemembered(): Promise<void> {
    const hid = this.#deps.hid;
    const remembered = this.#deps.remembered();
    if (!hid || !remembered || this.#headset) {
      return;
    }
    const devices = await hid.getDevices();
    const device = devices.find((d) => isTelephony(d) && matchesRemembered(d, remembered));
    if (device) {
      await this.#connect(device, 'replaced');
    }
  }

  async #plugged(device: HidDevice): Promise<void> {
    if (
      !this.#headset &&
      isTelephony(device) &&
      matchesRemembered(device, this.#deps.remembered())
    ) {
      await this.#connect(device, 'replaced');
    }
  }

  #unplugged(device: HidDevice): void {
    const headset = this.#headset;
    if (headset && headset.device === device) {
      headset.detach();
      this.#headset = null;
      this.emit('disconnected', { name: device.productName, reason: 'unplugged' });
    }
  }

  async #connect(device: HidDevice, reason: 'replaced'): Promise<void> {
    if (this.#headset?.device === device) {
      return;
    }
    await this.#close(reason);
    try {
      const open = this.#deps.open ?? ((d: HidDevice) => TelephonyHeadset.open(d));
      this.#headset = await open(device);
      this.emit('connected', { headset: this.#headset, name: device.productName });
    } catch (error: unknown) {
      const message =
        error instanceof HeadsetError
          ? error.message
          : `The headset could not be used (${error instanceof Error ? error.message : String(error)}).`;
      this.emit('error', { message });
    }
  }

  async #close(reason: HeadsetConnectionEvents['disconnected']['reason']): Promise<void> {
    const headset = this.#headset;
    if (!headset) {
      return;
    }
    this.#headset = null;
    await headset.close();
    this.emit('disconnected', { name: headset.device.productName, reason });
  }
}
