// Unit tests of the web-content security baseline with fakes of WebContents and Session:
// navigation, redirects, webviews and new windows are blocked; openExternal only gets
// http/https/mailto; permissions: audio capture for our own page and nothing else.
import type {
  HandlerDetails,
  PermissionCheckHandlerHandlerDetails,
  WindowOpenHandlerResponse,
} from 'electron';
import { describe, expect, it } from 'vitest';
import { isAppUrl } from '../../../src-main/ipc/router';
import {
  applyChromiumSwitches,
  DISABLED_FEATURES,
} from '../../../src-main/security/chromium-switches';
import {
  hardenWebContents,
  isExternalAllowed,
  lockDownPermissions,
  type PermissionSession,
} from '../../../src-main/security/web-security';
import { FakeEmitter, preventable } from '../../support/fake-emitter';

const silent = { debug() {}, info() {}, warn() {}, error() {} };

class FakeContents extends FakeEmitter {
  openHandler: ((details: HandlerDetails) => WindowOpenHandlerResponse) | null = null;
  setWindowOpenHandler(handler: (details: HandlerDetails) => WindowOpenHandlerResponse): void {
    this.openHandler = handler;
  }
  open(url: string): WindowOpenHandlerResponse {
    if (!this.openHandler) {
      throw new Error('no window open handler');
    }
    return this.openHandler({
      url,
      frameName: '',
      features: '',
      disposition: 'new-window',
      referrer: { url: '', policy: 'no-referrer' },
    });
  }
}

function hardened(): { contents: FakeContents; opened: string[] } {
  const contents = new FakeContents();
  const opened: string[] = [];
  hardenWebContents(contents, {
    openExternal: async (url) => {
      opened.push(url);
    },
    log: silent,
  });
  return { contents, opened };
}

