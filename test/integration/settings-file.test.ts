// Integration tests of the settings file on a real disk: a corrupt file, a hand-edited file with
// a smuggled password, a file from a newer version and unknown fields are each kept aside as a
// backup, the user is told, and the app starts with what could be recovered; writes are atomic
// (temp file + rename in the same folder, the old file intact when the rename fails).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ACCOUNT, DEFAULT_SETTINGS, type AccountSettings } from '@shared/settings-types';
import { SETTINGS_FILE, SettingsStore } from '../../src-main/settings/settings-store';

vi.mock('node:fs/promises', async (importOriginal) => {
  const real = await importOriginal<typeof fsp>();
  return { ...real, rename: vi.fn(real.rename) };
});

const NOW = new Date('2025-01-02T03:04:05.678Z');
const BACKUP = 'settings.corrupt-2025-01-02T03-04-05-678Z.json';
const PASSWORD = 'correct-horse-battery-staple';

const ACCOUNT: AccountSettings = {
  ...DEFAULT_ACCOUNT,
  id: 'office',
  label: 'Office',
  websocketUri: 'wss://pbx.example.com/ws',
  sipUri: 'sip:1001@pbx.example.com',
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'softphone-settings-'));
  vi.mocked(fsp.rename).mockClear();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function write(content: string | object): void {
  writeFileSync(
    join(dir, SETTINGS_FILE),
    typeof content === 'string' ? content : JSON.stringify(content, null, 2),
  );
}
function read(name = SETTINGS_FILE): string {
  return readFileSync(join(dir, name), 'utf8');
}
function allFilesText(): string {
  return readdirSync(dir)
    .map((f) => read(f))
    .join('\n');
}
async function load(): Promise<{ store: SettingsStore; notices: string[] }> {
  const store = new SettingsStore(dir, () => NOW);
  const notices = await store.load();
  return { store, notices };
}

