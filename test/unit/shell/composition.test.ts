// The composition root, imported for real with the `electron` module faked: what happens before
// `ready` (lock, sandbox, switches, privileged scheme, link listeners), what is wired after it
// (app protocol, permissions, IPC on every channel, no menu, tray, window — and no protocol
// client registration), and a few end-to-end paths through the real services: a second-instance
// link, the tray's do-not-disturb, a crashed page, quit. The fake is Linux without a session
// bus, so there is no StatusNotifier host: closing the window minimises it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { INVOKE_CHANNELS, type PhoneSummary } from '@shared/ipc-contract';
import { setLogSink } from '../../../src-main/logger';
import * as fake from '../../support/fake-electron';

vi.mock('electron', async () => await import('../../support/fake-electron'));

const home = mkdtempSync(join(tmpdir(), 'softphone-compose-'));
const logs: string[] = [];
let window: fake.FakeBrowserWindow;
const savedEnv = { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, argv: process.argv };

beforeAll(async () => {
  setLogSink((level, ns, text) => logs.push(`${level} [${ns}] ${text}`));
  process.env.XDG_CONFIG_HOME = join(home, 'config');
  process.argv = [process.execPath, join(home, 'app'), '--', 'tel:+49-30-123456'];
  fake.app.userData = join(home, 'userData');
  await import('../../../src-main/index');
  fake.calls.push('-- imported --');
  fake.fireReady();
  window = await fake.windowLoaded;
});

afterAll(() => {
  process.env.XDG_CONFIG_HOME = savedEnv.XDG_CONFIG_HOME;
  process.argv = savedEnv.argv;
  rmSync(home, { recursive: true, force: true });
});

const IN_CALL: PhoneSummary = {
  registration: 'registered',
  registrationText: 'Registered: Lab',
  call: 'in-call',
  party: 'Bob',
  muted: false,
  doNotDisturb: false,
  missedCount: 0,
  unreadMessages: 0,
  recentNumbers: [],
  voicemailWaiting: false,
  voicemailNew: 0,
};

const before = (): string[] => fake.calls.slice(0, fake.calls.indexOf('ready'));

describe('before ready', () => {
  it('locks a single instance, sandboxes, disables media keys, registers app://', () => {
    expect(before()).toEqual(
      expect.arrayContaining([
        'requestSingleInstanceLock',
        'enableSandbox',
        'switch disable-features=HardwareMediaKeyHandling,MediaSessionService',
        'registerSchemesAsPrivileged app',
        'app.on open-url',
        'app.on second-instance',
        'app.on before-quit',
        'app.on web-contents-created',
      ]),
    );
    expect(before()[0]).toBe('requestSingleInstanceLock');
    expect(before()).not.toContain('new BrowserWindow');
  });
});

