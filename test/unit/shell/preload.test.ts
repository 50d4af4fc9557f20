// Unit test of the preload bridge with Electron's contextBridge and ipcRenderer mocked: it
// exposes only { invoke, on } as window.softphone, refuses channels off the allow-lists without
// touching IPC, and listeners get the payload only, never the Electron event object.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { SoftphoneBridge } from '@shared/ipc-contract';

const electron = vi.hoisted(() => {
  const listeners = new Map<string, ((event: unknown, payload: unknown) => void)[]>();
  return {
    exposed: new Map<string, unknown>(),
    invoked: [] as [string, unknown][],
    listeners,
  };
});

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: (channel: string, payload: unknown) => {
      electron.invoked.push([channel, payload]);
      return Promise.resolve({ ok: true, value: null });
    },
    on: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
      electron.listeners.set(channel, [...(electron.listeners.get(channel) ?? []), listener]);
    },
    removeListener: (channel: string, listener: (event: unknown, payload: unknown) => void) => {
      electron.listeners.set(
        channel,
        (electron.listeners.get(channel) ?? []).filter((l) => l !== listener),
      );
    },
  },
}));

let bridge: SoftphoneBridge;

beforeAll(async () => {
  await import('../../../src-main/preload/index');
  bridge = electron.exposed.get('softphone') as SoftphoneBridge;
});

describe('preload bridge', () => {
  it('exposes only window.softphone with invoke and on', () => {
    expect([...electron.exposed.keys()]).toEqual(['softphone']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'on']);
  });

  it('forwards allow-listed requests', async () => {
    await bridge.invoke('settings/get', null);
    expect(electron.invoked).toEqual([['settings/get', null]]);
  });

  it('refuses other channels without touching IPC', async () => {
    const reply = await (bridge.invoke as (c: string, p: unknown) => Promise<unknown>)(
      'fs/read-file',
      '/etc/passwd',
    );
    expect(reply).toEqual({ ok: false, error: 'Unknown request.' });
    expect(electron.invoked.map(([c]) => c)).not.toContain('fs/read-file');
    const off = (bridge.on as (c: string, l: () => void) => () => void)('ipc/raw', () => {});
    expect(electron.listeners.has('ipc/raw')).toBe(false);
    off();
  });

  it('hands listeners the payload only, and unsubscribes', () => {
    const received: unknown[][] = [];
    const off = bridge.on('links/dial-requested', (...args: unknown[]) => received.push(args));
    const fakeEvent = { sender: { send() {} }, ports: [], senderFrame: {} };
    for (const listener of electron.listeners.get('links/dial-requested') ?? []) {
      listener(fakeEvent, { hello: 'page' });
    }
    expect(received).toEqual([[{ hello: 'page' }]]);
    off();
    expect(electron.listeners.get('links/dial-requested')).toEqual([]);
  });
});
