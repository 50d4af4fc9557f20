// Unit tests of the IPC boundary through the REAL router and handlers, registered on a fake
// ipcMain, with settings on disk in a temp folder: a forged sender, another file:// page, a
// closed frame, wrong types and extra fields all get a plain error back and change nothing
// (file bytes, secrets, shell effects). Also: the allow-lists match the typed maps.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  EVENT_CHANNELS,
  INVOKE_CHANNELS,
  type EventMap,
  type IpcReply,
  type InvokeChannel,
} from '@shared/ipc-contract';
import { invokeSchemas } from '@shared/ipc-schemas';
import { DEFAULT_ACCOUNT, type AccountSettings } from '@shared/settings-types';
import { SessionStore } from '../../../src-main/credentials/secret-store';
import { createHandlers, type ShellPorts } from '../../../src-main/ipc/handlers';
import {
  registerIpc,
  type InvokeEventLike,
  type IpcMainLike,
} from '../../../src-main/ipc/ipc-main';
import { createIpcRouter, isAppUrl, type IpcRouter } from '../../../src-main/ipc/router';
import { SettingsStore } from '../../../src-main/settings/settings-store';
import { recordingPorts } from '../../support/shell-ports';

type Listener = Parameters<IpcMainLike['handle']>[1];

class FakeIpcMain implements IpcMainLike {
  readonly listeners = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.listeners.has(channel)) {
      throw new Error(`second handler for ${channel}`);
    }
    this.listeners.set(channel, listener);
  }
  invoke(
    channel: string,
    senderUrl: string | null,
    payload: unknown,
  ): Promise<IpcReply<InvokeChannel>> {
    const listener = this.listeners.get(channel);
    if (!listener) {
      throw new Error(`no handler for ${channel}`);
    }
    const event: InvokeEventLike = { senderFrame: senderUrl === null ? null : { url: senderUrl } };
    return listener(event, payload);
  }
}

const APP = 'app://softphone/index.html';

const ACCOUNT: AccountSettings = {
  ...DEFAULT_ACCOUNT,
  id: 'office',
  label: 'Office',
  websocketUri: 'wss://pbx.example.com/ws',
  sipUri: 'sip:1001@pbx.example.com',
};

let dir: string;
let settings: SettingsStore;
let secrets: SessionStore;
let effects: string[];
let ipc: FakeIpcMain;
let router: IpcRouter;

async function setup(trusted = APP): Promise<void> {
  dir = mkdtempSync(join(tmpdir(), 'softphone-ipc-'));
  settings = new SettingsStore(dir);
  await settings.load();
  secrets = new SessionStore();
  effects = [];
  const ports: ShellPorts = recordingPorts(effects, {
    // As the shell's port does for a link main's allow-list lets through to the OS.
    openExternal: () => {
      effects.push('openExternal');
      return Promise.resolve(true);
    },
  });
  const handlers = createHandlers({
    settings,
    secrets: { store: secrets, info: { backend: 'session', message: null } },
    settingsNotices: [],
    version: 'test',
    platform: 'linux',
    shell: ports,
  });
  ipc = new FakeIpcMain();
  router = createIpcRouter(handlers, (sender) => isAppUrl(sender.url, trusted));
  registerIpc(ipc, router);
}

function fileText(): string {
  return readFileSync(settings.path, 'utf8');
}

