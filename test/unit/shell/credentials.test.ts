// Unit tests of the secret-store choice (DESIGN.md §5) with fakes: keychain when keytar loads and
// answers; safeStorage only with a real OS backend; otherwise session-only with a plain message.
// And: deleting an account deletes its secrets.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '@shared/settings-types';
import { chooseSecretStore } from '../../../src-main/credentials/choose-store';
import type { SafeStorageLike } from '../../../src-main/credentials/safe-storage-store';
import {
  KEYCHAIN_SERVICE,
  secretKey,
  type KeytarLike,
} from '../../../src-main/credentials/secret-store';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { createIpcRouter } from '../../../src-main/ipc/router';
import { SettingsStore } from '../../../src-main/settings/settings-store';
import { recordingPorts } from '../../support/shell-ports';

const dir = mkdtempSync(join(tmpdir(), 'softphone-creds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class FakeKeytar implements KeytarLike {
  readonly items = new Map<string, string>();
  async getPassword(service: string, account: string): Promise<string | null> {
    return this.items.get(`${service}/${account}`) ?? null;
  }
  async setPassword(service: string, account: string, password: string): Promise<void> {
    this.items.set(`${service}/${account}`, password);
  }
  async deletePassword(service: string, account: string): Promise<boolean> {
    return this.items.delete(`${service}/${account}`);
  }
}

function safeStorage(backend: string, available = true): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (s) => Buffer.from(s.split('').reverse().join('')),
    decryptString: (b) => b.toString().split('').reverse().join(''),
    getSelectedStorageBackend: () => backend,
  };
}

const noKeytar = async (): Promise<KeytarLike> => {
  throw new Error('Cannot autolaunch D-Bus without X11 $DISPLAY');
};

function choose(
  loadKeytar: () => Promise<KeytarLike>,
  safe: SafeStorageLike | null,
  platform: NodeJS.Platform = 'linux',
) {
  const logs: string[] = [];
  return chooseSecretStore({
    loadKeytar,
    safeStorage: safe,
    platform,
    safeStorageFile: join(dir, 'secrets.enc.json'),
    log: (t) => logs.push(t),
  }).then((chosen) => ({ chosen, logs }));
}

describe('chooseSecretStore', () => {
  it('picks the keychain when keytar loads and answers', async () => {
    const { chosen } = await choose(async () => new FakeKeytar(), safeStorage('gnome_libsecret'));
    expect(chosen.info).toEqual({ backend: 'keychain', message: null });
    expect(chosen.store.backend).toBe('keychain');
  });

  it('falls back to safeStorage with a real OS backend', async () => {
    const { chosen, logs } = await choose(noKeytar, safeStorage('gnome_libsecret'));
    expect(chosen.info.backend).toBe('safe-storage');
    expect(logs.join(' ')).toMatch(/keychain unavailable/);
    await chosen.store.set('sip:a', 'pw');
    expect(await chosen.store.get('sip:a')).toBe('pw');
  });

  it('refuses safeStorage with the basic_text backend (a hard-coded key) → session only', async () => {
    const { chosen } = await choose(noKeytar, safeStorage('basic_text'));
    expect(chosen.info.backend).toBe('session');
    expect(chosen.info.message).toMatch(/kept only until you quit/);
  });

  it('session only without encryption, or without safeStorage at all', async () => {
    expect(
      (await choose(noKeytar, safeStorage('gnome_libsecret', false))).chosen.info.backend,
    ).toBe('session');
    expect((await choose(noKeytar, null)).chosen.info.backend).toBe('session');
  });

  it('safeStorage is fine on macOS/Windows (no Linux backend question)', async () => {
    expect((await choose(noKeytar, safeStorage('unknown'), 'darwin')).chosen.info.backend).toBe(
      'safe-storage',
    );
  });
});

describe('secrets and accounts', () => {
  it('saving stores the secret under sip:<id>, deleting the account deletes it', async () => {
    const keytar = new FakeKeytar();
    const { chosen } = await choose(async () => keytar, null);
    const settings = new SettingsStore(join(dir, 'accounts'));
    await settings.load();
    const router = createIpcRouter(
      createHandlers({
        settings,
        secrets: chosen,
        settingsNotices: [],
        version: 't',
        platform: 'linux',
        shell: recordingPorts(),
      }),
      () => true,
    );
    const account = {
      ...DEFAULT_ACCOUNT,
      id: 'a1',
      label: 'A',
      websocketUri: 'wss://pbx.example/ws',
      sipUri: 'sip:1@pbx.example',
    };
    const url = { url: 'app://softphone/' };
    expect(
      (
        await router.dispatch(
          'accounts/save',
          { account, secret: 'pw1', turnCredential: 'turn1' },
          url,
        )
      ).ok,
    ).toBe(true);
    expect(keytar.items.get(`${KEYCHAIN_SERVICE}/${secretKey('a1', 'sip')}`)).toBe('pw1');
    expect(keytar.items.get(`${KEYCHAIN_SERVICE}/turn:a1`)).toBe('turn1');
    expect(await router.dispatch('accounts/get-credentials', { id: 'a1' }, url)).toEqual({
      ok: true,
      value: { accountId: 'a1', secret: 'pw1', turnCredential: 'turn1' },
    });
    expect((await router.dispatch('accounts/delete', { id: 'a1' }, url)).ok).toBe(true);
    expect(keytar.items.size).toBe(0);
  });
});
