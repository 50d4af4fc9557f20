// Which headset the page uses: the remembered one among the permitted devices at start, again
// after a replug, gone on unplug; choosing through requestDevice with the Telephony filter (and
// the user gesture WebHID requires); forgetting; following the settings. And the picker's half
// of main's 'headset/choose-device' exchange.
import { afterEach, describe, expect, it } from 'vitest';
import type { HeadsetChoiceRequest } from '@shared/ipc-contract';
import {
  HeadsetConnection,
  TELEPHONY_FILTERS,
  type HeadsetConnectionEvents,
  type RememberedHeadset,
} from '../../../src-renderer/src/lib/headset/headset-connection';
import {
  HeadsetPicker,
  type PickerBridge,
} from '../../../src-renderer/src/lib/headset/headset-picker';
import { navigatorHid } from '../../../src-renderer/src/lib/headset/webhid';
import { FakeHid, type FakeHidDevice } from '../../support/fake-hid';
import { fakeHeadset } from './devices';

type Event = {
  [K in keyof HeadsetConnectionEvents]: [K, HeadsetConnectionEvents[K]];
}[keyof HeadsetConnectionEvents];

const JABRA: RememberedHeadset = {
  vendorId: 0x0b0e,
  productId: 0x2453,
  name: 'Jabra BIZ 2400 II (USB)',
};
const connections: HeadsetConnection[] = [];

function connect(hid: FakeHid | undefined, remembered: () => RememberedHeadset | null) {
  const connection = new HeadsetConnection({ hid, remembered });
  connections.push(connection);
  const events: Event[] = [];
  for (const name of ['connected', 'disconnected', 'error'] as const) {
    connection.on(name, (payload) => {
      const shown = name === 'connected' ? { name: (payload as { name: string }).name } : payload;
      events.push([name, shown] as Event);
    });
  }
  return { connection, events };
}

/** navigator.hid with `devices` plugged in and permitted (main's device handler said yes). */
function permitted(...devices: FakeHidDevice[]): FakeHid {
  const hid = new FakeHid();
  for (const device of devices) {
    hid.granted.add(device);
    hid.plug(device);
  }
  return hid;
}

afterEach(async () => {
  await Promise.all(connections.splice(0).map((c) => c.stop()));
});

describe('the remembered headset', () => {
  it('is opened at start when it is plugged in and permitted; others are left alone', async () => {
    const jabra = fakeHeadset('jabraBiz2400II');
    const poly = fakeHeadset('polyBlackwireC5220');
    const hid = permitted(jabra, poly);
    const { connection, events } = connect(hid, () => JABRA);
    await connection.start();
    expect(events).toEqual([['connected', { name: JABRA.name }]]);
    expect(connection.headset?.device).toBe(jabra);
    expect(jabra.opened).toBe(true);
    expect(poly.opened).toBe(false);
  });

  it('comes back after an unplug and a replug', async () => {
    const jabra = fakeHeadset('jabraBiz2400II');
    const hid = permitted(jabra);
    const { connection, events } = connect(hid, () => JABRA);
    await connection.start();
    hid.unplug(jabra);
    await connection.rememberedChanged(); // waits for the queued steps
    expect(connection.headset).toBeNull();
    // Replugged, the device is a new HIDDevice; main's device permission handler grants it.
    const again = fakeHeadset('jabraBiz2400II');
    hid.granted.add(again);
    hid.plug(again);
    await connection.rememberedChanged();
    expect(events).toEqual([
      ['connected', { name: JABRA.name }],
      ['disconnected', { name: JABRA.name, reason: 'unplugged' }],
      ['connected', { name: JABRA.name }],
    ]);
    expect(connection.headset?.device).toBe(again);
    expect(again.sent).toEqual([{ reportId: 2, bytes: [0, 0] }]);
  });

  it('says why a permitted headset cannot be opened', async () => {
    const jabra = fakeHeadset('jabraBiz2400II', { failOpen: true });
    const hid = permitted(jabra);
    const { connection, events } = connect(hid, () => JABRA);
    await connection.start();
    expect(events).toHaveLength(1);
    expect(events[0]?.[0]).toBe('error');
    expect(connection.headset).toBeNull();
  });

  it('follows the settings: cleared closes it (lights off), set opens it', async () => {
    const jabra = fakeHeadset('jabraBiz2400II');
    const hid = permitted(jabra);
    let remembered: RememberedHeadset | null = null;
    const { connection, events } = connect(hid, () => remembered);
    await connection.start();
    expect(connection.headset).toBeNull();
    remembered = JABRA;
    await connection.rememberedChanged();
    await connection.headset?.setRing(true);
    remembered = null;
    await connection.rememberedChanged();
    expect(events.map(([name]) => name)).toEqual(['connected', 'disconnected']);
    expect(jabra.opened).toBe(false);
    expect(jabra.sent.at(-1)).toEqual({ reportId: 2, bytes: [0, 0] });
  });
});

