// The telephony headset driver on fake devices built from real descriptors: a call's life on a
// Jabra (one report for every light, absolute hook switch, relative mute), lights in separate
// reports on a Poly, EPOS's Drop button, and the quirks: repeated reports, the Off-Hook light's
// echo, the mute echo after a host change, devices without report ids, relative and on/off hook
// switches, refusals by the device. Input report bytes are written by hand per device.
import { afterEach, describe, expect, it } from 'vitest';
import {
  HeadsetError,
  TelephonyHeadset,
  type HeadsetEvents,
} from '../../../src-renderer/src/lib/headset/telephony-headset';
import { descriptorFromHex } from '../../../src-renderer/src/lib/headset/descriptor-items';
import type { FakeHidDevice } from '../../support/fake-hid';
import { DESCRIPTORS } from './descriptors.corpus';
import { fakeHeadset, JABRA_BITS, syntheticHeadset } from './devices';

type Event = { [K in keyof HeadsetEvents]: [K, HeadsetEvents[K]] }[keyof HeadsetEvents];

let clock = 0;
const open: TelephonyHeadset[] = [];

async function start(device: FakeHidDevice, options = {}) {
  const headset = await TelephonyHeadset.open(device, { now: () => clock, ...options });
  open.push(headset);
  const events: Event[] = [];
  for (const name of ['hook', 'mute', 'flash', 'redial', 'drop', 'line-busy', 'error'] as const) {
    headset.on(name, (payload) => events.push([name, payload] as Event));
  }
  return { headset, events };
}

afterEach(async () => {
  clock = 0;
  await Promise.all(open.splice(0).map((h) => h.close()));
});

const { HOOK, BUSY, MUTE, FLASH, REDIAL, L_OFFHOOK, L_MUTE, L_RING, L_HOLD, L_RINGER } = JABRA_BITS;

