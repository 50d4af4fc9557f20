// Main's side of the headset's WebHID access, with a fake Session that behaves as Electron's
// documents it (https://www.electronjs.org/docs/latest/api/session#event-select-hid-device):
// select-hid-device must be prevented to be handled; callback(deviceId) grants, callback()
// cancels; hid-device-added/removed fire while a choice is open; the device permission handler
// decides on every device check (Electron keeps grants in memory only). Checks: telephony
// devices only, our own page only, the pick remembered and granted again after a restart, the
// open choice bounded in time, forget() drops the remembered headset.
import { describe, expect, it } from 'vitest';
import type { EventChannel, EventMap, HeadsetChoiceRequest } from '@shared/ipc-contract';
import type { HeadsetDeviceChoice } from '@shared/settings-types';
import { DEFAULT_SETTINGS } from '@shared/settings-types';
import { HeadsetAccess } from '../../../src-main/headset/headset-access';
import type { HidDeviceInfo } from '../../../src-main/headset/hid-devices';
import { isAppUrl } from '../../../src-main/ipc/router';
import {
  lockDownPermissions,
  type PermissionSession,
} from '../../../src-main/security/web-security';
import { FakeEmitter, preventable } from '../../support/fake-emitter';

const silent = { debug() {}, info() {}, warn() {}, error() {} };
const OWN = 'app://softphone/index.html';

const telephony = [{ usagePage: 0x0b, usage: 0x05, type: 1, children: [] }];
const JABRA: HidDeviceInfo = {
  deviceId: 'jabra-1',
  name: 'Jabra BIZ 2400 II',
  vendorId: 0x0b0e,
  productId: 0x2453,
  serialNumber: 'A1B2',
  collections: telephony,
};
const POLY: HidDeviceInfo = {
  deviceId: 'poly-1',
  name: 'Plantronics Blackwire 5220 Series',
  vendorId: 0x047f,
  productId: 0xc053,
  collections: [{ usagePage: 0x0c, usage: 1 }, ...telephony],
};
const KEYBOARD: HidDeviceInfo = {
  deviceId: 'kbd-1',
  name: 'Some keyboard',
  vendorId: 0x046d,
  productId: 0xc31c,
  collections: [{ usagePage: 0x0c, usage: 1 }],
};

class FakeHidSession extends FakeEmitter {
  /** Fires select-hid-device as Electron does; resolves with what the callback got. */
  request(
    deviceList: HidDeviceInfo[],
    frameUrl: string | null = OWN,
  ): {
    event: { defaultPrevented: boolean };
    answer: Promise<string | null | undefined>;
  } {
    const event = preventable();
    let settle: (id: string | null | undefined) => void = () => {};
    const answer = new Promise<string | null | undefined>((resolve) => (settle = resolve));
    this.emit(
      'select-hid-device',
      event,
      { deviceList, frame: frameUrl === null ? null : { url: frameUrl } },
      (deviceId?: string | null) => settle(deviceId),
    );
    return { event, answer };
  }
}

function setup(remembered: HeadsetDeviceChoice | null = null) {
  const session = new FakeHidSession();
  const offers: HeadsetChoiceRequest[] = [];
  const saved: (HeadsetDeviceChoice | null)[] = [];
  let fireTimer: () => void = () => {};
  let timerMs = 0;
  let cancelled = 0;
  let stored = remembered;
  let ids = 0;
  const access = new HeadsetAccess({
    isOwnUrl: (url) => isAppUrl(url, OWN),
    remembered: () => stored,
    remember: (choice) => {
      saved.push(choice);
      stored = choice;
    },
    send: <C extends EventChannel>(channel: C, payload: EventMap[C]) => {
      if (channel === 'headset/choose-device') {
        offers.push(payload as HeadsetChoiceRequest);
      }
      return true;
    },
    newId: () => `req-${(ids += 1)}`,
    startTimer: (fn, ms) => {
      fireTimer = fn;
      timerMs = ms;
      return () => (cancelled += 1);
    },
    log: silent,
  });
  access.attach(session);
  return {
    session,
    access,
    offers,
    saved,
    fireTimer: () => fireTimer(),
    timerMs: () => timerMs,
    cancelled: () => cancelled,
  };
}

