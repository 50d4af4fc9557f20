// Issue 12 §4, what the window shows of the desktop: the real renderer in Chromium with the
// real IPC handlers, the shell ports played by real main-process services where they exist.
// - Settings › Links shows which app opens tel:/sip: links (the real LinkHandlers over a fake
//   of Electron's Linux protocol APIs) and "Use Open Softphone for tel:/sip: links" makes it so;
//   nothing is registered before the click.
// - Without a tray (Linux, no StatusNotifier host) "Start hidden" is off and says why.
// - A microphone the OS denies (the real MicrophoneAccessCheck over a macOS
//   systemPreferences fake) is named as the cause before a call goes out silent: registered
//   to the lab, the phone sends no INVITE.
// - Do-not-disturb set from the tray (main saves it) reaches the page through settings/changed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ShellPorts } from '../../src-main/ipc/handlers';
import { LinkHandlers } from '../../src-main/links/protocol-client';
import { MicrophoneAccessCheck } from '../../src-main/media/microphone-access';
import { NO_TRAY_MESSAGE } from '../../src-main/tray/status-notifier';
import { launchPhoneBrowser } from '../support/chromium';
import { useE2eEnv } from '../support/e2e-env';
import { FakeOsLinks } from '../support/fake-os-links';
import { PhonePage } from '../support/phone-page';
import { TestBridge } from '../support/test-bridge';
import { useLab } from '../support/use-lab';

const lab = useLab({ name: 'e2e-desktop-settings', rtpengine: false });
const env = useE2eEnv();

// An account whose server is a closed loopback port: enough for the dial view.
const ACCOUNT = {
  label: 'Office',
  websocketUri: 'ws://127.0.0.1:9/ws',
  sipUri: 'sip:alice@office.test',
};

describe('desktop settings in the window', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchPhoneBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(
    ports: Partial<ShellPorts>,
    account: { websocketUri: string; sipUri: string; label: string } = ACCOUNT,
    password = 'pw',
  ): Promise<PhonePage> {
    const bridge = await TestBridge.create({ appUrl: env.server.url, ports });
    await bridge.seedAccount(account, password);
    const phone = await PhonePage.open(browser, env.server, { bridge });
    await phone.page.getByLabel('Number or address').waitFor();
    return phone;
  }

  it('shows who opens tel:/sip: links and makes it this app on request (Linux)', async () => {
    const os = new FakeOsLinks({ platform: 'linux', initial: { tel: 'org.gnome.Calls.desktop' } });
    const links = new LinkHandlers({
      app: os.app,
      platform: 'linux',
      isPackaged: true,
      command: { path: '/opt/Open Softphone/open-softphone', args: ['--'] },
      productName: 'Open Softphone',
      openExternal: () => Promise.resolve(),
    });
    const phone = await open({
      linkHandlerState: () => links.state(),
      makeDefaultLinkHandler: () => links.makeDefault(),
    });
    try {
      await phone.openSettings('General');
      const state = phone.page.getByTestId('link-handler');
      await expect.poll(() => state.textContent()).toContain('org.gnome.Calls.desktop');
      expect(os.calls.filter((c) => c.startsWith('set'))).toEqual([]);
      await phone.page
        .getByRole('button', { name: 'Use Open Softphone for tel:/sip: links' })
        .click();
      await expect.poll(() => state.textContent()).toContain('links open in Open Softphone');
      expect(await state.getAttribute('data-default')).toBe('true');
      expect(os.defaults.get('callto')).toBe('open-softphone.desktop');
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('without a tray, "Start hidden" is off and the window says why', async () => {
    const phone = await open({
      desktopInfo: () => ({ tray: false, trayMessage: NO_TRAY_MESSAGE }),
    });
    try {
      await phone.bridge.settings.update({ startHidden: true });
      await phone.openSettings('General');
      const box = phone.page.getByLabel('Start hidden in the tray');
      expect(await box.isDisabled()).toBe(true);
      expect(await box.isChecked()).toBe(false);
      expect(await phone.page.getByTestId('no-tray').textContent()).toBe(NO_TRAY_MESSAGE);
    } finally {
      await phone.close();
    }
  });

  it('a microphone macOS denies is named before a call goes out silent', async () => {
    const mic = new MicrophoneAccessCheck(
      { getMediaAccessStatus: () => 'denied', askForMediaAccess: () => Promise.resolve(false) },
      'darwin',
    );
    // Registered to the lab, so a call that went ahead would reach the registrar.
    const alice = lab.lab.account('alice');
    const phone = await open(
      { microphoneAccess: (ask) => mic.check(ask) },
      { label: 'Lab', websocketUri: alice.wsUrl, sipUri: alice.uri },
      alice.password,
    );
    try {
      await phone.waitForRegistration('registered');
      await expect
        .poll(() => phone.page.locator('#dial-notice').textContent())
        .toContain('System Settings › Privacy & Security › Microphone');
      await phone.dial('1002');
      expect(await phone.page.locator('#dial-notice').textContent()).toContain(
        'macOS does not let Open Softphone use the microphone',
      );
      expect(await phone.page.getByTestId('call-view').count()).toBe(0);
      expect((await phone.sipSent()).filter((m) => m.text.startsWith('INVITE'))).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('do-not-disturb saved by main (the tray) reaches the page through settings/changed', async () => {
    const phone = await open({});
    try {
      const dnd = phone.page.getByRole('button', { name: /Do not disturb/ });
      await expect.poll(() => dnd.getAttribute('aria-pressed')).toBe('false');
      await phone.bridge.settings.update({ doNotDisturb: true }); // what the tray's toggle does
      await expect.poll(() => dnd.getAttribute('aria-pressed')).toBe('true');
      await expect.poll(() => phone.bridge.shell.summaries.at(-1)?.doNotDisturb).toBe(true);
    } finally {
      await phone.close();
    }
  });
});
