// Tray availability: the D-Bus wire format round-trips (D-Bus spec, "Message Protocol"), the
// session bus address is read the way libdbus reads it, and TrayAvailability follows a bus that
// behaves as the StatusNotifierItem spec says: a host exists when org.kde.StatusNotifierWatcher
// has an owner and IsStatusNotifierHostRegistered is true; the watcher may come later, which
// NameOwnerChanged / StatusNotifierHostRegistered signals announce. (The real dbus-daemon is in
// test/integration/tray-availability.test.ts.)
import { describe, expect, it } from 'vitest';
import {
  decodeMessage,
  encodeMessage,
  messageLength,
  MessageType,
  sessionBusSocket,
  type DbusMessage,
  type DbusValue,
} from '../../../src-main/tray/dbus-wire';
import type { MethodCall } from '../../../src-main/tray/dbus-session';
import {
  hostPresent,
  TrayAvailability,
  type BusLike,
} from '../../../src-main/tray/status-notifier';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('D-Bus wire format', () => {
  it('encodes a method call that decodes to the same header and body', () => {
    const call: DbusMessage = {
      type: MessageType.methodCall,
      serial: 7,
      destination: 'org.kde.StatusNotifierWatcher',
      path: '/StatusNotifierWatcher',
      interface: 'org.freedesktop.DBus.Properties',
      member: 'Get',
      signature: 'ss',
      body: ['org.kde.StatusNotifierWatcher', 'IsStatusNotifierHostRegistered'],
    };
    const bytes = encodeMessage(call);
    expect((bytes.length - bytes.readUInt32LE(4)) % 8).toBe(0); // header padded to 8, then the body
    expect(messageLength(bytes)).toBe(bytes.length);
    expect(messageLength(bytes.subarray(0, 10))).toBeNull();
    expect(decodeMessage(bytes)).toEqual(call);
  });

  it('reads booleans, numbers and variants, and UTF-8 strings', () => {
    const body: DbusValue[] = [true, 42, { variant: 'b', value: false }, 'Grüße'];
    const decoded = decodeMessage(
      encodeMessage({
        type: MessageType.methodReturn,
        serial: 1,
        replySerial: 9,
        signature: 'buvs',
        body,
      }),
    );
    expect(decoded.replySerial).toBe(9);
    expect(decoded.body).toEqual(body);
  });

  it('refuses big-endian messages and truncated ones', () => {
    const bytes = encodeMessage({
      type: MessageType.signal,
      serial: 1,
      member: 'X',
      path: '/',
      interface: 'a.b',
      body: [],
    });
    const big = Buffer.from(bytes);
    big[0] = 0x42;
    expect(() => messageLength(big)).toThrow(/little-endian/);
    expect(() => decodeMessage(bytes.subarray(0, 20))).toThrow(/truncated/);
  });

  it('finds the session bus like libdbus: the address, else $XDG_RUNTIME_DIR/bus', () => {
    expect(sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' })).toBe(
      '/run/user/1000/bus',
    );
    expect(
      sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'unix:abstract=/tmp/dbus-XyZ,guid=abc' }),
    ).toBe('\0/tmp/dbus-XyZ');
    expect(
      sessionBusSocket({ DBUS_SESSION_BUS_ADDRESS: 'tcp:host=x,port=1;unix:path=/tmp/b%20us' }),
    ).toBe('/tmp/b us');
    expect(sessionBusSocket({ XDG_RUNTIME_DIR: '/run/user/5' })).toBe('/run/user/5/bus');
    expect(sessionBusSocket({})).toBeNull();
  });
});

/** A session bus as the spec describes, with a watcher that can come and go. */
class FakeBus implements BusLike {
  watcher: 'none' | 'host' | 'no-host' | 'no-property' = 'none';
  readonly rules: string[] = [];
  readonly #listeners: ((m: DbusMessage) => void)[] = [];
  closed = false;

  call(call: MethodCall): Promise<DbusValue[]> {
    if (call.member === 'NameHasOwner') {
      return Promise.resolve([this.watcher !== 'none']);
    }
    if (call.member === 'Get' && call.destination === 'org.kde.StatusNotifierWatcher') {
      if (this.watcher === 'none') {
        return Promise.reject(new Error('org.freedesktop.DBus.Error.ServiceUnknown'));
      }
      if (this.watcher === 'no-property') {
        return Promise.reject(new Error('org.freedesktop.DBus.Error.UnknownProperty'));
      }
      return Promise.resolve([{ variant: 'b', value: this.watcher === 'host' }]);
    }
    return Promise.reject(new Error(`unexpected ${call.member}`));
  }
  subscribe(rule: string, listener: (m: DbusMessage) => void): Promise<() => void> {
    this.rules.push(rule);
    this.#listeners.push(listener);
    return Promise.resolve(() => {});
  }
  close(): void {
    this.closed = true;
  }
  /** The watcher changes and the bus sends the signal for it. */
  change(to: FakeBus['watcher'], member: string): void {
    this.watcher = to;
    for (const l of this.#listeners) {
      l({ type: MessageType.signal, serial: 1, member, signature: '', body: [] });
    }
  }
}

describe('TrayAvailability', () => {
  it.each([
    ['none', false],
    ['host', true],
    ['no-host', false],
    ['no-property', true],
  ] as const)('watcher %s: tray %s', async (watcher, expected) => {
    const bus = new FakeBus();
    bus.watcher = watcher;
    expect(await hostPresent(bus)).toBe(expected);
  });

  it('follows a watcher that starts after the app (autostart before the panel)', async () => {
    const bus = new FakeBus();
    const tray = new TrayAvailability({ platform: 'linux', openBus: async () => bus, log: silent });
    const seen: boolean[] = [];
    tray.onChange((available) => seen.push(available));
    expect(await tray.start()).toBe(false);
    expect(tray.message).toMatch(/minimises/);
    expect(bus.rules.join('\n')).toContain("arg0='org.kde.StatusNotifierWatcher'");
    bus.change('no-host', 'NameOwnerChanged');
    await expect.poll(() => seen).toEqual([]);
    bus.change('host', 'StatusNotifierHostRegistered');
    await expect.poll(() => seen).toEqual([true]);
    expect(tray.available).toBe(true);
    expect(tray.message).toBeNull();
    bus.change('none', 'NameOwnerChanged');
    await expect.poll(() => seen).toEqual([true, false]);
    tray.stop();
    expect(bus.closed).toBe(true);
  });

  it('no session bus on Linux: no tray (never an invisible app)', async () => {
    const tray = new TrayAvailability({
      platform: 'linux',
      openBus: () => Promise.reject(new Error('no session bus address')),
      log: silent,
    });
    expect(tray.available).toBe(false);
    expect(await tray.start()).toBe(false);
  });

  it('macOS and Windows always have a tray; no bus is opened', async () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const tray = new TrayAvailability({
        platform,
        openBus: () => Promise.reject(new Error('must not be called')),
        log: silent,
      });
      expect(await tray.start()).toBe(true);
    }
  });
});
