// A private D-Bus session bus for tests (dbus-daemon on a socket in a temp folder, waited for
// by the address it prints once it accepts connections), and on it, optionally, a stand-in
// org.kde.StatusNotifierWatcher (test/fixtures/dbus, python3-dbus) so a desktop "has a tray".
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const WATCHER = resolve(import.meta.dirname, '../fixtures/dbus/status-notifier-watcher.py');

/** Resolves with the first line of `child`'s stdout that matches; rejects when it exits first. */
export function lineFrom(child: ChildProcessWithoutNullStreams, match: RegExp): Promise<string> {
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

export interface SessionBus {
  readonly socket: string;
  /** DBUS_SESSION_BUS_ADDRESS for processes that should use this bus. */
  readonly address: string;
  /** Starts a StatusNotifierWatcher ('host': a tray is shown; 'no-host': none yet). */
  startWatcher(mode: 'host' | 'no-host'): Promise<ChildProcessWithoutNullStreams>;
  stop(): void;
}

export async function startSessionBus(): Promise<SessionBus> {
  const dir = mkdtempSync(join(tmpdir(), 'softphone-dbus-'));
  const socket = join(dir, 'bus');
  const address = `unix:path=${socket}`;
  const daemon = spawn('dbus-daemon', [
    '--session',
    '--nofork',
    '--print-address=1',
    `--address=${address}`,
  ]);
  const children: ChildProcessWithoutNullStreams[] = [daemon];
  await lineFrom(daemon, /^unix:path=/);
  return {
    socket,
    address,
    async startWatcher(mode) {
      const watcher = spawn('/usr/bin/python3', [WATCHER, mode], {
        env: { ...process.env, DBUS_SESSION_BUS_ADDRESS: address },
      });
      children.push(watcher);
      await lineFrom(watcher, /^ready$/);
      return watcher;
    },
    stop() {
      for (const child of children.reverse()) {
        child.kill();
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
