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

export interface AppInfo {
  version: string;
  platform: string;
  secrets: SecretBackendInfo;
  /** Problems found while loading settings (e.g. a corrupt file was set aside), for the user. */
  settingsNotices: string[];
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
  /** Chat messages not read yet (tray tooltip and menu, window badge). */
  unreadMessages: number;
  recentNumbers: RecentNumber[];
}

export interface IncomingCallNotice {
  callId: string;
  name: string | null;
  number: string;
  accountLabel: string;
}

export type TrayAction =
  | { action: 'toggle-dnd' }
  | { action: 'show-window' }
  | { action: 'call-back'; dial: string }
  | { action: 'open-chat' };

/**
 * A chat message to announce with an OS notification (issue 14). The renderer sends cleaned,
 * one-line text; main still treats it as plain text (escaped where a server reads markup).
 */
export interface MessageNotice {
  conversationId: string;
  /** Who wrote: the contact's name, or the sender's address when unknown. */
  title: string;
  /** The message, cut to a preview. */
  body: string;
}

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
  /** Announces a chat message (one notification per conversation, replacing the previous). */
  'notify/message': { req: MessageNotice; res: null };
  /** The conversation was read in the app: its notification goes away. */
  'notify/message-read': { req: { conversationId: string }; res: null };
  /** Opens an http/https/mailto link from a message in the OS (main's allow-list decides). */
  'links/open-external': { req: { url: string }; res: { opened: boolean } };
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
  'settings/changed': AppSettings;
  /** The user answered a message from its notification (macOS and Windows inline reply). */
  'notify/message-reply': { conversationId: string; text: string };
  /** The user clicked a message notification: show that conversation. */
  'notify/message-open': { conversationId: string };
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
  'notify/message',
  'notify/message-read',
  'links/open-external',
] as const satisfies readonly InvokeChannel[];

export const EVENT_CHANNELS = [
  'links/dial-requested',
  'links/rejected',
  'tray/action',
  'power/changed',
  'app/quitting',
  'notify/action',
  'settings/changed',
  'notify/message-reply',
  'notify/message-open',
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