describe('select-hid-device', () => {
  it('offers only telephony devices to the page’s picker and grants the pick', async () => {
    const { session, access, offers, saved } = setup();
    const { event, answer } = session.request([KEYBOARD, JABRA, POLY]);
    expect(event.defaultPrevented).toBe(true);
    expect(offers).toEqual([
      {
        requestId: 'req-1',
        devices: [
          { deviceId: 'jabra-1', name: 'Jabra BIZ 2400 II', vendorId: 0x0b0e, productId: 0x2453 },
          {
            deviceId: 'poly-1',
            name: 'Plantronics Blackwire 5220 Series',
            vendorId: 0x047f,
            productId: 0xc053,
          },
        ],
      },
    ]);
    access.chosen('req-1', 'poly-1');
    expect(await answer).toBe('poly-1');
    expect(saved).toEqual([
      { vendorId: 0x047f, productId: 0xc053, serialNumber: null, name: POLY.name },
    ]);
  });

  it('updates the offer when a headset is plugged in or out while the picker is open', () => {
    const { session, offers } = setup();
    session.request([JABRA]);
    session.emit('hid-device-added', {}, { device: POLY });
    session.emit('hid-device-added', {}, { device: KEYBOARD });
    session.emit('hid-device-removed', {}, { device: JABRA });
    expect(offers.map((o) => [o.requestId, o.devices.map((d) => d.deviceId)])).toEqual([
      ['req-1', ['jabra-1']],
      ['req-1', ['jabra-1', 'poly-1']],
      ['req-1', ['jabra-1', 'poly-1']],
      ['req-1', ['poly-1']],
    ]);
  });

  it('cancels: no telephony device, a frame that is not ours, a pick never offered, a null pick', async () => {
    const none = setup();
    expect(await none.session.request([KEYBOARD]).answer).toBeUndefined();
    expect(none.offers).toEqual([]);

    const foreign = setup();
    expect(await foreign.session.request([JABRA], 'https://evil.example/').answer).toBeUndefined();
    expect(await foreign.session.request([JABRA], null).answer).toBeUndefined();
    expect(foreign.offers).toEqual([]);

    const wrong = setup();
    const pending = wrong.session.request([JABRA]);
    wrong.access.chosen('req-1', 'kbd-1');
    expect(await pending.answer).toBeUndefined();
    expect(wrong.saved).toEqual([]);

    const cancel = setup();
    const asked = cancel.session.request([JABRA]);
    cancel.access.chosen('req-1', null);
    expect(await asked.answer).toBeUndefined();
  });

  it('ignores an answer to a picker that was replaced by a newer request', async () => {
    const { session, access, saved } = setup();
    const first = session.request([JABRA]);
    const second = session.request([POLY]);
    expect(await first.answer).toBeUndefined();
    access.chosen('req-1', 'jabra-1');
    expect(saved).toEqual([]);
    access.chosen('req-2', 'poly-1');
    expect(await second.answer).toBe('poly-1');
  });

  it('cancels a choice nobody makes, after a bound; a late answer grants nothing', async () => {
    const { session, timerMs, fireTimer, access, saved } = setup();
    const pending = session.request([JABRA]);
    expect(timerMs()).toBe(120_000);
    fireTimer();
    expect(await pending.answer).toBeUndefined();
    access.chosen('req-1', 'jabra-1');
    expect(saved).toEqual([]);
  });

  it('stops the bound when the user picks', async () => {
    const { session, access, cancelled } = setup();
    const answered = session.request([JABRA]);
    access.chosen('req-1', 'jabra-1');
    await answered.answer;
    expect(cancelled()).toBe(1);
  });
});

