// Picks the secret backend at start, in the order of DESIGN.md §5, and says in plain words
// what the user should know when it is not the OS keychain.
import type { SecretBackendInfo } from '@shared/ipc-contract';
import { safeStorageUsable, SafeStorageStore, type SafeStorageLike } from './safe-storage-store';
import { KeytarStore, SessionStore, type KeytarLike, type SecretStore } from './secret-store';

export interface StoreChoiceDeps {
  /** Loads keytar; throws when the native module or the keychain is unavailable. */
  loadKeytar(): Promise<KeytarLike>;
  safeStorage: SafeStorageLike | null;
  platform: NodeJS.Platform;
  /** Where safeStorage ciphertext would live. */
  safeStorageFile: string;
  log(text: string): void;
}

export interface ChosenStore {
  store: SecretStore;
  info: SecretBackendInfo;
}

const PROBE_KEY = 'probe:availability';

/** Tries keytar (and that the keychain answers), then safeStorage, then session-only memory. */
export async function chooseSecretStore(deps: StoreChoiceDeps): Promise<ChosenStore> {
  try {
    const keytar = await deps.loadKeytar();
    await keytar.getPassword('Open Softphone', PROBE_KEY);
    return { store: new KeytarStore(keytar), info: { backend: 'keychain', message: null } };
  } catch (error: unknown) {
    deps.log(`keychain unavailable: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (deps.safeStorage && safeStorageUsable(deps.safeStorage, deps.platform)) {
    return {
      store: new SafeStorageStore(deps.safeStorage, deps.safeStorageFile),
      info: {
        backend: 'safe-storage',
        message: null,
      },
    };
  }
  return {
    store: new SessionStore(),
    info: {
      backend: 'session',
      message:
        'No system keychain is available, so passwords are kept only until you quit; you will be asked again next time. ' +
        'On Linux, installing and unlocking GNOME Keyring or KWallet fixes this.',
    },
  };
}