describe('a call on a Jabra BIZ 2400 II', () => {
  it('opens the device and clears its lights', async () => {
    const device = fakeHeadset('jabraBiz2400II');
    const { headset } = await start(device);
    expect(device.opened).toBe(true);
    expect(device.sent).toEqual([{ reportId: 2, bytes: [0, 0] }]);
    expect(headset.capabilities.inputs).toEqual([
      'hookSwitch',
      'phoneMute',
      'flash',
      'redial',
      'lineBusyTone',
    ]);
  });

  it('rings, is answered and hung up on the headset, with the lights following', async () => {
    const device = fakeHeadset('jabraBiz2400II');
    const { headset, events } = await start(device);
    await headset.setRing(true);
    expect(device.sent.at(-1)).toEqual({ reportId: 2, bytes: [L_RING | L_RINGER, 0] });

    device.input(2, [HOOK, 0]); // the user presses answer
    expect(events).toEqual([['hook', { offHook: true }]]);
    await headset.setLights({ ring: false, offHook: true });
    expect(device.sent.at(-1)).toEqual({ reportId: 2, bytes: [L_OFFHOOK, 0] });
    const sentAfterAnswer = device.sent.length;

    device.input(2, [HOOK, 0]); // the same report again (another control moved, a repeat)
    device.input(2, [HOOK | BUSY, 0]);
    device.input(2, [HOOK, 0]);
    expect(events.filter(([name]) => name === 'hook')).toHaveLength(1);

    device.input(2, [0, 0]); // hang up on the headset
    expect(events.at(-1)).toEqual(['hook', { offHook: false }]);
    await headset.setOffHook(false);
    expect(device.sent.length).toBe(sentAfterAnswer + 1);
    expect(device.sent.at(-1)).toEqual({ reportId: 2, bytes: [0, 0] });
  });

  it('does not take the echo of the host’s own answer or hang-up for a press', async () => {
    const device = fakeHeadset('jabraBiz2400II');
    const { headset, events } = await start(device);
    await headset.setOffHook(true); // answered in the window
    device.input(2, [HOOK, 0]); // the headset follows the light and reports it
    await headset.setOffHook(false); // the caller hung up
    device.input(2, [0, 0]);
    expect(events).toEqual([]);
    device.input(2, [HOOK, 0]); // now a real press
    expect(events).toEqual([['hook', { offHook: true }]]);
  });

  it('takes no request from a hook state that did not move, even after the host changed the light', async () => {
    const device = fakeHeadset('jabraBiz2400II');
    const { headset, events } = await start(device);
    device.input(2, [HOOK, 0]); // picked up on the headset
    await headset.setOffHook(true);
    device.input(2, [HOOK | REDIAL, 0]);
    await headset.setOffHook(false); // the host hung up before the headset followed the light
    device.input(2, [HOOK, 0]); // the release still carries the old hook state
    expect(events).toEqual([
      ['hook', { offHook: true }],
      ['redial', null],
    ]);
    device.input(2, [0, 0]); // the headset follows the light: its echo, not a press
    device.input(2, [HOOK, 0]); // a real pick-up
    expect(events.slice(2)).toEqual([['hook', { offHook: true }]]);
  });

  it('mutes from the headset; the light answers the press; repeats and releases do nothing', async () => {
    const device = fakeHeadset('jabraBiz2400II');
    const { headset, events } = await start(device);
    await headset.setOffHook(true);
    device.input(2, [HOOK | MUTE, 0]);
    device.input(2, [HOOK | MUTE, 0]);
    device.input(2, [HOOK, 0]);
    expect(events).toEqual([['mute', { muted: true }]]);
    await headset.setMute(true);
    expect(device.sent.at(-1)).toEqual({ reportId: 2, bytes: [L_OFFHOOK | L_MUTE, 0] });
    device.input(2, [HOOK | MUTE, 0]); // press again at once: no echo window for a reply
    expect(events.at(-1)).toEqual(['mute', { muted: false }]);
  });

  it('ignores the one mute press a headset echoes after the host changed mute itself', async () => {
    const device = fakeHeadset('jabraBiz2400II');
    const { headset, events } = await start(device, { muteEchoWindowMs: 500 });
    await headset.setOffHook(true);
    clock = 1000;
    await headset.setMute(true); // muted in the window
    clock = 1100;
    device.input(2, [HOOK | MUTE, 0]); // the echo
    device.input(2, [HOOK, 0]);
    expect(events).toEqual([]);
    clock = 1200;
    device.input(2, [HOOK | MUTE, 0]); // a second press inside the window is the user's
    expect(events).toEqual([['mute', { muted: false }]]);
    await headset.setMute(false);
    device.input(2, [HOOK, 0]);
    clock = 5000;
    await headset.setMute(true);
    clock = 5501; // after the window a press is the user's
    device.input(2, [HOOK | MUTE, 0]);
    expect(events.at(-1)).toEqual(['mute', { muted: false }]);
  });

  it('answers a refused mute press with the unchanged light, so the headset does not hang', async () => {
    const device = fakeHeadset('jabraBiz2400II');
    const { headset, events } = await start(device);
    const before = device.sent.length;
    device.input(2, [MUTE, 0]); // mute pressed with no call
    expect(events).toEqual([['mute', { muted: true }]]);
    await headset.setMute(false); // the phone says no
    expect(device.sent.slice(before)).toEqual([{ reportId: 2, bytes: [0, 0] }]);
    await headset.setMute(false); // nothing pending any more: nothing sent
    expect(device.sent.length).toBe(before + 1);
  });

  it('reports flash, redial and the line busy tone', async () => {
    const device = fakeHeadset('jabraBiz2400II');
    const { events } = await start(device);
    device.input(2, [FLASH, 0]);
    device.input(2, [0, 0]);
    device.input(2, [REDIAL, 0]);
    device.input(2, [REDIAL | BUSY, 0]);
    device.input(2, [0, 0]);
    expect(events).toEqual([
      ['flash', null],
      ['redial', null],
      ['line-busy', { busy: true }],
      ['line-busy', { busy: false }],
    ]);
  });

  it('holds: the hold light joins the others in the same report', async () => {
    const device = fakeHeadset('jabraBiz2400II');
    const { headset } = await start(device);
    await headset.setLights({ offHook: true, mute: true });
    await headset.setHold(true);
    expect(device.sent.at(-1)).toEqual({
      reportId: 2,
      bytes: [L_OFFHOOK | L_MUTE | L_HOLD, 0],
    });
    expect(headset.lights).toEqual({ offHook: true, ring: false, mute: true, hold: true });
  });

  it('turns the lights off, stops listening and closes on close()', async () => {
    const device = fakeHeadset('jabraBiz2400II');
    const { headset, events } = await start(device);
    await headset.setLights({ offHook: true, ring: true });
    await headset.close();
    expect(device.sent.at(-1)).toEqual({ reportId: 2, bytes: [0, 0] });
    expect(device.opened).toBe(false);
    expect(device.listenerCount).toBe(0);
    await device.open();
    device.input(2, [HOOK, 0]);
    expect(events).toEqual([]);
  });
});

