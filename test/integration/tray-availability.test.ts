// Tray availability against a real session bus: a private dbus-daemon on a socket in a temp
// folder, the app's own D-Bus client (tray/dbus-session.ts), and a stand-in
// org.kde.StatusNotifierWatcher written with python3-dbus (test/fixtures/dbus). Shown: no
// watcher means no tray (stock GNOME); a watcher whose host registers later turns the tray on
// through the StatusNotifierHostRegistered signal; the watcher going away (the panel quits)
// turns it off through NameOwnerChanged; a watcher already hosting is found at start.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DbusSession } from '../../src-main/tray/dbus-session';
import { TrayAvailability } from '../../src-main/tray/status-notifier';

const WATCHER = resolve(import.meta.dirname, '../fixtures/dbus/status-notifier-watcher.py');
const silent = { debug() {}, info() {}, warn() {}, error() {} };

/** Resolves with the first line of `child`'s stdout that matches, or rejects when it exits. */
function line(child: ChildProcessWithoutNullStreams, match: RegExp): Promise<string> {
  return new Promise((done, fail) => {
    let text = '';
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const found = text.split('\n').find((l) => match.test(l));
      if (found !== undefined) {
        child.stdout.off('data', onData);
        done(found);
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => fail(new Error(`exited (${String(code)}) before ${match}`)));
  });
}

describe('tray availability on a real session bus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'softphone-dbus-'));
  const socket = join(dir, 'bus');
  let daemon: ChildProcessWithoutNullStreams;
  const watchers: ChildProcessWithoutNullStreams[] = [];

  beforeAll(async () => {
    daemon = spawn('dbus-daemon', [
      '--session',
      '--nofork',
      '--print-address=1',
      `--address=unix:path=${socket}`,
    ]);
    await line(daemon, /^unix:path=/); // printed once the bus accepts connections
  });

  afterAll(() => {
    for (const w of watchers) {
      w.kill();
    }
    daemon?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  async function startWatcher(mode: 'host' | 'no-host'): Promise<ChildProcessWithoutNullStreams> {
    const watcher = spawn('/usr/bin/python3', [WATCHER, mode], {
      env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: `unix:path=${socket}` },
    });
    watchers.push(watcher);
    await line(watcher, /^ready$/);
    return watcher;
  }

  function availability(): TrayAvailability {
    return new TrayAvailability({
      platform: 'linux',
      openBus: () => DbusSession.open(socket, process.getuid?.() ?? 0),
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
      const watcher = await startWatcher('no-host');
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
    const watcher = await startWatcher('host');
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