describe('loading', () => {
  it('a missing file: defaults, no notices, nothing written', async () => {
    const { store, notices } = await load();
    expect(notices).toEqual([]);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('a valid file: loaded as is, no backup', async () => {
    write({
      ...DEFAULT_SETTINGS,
      accounts: [ACCOUNT],
      defaultAccountId: 'office',
      startHidden: true,
    });
    const { store, notices } = await load();
    expect(notices).toEqual([]);
    expect(store.get().accounts).toEqual([ACCOUNT]);
    expect(store.get().startHidden).toBe(true);
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });

  it('a corrupt file is kept aside byte for byte; the app starts with defaults', async () => {
    const broken = '{"version": 1, "accounts": [ {"id": "office", ';
    write(broken);
    const { store, notices } = await load();
    expect(notices).toEqual([
      `The settings file was damaged and was set aside as ${BACKUP}. The phone started with default settings.`,
    ]);
    expect(read(BACKUP)).toBe(broken);
    expect(store.get()).toEqual(DEFAULT_SETTINGS);
    expect(JSON.parse(read())).toEqual(DEFAULT_SETTINGS);
  });

  it('a smuggled password is stripped, the account kept, the user told, and the backup redacted', async () => {
    write({
      ...DEFAULT_SETTINGS,
      password: PASSWORD,
      defaultAccountId: 'office',
      accounts: [
        {
          ...ACCOUNT,
          password: PASSWORD,
          iceServers: [{ urls: ['turn:turn.example.com'], username: 'u', credential: PASSWORD }],
        },
      ],
    });
    const { store, notices } = await load();
    expect(store.get().accounts).toEqual([
      { ...ACCOUNT, iceServers: [{ urls: ['turn:turn.example.com'], username: 'u' }] },
    ]);
    expect(notices[0]).toBe(
      'The settings file contained secret fields (accounts[0].iceServers[0].credential, ' +
        'accounts[0].password, password). Secrets are never kept in the settings file, so ' +
        'they were removed; enter the password again in the account settings to keep it in the ' +
        'system keychain.',
    );
    expect(notices.at(-1)).toBe(`The original settings file was kept as ${BACKUP}.`);
    expect(notices.join(' ')).not.toContain(PASSWORD);
    const backup = JSON.parse(read(BACKUP));
    expect(backup.accounts[0].label).toBe('Office');
    expect(backup.accounts[0].password).toMatch(/^\[removed/);
    expect(allFilesText()).not.toContain(PASSWORD);
  });

  it('an unknown account field is dropped without losing the account', async () => {
    write({ ...DEFAULT_SETTINGS, accounts: [{ ...ACCOUNT, colour: 'blue' }] });
    const { store, notices } = await load();
    expect(store.get().accounts).toEqual([ACCOUNT]);
    expect(notices).toEqual([
      'Account "Office" had an unknown setting "colour"; it was removed.',
      `The original settings file was kept as ${BACKUP}.`,
    ]);
    expect(JSON.parse(read(BACKUP)).accounts[0].colour).toBe('blue');
  });

  it('a file from a newer version: what is understood is kept, the original set aside', async () => {
    const newer = {
      ...DEFAULT_SETTINGS,
      version: 2,
      accounts: [ACCOUNT],
      defaultAccountId: 'office',
      theme: 'dark',
      hologramMode: true,
    };
    write(newer);
    const { store, notices } = await load();
    expect(notices).toEqual([
      'The settings file has version 2; only version 1 is understood.',
      'The unknown setting "hologramMode" was ignored.',
      `The original settings file was kept as ${BACKUP}.`,
    ]);
    expect(store.get()).toMatchObject({ version: 1, theme: 'dark', accounts: [ACCOUNT] });
    expect(JSON.parse(read(BACKUP))).toEqual(newer);
    expect(JSON.parse(read()).version).toBe(1);
  });

  it('invalid values fall back one by one', async () => {
    write({
      ...DEFAULT_SETTINGS,
      theme: 'neon',
      ringVolume: 3,
      accounts: [{ ...ACCOUNT, registerExpires: -1 }],
    });
    const { store, notices } = await load();
    expect(store.get().theme).toBe('system');
    expect(store.get().accounts).toEqual([]);
    expect(notices).toEqual(
      expect.arrayContaining([
        'The setting "theme" was not valid and was reset.',
        'Account "Office" was not valid and was removed; add it again.',
      ]),
    );
  });
});

describe('writing', () => {
  it('goes through a temp file in the same folder and a rename', async () => {
    const { store } = await load();
    await store.update({ startHidden: true });
    const rename = vi.mocked(fsp.rename);
    expect(rename).toHaveBeenCalledTimes(1);
    const [from, to] = rename.mock.calls[0] ?? [];
    expect(to).toBe(join(dir, SETTINGS_FILE));
    expect(dirname(String(from))).toBe(dir);
    expect(String(from)).toMatch(/settings\.json\.\d+\.[0-9a-f]+\.tmp$/);
    expect(JSON.parse(read()).startHidden).toBe(true);
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });

  it('a failed rename leaves the old file whole and no temp file behind', async () => {
    const { store } = await load();
    await store.saveAccount(ACCOUNT);
    const before = read();
    vi.mocked(fsp.rename).mockRejectedValueOnce(Object.assign(new Error('EIO'), { code: 'EIO' }));
    await expect(store.update({ theme: 'dark' })).rejects.toThrow('EIO');
    expect(read()).toBe(before);
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });

  it('quick successive writes are serialized; the last one wins', async () => {
    const { store } = await load();
    await Promise.all([
      store.update({ theme: 'dark' }),
      store.update({ theme: 'light' }),
      store.saveAccount(ACCOUNT),
      store.update({ startHidden: true }),
    ]);
    const onDisk = JSON.parse(read());
    expect(onDisk).toMatchObject({ theme: 'light', startHidden: true, accounts: [ACCOUNT] });
    expect(existsSync(join(dir, SETTINGS_FILE))).toBe(true);
    expect(readdirSync(dir)).toEqual([SETTINGS_FILE]);
  });

  it('never writes a secret: the patch schema refuses one', async () => {
    const { store } = await load();
    await expect(
      store.update({ password: PASSWORD } as unknown as Parameters<SettingsStore['update']>[0]),
    ).rejects.toThrow(/Invalid settings/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
