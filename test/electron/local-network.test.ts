// Issue 12 §2 in Electron: the app's page (app://, a public address space for Chromium's Local
// Network Access checks) opens its SIP WebSocket to a server on a private address — a network
// namespace at 10.203.1.2 — because main grants the local-network permissions to its origin.
// Without the grant Chromium blocks it (net::ERR_BLOCKED_BY_LOCAL_NETWORK_ACCESS_CHECKS) and
// the page shows "blocked by the system's local-network policy"; with it the server sees the
// upgrade (and refuses it: it is no SIP server), so the cause is never the local-network policy.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_ACCOUNT } from '../../src-main/shared/settings-types';
import { ELECTRON, useElectronSuite } from '../support/electron-suite';
import { startLanServer, type LanServer } from '../support/netns';

describe.skipIf(!ELECTRON)('local-network access from the app', () => {
  const suite = useElectronSuite();
  let lan: LanServer;
  beforeAll(async () => {
    lan = await startLanServer();
  });
  afterAll(() => lan?.stop());

  it('reaches a server on a private address (no local-network block)', async () => {
    const account = {
      ...DEFAULT_ACCOUNT,
      id: 'office',
      label: 'Office',
      websocketUri: lan.url,
      sipUri: 'sip:1001@office.lan',
    };
    const { page } = await suite.start(suite.options({}));
    // Saved through the app as the account form does (the password goes to the secret store),
    // then the page restarts with it (the CSP now allows exactly this server).
    const saved = await page.evaluate(
      (a) =>
        (
          window as unknown as {
            softphone: { invoke(c: string, p: unknown): Promise<{ ok: boolean }> };
          }
        ).softphone.invoke('accounts/save', { account: a, secret: 'pw', turnCredential: null }),
      account,
    );
    expect(saved.ok).toBe(true);
    await page.reload();
    await expect.poll(() => lan.upgrades(), { timeout: 30_000 }).toContain('sip');
    const problem = page.getByTestId('registration-problem');
    await problem.waitFor();
    expect(await problem.getAttribute('data-cause')).not.toBe('local-network-blocked');
  });
});
