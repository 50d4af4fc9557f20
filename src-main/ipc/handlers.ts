// The main process's answers to every renderer request. Settings and secrets are handled here;
// what touches the desktop (tray, links, notifications, windows, quit) goes through ShellPorts
// so this module stays free of Electron and runs as-is under the e2e test transport.
import { checkAccount, checkSecret } from '@shared/account-validation';
import type { AccountSettings } from '@shared/settings-types';
import type {
  DesktopInfo,
  DialRequest,
  HotkeyStatus,
  IncomingCallNotice,
  LinkHandlerState,
  MessageNotice,
  MicrophoneAccess,
  PhoneSummary,
  ScreenPopRequest,
  ScreenPopResult,
} from '@shared/ipc-contract';
import type { ChosenStore } from '../credentials/choose-store';
import { refuseRecordingHandlers, type RecordingHandlers } from '../recording/recording-handlers';
import {
  KEYCHAIN_WAIT_MS,
  KeychainTimeout,
  secretKey,
  withinKeychainWait,
} from '../credentials/secret-store';
import type { SettingsStore } from '../settings/settings-store';
import { UserFacingError, type Handlers } from './router';

/** Desktop effects of renderer requests, provided by the shell services (or test fakes). */
export interface ShellPorts {
  phoneStateChanged(summary: PhoneSummary): void;
  takePendingLink(): DialRequest | null;
  incomingCall(notice: IncomingCallNotice): void;
  callEnded(callId: string): void;
  popupAction(callId: string, action: 'answer' | 'decline'): void;
  showWindow(): void;
  quitReady(): void;
  hotkeyStatus(): HotkeyStatus[];
  openScreenPop(request: ScreenPopRequest): Promise<ScreenPopResult>;
  headsetChosen(requestId: string, deviceId: string | null): void;
  /** What the desktop offers (a tray or not). */
  desktopInfo(): DesktopInfo;
  linkHandlerState(): LinkHandlerState;
  /** The user's explicit "Use Open Softphone for tel:/sip: links". */
  makeDefaultLinkHandler(): Promise<LinkHandlerState>;
  microphoneAccess(ask: boolean): Promise<MicrophoneAccess>;
  /** Announces a chat message (issue 14). */
  messageNotice(notice: MessageNotice): void;
  /** A conversation was read: its notification goes. */
  messageRead(conversationId: string): void;
  /** Opens a link from a message in the OS if the allow-list lets it; whether it was opened. */
  openExternal(url: string): Promise<boolean>;
}

export interface HandlerDeps {
  settings: SettingsStore;
  secrets: ChosenStore;
  settingsNotices: string[];
  version: string;
  platform: string;
  shell: ShellPorts;
  /** recording/* answers (createRecordingHandlers); without them those requests are refused. */
  recordings?: RecordingHandlers;
  /** How long a keychain call may take (KEYCHAIN_WAIT_MS; tests make it short). */
  keychainWaitMs?: number;
}

// A keychain call, bounded: a refusal or no answer within `waitMs` becomes a sentence for the
// user. A call that answers after its bound is left to finish; nothing waits for it.
async function guardKeychain<T>(action: () => Promise<T>, waitMs: number): Promise<T> {
  try {
    return await withinKeychainWait(action(), waitMs);
  } catch (error: unknown) {
    if (error instanceof KeychainTimeout) {
      throw new UserFacingError(
        `The system keychain did not answer within ${Math.round(waitMs / 1000)} seconds. ` +
          'It may be locked and asking for its password in another window: unlock it and try again.',
      );
    }
    const detail = error instanceof Error ? error.message : String(error);
    throw new UserFacingError(
      `The system keychain did not answer (${detail}). Unlock it and try again.`,
    );
  }
}