describe('other vendors', () => {
  it('Poly Blackwire C5220: one report per light, each sent once', async () => {
    const device = fakeHeadset('polyBlackwireC5220');
    const { headset, events } = await start(device);
    expect(device.sent).toEqual([
      { reportId: 0x17, bytes: [0] },
      { reportId: 0x18, bytes: [0] },
      { reportId: 9, bytes: [0] },
      { reportId: 0x20, bytes: [0] },
    ]);
    const before = device.sent.length;
    await headset.setRing(true);
    device.input(8, [0b10]); // report 8: bit0 mute, bit1 hook, bit2 flash, bit3 redial
    await headset.setLights({ ring: false, offHook: true, mute: true });
    expect(device.sent.slice(before)).toEqual([
      { reportId: 0x18, bytes: [1] },
      { reportId: 0x18, bytes: [0] },
      { reportId: 0x17, bytes: [1] },
      { reportId: 9, bytes: [1] },
    ]);
    expect(events).toEqual([['hook', { offHook: true }]]);
  });

  it('EPOS IMPACT D1: Drop hangs up, Flash and Redial are presses', async () => {
    const device = fakeHeadset('eposImpactD1');
    const { headset, events } = await start(device);
    // report 2: bit0 hook, bit1 flash, bit2 redial, bit3 mute, bit4 drop
    device.input(2, [0b00001]);
    device.input(2, [0b10001]);
    device.input(2, [0b00011]);
    device.input(2, [0b00101]);
    expect(events).toEqual([
      ['hook', { offHook: true }],
      ['drop', null],
      ['flash', null],
      ['redial', null],
    ]);
    await headset.setLights({ offHook: true, mute: true });
    // report 3: bit0 off-hook, bit1 microphone, bit2 ring, bit3 mute, bit5 hold
    expect(device.sent.at(-1)).toEqual({ reportId: 3, bytes: [0b1001] });
  });

  it('Yealink WH66: the same layout as Jabra, answered and muted', async () => {
    const device = fakeHeadset('yealinkWh66');
    const { headset, events } = await start(device);
    device.input(2, [HOOK, 0]);
    device.input(2, [HOOK | MUTE, 0]);
    await headset.setLights({ offHook: true, mute: true });
    expect(events).toEqual([
      ['hook', { offHook: true }],
      ['mute', { muted: true }],
    ]);
    expect(device.sent.at(-1)).toEqual({ reportId: 2, bytes: [L_OFFHOOK | L_MUTE, 0] });
  });
});

