// Tray availability against a real session bus: a private dbus-daemon, the app's own D-Bus
// client (tray/dbus-session.ts), and a stand-in org.kde.StatusNotifierWatcher written with
// python3-dbus (test/fixtures/dbus). Shown: no watcher means no tray (stock GNOME); a watcher
// whose host registers later turns the tray on through the StatusNotifierHostRegistered signal;
// the watcher going away (the panel quits) turns it off through NameOwnerChanged; a watcher
// already hosting is found at start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbusSession } from '../../src-main/tray/dbus-session';
import { TrayAvailability } from '../../src-main/tray/status-notifier';
import { startSessionBus, type SessionBus } from '../support/session-bus';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

describe('tray availability on a real session bus', () => {
  let bus: SessionBus;

  beforeAll(async () => {
    bus = await startSessionBus();
  });
  afterAll(() => bus?.stop());

  function availability(): TrayAvailability {
    return new TrayAvailability({
      platform: 'linux',
      openBus: () => DbusSession.open(bus.socket, process.getuid?.() ?? 0),
      log: silent,
    });
  }

  const next = (tray: TrayAvailability): Promise<boolean> =>
    new Promise((done) => {
      const off = tray.onChange((available) => {
        off();
        done(available);
      });
    });

  it('no watcher: no tray; a host registering later and the watcher leaving are followed', async () => {
    const tray = availability();
    try {
      expect(await tray.start()).toBe(false);
      const watcher = await bus.startWatcher('no-host');
      expect(tray.available).toBe(false);
      const on = next(tray);
      watcher.stdin.write('register\n');
      expect(await on).toBe(true);
      const off = next(tray);
      watcher.stdin.end(); // the panel quits: its name goes away
      expect(await off).toBe(false);
    } finally {
      tray.stop();
    }
  });

  it('a watcher with a host already registered is found at start', async () => {
    const watcher = await bus.startWatcher('host');
    const tray = availability();
    try {
      expect(await tray.start()).toBe(true);
      expect(tray.message).toBeNull();
    } finally {
      tray.stop();
      watcher.stdin.end();
    }
  });
});
