// The one typed map of every message between the renderer and the main process
// (`domain/action` names). Imported by main (handlers), preload (allow-list) and renderer.
import type { DialTarget } from './dial-target';
import type {
  AccountSettings,
  AppSettings,
  AppSettingsPatch,
  HotkeyAction,
  ScreenPopEvent,
} from './settings-types';

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
  source: 'link' | 'tray' | 'clipboard' | 'notification' | 'selection';
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

/** Where one global hotkey stands: registered, or why not, in a sentence for the settings view. */
export interface HotkeyStatus {
  action: HotkeyAction;
  /** As the user wrote it ('' when unassigned). */
  accelerator: string;
  state:
    | 'registered'
    | 'unassigned'
    | 'disabled'
    | 'invalid'
    | 'reserved'
    | 'duplicate'
    | 'refused'
    | 'failed';
  message: string | null;
}

/** Hotkey actions the renderer carries out (showing the phone and dialling are done by main). */
export type HotkeyCallAction = 'answer' | 'hang-up' | 'mute';

/** A call event the renderer asks main to screen-pop for (main reads the URL from settings). */
export interface ScreenPopRequest {
  accountId: string;
  event: ScreenPopEvent;
  call: {
    callId: string;
    /** The other party's number or SIP user, as shown. */
    number: string;
    name: string | null;
    direction: 'incoming' | 'outgoing';
  };
}

export interface ScreenPopResult {
  opened: boolean;
  /** Why nothing opened (for the log and, if the user asked, the UI). */
  message: string | null;
}

/** A HID device offered for the headset (telephony devices only). */
export interface HidDeviceSummary {
  /** Electron's device id, valid while this choice is open. */
  deviceId: string;
  name: string;
  vendorId: number;
  productId: number;
}

/** Main asks the page which headset to use (navigator.hid.requestDevice is pending). */
export interface HeadsetChoiceRequest {
  requestId: string;
  devices: HidDeviceSummary[];
}

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
  'hotkeys/get-status': { req: null; res: HotkeyStatus[] };
  'screen-pop/open': { req: ScreenPopRequest; res: ScreenPopResult };
  'headset/device-chosen': { req: { requestId: string; deviceId: string | null }; res: null };
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
  'hotkeys/status-changed': HotkeyStatus[];
  'hotkeys/action': { action: HotkeyCallAction };
  /** The list changed (a device plugged in or out) while a choice is open: same requestId. */
  'headset/choose-device': HeadsetChoiceRequest;
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
  'hotkeys/get-status',
  'screen-pop/open',
  'headset/device-chosen',
] as const satisfies readonly InvokeChannel[];

export const EVENT_CHANNELS = [
  'links/dial-requested',
  'links/rejected',
  'tray/action',
  'power/changed',
  'app/quitting',
  'notify/action',
  'settings/changed',
  'hotkeys/status-changed',
  'hotkeys/action',
  'headset/choose-device',
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
