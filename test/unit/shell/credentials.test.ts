// Unit tests of the secret-store choice (DESIGN.md §5) with fakes: keychain when keytar loads and
// answers; safeStorage only with a real OS backend; otherwise session-only with a plain message.
// And: deleting an account deletes its secrets; a keychain that never answers (libsecret waits for
// an unseen unlock prompt without a bound) is given up on, with a sentence, and start-up goes on.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_ACCOUNT } from '@shared/settings-types';
import {
  chooseSecretStore,
  KEYCHAIN_PROBE_WAIT_MS,
  type ChosenStore,
} from '../../../src-main/credentials/choose-store';
import type { SafeStorageLike } from '../../../src-main/credentials/safe-storage-store';
import {
  KEYCHAIN_SERVICE,
  KEYCHAIN_WAIT_MS,
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

/** A keychain that is there but never answers while `stalled` (locked, its prompt unseen). */
class StalledKeytar extends FakeKeytar {
  stalled = true;
  readonly pending: string[] = [];
  #wait<T>(what: string, then: () => Promise<T>): Promise<T> {
    if (!this.stalled) {
      return then();
    }
    this.pending.push(what);
    return new Promise<T>(() => {});
  }
  override getPassword(service: string, account: string): Promise<string | null> {
    return this.#wait(`get ${account}`, () => super.getPassword(service, account));
  }
  override setPassword(service: string, account: string, password: string): Promise<void> {
    return this.#wait(`set ${account}`, () => super.setPassword(service, account, password));
  }
  override deletePassword(service: string, account: string): Promise<boolean> {
    return this.#wait(`delete ${account}`, () => super.deletePassword(service, account));
  }
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

/** The account the handler tests save. */
const account = {
  ...DEFAULT_ACCOUNT,
  id: 'a1',
  label: 'A',
  websocketUri: 'wss://pbx.example/ws',
  sipUri: 'sip:1@pbx.example',
};

/** The real handlers behind the IPC router, with settings in their own folder under `dir`. */
async function routerFor(secrets: ChosenStore, folder: string) {
  const settings = new SettingsStore(join(dir, folder));
  await settings.load();
  const router = createIpcRouter(
    createHandlers({
      settings,
      secrets,
      settingsNotices: [],
      version: 't',
      platform: 'linux',
      shell: recordingPorts(),
    }),
    () => true,
  );
  return { settings, router };
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

describe('a keychain that does not answer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('start-up waits for the probe only so long, then uses the keychain (no fallback)', async () => {
    vi.useFakeTimers();
    const keytar = new StalledKeytar();
    const choice = choose(async () => keytar, safeStorage('gnome_libsecret'));
    let settled = false;
    void choice.then(() => (settled = true));
    await vi.advanceTimersByTimeAsync(KEYCHAIN_PROBE_WAIT_MS - 1);
    expect(settled).toBe(false);
    expect(keytar.pending).toEqual(['get probe:availability']);
    await vi.advanceTimersByTimeAsync(1);
    const { chosen, logs } = await choice;
    expect(chosen.info).toEqual({ backend: 'keychain', message: null });
    expect(logs.join(' ')).toMatch(/did not answer its probe within 5000 ms/);
  });

  it('reading, saving and deleting end with a sentence once the bound passes; unlocked, they work', async () => {
    vi.useFakeTimers();
    const keytar = new StalledKeytar();
    keytar.stalled = false;
    const { chosen } = await choose(async () => keytar, null);
    const { settings, router } = await routerFor(chosen, 'stalled');
    const url = { url: 'app://softphone/' };
    const save = (secret: string) =>
      router.dispatch('accounts/save', { account, secret, turnCredential: null }, url);
    expect((await save('pw1')).ok).toBe(true);

    keytar.stalled = true;
    const sentence =
      'The system keychain did not answer within 20 seconds. It may be locked and asking for ' +
      'its password in another window: unlock it and try again.';
    for (const request of [
      () => router.dispatch('accounts/get-credentials', { id: 'a1' }, url),
      () => save('pw2'),
      () => router.dispatch('accounts/delete', { id: 'a1' }, url),
    ]) {
      const reply = request();
      let answered = false;
      void reply.then(() => (answered = true));
      await vi.advanceTimersByTimeAsync(KEYCHAIN_WAIT_MS - 1);
      expect(answered).toBe(false);
      await vi.advanceTimersByTimeAsync(1);
      expect(await reply).toEqual({ ok: false, error: sentence });
    }
    expect(keytar.pending).toEqual(['get sip:a1', 'set sip:a1', 'delete sip:a1']);
    // Nothing was lost meanwhile: the account and its first password are still there.
    expect(settings.get().accounts.map((a) => a.id)).toEqual(['a1']);

    keytar.stalled = false;
    expect(await router.dispatch('accounts/get-credentials', { id: 'a1' }, url)).toEqual({
      ok: true,
      value: { accountId: 'a1', secret: 'pw1', turnCredential: null },
    });
  });
});

describe('secrets and accounts', () => {
  it('saving stores the secret under sip:<id>, deleting the account deletes it', async () => {
    const keytar = new FakeKeytar();
    const { chosen } = await choose(async () => keytar, null);
    const { router } = await routerFor(chosen, 'accounts');
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
