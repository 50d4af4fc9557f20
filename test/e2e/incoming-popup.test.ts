// Issue 5: the compact incoming-call popup for when the phone window is hidden. The real
// IncomingPopup service (main process) opens its window as a Chromium page of the real
// renderer (#popup) with the same bridge; pressing Answer there answers the call ringing in
// the phone page, and the popup goes away once the call stops ringing.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
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
        loadURL: async (url) => {
          popupPage = await alice!.context.newPage();
          await alice!.bridge.attach(popupPage);
          await popupPage.goto(url);
        },
        showInactive: () => {},
        close: () => {
          popupClosed = true;
          void popupPage?.close();
        },
        isDestroyed: () => popupClosed,
        on: () => undefined,
      }),
      webPreferences: {},
      url: env.server.url,
      workArea: () => ({ x: 0, y: 0, width: 1280, height: 800 }),
      mainWindowVisible: () => false, // the phone window is in the tray
      bringMainToFront: () => {},
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