describe('quirks', () => {
  it('a device without report ids gets and sends report id 0', async () => {
    const device = syntheticHeadset(
      '05 0b 09 05 a1 01 15 00 25 01 75 01 95 01 09 20 81 22 09 2f 81 06 75 06 81 01 ' +
        '05 08 09 17 09 09 75 01 95 02 91 22 75 06 95 01 91 01 c0',
      { 0: 1 },
    );
    const { headset, events } = await start(device);
    device.input(0, [0b01]);
    device.input(0, [0b11]);
    await headset.setLights({ offHook: true, mute: true });
    expect(events).toEqual([
      ['hook', { offHook: true }],
      ['mute', { muted: true }],
    ]);
    expect(device.sent).toEqual([
      { reportId: 0, bytes: [0] },
      { reportId: 0, bytes: [0b11] },
    ]);
  });

  it('a relative (toggle) hook switch: each press toggles, releases do nothing', async () => {
    const device = syntheticHeadset(
      '05 0b 09 05 a1 01 85 01 15 00 25 01 75 01 95 01 09 20 81 06 75 07 81 01 ' +
        '05 08 09 17 75 01 91 22 75 07 91 01 c0',
      { 1: 1 },
    );
    const { headset, events } = await start(device);
    expect(headset.map.inputs.hookSwitch?.semantics).toBe('toggle');
    device.input(1, [1]);
    device.input(1, [0]);
    await headset.setOffHook(true);
    device.input(1, [1]);
    device.input(1, [0]);
    expect(events).toEqual([
      ['hook', { offHook: true }],
      ['hook', { offHook: false }],
    ]);
  });

  it('on/off buttons (-1/+1): +1 picks up, -1 hangs up, 0 and repeats do nothing', async () => {
    const device = syntheticHeadset(
      '05 0b 09 05 a1 01 85 01 09 20 15 ff 25 01 75 02 95 01 81 06 75 06 81 01 c0',
      {},
    );
    const { events } = await start(device);
    device.input(1, [0b01]);
    device.input(1, [0b00]);
    device.input(1, [0b01]);
    device.input(1, [0b11]); // -1 in two bits
    expect(events).toEqual([
      ['hook', { offHook: true }],
      ['hook', { offHook: false }],
    ]);
    expect(device.sent).toEqual([]); // no lights to set
  });

  it('drives the Microphone light for mute when there is no Mute light', async () => {
    const device = syntheticHeadset(
      '05 0b 09 05 a1 01 85 03 15 00 25 01 75 01 95 01 09 2f 81 06 75 07 81 01 ' +
        '05 08 09 21 75 01 91 22 75 07 91 01 c0',
      { 3: 1 },
    );
    const { headset } = await start(device);
    await headset.setMute(true);
    expect(device.sent.at(-1)).toEqual({ reportId: 3, bytes: [1] });
  });

  it('falls back to the raw descriptor when the collections hold no call controls', async () => {
    const raw = descriptorFromHex(DESCRIPTORS.eposImpactD1.hex);
    const device = fakeHeadset('eposImpactD1');
    (device as { collections: unknown[] }).collections.length = 0;
    await expect(TelephonyHeadset.open(device)).rejects.toThrow(HeadsetError);
    const { events } = await start(device, { descriptor: raw });
    device.input(2, [0b1]);
    expect(events).toEqual([['hook', { offHook: true }]]);
  });
});

describe('refusals', () => {
  it('refuses a device without hook switch or mute button, in a sentence', async () => {
    await expect(TelephonyHeadset.open(fakeHeadset('logitechG535'))).rejects.toThrow(
      'Logitech G535 Wireless Gaming Headset (no telephony page) has no hook switch or mute button that the phone can use.',
    );
  });

  it('says why when the device cannot be opened', async () => {
    const device = fakeHeadset('jabraBiz2400II', { failOpen: true });
    await expect(TelephonyHeadset.open(device)).rejects.toThrow(
      /could not be opened \(Failed to open the device\.\)\. Another app may be using it/,
    );
  });

  it('reports a light the device refused and keeps working', async () => {
    const device = fakeHeadset('jabraBiz2400II');
    const { headset, events } = await start(device);
    device.failWrites = true;
    await headset.setRing(true);
    expect(events).toEqual([
      [
        'error',
        { message: 'The headset did not accept its lights (Failed to write the report.).' },
      ],
    ]);
    device.failWrites = false;
    await headset.setRing(false);
    device.input(2, [HOOK, 0]);
    expect(events.at(-1)).toEqual(['hook', { offHook: true }]);
  });
});