export function createHandlers(deps: HandlerDeps): Handlers {
  const { settings, secrets, shell } = deps;
  const keychainWaitMs = deps.keychainWaitMs ?? KEYCHAIN_WAIT_MS;
  return {
    ...(deps.recordings ?? refuseRecordingHandlers()),
    'app/get-info': () => ({
      version: deps.version,
      platform: deps.platform,
      secrets: secrets.info,
      settingsNotices: deps.settingsNotices,
      desktop: shell.desktopInfo(),
    }),
    'app/quit-ready': () => {
      shell.quitReady();
      return null;
    },
    'settings/get': () => settings.get(),
    // The store announces every change itself (the shell forwards it as settings/changed).
    'settings/update': (patch) => settings.update(patch),
    'accounts/save': async ({ account, secret, turnCredential }) => {
      const problems = Object.values(checkAccount(account));
      const previous = settings.get().accounts.find((a) => a.id === account.id);
      if (secret !== null) {
        const secretProblem = checkSecret(account.secretKind, secret);
        if (secretProblem) {
          problems.push(secretProblem);
        }
      } else if (previous && previous.secretKind !== account.secretKind) {
        problems.push(
          'Enter the secret again when switching between a password and an HA1 digest.',
        );
      }
      if (problems.length > 0) {
        throw new UserFacingError(problems.join(' '));
      }
      if (secret !== null) {
        await guardKeychain(
          () => secrets.store.set(secretKey(account.id, 'sip'), secret),
          keychainWaitMs,
        );
      }
      if (turnCredential !== null) {
        await guardKeychain(
          () => secrets.store.set(secretKey(account.id, 'turn'), turnCredential),
          keychainWaitMs,
        );
      }
      const saved = { ...account, instanceId: instanceIdFor(account, previous) };
      await settings.saveAccount(saved);
      return { account: saved, storage: secrets.info };
    },
    'accounts/delete': async ({ id }) => {
      await guardKeychain(async () => {
        await secrets.store.delete(secretKey(id, 'sip'));
        await secrets.store.delete(secretKey(id, 'turn'));
      }, keychainWaitMs);
      await settings.deleteAccount(id);
      return null;
    },
    'accounts/get-credentials': async ({ id }) => {
      if (!settings.get().accounts.some((a) => a.id === id)) {
        throw new UserFacingError('That account does not exist.');
      }
      return guardKeychain(
        async () => ({
          accountId: id,
          secret: await secrets.store.get(secretKey(id, 'sip')),
          turnCredential: await secrets.store.get(secretKey(id, 'turn')),
        }),
        keychainWaitMs,
      );
    },
    'phone/state-changed': (summary) => {
      shell.phoneStateChanged(summary);
      return null;
    },
    'links/take-pending': () => shell.takePendingLink(),
    'notify/incoming-call': (notice) => {
      shell.incomingCall(notice);
      return null;
    },
    'notify/call-ended': ({ callId }) => {
      shell.callEnded(callId);
      return null;
    },
    'popup/action': ({ callId, action }) => {
      shell.popupAction(callId, action);
      return null;
    },
    'window/show': () => {
      shell.showWindow();
      return null;
    },
    'hotkeys/get-status': () => shell.hotkeyStatus(),
    'screen-pop/open': (request) => shell.openScreenPop(request),
    'headset/device-chosen': ({ requestId, deviceId }) => {
      shell.headsetChosen(requestId, deviceId);
      return null;
    },
    'links/handler-state': () => shell.linkHandlerState(),
    'links/make-default': () => shell.makeDefaultLinkHandler(),
    'media/microphone-access': ({ ask }) => shell.microphoneAccess(ask),
    'notify/message': (notice) => {
      shell.messageNotice(notice);
      return null;
    },
    'notify/message-read': ({ conversationId }) => {
      shell.messageRead(conversationId);
      return null;
    },
    'links/open-external': async ({ url }) => ({ opened: await shell.openExternal(url) }),
  };
}

/** The account's RFC 5626 instance id: the one it has, else its saved one, else a new one. */
function instanceIdFor(account: AccountSettings, previous: AccountSettings | undefined): string {
  return account.instanceId ?? previous?.instanceId ?? globalThis.crypto.randomUUID();
}
