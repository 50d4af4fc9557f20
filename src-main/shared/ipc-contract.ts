// The one typed map of every message between the renderer and the main process
// (`domain/action` names). Imported by main (handlers), preload (allow-list) and renderer.
import type { DialTarget } from './dial-target';
import type {
  AccountSettings,
  AppSettings,
  AppSettingsPatch,
  HotkeyAction,
  ScreenPopEvent,
  RecordingFormat,
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
  /** Chat messages not read yet (tray tooltip and menu, window badge). */
  unreadMessages: number;
  recentNumbers: RecentNumber[];
  /** Voicemail waiting on some account (RFC 3842), even when the server gave no count. */
  voicemailWaiting: boolean;
  /** New voicemails on every account (0 when the server said only "waiting"). */
  voicemailNew: number;
  /** A call is being recorded ('paused' while its recording is paused); absent when none. */
  recording?: 'recording' | 'paused';
}

export interface IncomingCallNotice {
  callId: string;
  name: string | null;
  number: string;
  accountLabel: string;
  /**
   * REC for the popup: a call in progress is being recorded ('in-progress'), or this call's
   * account records calls when answered ('will-record'). Absent otherwise.
   */
  recording?: 'in-progress' | 'will-record';
}

/** What the tray asks of the page (do-not-disturb is main's own setting, toggled there). */
export type TrayAction =
  | { action: 'show-window' }
  | { action: 'call-back'; dial: string }
  | { action: 'call-voicemail' }
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

/** What a WAV recording's PCM chunks hold: 16-bit little-endian, interleaved frames. */
export interface PcmLayout {
  sampleRate: number;
  channels: 1 | 2;
}

/** Asks main to open a new recording file for a call. */
export interface RecordingStartRequest {
  callId: string;
  accountId: string;
  /** The other side's display name or number, as received (main makes it a safe file name). */
  party: string;
  direction: 'incoming' | 'outgoing';
  format: RecordingFormat;
  /** Required for 'wav' (main writes the header), null for 'webm'. */
  pcm: PcmLayout | null;
}

/** A recording main has opened. */
export interface RecordingStarted {
  id: string;
  path: string;
  fileName: string;
}

/**
 * One piece of a recording, in order: `seq` counts from 0. WebM: a MediaRecorder blob's bytes;
 * WAV: PCM frames. At most MAX_RECORDING_CHUNK_BYTES.
 */
export interface RecordingChunk {
  id: string;
  seq: number;
  data: Uint8Array;
}

/** Largest chunk main accepts (a 1 s timeslice of 48 kHz stereo PCM is 192 000 bytes). */
export const MAX_RECORDING_CHUNK_BYTES = 1024 * 1024;

export type RecordingState = 'recording' | 'paused' | 'done' | 'failed' | 'interrupted';

/** A recording main knows about (history entries refer to it by id). */
export interface RecordingEntry {
  id: string;
  callId: string;
  accountId: string;
  party: string;
  direction: 'incoming' | 'outgoing';
  format: RecordingFormat;
  path: string;
  fileName: string;
  /** ISO time the recording started and ended (null while it runs). */
  startedAt: string;
  endedAt: string | null;
  /** Bytes written so far (whole file). */
  bytes: number;
  /** Audio length: exact for WAV; wall-clock minus pauses for WebM. */
  durationMs: number;
  state: RecordingState;
  /** Why it failed or was interrupted, for the user. */
  message: string | null;
  /** False when the file has been moved or deleted outside the app. */
  exists: boolean;
}

/** A recording main stopped on its own (disk full, folder removed, no permission…). */
export interface RecordingFailure {
  id: string;
  /** A plain sentence for the user; the call goes on and the part written stays playable. */
  message: string;
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
  'recording/start': { req: RecordingStartRequest; res: RecordingStarted };
  'recording/chunk': { req: RecordingChunk; res: null };
  'recording/pause': { req: { id: string }; res: null };
  'recording/resume': { req: { id: string }; res: null };
  'recording/stop': { req: { id: string }; res: RecordingEntry };
  'recording/list': { req: null; res: RecordingEntry[] };
  'recording/delete': { req: { id: string }; res: null };
  'recording/reveal': { req: { id: string }; res: null };
  /** Opens a folder picker; saves and returns the folder, or null when cancelled. */
  'recording/choose-folder': { req: null; res: string | null };
  /** Opens a file picker for the consent announcement; saves and returns the path or null. */
  'recording/choose-announcement': { req: null; res: string | null };
  /** The chosen announcement file's bytes (null when none is set) for decodeAudioData. */
  'recording/read-announcement': { req: null; res: Uint8Array | null };
  'links/handler-state': { req: null; res: LinkHandlerState };
  'links/make-default': { req: null; res: LinkHandlerState };
  /** `ask`: let the OS ask the user now if it has not yet (macOS), right before a call. */
  'media/microphone-access': { req: { ask: boolean }; res: MicrophoneAccess };
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
  /** Sent after every saved settings change, whoever made it (window, tray, main). */
  'settings/changed': AppSettings;
  'hotkeys/status-changed': HotkeyStatus[];
  'hotkeys/action': { action: HotkeyCallAction };
  /** The list changed (a device plugged in or out) while a choice is open: same requestId. */
  'headset/choose-device': HeadsetChoiceRequest;
  'recording/failed': RecordingFailure;
  /**
   * The page was restarted after a crash or hang; sent once the new page listens (it asked for
   * pending links). The renderer records `lostCall` in the history and tells the user.
   */
  'app/renderer-restarted': RendererRestart;
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
  'hotkeys/get-status',
  'screen-pop/open',
  'headset/device-chosen',
  'recording/start',
  'recording/chunk',
  'recording/pause',
  'recording/resume',
  'recording/stop',
  'recording/list',
  'recording/delete',
  'recording/reveal',
  'recording/choose-folder',
  'recording/choose-announcement',
  'recording/read-announcement',
  'links/handler-state',
  'links/make-default',
  'media/microphone-access',
  'notify/message',
  'notify/message-read',
  'links/open-external',
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
  'hotkeys/status-changed',
  'hotkeys/action',
  'headset/choose-device',
  'recording/failed',
  'app/renderer-restarted',
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
