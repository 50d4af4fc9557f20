// The hands-free desk settings and channels through the REAL router and handlers with settings
// on disk: dial rules and screen-pop templates refused at save with the form's sentences,
// hotkey and headset settings validated, the new channels' payloads checked, and an older
// settings file taking the new defaults without complaint.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HotkeyStatus, ScreenPopRequest } from '@shared/ipc-contract';
import {
  DEFAULT_ACCOUNT,
  DEFAULT_HOTKEYS,
  DEFAULT_SETTINGS,
  type AccountSettings,
} from '@shared/settings-types';
import { CRM_SCREEN_POP, OFFICE_DIAL_RULES, officeAccount } from '../../support/accounts';
import { SessionStore } from '../../../src-main/credentials/secret-store';
import { createHandlers, type ShellPorts } from '../../../src-main/ipc/handlers';
import { createIpcRouter, isAppUrl, type IpcRouter } from '../../../src-main/ipc/router';
import { SettingsStore } from '../../../src-main/settings/settings-store';
import { recordingPorts } from '../../support/shell-ports';

const APP = 'app://softphone/index.html';
const ACCOUNT = officeAccount();
const STATUS: HotkeyStatus[] = [
  { action: 'answer', accelerator: 'Ctrl+Alt+A', state: 'registered', message: null },
];

let dir: string;
let settings: SettingsStore;
let router: IpcRouter;
let effects: unknown[];

const send = (channel: string, payload: unknown) => router.dispatch(channel, payload, { url: APP });

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'softphone-desk-ipc-'));
  settings = new SettingsStore(dir);
  await settings.load();
  effects = [];
  // The settings store announces every saved change (the shell forwards it to the desk).
  settings.onChange((next) => effects.push(['settingsChanged', next.hotkeys.enabled]));
  const ports: ShellPorts = recordingPorts([], {
    hotkeyStatus: () => STATUS,
    openScreenPop: async (request) => {
      effects.push(['openScreenPop', request]);
      return { opened: true, message: null };
    },
    headsetChosen: (requestId, deviceId) => effects.push(['headsetChosen', requestId, deviceId]),
  });
  const handlers = createHandlers({
    settings,
    secrets: { store: new SessionStore(), info: { backend: 'session', message: null } },
    settingsNotices: [],
    version: 'test',
    platform: 'linux',
    shell: ports,
  });
  router = createIpcRouter(handlers, (sender) => isAppUrl(sender.url, APP));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('account fields', () => {
  it('saves dial rules and a screen-pop template that check out', async () => {
    const account = officeAccount({ dialRules: OFFICE_DIAL_RULES, screenPop: CRM_SCREEN_POP });
    const reply = await send('accounts/save', { account, secret: 'pw', turnCredential: null });
    expect(reply.ok).toBe(true);
    expect(settings.get().accounts[0]).toEqual({ ...account, instanceId: expect.any(String) });
  });

  it('refuses an invalid pattern and a non-http template at save, with the sentences', async () => {
    const account: AccountSettings = {
      ...ACCOUNT,
      dialRules: { ...ACCOUNT.dialRules, rewrites: [{ pattern: '(\\d+', replacement: '' }] },
      screenPop: { ...ACCOUNT.screenPop, url: 'javascript:alert({number})' },
    };
    const reply = await send('accounts/save', { account, secret: 'pw', turnCredential: null });
    expect(reply).toEqual({
      ok: false,
      error:
        'Rewrite rule 1: The pattern is not valid: a "(" is never closed. The screen-pop address must start with http:// or https:// and a server name written out (no {placeholder} before the path).',
    });
    expect(settings.get().accounts).toEqual([]);
  });

  it('refuses more than 20 rewrites or an unknown screen-pop event by schema', async () => {
    const rewrites = Array.from({ length: 21 }, () => ({ pattern: '1', replacement: '2' }));
    const tooMany = await send('accounts/save', {
      account: { ...ACCOUNT, dialRules: { ...ACCOUNT.dialRules, rewrites } },
      secret: 'pw',
      turnCredential: null,
    });
    expect(tooMany.ok).toBe(false);
    const badEvent = await send('accounts/save', {
      account: { ...ACCOUNT, screenPop: { ...ACCOUNT.screenPop, on: 'dialling' } },
      secret: 'pw',
      turnCredential: null,
    });
    expect(badEvent.ok).toBe(false);
  });
});

