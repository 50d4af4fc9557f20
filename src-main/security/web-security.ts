// The web-content half of the security baseline (DESIGN.md §4): no navigation, no new windows,
// no <webview>, external links only for http/https/mailto (never tel:/sip:, which would loop
// back into us or another dialer), and permissions: audio capture and local-network access for
// our own page, plus the device grants a DevicePermissionPolicy adds (the headset's WebHID,
// headset/), nothing else. Local-network access: Chromium's Local Network Access checks block a
// connection from a public page to a private or loopback address unless the page holds the
// permission, and a page served by protocol.handle has no remote IP, so it counts as public;
// without the grant a PBX on 192.168.x.x or 10.x could never be reached. Electron 45 names the
// permission `local-network-access` and, split by target, `local-network` and
// `loopback-network` (the Session permission handler typings list all three).
import type {
  HandlerDetails,
  PermissionCheckHandlerHandlerDetails,
  PermissionRequest,
  MediaAccessPermissionRequest,
  WindowOpenHandlerResponse,
} from 'electron';
import { createLogger, type Logger } from '../logger';

/** The schemes shell.openExternal may receive. */
export const EXTERNAL_SCHEMES: readonly string[] = ['http:', 'https:', 'mailto:'];

/** Whether `url` may be handed to the OS's browser or mail client. */
export function isExternalAllowed(url: string): boolean {
  try {
    const parsed = new URL(url);
    if (!EXTERNAL_SCHEMES.includes(parsed.protocol)) {
      return false;
    }
    // A user:password@host URL is a classic spoofing vehicle; there is no reason to open one.
    return parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
}

/** A preventable Electron event (navigation, redirect, webview attach). */
export interface Preventable {
  preventDefault(): void;
}

/** The parts of WebContents hardened here (Electron's WebContents satisfies it). */
export interface HardenableContents {
  on(event: 'will-navigate', listener: (event: Preventable, url: string) => void): unknown;
  on(event: 'will-redirect', listener: (event: Preventable, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: Preventable) => void): unknown;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void;
}

export interface HardenDeps {
  openExternal(url: string): Promise<void>;
  log?: Logger;
}

/** Blocks navigation, redirects, webviews and new windows; safe links go to the OS instead. */
export function hardenWebContents(contents: HardenableContents, deps: HardenDeps): void {
  const log = deps.log ?? createLogger('security');
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    log.warn(`blocked a navigation to ${redact(url)}`);
  });
  contents.on('will-redirect', (event, url) => {
    event.preventDefault();
    log.warn(`blocked a redirect to ${redact(url)}`);
  });
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    log.warn('blocked a <webview>');
  });
  contents.setWindowOpenHandler(({ url }) => {
    if (isExternalAllowed(url)) {
      deps.openExternal(url).catch((error: unknown) => {
        log.warn(`could not open an external link: ${String(error)}`);
      });
    } else {
      log.warn(`refused to open ${redact(url)}`);
    }
    return { action: 'deny' };
  });
}

// Logs the scheme and host only: a URL may carry a number or a token in its path or query.
function redact(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}/…`;
  } catch {
    return '(not a URL)';
  }
}

type PermissionRequestDetails = PermissionRequest | MediaAccessPermissionRequest;

/** The local-network permission names Electron 45 may ask about. */
export const LOCAL_NETWORK_PERMISSIONS: readonly string[] = [
  'local-network-access',
  'local-network',
  'loopback-network',
];

/** The session pieces that decide permissions (Electron's Session satisfies it). */
export interface PermissionSession {
  setPermissionRequestHandler(
    handler: (
      webContents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: PermissionRequestDetails,
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (
      webContents: unknown,
      permission: string,
      requestingOrigin: string,
      details: PermissionCheckHandlerHandlerDetails,
    ) => boolean,
  ): void;
  setDevicePermissionHandler(handler: (details: DevicePermissionDetails) => boolean): void;
}

/** Electron's DevicePermissionHandlerHandlerDetails, loosely (the device is checked by its owner). */
export interface DevicePermissionDetails {
  deviceType: string;
  origin: string;
  device: unknown;
}

/** Device access granted beyond the baseline (the headset's WebHID), decided by its owner. */
export interface DevicePermissionPolicy {
  allowCheck(
    permission: string,
    requestingOrigin: string,
    details: PermissionCheckHandlerHandlerDetails,
  ): boolean;
  allowDevice(details: DevicePermissionDetails): boolean;
}

/** Whether a permission request is microphone-only capture or local-network access from our own page. */
export function allowPermissionRequest(
  permission: string,
  details: PermissionRequestDetails,
  isOwnUrl: (url: string) => boolean,
): boolean {
  if (!isOwnUrl(details.requestingUrl)) {
    return false;
  }
  if (LOCAL_NETWORK_PERMISSIONS.includes(permission)) {
    return true;
  }
  if (permission !== 'media') {
    return false;
  }
  const types = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
  return types.length > 0 && types.every((type) => type === 'audio');
}

/** Whether a permission check is for audio capture or local-network access by our own page. */
export function allowPermissionCheck(
  permission: string,
  requestingOrigin: string,
  details: PermissionCheckHandlerHandlerDetails,
  isOwnUrl: (url: string) => boolean,
): boolean {
  const ours =
    isOwnUrl(requestingOrigin) &&
    (details.requestingUrl === undefined || isOwnUrl(details.requestingUrl));
  if (!ours) {
    return false;
  }
  return (
    LOCAL_NETWORK_PERMISSIONS.includes(permission) ||
    (permission === 'media' && details.mediaType === 'audio')
  );
}

/**
 * Installs the permission handlers on a session; everything not explicitly allowed is denied.
 * `devices` adds the device grants of the headset (WebHID); without it every device is denied.
 */
export function lockDownPermissions(
  session: PermissionSession,
  isOwnUrl: (url: string) => boolean,
  log: Logger = createLogger('security'),
  devices?: DevicePermissionPolicy,
): void {
  session.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const granted = allowPermissionRequest(permission, details, isOwnUrl);
    if (!granted) {
      log.warn(`denied the permission "${permission}"`);
    }
    callback(granted);
  });
  session.setPermissionCheckHandler(
    (_contents, permission, origin, details) =>
      allowPermissionCheck(permission, origin, details, isOwnUrl) ||
      (devices?.allowCheck(permission, origin, details) ?? false),
  );
  session.setDevicePermissionHandler((details) => devices?.allowDevice(details) ?? false);
}
