// Picks the secret backend at start, in the order of DESIGN.md §5, and says in plain words
// what the user should know when it is not the OS keychain.
import type { SecretBackendInfo } from '@shared/ipc-contract';
import { safeStorageUsable, SafeStorageStore, type SafeStorageLike } from './safe-storage-store';
import {
  KeychainTimeout,
  KeytarStore,
  SessionStore,
  withinKeychainWait,
  type KeytarLike,
  type SecretStore,
} from './secret-store';

export interface StoreChoiceDeps {
  /** Loads keytar; throws when the native module or the keychain is unavailable. */
  loadKeytar(): Promise<KeytarLike>;
  safeStorage: SafeStorageLike | null;
  platform: NodeJS.Platform;
  /** Where safeStorage ciphertext would live. */
  safeStorageFile: string;
  log(text: string): void;
  /** How long start-up waits for the keychain's probe (KEYCHAIN_PROBE_WAIT_MS). */
  probeWaitMs?: number;
}

/**
 * How long start-up waits for the keychain to answer its probe. A keychain that is there but
 * does not answer (locked, its unlock prompt unseen) is still the keychain: it is chosen, so the
 * saved passwords are found once it is unlocked, and the window and tray do not wait for it.
 */
export const KEYCHAIN_PROBE_WAIT_MS = 5_000;

export interface ChosenStore {
  store: SecretStore;
  info: SecretBackendInfo;
}

const PROBE_KEY = 'probe:availability';

/**
 * Tries keytar (and that the keychain answers or is only slow: see KEYCHAIN_PROBE_WAIT_MS), then
 * safeStorage, then session-only memory.
 */
export async function chooseSecretStore(deps: StoreChoiceDeps): Promise<ChosenStore> {
  try {
    const keytar = await deps.loadKeytar();
    const waitMs = deps.probeWaitMs ?? KEYCHAIN_PROBE_WAIT_MS;
    try {
      await withinKeychainWait(keytar.getPassword('Open Softphone', PROBE_KEY), waitMs);
    } catch (error: unknown) {
      if (!(error instanceof KeychainTimeout)) {
        throw error;
      }
      deps.log(
        `keychain did not answer its probe within ${waitMs} ms (locked?); using it, each call bounded`,
      );
    }
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
