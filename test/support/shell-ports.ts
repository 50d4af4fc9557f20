// ShellPorts for tests of the IPC handlers: every desktop effect recorded by name (and with no
// tray, no link handler and a usable microphone unless a test says otherwise), with overrides.
import type { LinkHandlerState } from '../../src-main/shared/ipc-contract';
import type { ShellPorts } from '../../src-main/ipc/handlers';

export const NO_LINK_HANDLER: LinkHandlerState = {
  schemes: (['tel', 'sip', 'sips', 'callto'] as const).map((scheme) => ({
    scheme,
    isDefault: false,
    handler: '',
  })),
  allDefault: false,
  action: 'register',
  note: null,
};

/** Ports whose calls are pushed to `effects` by name; `overrides` replace single ports. */
export function recordingPorts(
  effects: string[] = [],
  overrides: Partial<ShellPorts> = {},
): ShellPorts {
  const record = (name: string): void => void effects.push(name);
  return {
    phoneStateChanged: () => record('phoneStateChanged'),
    takePendingLink: () => {
      record('takePendingLink');
      return null;
    },
    incomingCall: () => record('incomingCall'),
    callEnded: () => record('callEnded'),
    popupAction: () => record('popupAction'),
    showWindow: () => record('showWindow'),
    quitReady: () => record('quitReady'),
    desktopInfo: () => ({ tray: true, trayMessage: null }),
    linkHandlerState: () => {
      record('linkHandlerState');
      return NO_LINK_HANDLER;
    },
    makeDefaultLinkHandler: () => {
      record('makeDefaultLinkHandler');
      return Promise.resolve(NO_LINK_HANDLER);
    },
    microphoneAccess: () => {
      record('microphoneAccess');
      return Promise.resolve({ status: 'granted', message: null });
    },
    hotkeyStatus: () => {
      record('hotkeyStatus');
      return [];
    },
    openScreenPop: () => {
      record('openScreenPop');
      return Promise.resolve({ opened: true, message: null });
    },
    headsetChosen: () => record('headsetChosen'),
    messageNotice: () => record('messageNotice'),
    messageRead: () => record('messageRead'),
    openExternal: () => {
      record('openExternal');
      return Promise.resolve(false);
    },
    ...overrides,
  };
}
