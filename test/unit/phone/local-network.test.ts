// Issue 12 §2, the renderer side: a WebSocket blocked by Chromium's Local Network Access checks
// is its own registration cause. The page cannot see the network error (a blocked request and
// an unreachable server both fail the same way), but it can see the permission: the probe
// reports 'local-network-blocked' when the server is (or may be) in a more private address
// space than the page (the app's app:// page is public) and the page does not hold the
// local-network permission Chromium 156 checks for that address space.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { probeHttp } from '../../../src-renderer/src/lib/phone/engine';
import {
  addressSpace,
  describeConnectFailure,
  localNetworkChecked,
  localNetworkPermissions,
  pageAddressSpace,
} from '../../../src-renderer/src/lib/phone/registration';

const APP_PAGE = 'app://softphone/index.html';

afterEach(() => vi.unstubAllGlobals());

describe('addressSpace', () => {
  it.each([
    ['ws://127.0.0.1:5060/ws', 'loopback'],
    ['wss://localhost/ws', 'loopback'],
    ['ws://[::1]:8080', 'loopback'],
    ['wss://192.168.1.10:8089/ws', 'local'],
    ['wss://10.0.0.5/ws', 'local'],
    ['wss://172.16.0.1/ws', 'local'],
    ['wss://172.31.255.1/ws', 'local'],
    ['wss://169.254.3.4/ws', 'local'],
    ['wss://100.64.0.1/ws', 'local'],
    ['wss://[fd00::1]/ws', 'local'],
    ['wss://[fe80::1]/ws', 'local'],
    ['wss://pbx.local/ws', 'local'],
    ['wss://pbx:8089/ws', 'local'],
    ['wss://172.32.0.1/ws', 'public'],
    ['wss://8.8.8.8/ws', 'public'],
    ['wss://[2001:db8::1]/ws', 'public'],
    ['wss://pbx.example.com/ws', 'unknown'],
    ['not a url', 'unknown'],
  ])('%s is %s', (url, space) => {
    expect(addressSpace(url)).toBe(space);
  });

  it('asks the specific permission first, then the umbrella one', () => {
    expect(localNetworkPermissions('loopback')).toEqual([
      'loopback-network',
      'local-network-access',
    ]);
    expect(localNetworkPermissions('local')).toEqual(['local-network', 'local-network-access']);
    expect(localNetworkPermissions('unknown')).toEqual(['local-network-access']);
    expect(localNetworkPermissions('public')).toEqual([]);
  });
});

describe('which connections Local Network Access checks', () => {
  it('an app:// page (no remote address) is public; an http page is where its host is', () => {
    expect(pageAddressSpace(APP_PAGE)).toBe('public');
    expect(pageAddressSpace('http://127.0.0.1:5173/')).toBe('loopback');
    expect(pageAddressSpace('http://localhost:5173/')).toBe('loopback');
    expect(pageAddressSpace('http://192.168.1.5/')).toBe('local');
    expect(pageAddressSpace('https://phone.example/')).toBe('public');
  });

  it('checks only connections into a more private space than the page', () => {
    expect(localNetworkChecked(APP_PAGE, 'ws://192.168.1.10/ws')).toBe(true);
    expect(localNetworkChecked(APP_PAGE, 'ws://127.0.0.1:5060/ws')).toBe(true);
    expect(localNetworkChecked(APP_PAGE, 'wss://pbx.example.com/ws')).toBe(true);
    expect(localNetworkChecked(APP_PAGE, 'wss://8.8.8.8/ws')).toBe(false);
    expect(localNetworkChecked('http://127.0.0.1:4000/', 'ws://127.0.0.1:5060/ws')).toBe(false);
    expect(localNetworkChecked('http://127.0.0.1:4000/', 'ws://10.0.0.1/ws')).toBe(false);
    expect(localNetworkChecked('http://10.0.0.9/', 'ws://127.0.0.1/ws')).toBe(true);
    expect(localNetworkChecked('http://10.0.0.9/', 'wss://pbx.example.com/ws')).toBe(false);
  });
});

describe('the cause', () => {
  it('says the local-network policy blocked it, never "unreachable"', () => {
    const { cause, message } = describeConnectFailure(
      'ws://192.168.1.10/ws',
      'local-network-blocked',
    );
    expect(cause).toBe('local-network-blocked');
    expect(message).toContain("blocked by the system's local-network policy");
    expect(message).not.toMatch(/can't reach|unreachable/i);
  });
});

/** An app:// page whose fetch fails and whose permissions answer `states` (name → state). */
function page(states: Record<string, PermissionState>, href = APP_PAGE): string[] {
  const asked: string[] = [];
  vi.stubGlobal('location', { href });
  vi.stubGlobal('fetch', () => Promise.reject(new TypeError('Failed to fetch')));
  vi.stubGlobal('navigator', {
    permissions: {
      query: ({ name }: { name: string }) => {
        asked.push(name);
        const state = states[name];
        return state
          ? Promise.resolve({ state })
          : Promise.reject(new TypeError(`'${name}' is not a valid PermissionName`));
      },
    },
  });
  return asked;
}

describe('probeHttp', () => {
  it('a failed probe to a local server without the permission: blocked', async () => {
    const asked = page({ 'local-network': 'prompt', 'local-network-access': 'prompt' });
    expect(await probeHttp('ws://192.168.1.10:8080/ws')).toBe('local-network-blocked');
    expect(asked).toEqual(['local-network']);
  });

  it('with the permission granted, the server is simply unreachable', async () => {
    page({ 'loopback-network': 'granted' });
    expect(await probeHttp('ws://127.0.0.1:8080/ws')).toBe('unreachable');
  });

  it('a browser that knows only the umbrella name is asked that one', async () => {
    const asked = page({ 'local-network-access': 'denied' });
    expect(await probeHttp('ws://127.0.0.1:8080/ws')).toBe('local-network-blocked');
    expect(asked).toEqual(['loopback-network', 'local-network-access']);
  });

  it('a public server is never blamed on the local-network policy', async () => {
    const asked = page({ 'local-network-access': 'denied' });
    expect(await probeHttp('wss://8.8.8.8/ws')).toBe('unreachable');
    expect(asked).toEqual([]);
  });

  it('a page on loopback is never blocked from loopback (same address space)', async () => {
    const asked = page({ 'loopback-network': 'prompt' }, 'http://127.0.0.1:4000/');
    expect(await probeHttp('ws://127.0.0.1:8080/ws')).toBe('unreachable');
    expect(asked).toEqual([]);
  });

  it('a browser without local-network checks: unreachable', async () => {
    page({});
    expect(await probeHttp('ws://10.1.2.3/ws')).toBe('unreachable');
  });
});