beforeEach(async () => {
  await setup();
  const reply = await ipc.invoke('accounts/save', APP, {
    account: ACCOUNT,
    secret: 'hunter2',
    turnCredential: null,
  });
  expect(reply.ok).toBe(true);
  effects.length = 0;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('registration on ipcMain', () => {
  it('registers exactly the allow-listed channels', () => {
    expect([...ipc.listeners.keys()].sort()).toEqual([...INVOKE_CHANNELS].sort());
  });

  it('names the sending window by its WebContents id for the router', async () => {
    const seen: unknown[] = [];
    const byId = new FakeIpcMain();
    registerIpc(
      byId,
      {
        dispatch: (_channel, _payload, sender) => {
          seen.push(sender);
          return Promise.resolve({ ok: true, value: null });
        },
      },
      (id) => (id === 1 ? 'main' : id === 2 ? 'popup' : 'other'),
    );
    const listener = byId.listeners.get('popup/action')!;
    await listener({ senderFrame: { url: APP }, sender: { id: 2 } }, null);
    await listener({ senderFrame: { url: APP }, sender: { id: 1 } }, null);
    await listener({ senderFrame: { url: APP } }, null);
    expect(seen).toEqual([
      { url: APP, window: 'popup' },
      { url: APP, window: 'main' },
      { url: APP, window: 'other' },
    ]);
  });
});

describe('a trusted request', () => {
  it('changes settings on disk, and the store announces the change once', async () => {
    const announced: unknown[] = [];
    settings.onChange((next) => announced.push(next));
    const reply = await ipc.invoke('settings/update', APP, { startHidden: true });
    expect(reply).toMatchObject({ ok: true, value: { startHidden: true } });
    expect(JSON.parse(fileText())).toMatchObject({ startHidden: true });
    expect(announced).toEqual([expect.objectContaining({ startHidden: true })]);
  });

  it('saving and deleting accounts announce the change too', async () => {
    const announced: string[][] = [];
    settings.onChange((next) => announced.push(next.accounts.map((a) => a.id)));
    await ipc.invoke('accounts/save', APP, {
      account: { ...ACCOUNT, id: 'home', label: 'Home' },
      secret: 'pw',
      turnCredential: null,
    });
    await ipc.invoke('accounts/delete', APP, { id: 'office' });
    expect(announced).toEqual([['office', 'home'], ['home']]);
  });

  it('gives an account a stable RFC 5626 instance id when first saved, and keeps it', async () => {
    const first = settings.get().accounts.find((a) => a.id === 'office')?.instanceId;
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    // The account form sends the account without it; saving again keeps the saved one.
    await ipc.invoke('accounts/save', APP, {
      account: { ...ACCOUNT, label: 'Office 2' },
      secret: null,
      turnCredential: null,
    });
    expect(settings.get().accounts.find((a) => a.id === 'office')?.instanceId).toBe(first);
    await ipc.invoke('accounts/save', APP, {
      account: { ...ACCOUNT, id: 'home', label: 'Home' },
      secret: 'pw',
      turnCredential: null,
    });
    const home = settings.get().accounts.find((a) => a.id === 'home')?.instanceId;
    expect(home).toBeDefined();
    expect(home).not.toBe(first);
  });
});

describe('the popup window', () => {
  const popup = (channel: string, payload: unknown) =>
    router.dispatch(channel, payload, { url: APP, window: 'popup' });

  it('may press Answer or Decline', async () => {
    expect(await popup('popup/action', { callId: 'c1', action: 'answer' })).toEqual({
      ok: true,
      value: null,
    });
    expect(effects).toEqual(['popupAction']);
  });

  it('may not read credentials, settings or anything else', async () => {
    for (const [channel, payload] of [
      ['accounts/get-credentials', { id: 'office' }],
      ['settings/get', null],
      ['settings/update', { doNotDisturb: true }],
      ['app/get-info', null],
    ] as const) {
      expect(await popup(channel, payload)).toMatchObject({ ok: false, error: /refused/ });
    }
    expect(effects).toEqual([]);
  });

  it('an unknown WebContents may ask nothing, even from our origin', async () => {
    expect(
      await router.dispatch('settings/get', null, { url: APP, window: 'other' }),
    ).toMatchObject({ ok: false });
  });
});

describe('refused requests change nothing', () => {
  const refused: {
    title: string;
    channel: string;
    url: string | null;
    payload: unknown;
    error: RegExp;
  }[] = [
    {
      title: 'forged sender (another site)',
      channel: 'settings/update',
      url: 'https://evil.example/',
      payload: { startHidden: true },
      error: /did not come from the phone window/,
    },
    {
      title: 'look-alike host',
      channel: 'settings/update',
      url: 'app://softphone.evil/index.html',
      payload: { startHidden: true },
      error: /did not come from the phone window/,
    },
    {
      title: 'another app:// host',
      channel: 'accounts/delete',
      url: 'app://evil/index.html',
      payload: { id: 'office' },
      error: /did not come from the phone window/,
    },
    {
      title: 'user info in the URL',
      channel: 'settings/update',
      url: 'app://x@softphone/index.html',
      payload: { startHidden: true },
      error: /did not come from the phone window/,
    },
    {
      title: 'a file:// page',
      channel: 'accounts/get-credentials',
      url: 'file:///tmp/index.html',
      payload: { id: 'office' },
      error: /did not come from the phone window/,
    },
    {
      title: 'the dev server origin in production',
      channel: 'settings/update',
      url: 'http://localhost:5173/',
      payload: { startHidden: true },
      error: /did not come from the phone window/,
    },
    {
      title: 'a closed frame',
      channel: 'accounts/delete',
      url: null,
      payload: { id: 'office' },
      error: /did not come from the phone window/,
    },
    {
      title: 'wrong type',
      channel: 'settings/update',
      url: APP,
      payload: { startHidden: 'yes' },
      error: /Invalid request for settings\/update: startHidden/,
    },
    {
      title: 'extra field',
      channel: 'settings/update',
      url: APP,
      payload: { startHidden: true, password: 'x' },
      error: /Invalid request for settings\/update/,
    },
    {
      title: 'accounts in a settings patch',
      channel: 'settings/update',
      url: APP,
      payload: { accounts: [] },
      error: /Invalid request/,
    },
    {
      title: 'a password smuggled into an account',
      channel: 'accounts/save',
      url: APP,
      payload: {
        account: { ...ACCOUNT, label: 'Changed', password: 'p' },
        secret: null,
        turnCredential: null,
      },
      error: /Invalid request for accounts\/save/,
    },
    {
      title: 'an id that is not an id',
      channel: 'accounts/delete',
      url: APP,
      payload: { id: '../../etc' },
      error: /Invalid request for accounts\/delete: id/,
    },
    {
      title: 'no payload',
      channel: 'accounts/delete',
      url: APP,
      payload: undefined,
      error: /Invalid request/,
    },
    {
      title: 'a payload where none belongs',
      channel: 'window/show',
      url: APP,
      payload: { x: 1 },
      error: /Invalid request for window\/show/,
    },
    {
      title: 'a summary with a wrong state',
      channel: 'phone/state-changed',
      url: APP,
      payload: { registration: 'hacked' },
      error: /Invalid request for phone\/state-changed/,
    },
    {
      title: 'a message notification with control characters (markup tricks, fake lines)',
      channel: 'notify/message',
      url: APP,
      payload: { conversationId: 'c1', title: 'Bob\u0000', body: 'x\u001b[31m' },
      error: /Invalid request for notify\/message: title/,
    },
    {
      title: 'a message notification without a title',
      channel: 'notify/message',
      url: APP,
      payload: { conversationId: 'c1', title: '', body: 'x' },
      error: /Invalid request for notify\/message: title/,
    },
    {
      title: 'an oversized message preview',
      channel: 'notify/message',
      url: APP,
      payload: { conversationId: 'c1', title: 'Bob', body: 'x'.repeat(1001) },
      error: /Invalid request for notify\/message: body/,
    },
    {
      title: 'an external link from another page',
      channel: 'links/open-external',
      url: 'https://evil.example/',
      payload: { url: 'https://example.com/' },
      error: /did not come from the phone window/,
    },
    {
      title: 'an oversized summary unread count',
      channel: 'phone/state-changed',
      url: APP,
      payload: {
        registration: 'registered',
        registrationText: 'x',
        call: 'idle',
        party: null,
        muted: false,
        doNotDisturb: false,
        missedCount: 0,
        unreadMessages: -1,
        recentNumbers: [],
      },
      error: /Invalid request for phone\/state-changed: unreadMessages/,
    },
    {
      title: 'an oversized secret',
      channel: 'accounts/save',
      url: APP,
      payload: { account: ACCOUNT, secret: 'x'.repeat(5000), turnCredential: null },
      error: /Invalid request for accounts\/save: secret/,
    },
  ];

  it.each(refused)('$title', async ({ channel, url, payload, error }) => {
    const before = fileText();
    const reply = await ipc.invoke(channel, url, payload);
    expect(reply.ok).toBe(false);
    expect(reply.ok ? '' : reply.error).toMatch(error);
    expect(reply.ok ? '' : reply.error).not.toMatch(/at .*\.ts|Error:/);
    expect(fileText()).toBe(before);
    expect(await secrets.get('sip:office')).toBe('hunter2');
    expect(effects).toEqual([]);
    expect(settings.get().accounts).toEqual([{ ...ACCOUNT, instanceId: expect.any(String) }]);
  });

  it('an unknown channel is refused by the router too', async () => {
    expect(await router.dispatch('fs/read', null, { url: APP })).toEqual({
      ok: false,
      error: 'Unknown request.',
    });
    expect(effects).toEqual([]);
  });
});

describe('chat requests', () => {
  it('a message notice with line feeds, a read receipt and a link reach the shell', async () => {
    const notice = { conversationId: 'acc-1|sip:bob@x', title: 'Bob', body: 'two\nlines' };
    expect((await ipc.invoke('notify/message', APP, notice)).ok).toBe(true);
    expect((await ipc.invoke('notify/message-read', APP, { conversationId: 'c1' })).ok).toBe(true);
    expect(await ipc.invoke('links/open-external', APP, { url: 'https://example.com/' })).toEqual({
      ok: true,
      value: { opened: true },
    });
    expect(effects).toEqual(['messageNotice', 'messageRead', 'openExternal']);
  });
});

describe('file:// trust (a packaged build loading from disk)', () => {
  it('only the exact renderer file is trusted', async () => {
    await setup('file:///app/out/renderer/index.html');
    expect((await ipc.invoke('settings/get', 'file:///app/out/renderer/index.html', null)).ok).toBe(
      true,
    );
    for (const other of [
      'file:///app/out/renderer/other.html',
      'file:///tmp/index.html',
      'file:///app/out/renderer/index.html/../x',
    ]) {
      expect((await ipc.invoke('settings/get', other, null)).ok, other).toBe(false);
    }
  });
});

describe('contract', () => {
  it('every invoke channel has a schema, and the allow-list has no extras', () => {
    expect(Object.keys(invokeSchemas).sort()).toEqual([...INVOKE_CHANNELS].sort());
    expect(new Set(INVOKE_CHANNELS).size).toBe(INVOKE_CHANNELS.length);
  });

  it('the event allow-list covers the event map', () => {
    // A record over EventMap's keys: adding an event without listing it fails to compile.
    const listed: Record<keyof EventMap, true> = {
      'links/dial-requested': true,
      'links/rejected': true,
      'tray/action': true,
      'power/changed': true,
      'app/quitting': true,
      'notify/action': true,
      'settings/changed': true,
      'hotkeys/status-changed': true,
      'hotkeys/action': true,
      'headset/choose-device': true,
      'recording/failed': true,
      'app/renderer-restarted': true,
      'notify/message-reply': true,
      'notify/message-open': true,
    };
    expect([...EVENT_CHANNELS].sort()).toEqual(Object.keys(listed).sort());
  });
});
