// The one typed map of every message between the renderer and the main process
// (`domain/action` names). Imported by main (handlers), preload (allow-list) and renderer.
import type { DialTarget } from './dial-target';
import type { AccountSettings, AppSettings, AppSettingsPatch } from './settings-types';

/** Where account secrets are kept on this machine, and what the user should be told about it. */
export interface SecretBackendInfo {
  backend: 'keychain' | 'safe-storage' | 'session';
  /** A plain sentence for the user when secrets are not kept in the OS keychain. */
  message: string | null;
}

/** A secret for one account, handed to the renderer just in time for registering. */
export interface AccountCredentials {
  accountId: string;
  /** The password or the HA1 digest, per the account's secretKind. */
  secret: string | null;
  turnCredential: string | null;
}

/** Why a credential was stored where it was. */
export interface SaveAccountResult {
  account: AccountSettings;
  storage: SecretBackendInfo;
}

/** What the desktop offers this app, for the Settings screen. */
export interface DesktopInfo {
  /** Whether a tray icon can be seen (Linux needs a StatusNotifier host; stock GNOME has none). */
  tray: boolean;
  /** Without a tray: why, and what changes (closing minimises, start hidden is off). */
  trayMessage: string | null;
}

export interface AppInfo {
  version: string;
  platform: string;
  secrets: SecretBackendInfo;
  /** Problems found while loading settings (e.g. a corrupt file was set aside), for the user. */
  settingsNotices: string[];
  desktop: DesktopInfo;
}

/** The link schemes the phone answers. */
export type LinkScheme = 'tel' | 'sip' | 'sips' | 'callto';

/** Which app opens each link scheme now, and what "Use Open Softphone for links" does here. */
export interface LinkHandlerState {
  schemes: { scheme: LinkScheme; isDefault: boolean; handler: string }[];
  /** True when every scheme opens in this app. */
  allDefault: boolean;
  /** 'register' changes the handler at once; 'open-system-settings' opens the OS's chooser. */
  action: 'register' | 'open-system-settings';
  /** What the user has to do after the action, when the OS asks them to choose. */
  note: string | null;
}

/** The OS's microphone permission for this app (macOS privacy settings, Windows' global switch). */
export interface MicrophoneAccess {
  status: 'granted' | 'denied' | 'restricted' | 'not-determined' | 'unknown';
  /** A plain sentence naming the fix when calls would be silent; null when the mic is usable. */
  message: string | null;
}

/** The phone window's page had to be restarted (it crashed, was killed or hung). */
export interface RendererRestart {
  /** Electron's reason ('crashed', 'oom', 'killed', 'unresponsive', …). */
  reason: string;
  /** One sentence for the user. */
  message: string;
  /** When it happened (epoch ms). */
  at: number;
  /** The call going on at that moment (from the last summary), now lost; null when idle. */
  lostCall: { state: Exclude<PhoneSummary['call'], 'idle'>; party: string | null } | null;
}

/** A dial request from the OS: a link, the tray, a notification. Never dials by itself unless autoDial. */
export interface DialRequest {
  target: DialTarget;
  source: 'link' | 'tray' | 'clipboard' | 'notification';
  /** True only when the user enabled "dial links immediately" (off by default). */
  autoDial: boolean;
}

/** A recent number shown in the tray menu. */
export interface RecentNumber {
  display: string;
  dial: string;
}

/** The small state summary the renderer pushes to main; tray, badge and notifications derive from it. */
export interface PhoneSummary {
  registration: 'offline' | 'connecting' | 'registered' | 'failed';
  /** A short human sentence for the tray tooltip, e.g. "Registered as 1001@pbx". */
  registrationText: string;
  call: 'idle' | 'ringing' | 'calling' | 'in-call' | 'on-hold';
  /** The party of the active or ringing call, for the tooltip. */
  party: string | null;
  muted: boolean;
  doNotDisturb: boolean;
  missedCount: number;
  recentNumbers: RecentNumber[];
}

export interface IncomingCallNotice {
  callId: string;
  name: string | null;
  number: string;
  accountLabel: string;
}

