// Issue 5: the compact incoming-call popup for when the phone window is hidden. The real
// IncomingPopup service (main process) opens its window as a Chromium page of the real
// renderer (#popup) with what the popup's own preload gives it (popup/action only, checked by
// the real router as the popup window); pressing Answer there answers the call ringing in the
// phone page, and the popup goes away once the call stops ringing. It cannot read credentials.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { SoftphoneBridge } from '../../src-main/shared/ipc-contract';
import { IncomingPopup, type PopupWindowLike } from '../../src-main/windows/incoming-popup';
import { useLab } from '../support/use-lab';
import { useE2eEnv, registerAll } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { TestBridge } from '../support/test-bridge';

const lab = useLab({ name: 'e2e-popup', rtpengine: false });
const env = useE2eEnv();

describe('incoming-call popup', () => {
  it('answers from the popup while the phone window is hidden, then closes', async () => {
    const browser = await env.browser(440);
    let alice: PhonePage | null = null;
    let popupPage: Page | null = null;
    let popupClosed = false;
    const popup: IncomingPopup = new IncomingPopup({
      createWindow: (): PopupWindowLike => ({
        webContents: { id: 2 },
        loadURL: async (url) => {
          popupPage = await alice!.context.newPage();
          await alice!.bridge.attach(popupPage, 'popup');
          await popupPage.goto(url);
        },
        showInactive: () => {},
        setVisibleOnAllWorkspaces: () => {},
        setAlwaysOnTop: () => {},
        close: () => {
          popupClosed = true;
          void popupPage?.close();
        },
        isDestroyed: () => popupClosed,
        on: () => undefined,
      }),
      webPreferences: {},
      url: env.server.url,
      screen: {
        getCursorScreenPoint: () => ({ x: 10, y: 10 }),
        getDisplayNearestPoint: () => ({ workArea: { x: 0, y: 0, width: 1280, height: 800 } }),
        getPrimaryDisplay: () => ({ workArea: { x: 0, y: 0, width: 1280, height: 800 } }),
      },
      wayland: false,
      mainWindowVisible: () => false, // the phone window is in the tray
      bringMainToFront: () => {},
      requestAttention: () => {},
      sendAction: (callId, action) =>
        void alice!.bridge.emit(alice!.page, 'notify/action', { callId, action }),
      platform: 'linux',
    });
    const bridge = await TestBridge.create({
      appUrl: env.server.url,
      ports: {
        incomingCall: (notice) => popup.show(notice),
        callEnded: (callId) => popup.callEnded(callId),
        popupAction: (callId, action) => popup.action(callId, action),
      },
    });
    alice = await PhonePage.open(browser, env.server, { bridge });
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);
      await bob.dial('alice');
      await expect.poll(() => popupPage !== null, { timeout: 10_000 }).toBe(true);
      const shown = popupPage as unknown as Page;
      await shown.getByTestId('incoming-popup').waitFor();
      expect(await shown.getByTestId('incoming-popup').innerText()).toMatch(
        /Incoming call on alice@lab\.test\s+bob/,
      );
      // The popup shows a name from the network; it gets no secrets and no settings.
      const accountId = alice.bridge.settings.get().accounts[0]!.id;
      const asked = await shown.evaluate(async (id) => {
        const bridge = (window as unknown as { softphone: SoftphoneBridge }).softphone;
        return Promise.all([
          bridge.invoke('accounts/get-credentials', { id }),
          bridge.invoke('settings/get', null),
        ]);
      }, accountId);
      expect(asked.map((r) => r.ok)).toEqual([false, false]);
      await shown.getByRole('button', { name: 'Answer', exact: true }).click();
      await alice.waitForCallStatus('active');
      await bob.waitForCallStatus('active');
      await expect.poll(() => popupClosed).toBe(true);
      await bob.hangup();
      await alice.waitForEnded();

      // Declined from the popup: the caller hears busy.
      popupClosed = false;
      popupPage = null;
      await bob.dial('alice');
      await expect.poll(() => popupPage !== null, { timeout: 10_000 }).toBe(true);
      await (popupPage as unknown as Page)
        .getByRole('button', { name: 'Decline', exact: true })
        .click();
      expect(await bob.waitForEnded()).toBe('busy');
      await expect.poll(() => popupClosed).toBe(true);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