describe('permissions', () => {
  class FakePermissionSession implements PermissionSession {
    check: Parameters<PermissionSession['setPermissionCheckHandler']>[0] | null = null;
    device: Parameters<PermissionSession['setDevicePermissionHandler']>[0] | null = null;
    setPermissionRequestHandler(): void {}
    setPermissionCheckHandler(h: NonNullable<FakePermissionSession['check']>): void {
      this.check = h;
    }
    setDevicePermissionHandler(h: NonNullable<FakePermissionSession['device']>): void {
      this.device = h;
    }
  }

  function locked(remembered: HeadsetDeviceChoice | null) {
    const ctx = setup(remembered);
    const session = new FakePermissionSession();
    lockDownPermissions(session, (url) => isAppUrl(url, OWN), silent, ctx.access);
    const device = (details: { deviceType: string; origin: string; device: unknown }) =>
      session.device?.(details) ?? false;
    const check = (permission: string, origin: string, securityOrigin?: string) =>
      session.check?.(null, permission, origin, {
        isMainFrame: true,
        ...(securityOrigin ? { securityOrigin } : {}),
      }) ?? false;
    return { ...ctx, device, check };
  }

  const REMEMBERED_JABRA: HeadsetDeviceChoice = {
    vendorId: 0x0b0e,
    productId: 0x2453,
    serialNumber: 'A1B2',
    name: 'Jabra BIZ 2400 II',
  };

  it('lets our page use WebHID, nobody else', () => {
    const { check } = locked(null);
    expect(check('hid', 'app://softphone')).toBe(true);
    expect(check('hid', 'app://softphone', 'app://softphone')).toBe(true);
    expect(check('hid', 'https://evil.example')).toBe(false);
    expect(check('hid', 'app://softphone', 'https://evil.example')).toBe(false);
    expect(check('usb', 'app://softphone')).toBe(false);
    expect(check('serial', 'app://softphone')).toBe(false);
  });

  it('grants the remembered headset after a restart (and a replug), and nothing else', () => {
    const { device } = locked(REMEMBERED_JABRA);
    const hid = (d: unknown, origin = 'app://softphone') =>
      device({ deviceType: 'hid', origin, device: d });
    expect(hid(JABRA)).toBe(true);
    expect(hid({ ...JABRA, deviceId: 'jabra-after-replug' })).toBe(true);
    expect(hid({ ...JABRA, serialNumber: 'OTHER' })).toBe(false); // a colleague's identical headset
    expect(hid(POLY)).toBe(false);
    expect(hid({ ...JABRA, collections: KEYBOARD.collections })).toBe(false); // not telephony
    expect(hid(JABRA, 'https://evil.example')).toBe(false);
    expect(device({ deviceType: 'usb', origin: 'app://softphone', device: JABRA })).toBe(false);
    expect(hid('not a device')).toBe(false);
  });

  it('recognises a headset without a serial number by its name', () => {
    const { device } = locked({ ...REMEMBERED_JABRA, serialNumber: null });
    const hid = (d: unknown) => device({ deviceType: 'hid', origin: 'app://softphone', device: d });
    expect(hid({ ...JABRA, serialNumber: undefined })).toBe(true);
    expect(hid({ ...JABRA, serialNumber: undefined, name: 'Other name' })).toBe(false);
  });

  it('grants a pick at once, before the settings write lands', async () => {
    const session = new FakeHidSession();
    const access = new HeadsetAccess({
      isOwnUrl: (url) => isAppUrl(url, OWN),
      remembered: () => null, // the write has not landed yet
      remember: () => {},
      send: () => true,
      newId: () => 'r',
      log: silent,
    });
    access.attach(session);
    const { answer } = session.request([JABRA]);
    access.chosen('r', 'jabra-1');
    expect(await answer).toBe('jabra-1');
    expect(
      access.allowDevice({ deviceType: 'hid', origin: 'app://softphone', device: JABRA }),
    ).toBe(true);
    access.settingsChanged({ ...DEFAULT_SETTINGS, headset: { device: null } });
    expect(
      access.allowDevice({ deviceType: 'hid', origin: 'app://softphone', device: JABRA }),
    ).toBe(false);
  });

  it('forgets the remembered headset when the page calls HIDDevice.forget()', () => {
    const { session, saved, device } = locked(REMEMBERED_JABRA);
    session.emit('hid-device-revoked', {}, { device: POLY });
    expect(saved).toEqual([]);
    session.emit('hid-device-revoked', {}, { device: JABRA });
    expect(saved).toEqual([null]);
    expect(device({ deviceType: 'hid', origin: 'app://softphone', device: JABRA })).toBe(false);
  });
});