describe('after ready', () => {
  it('serves app://, locks permissions, registers every IPC channel, sets no menu (Linux)', () => {
    const after = fake.calls.slice(fake.calls.indexOf('ready'));
    expect(after).toEqual(
      expect.arrayContaining([
        'protocol.handle app',
        'setPermissionRequestHandler',
        'setPermissionCheckHandler',
        'setDevicePermissionHandler',
        'new BrowserWindow',
      ]),
    );
    // A dev run keeps DevTools in a menu of its own; no reload item anywhere.
    const menu = after.find((c) => c.startsWith('setApplicationMenu'));
    expect(menu).toBe(
      'setApplicationMenu [{"label":"Developer","submenu":[{"role":"toggleDevTools"}]}]',
    );
    expect([...fake.ipcHandlers.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('never makes itself the tel:/sip: handler at start (only the Settings action does)', () => {
    expect(fake.calls.filter((c) => c.startsWith('setAsDefaultProtocolClient'))).toEqual([]);
    expect(fake.calls.filter((c) => c.startsWith('isDefaultProtocolClient'))).toEqual([]);
  });

  it('opens the secure window on app://softphone', () => {
    expect(window.loaded).toBe('app://softphone/index.html');
    expect(window.options.webPreferences).toMatchObject({
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      backgroundThrottling: false,
    });
    expect(window.options.webPreferences?.preload).toMatch(/preload[/\\]index\.cjs$/);
  });

  it('falls back to session-only secrets here (no D-Bus, safeStorage is basic_text)', async () => {
    const info = await fake.invoke('app/get-info', null);
    expect(info).toMatchObject({ ok: true, value: { secrets: { backend: 'session' } } });
  });

  it('reports that there is no tray (no StatusNotifier host) and why', async () => {
    const info = await fake.invoke('app/get-info', null);
    expect(info).toMatchObject({
      ok: true,
      value: { desktop: { tray: false, trayMessage: expect.stringMatching(/minimises/) } },
    });
  });

  it('the cold-start link waits for the page, then is handed over once', async () => {
    window.emit('ready-to-show');
    expect(window.visible).toBe(true);
    const first = await fake.invoke('links/take-pending', null);
    expect(first).toMatchObject({
      ok: true,
      value: { target: { dial: '+4930123456' }, source: 'link', autoDial: false },
    });
    expect(await fake.invoke('links/take-pending', null)).toEqual({ ok: true, value: null });
  });

  it('a second instance with a link reaches the listening page as an event', () => {
    window.webContents.sent.length = 0;
    fake.app.emit(
      'second-instance',
      {},
      ['/opt/x', '--gpu-launcher=x', '--', 'sip:bob@lab.test'],
      '/',
      {},
    );
    expect(window.webContents.sent).toEqual([
      {
        channel: 'links/dial-requested',
        payload: expect.objectContaining({
          target: expect.objectContaining({ dial: 'sip:bob@lab.test' }),
        }),
      },
    ]);
  });

  it('a forged sender is refused', async () => {
    expect(await fake.invoke('settings/get', null, 'https://evil.example/')).toMatchObject({
      ok: false,
    });
  });

  it('the summary drives the tray and keeps the display awake during a call', async () => {
    const summary: PhoneSummary = { ...IN_CALL, recentNumbers: [{ display: 'Bob', dial: 'bob' }] };
    expect((await fake.invoke('phone/state-changed', summary)).ok).toBe(true);
    const tray = fake.trays[0];
    expect(tray?.image).toMatch(/resources[/\\]tray[/\\]in-call\.png$/);
    expect(tray?.tooltip).toBe('Open Softphone: Registered: Lab\nIn call with Bob');
    expect([...fake.blockers.values()]).toEqual(['prevent-display-sleep']);
    await fake.invoke('phone/state-changed', { ...summary, call: 'idle', party: null });
    expect(fake.blockers.size).toBe(0);
  });

  it('without a tray, closing the window minimises it instead of hiding it', () => {
    expect(window.userClose()).toBe(false);
    expect(window.visible).toBe(true);
    expect(window.calls.at(-1)).toBe('minimize');
  });

  it('do-not-disturb from the tray is saved by main and sent to the page as settings/changed', async () => {
    window.webContents.sent.length = 0;
    fake.trays[0]?.click('Do not disturb');
    await vi.waitFor(() =>
      expect(window.webContents.sent).toEqual([
        {
          channel: 'settings/changed',
          payload: expect.objectContaining({ doNotDisturb: true }),
        },
      ]),
    );
    expect(fake.trays[0]?.menu?.find((i) => i.label === 'Do not disturb')?.checked).toBe(true);
    expect(fake.trays[0]?.image).toMatch(/dnd\.png$/);
    const settings = await fake.invoke('settings/get', null);
    expect(settings).toMatchObject({ ok: true, value: { doNotDisturb: true } });
  });

  it('any settings change reaches the page as settings/changed', async () => {
    window.webContents.sent.length = 0;
    await fake.invoke('settings/update', { doNotDisturb: false, theme: 'dark' });
    expect(window.webContents.sent).toEqual([
      {
        channel: 'settings/changed',
        payload: expect.objectContaining({ doNotDisturb: false, theme: 'dark' }),
      },
    ]);
  });

  it('a crashed page is reloaded, the tray says so, the user is told, and the new page hears of the lost call', async () => {
    await fake.invoke('phone/state-changed', { ...IN_CALL, missedCount: 2, unreadMessages: 3 });
    expect(fake.blockers.size).toBe(1);
    expect(fake.calls.at(-1)).toBe('setBadgeCount 5');
    const reloads = window.webContents.reloads;
    window.webContents.emit('render-process-gone', {}, { reason: 'crashed', exitCode: 11 });
    expect(window.webContents.reloads).toBe(reloads + 1);
    expect(fake.trays[0]?.tooltip).toMatch(/Restarting the phone after a problem/);
    expect(fake.calls).toContain('notification.show Open Softphone restarted');
    expect(fake.blockers.size).toBe(0); // the call is gone: the display may sleep
    window.webContents.sent.length = 0;
    await fake.invoke('links/take-pending', null); // the new page listens
    expect(window.webContents.sent).toEqual([
      {
        channel: 'app/renderer-restarted',
        payload: expect.objectContaining({
          reason: 'crashed',
          lostCall: { state: 'in-call', party: 'Bob' },
        }),
      },
    ]);
    expect(fake.trays[0]?.tooltip).not.toMatch(/Restarting/);
    // The counts outlive the page: missed calls and unread messages stay in the tray and badge.
    expect(fake.trays[0]?.tooltip).toMatch(/2 missed calls\n3 unread messages/);
    expect(fake.calls.filter((c) => c.startsWith('setBadgeCount')).at(-1)).toBe('setBadgeCount 5');
  });

  it('Quit asks the page to unregister and quits when it confirms', async () => {
    window.webContents.sent.length = 0;
    fake.trays[0]?.click('Quit Open Softphone');
    expect(window.webContents.sent).toEqual([{ channel: 'app/quitting', payload: null }]);
    expect(fake.calls).not.toContain('app.quit');
    await fake.invoke('app/quit-ready', null);
    expect(fake.calls.slice(-2)).toEqual(['tray.destroy', 'app.quit']);
    expect(window.userClose()).toBe(true);
  });
});