export type TrayAction =
  { action: 'toggle-dnd' } | { action: 'show-window' } | { action: 'call-back'; dial: string };

export type PowerEventReason = 'resume' | 'unlock' | 'online';

/** Renderer → main requests with their replies. */
export interface InvokeMap {
  'app/get-info': { req: null; res: AppInfo };
  'app/quit-ready': { req: null; res: null };
  'settings/get': { req: null; res: AppSettings };
  'settings/update': { req: AppSettingsPatch; res: AppSettings };
  'accounts/save': {
    req: { account: AccountSettings; secret: string | null; turnCredential: string | null };
    res: SaveAccountResult;
  };
  'accounts/delete': { req: { id: string }; res: null };
  'accounts/get-credentials': { req: { id: string }; res: AccountCredentials };
  'phone/state-changed': { req: PhoneSummary; res: null };
  'links/take-pending': { req: null; res: DialRequest | null };
  'notify/incoming-call': { req: IncomingCallNotice; res: null };
  'notify/call-ended': { req: { callId: string }; res: null };
  'popup/action': { req: { callId: string; action: 'answer' | 'decline' }; res: null };
  'window/show': { req: null; res: null };
  'links/handler-state': { req: null; res: LinkHandlerState };
  'links/make-default': { req: null; res: LinkHandlerState };
  /** `ask`: let the OS ask the user now if it has not yet (macOS), right before a call. */
  'media/microphone-access': { req: { ask: boolean }; res: MicrophoneAccess };
}

/** Main → renderer events. */
export interface EventMap {
  'links/dial-requested': DialRequest;
  /** A link (or the clipboard) held something that cannot be called; `message` says why. */
  'links/rejected': { message: string };
  'tray/action': TrayAction;
  'power/changed': { reason: PowerEventReason };
  'app/quitting': null;
  'notify/action': { callId: string; action: 'answer' | 'decline' };
  /** Sent after every saved settings change, whoever made it (window, tray, main). */
  'settings/changed': AppSettings;
  /**
   * The page was restarted after a crash or hang; sent once the new page listens (it asked for
   * pending links). The renderer records `lostCall` in the history and tells the user.
   */
  'app/renderer-restarted': RendererRestart;
}

export type InvokeChannel = keyof InvokeMap;
export type EventChannel = keyof EventMap;
export type InvokeRequest<C extends InvokeChannel> = InvokeMap[C]['req'];
export type InvokeResponse<C extends InvokeChannel> = InvokeMap[C]['res'];

/** Allow-lists the preload enforces. Keep in step with the maps above (checked by a unit test). */
export const INVOKE_CHANNELS = [
  'app/get-info',
  'app/quit-ready',
  'settings/get',
  'settings/update',
  'accounts/save',
  'accounts/delete',
  'accounts/get-credentials',
  'phone/state-changed',
  'links/take-pending',
  'notify/incoming-call',
  'notify/call-ended',
  'popup/action',
  'window/show',
  'links/handler-state',
  'links/make-default',
  'media/microphone-access',
] as const satisfies readonly InvokeChannel[];

/** What the incoming-call popup may ask (its own preload exposes only these). */
export const POPUP_INVOKE_CHANNELS = ['popup/action'] as const satisfies readonly InvokeChannel[];

export const EVENT_CHANNELS = [
  'links/dial-requested',
  'links/rejected',
  'tray/action',
  'power/changed',
  'app/quitting',
  'notify/action',
  'settings/changed',
  'app/renderer-restarted',
] as const satisfies readonly EventChannel[];

/** How an invoke failure reaches the renderer: a plain message, never a stack. */
export interface IpcErrorReply {
  ok: false;
  error: string;
}
export type IpcReply<C extends InvokeChannel> =
  { ok: true; value: InvokeResponse<C> } | IpcErrorReply;

/** The bridge the preload exposes as `window.softphone` (and a test transport stands in for). */
export interface SoftphoneBridge {
  invoke<C extends InvokeChannel>(channel: C, payload: InvokeRequest<C>): Promise<IpcReply<C>>;
  on<C extends EventChannel>(channel: C, listener: (payload: EventMap[C]) => void): () => void;
}
