// Builds the engine's account from the saved settings and the secret handed over just in time.
import type { AccountCredentials } from '@shared/ipc-contract';
import type { AccountSettings } from '@shared/settings-types';
import type { EngineAccount } from '../phone';

/** The URL the engine connects to (and an early connection is opened and found by). */
export function serverUrl(settings: AccountSettings): string {
  return settings.websocketUri.trim();
}

/** The engine account for `settings`, with the secret in the right field for its kind. */
export function engineAccount(
  settings: AccountSettings,
  credentials: AccountCredentials,
): EngineAccount {
  const turn = credentials.turnCredential;
  return {
    id: settings.id,
    label: settings.label,
    websocketUri: serverUrl(settings),
    sipUri: settings.sipUri.trim(),
    authUser: settings.authUser.trim(),
    displayName: settings.displayName.trim(),
    realm: settings.realm.trim(),
    password: settings.secretKind === 'password' ? credentials.secret : null,
    ha1: settings.secretKind === 'ha1' ? credentials.secret : null,
    iceServers: settings.iceServers.map((s) => ({
      urls: s.urls,
      ...(s.username ? { username: s.username } : {}),
      ...(s.username && turn ? { credential: turn } : {}),
    })),
    iceGatheringCapMs: settings.iceGatheringCapMs,
    registerExpires: settings.registerExpires,
    keepAliveS: settings.keepAliveS,
    ...(settings.instanceId ? { instanceId: settings.instanceId } : {}),
    sessionTimers: settings.sessionTimers,
    sessionExpires: settings.sessionExpires,
    dtmfMode: settings.dtmfMode,
    dialRules: settings.dialRules,
    outboundProxy: settings.outboundProxy.trim(),
  };
}
