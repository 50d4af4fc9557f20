// Issue 12 §2: an office PBX on the LAN registers. In the app the page comes from app://, which
// has no remote IP and so counts as a public page for Chromium's Local Network Access checks:
// its WebSocket to a private or loopback address is blocked unless the page holds the
// local-network permission. Here the real renderer is served on loopback under a name
// (http://phone.example:PORT, a secure context by flag), its address overridden as public
// (--ip-address-space-overrides=127.0.0.1:PORT=public): to the page, as to the app's app://
// page, it is a public page whose own address it cannot see. The grant is
// whatever main's REAL permission policy (security/web-security.ts) grants to the page's
// origin, applied with Playwright's grantPermissions ('local-network-access', the name
// Chromium 156 and Playwright share; it covers local-network and loopback-network too).
// Shown: with the grant the page registers to the lab on loopback; without it (or for an origin
// main does not trust) the connection is blocked by LNA, and the page says so as its own cause.
import type { Browser } from 'playwright-core';
import type { StaticServer } from '../support/static-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAppUrl } from '../../src-main/ipc/router';
import { allowPermissionCheck, allowPermissionRequest } from '../../src-main/security/web-security';
import { launchPhoneBrowser } from '../support/chromium';
import { signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { useLab } from '../support/use-lab';

const lab = useLab({ name: 'e2e-local-network', rtpengine: false });
const env = useE2eEnv();

/** The Playwright permissions standing in for what main grants `pageUrl` in the app. */
function grantsOf(pageUrl: string, trusted: string): string[] {
  const isOwn = (url: string): boolean => isAppUrl(url, trusted);
  const origin = new URL(pageUrl).origin;
  const local =
    allowPermissionCheck(
      'local-network-access',
      origin,
      { requestingUrl: pageUrl, isMainFrame: true },
      isOwn,
    ) &&
    allowPermissionRequest(
      'local-network-access',
      { requestingUrl: pageUrl, isMainFrame: true },
      isOwn,
    );
  return ['microphone', ...(local ? ['local-network-access'] : [])];
}

describe('local-network access from a public page', () => {
  let browser: Browser;
  let site: StaticServer;

  beforeAll(async () => {
    const { host, port } = new URL(env.server.url);
    site = { url: `http://phone.example:${port}/`, close: () => Promise.resolve() };
    browser = await launchPhoneBrowser({
      extraArgs: [
        '--host-resolver-rules=MAP phone.example 127.0.0.1',
        `--unsafely-treat-insecure-origin-as-secure=http://phone.example:${port}`,
        `--ip-address-space-overrides=${host}=public`,
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('registers to a PBX on loopback once main grants the local-network permission', async () => {
    const permissions = grantsOf(site.url, site.url);
    expect(permissions).toContain('local-network-access');
    const phone = await PhonePage.open(browser, site, { permissions });
    try {
      await signIn(phone, lab.lab.account('alice'));
      await phone.waitForRegistration('registered');
      expect(await phone.registrationProblem()).toBeNull();
      expect(phone.console.join('\n')).not.toContain('LOCAL_NETWORK_ACCESS');
    } finally {
      await phone.close();
    }
  });

  it('without the grant the WebSocket is blocked, and the page says why', async () => {
    // main trusts only app://softphone: the served page is not its own, so it grants nothing.
    const permissions = grantsOf(site.url, 'app://softphone/index.html');
    expect(permissions).toEqual(['microphone']);
    const phone = await PhonePage.open(browser, site, { permissions });
    try {
      await signIn(phone, lab.lab.account('bob'));
      await expect
        .poll(async () => (await phone.registrationProblem())?.cause, { timeout: 15_000 })
        .toBe('local-network-blocked');
      expect((await phone.registrationProblem())?.text).toContain(
        "blocked by the system's local-network policy",
      );
      expect(phone.console.join('\n')).toContain('ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS');
      expect(await phone.page.getByTestId('registration-status').getAttribute('data-status')).toBe(
        'failed',
      );
    } finally {
      await phone.close();
    }
  });
});