describe('app settings', () => {
  it('turns hotkeys on through settings/update, and the store announces it', async () => {
    const reply = await send('settings/update', { hotkeys: { ...DEFAULT_HOTKEYS, enabled: true } });
    expect(reply.ok).toBe(true);
    expect(effects).toEqual([['settingsChanged', true]]);
  });

  it('refuses malformed hotkey and headset settings', async () => {
    for (const patch of [
      { hotkeys: { ...DEFAULT_HOTKEYS, accelerators: { answer: 'Ctrl+A' } } },
      { hotkeys: { ...DEFAULT_HOTKEYS, extra: true } },
      { headset: { device: { vendorId: 0x10000, productId: 1, serialNumber: null, name: 'x' } } },
      { headset: { device: { vendorId: 1, productId: 1, name: 'no serial field' } } },
    ]) {
      expect((await send('settings/update', patch)).ok, JSON.stringify(patch)).toBe(false);
    }
    expect(effects).toEqual([]);
  });

  it('gives an older settings file the new defaults, without a notice', async () => {
    const old = { ...DEFAULT_SETTINGS } as Record<string, unknown>;
    delete old.hotkeys;
    delete old.headset;
    const { dialRules: _d, screenPop: _s, ...oldAccount } = ACCOUNT;
    writeFileSync(settings.path, JSON.stringify({ ...old, accounts: [oldAccount] }));
    const store = new SettingsStore(dir);
    expect(await store.load()).toEqual([]);
    expect(store.get().hotkeys).toEqual(DEFAULT_HOTKEYS);
    expect(store.get().headset).toEqual({ device: null });
    expect(store.get().accounts[0]?.dialRules).toEqual(DEFAULT_ACCOUNT.dialRules);
    expect(store.get().accounts[0]?.screenPop.url).toBe('');
  });
});

describe('channels', () => {
  it('hotkeys/get-status returns the service’s statuses', async () => {
    expect(await send('hotkeys/get-status', null)).toEqual({ ok: true, value: STATUS });
  });

  it('screen-pop/open passes a call event on, and nothing with a URL in it', async () => {
    const request: ScreenPopRequest = {
      accountId: 'office',
      event: 'ringing',
      call: { callId: 'c1', number: '+15550100', name: null, direction: 'incoming' },
    };
    expect(await send('screen-pop/open', request)).toEqual({
      ok: true,
      value: { opened: true, message: null },
    });
    const withUrl = await send('screen-pop/open', { ...request, url: 'https://evil.example/' });
    expect(withUrl.ok).toBe(false);
    expect(effects).toEqual([['openScreenPop', request]]);
  });

  it('headset/device-chosen checks the request id and passes the answer on', async () => {
    expect((await send('headset/device-chosen', { requestId: 'r-1', deviceId: 'dev' })).ok).toBe(
      true,
    );
    expect((await send('headset/device-chosen', { requestId: 'r-1', deviceId: null })).ok).toBe(
      true,
    );
    expect((await send('headset/device-chosen', { requestId: '../x', deviceId: null })).ok).toBe(
      false,
    );
    expect(effects).toEqual([
      ['headsetChosen', 'r-1', 'dev'],
      ['headsetChosen', 'r-1', null],
    ]);
  });

  it('refuses the new channels from a page that is not ours', async () => {
    const reply = await router.dispatch('hotkeys/get-status', null, {
      url: 'https://evil.example/',
    });
    expect(reply.ok).toBe(false);
  });
});