describe('navigation and new windows', () => {
  it('blocks every navigation and redirect, even to our own origin', () => {
    const { contents } = hardened();
    for (const url of [
      'https://evil.example/',
      'app://softphone/index.html',
      'file:///etc/passwd',
    ]) {
      for (const event of ['will-navigate', 'will-redirect']) {
        const e = preventable();
        contents.emit(event, e, url);
        expect(e.defaultPrevented, `${event} ${url}`).toBe(true);
      }
    }
  });

  it('blocks <webview>', () => {
    const { contents } = hardened();
    const e = preventable();
    contents.emit('will-attach-webview', e, {}, {});
    expect(e.defaultPrevented).toBe(true);
  });

  it('denies every new window; only http/https/mailto go to the OS', () => {
    const { contents, opened } = hardened();
    const urls = [
      'https://example.com/help',
      'http://example.com/',
      'mailto:support@example.com',
      'tel:+15550100',
      'sip:alice@example.com',
      'sips:alice@example.com',
      'callto:+15550100',
      'file:///etc/passwd',
      'javascript:alert(1)',
      'smb://host/share',
      'ms-msdt:/id',
      'https://user:pw@example.com/',
      'not a url',
    ];
    for (const url of urls) {
      expect(contents.open(url)).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual([
      'https://example.com/help',
      'http://example.com/',
      'mailto:support@example.com',
    ]);
  });

  it('isExternalAllowed never passes tel: or sip:', () => {
    expect(isExternalAllowed('tel:123')).toBe(false);
    expect(isExternalAllowed('SIP:bob@x')).toBe(false);
    expect(isExternalAllowed('HTTPS://example.com')).toBe(true);
  });
});

class FakeSession implements PermissionSession {
  request: Parameters<PermissionSession['setPermissionRequestHandler']>[0] | null = null;
  check: Parameters<PermissionSession['setPermissionCheckHandler']>[0] | null = null;
  device: Parameters<PermissionSession['setDevicePermissionHandler']>[0] | null = null;
  setPermissionRequestHandler(h: NonNullable<FakeSession['request']>): void {
    this.request = h;
  }
  setPermissionCheckHandler(h: NonNullable<FakeSession['check']>): void {
    this.check = h;
  }
  setDevicePermissionHandler(h: NonNullable<FakeSession['device']>): void {
    this.device = h;
  }
  ask(permission: string, requestingUrl: string, mediaTypes?: ('audio' | 'video')[]): boolean {
    let granted: boolean | null = null;
    this.request?.(null, permission, (g) => (granted = g), {
      requestingUrl,
      isMainFrame: true,
      ...(mediaTypes ? { mediaTypes } : {}),
    });
    if (granted === null) {
      throw new Error('the request handler did not answer');
    }
    return granted;
  }
  checks(
    permission: string,
    origin: string,
    details: Partial<PermissionCheckHandlerHandlerDetails>,
  ): boolean {
    if (!this.check) {
      throw new Error('no check handler');
    }
    return this.check(null, permission, origin, { isMainFrame: true, ...details });
  }
}

const OWN = 'app://softphone/index.html';
const own = (url: string): boolean => isAppUrl(url, OWN);

describe('permissions', () => {
  const session = new FakeSession();
  lockDownPermissions(session, own, silent);

  it('grants microphone-only capture to our page', () => {
    expect(session.ask('media', OWN, ['audio'])).toBe(true);
  });

  it('denies video, audio+video, and media without types', () => {
    expect(session.ask('media', OWN, ['video'])).toBe(false);
    expect(session.ask('media', OWN, ['audio', 'video'])).toBe(false);
    expect(session.ask('media', OWN, [])).toBe(false);
    expect(session.ask('media', OWN)).toBe(false);
  });

  it('denies audio to any other origin, including look-alikes and file://', () => {
    for (const url of [
      'https://evil.example/',
      'app://softphone.evil/index.html',
      'app://evil/index.html',
      'file:///work/out/renderer/index.html',
      'http://127.0.0.1:5173/',
    ]) {
      expect(session.ask('media', url, ['audio']), url).toBe(false);
    }
  });

  it('denies every other permission to our own page', () => {
    for (const permission of [
      'notifications',
      'geolocation',
      'clipboard-read',
      'display-capture',
      'openExternal',
      'fullscreen',
      'midi',
      'hid',
      'usb',
      'serial',
      'speaker-selection',
      'pointerLock',
      'unknown',
    ]) {
      expect(session.ask(permission, OWN, ['audio']), permission).toBe(false);
    }
  });

  it('checks: audio capture for our origin only', () => {
    expect(session.checks('media', 'app://softphone', { mediaType: 'audio' })).toBe(true);
    expect(
      session.checks('media', 'app://softphone', { mediaType: 'audio', requestingUrl: OWN }),
    ).toBe(true);
    expect(session.checks('media', 'app://softphone', { mediaType: 'video' })).toBe(false);
    expect(session.checks('media', 'app://softphone', { mediaType: 'unknown' })).toBe(false);
    expect(session.checks('media', 'https://evil.example', { mediaType: 'audio' })).toBe(false);
    expect(
      session.checks('media', 'app://softphone', {
        mediaType: 'audio',
        requestingUrl: 'https://evil.example/',
      }),
    ).toBe(false);
    expect(session.checks('notifications', 'app://softphone', {})).toBe(false);
    expect(session.checks('clipboard-read', 'app://softphone', {})).toBe(false);
  });

  it('grants the local-network permissions (all three names Electron 45 types) to our page only', () => {
    for (const permission of ['local-network-access', 'local-network', 'loopback-network']) {
      expect(session.ask(permission, OWN), permission).toBe(true);
      expect(
        session.checks(permission, 'app://softphone', { requestingUrl: OWN }),
        permission,
      ).toBe(true);
      expect(session.checks(permission, 'app://softphone', {}), permission).toBe(true);
      for (const url of [
        'https://evil.example/',
        'app://evil/index.html',
        'http://127.0.0.1:5173/',
      ]) {
        expect(session.ask(permission, url), `${permission} ${url}`).toBe(false);
        expect(session.checks(permission, new URL(url).origin, {}), `${permission} ${url}`).toBe(
          false,
        );
      }
      expect(
        session.checks(permission, 'app://softphone', { requestingUrl: 'https://evil.example/' }),
      ).toBe(false);
    }
  });

  it('denies device (HID/USB/serial) permissions', () => {
    for (const deviceType of ['hid', 'usb', 'serial']) {
      expect(session.device?.({ deviceType, origin: 'app://softphone', device: {} })).toBe(false);
    }
  });
});

describe('Chromium switches', () => {
  function commandLine(initial: Record<string, string> = {}) {
    const switches = new Map(Object.entries(initial));
    return {
      switches,
      appendSwitch: (name: string, value?: string) => void switches.set(name, value ?? ''),
      getSwitchValue: (name: string) => switches.get(name) ?? '',
      hasSwitch: (name: string) => switches.has(name),
    };
  }

  it('disables hardware media keys and the media session service', () => {
    const cl = commandLine();
    applyChromiumSwitches(cl);
    expect(cl.switches.get('disable-features')).toBe(
      'HardwareMediaKeyHandling,MediaSessionService',
    );
    expect(DISABLED_FEATURES).toEqual(['HardwareMediaKeyHandling', 'MediaSessionService']);
  });

  it('keeps features the user already disabled', () => {
    const cl = commandLine({ 'disable-features': 'Foo,MediaSessionService' });
    applyChromiumSwitches(cl);
    expect(cl.switches.get('disable-features')?.split(',').sort()).toEqual(
      ['Foo', 'HardwareMediaKeyHandling', 'MediaSessionService'].sort(),
    );
  });
});