describe('choosing and forgetting', () => {
  it('asks with the Telephony filter, opens the pick and replaces the previous headset', async () => {
    const hid = new FakeHid();
    const jabra = fakeHeadset('jabraBiz2400II');
    const poly = fakeHeadset('polyBlackwireC5220');
    const gaming = fakeHeadset('logitechG535');
    [jabra, poly, gaming].forEach((d) => hid.plug(d));
    hid.granted.add(jabra);
    const { connection, events } = connect(hid, () => JABRA);
    await connection.start();
    hid.chooser = (offered) => offered.find((d) => d === poly) ?? null;
    expect(await connection.choose()).toBe(poly.productName);
    expect(TELEPHONY_FILTERS).toEqual([{ usagePage: 0x0b }]);
    expect(hid.offers).toEqual([[jabra, poly]]); // the gaming headset is not offered
    expect(connection.headset?.device).toBe(poly);
    expect(jabra.opened).toBe(false);
    expect(events.map(([name]) => name)).toEqual(['connected', 'disconnected', 'connected']);
  });

  it('resolves null when nothing is picked, and refuses without a user gesture', async () => {
    const hid = new FakeHid();
    hid.plug(fakeHeadset('jabraBiz2400II'));
    const { connection } = connect(hid, () => null);
    expect(await connection.choose()).toBeNull();
    hid.userActivation = false;
    await expect(connection.choose()).rejects.toThrow('Must be handling a user gesture');
  });

  it('forgets: the device is closed and its permission revoked', async () => {
    const jabra = fakeHeadset('jabraBiz2400II');
    const hid = permitted(jabra);
    const { connection, events } = connect(hid, () => JABRA);
    await connection.start();
    await connection.forget();
    expect(jabra.forgotten).toBe(true);
    expect(events.at(-1)).toEqual(['disconnected', { name: JABRA.name, reason: 'forgotten' }]);
  });

  it('finds no navigator.hid outside a browser with WebHID', () => {
    expect(navigatorHid()).toBeUndefined();
  });

  it('explains that there is no WebHID where it is missing', async () => {
    const { connection } = connect(undefined, () => JABRA);
    expect(connection.supported).toBe(false);
    await connection.start();
    await expect(connection.choose()).rejects.toThrow(/WebHID is missing/);
  });

  it('stops listening to plug events on stop()', async () => {
    const hid = new FakeHid();
    const { connection } = connect(hid, () => JABRA);
    await connection.start();
    expect(hid.listenerCount('connect')).toBe(1);
    await connection.stop();
    expect(hid.listenerCount('connect')).toBe(0);
    expect(hid.listenerCount('disconnect')).toBe(0);
  });
});

describe('the picker', () => {
  function bridge() {
    let listener: ((r: HeadsetChoiceRequest) => void) | null = null;
    const answers: unknown[] = [];
    const fake: PickerBridge = {
      on: (_channel, l) => {
        listener = l;
        return () => (listener = null);
      },
      invoke: async (_channel, payload) => {
        answers.push(payload);
        return null;
      },
    };
    return {
      fake,
      answers,
      send: (r: HeadsetChoiceRequest) => listener?.(r),
      live: () => listener !== null,
    };
  }

  const devices = [
    { deviceId: 'a', name: 'Jabra', vendorId: 0x0b0e, productId: 0x2453 },
    { deviceId: 'b', name: 'Poly', vendorId: 0x047f, productId: 0xc053 },
  ];

  it('shows main’s offer, updates it on replug and answers once', async () => {
    const b = bridge();
    const picker = new HeadsetPicker(b.fake);
    const seen: (HeadsetChoiceRequest | null)[] = [];
    picker.on('changed', (r) => seen.push(r));
    b.send({ requestId: 'r1', devices: devices.slice(0, 1) });
    b.send({ requestId: 'r1', devices });
    expect(picker.request?.devices).toHaveLength(2);
    await picker.choose('b');
    expect(b.answers).toEqual([{ requestId: 'r1', deviceId: 'b' }]);
    expect(picker.request).toBeNull();
    expect(seen.map((r) => r?.devices.length ?? null)).toEqual([1, 2, null]);
    await picker.choose('a'); // nothing open any more
    expect(b.answers).toHaveLength(1);
    picker.dispose();
    expect(b.live()).toBe(false);
  });

  it('cancels with null and refuses an id that was not offered', async () => {
    const b = bridge();
    const picker = new HeadsetPicker(b.fake);
    b.send({ requestId: 'r2', devices });
    await expect(picker.choose('zzz')).rejects.toThrow('no longer offered');
    await picker.choose(null);
    expect(b.answers).toEqual([{ requestId: 'r2', deviceId: null }]);
  });
});
