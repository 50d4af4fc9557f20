// The window's saves and reads of the settings against main's real IPC handlers and settings
// store, in the real renderer in Chromium. TestBridge holds main back (holdRequests: before it
// handles a request, as a busy main or a slow disk would) or holds its replies (holdReplies:
// Electron does not order them against main's events).
// - Two changes to one list or group (lamps, recording options, hotkeys) within one round trip
//   both stay: the second is built from the settings once main has answered the first
//   (SettingsState.change). Built at the time of its click, it would put back the list without
//   the first.
// - A change main announced (the tray's do-not-disturb) while the reply to the window's read or
//   save was on its way stays: that older reply is dropped. That holds for the window's first
//   read too: it hears main's announcements from before it asks.
// The account's server is a closed loopback port (nothing here needs a registration).
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useE2eEnv, useX11Session } from '../support/e2e-env';
import { LampsPage } from '../support/lamps-page';
import { PhonePage } from '../support/phone-page';
import { TestBridge, type Hold } from '../support/test-bridge';

const env = useE2eEnv();

const ACCOUNT = {
  label: 'Office',
  websocketUri: 'ws://127.0.0.1:9/ws',
  sipUri: 'sip:alice@office.test',
};

useX11Session();

async function open(viewport?: { width: number; height: number }): Promise<PhonePage> {
  const bridge = await TestBridge.create({ appUrl: env.server.url });
  await bridge.seedAccount(ACCOUNT, 'pw');
  const phone = await PhonePage.open(await env.browser(440), env.server, {
    bridge,
    ...(viewport ? { viewport } : {}),
  });
  await phone.page.getByLabel('Number or address').waitFor();
  return phone;
}

function hotkeyField(page: Page, action: string) {
  return page.getByTestId(`hotkey-${action}`).getByRole('textbox');
}

/**
 * On the Settings tab `tab`: holds what `hold` holds, makes the window do `act`, and once one is
 * held turns do-not-disturb on as the tray does (main saves it and announces it); then lets the
 * held one go. Returns the do-not-disturb button, which showed the change before the release.
 */
async function trayChangeWhileHeld(
  phone: PhonePage,
  tab: 'Accounts' | 'General',
  hold: () => Hold,
  act: () => Promise<void>,
): Promise<Locator> {
  const dnd = phone.page.getByRole('button', { name: /Do not disturb/ });
  await expect.poll(() => dnd.getAttribute('aria-pressed')).toBe('false');
  await phone.openSettings(tab);
  const held = hold();
  await act();
  await expect.poll(() => held.held()).toBe(1);
  await phone.bridge.settings.update({ doNotDisturb: true });
  await expect.poll(() => dnd.getAttribute('aria-pressed')).toBe('true');
  await held.release();
  return dnd;
}

describe("the window's saves of the settings", () => {
  it("keeps a change main announced while the window's first read of the settings was on its way", async () => {
    const bridge = await TestBridge.create({ appUrl: env.server.url });
    await bridge.seedAccount(ACCOUNT, 'pw');
    // The window's first read is answered by main at once; the reply, made before the tray's
    // change, reaches the page only after the change's announcement.
    const read = bridge.holdReplies('settings/get');
    const phone = await PhonePage.open(await env.browser(440), env.server, { bridge });
    try {
      await expect.poll(() => read.held()).toBe(1);
      await bridge.settings.update({ doNotDisturb: true });
      await read.release();
      const dnd = phone.page.getByRole('button', { name: /Do not disturb/ });
      await expect.poll(() => dnd.getAttribute('aria-pressed')).toBe('true');
      // And it stays so once the window has started (the dial field is there).
      await phone.page.getByLabel('Number or address').waitFor();
      expect(await dnd.getAttribute('aria-pressed')).toBe('true');
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('keeps both lamps when the second is added while main is still saving the first', async () => {
    const phone = await open({ width: 1400, height: 900 });
    try {
      const { page, bridge } = phone;
      const lamps = new LampsPage(phone);
      await lamps.show();
      const field = lamps.panel.getByLabel('Extension, address or contact');
      const saves = bridge.holdRequests('settings/update');
      await field.fill('201');
      await field.press('Enter');
      await expect.poll(() => saves.held()).toBe(1);
      await field.fill('202');
      await field.press('Enter');
      await saves.release();

      await expect
        .poll(() => bridge.settings.get().lamps.map((l) => l.target))
        .toEqual(['201', '202']);
      await lamps.row('sip:201@office.test').waitFor();
      await lamps.row('sip:202@office.test').waitFor();
      expect(await page.locator('[data-testid="lamp-row"]').count()).toBe(2);
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it("keeps a change main announced while the window's read after an account save was on its way", async () => {
    const phone = await open();
    try {
      const { page, bridge } = phone;
      // Disabling the account saves it; the window then reads the settings again. The reply,
      // read before the tray's change, is held until after it.
      const dnd = await trayChangeWhileHeld(
        phone,
        'Accounts',
        () => bridge.holdReplies('settings/get'),
        () => page.getByRole('checkbox', { name: 'Enabled' }).uncheck(),
      );

      // A save made now goes to main once the read is done with (the window's saves and reads
      // go one at a time): held before main answers, it cannot hide what the read left.
      const saves = bridge.holdRequests('settings/update');
      await phone.openSettings('General');
      await page.getByTestId('recording-format').selectOption('wav');
      await expect.poll(() => saves.held()).toBe(1);
      expect(await dnd.getAttribute('aria-pressed')).toBe('true');
      await saves.release();
      await expect.poll(() => bridge.settings.get().recording.format).toBe('wav');
      expect(await dnd.getAttribute('aria-pressed')).toBe('true');
      expect(bridge.settings.get().accounts[0]?.enabled).toBe(false);
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it("keeps a change main announced while the reply to the window's save was on its way", async () => {
    const phone = await open();
    try {
      const { page, bridge } = phone;
      // Main saves the format and announces it; the tray's change comes after that, while the
      // reply to the save, made before it, is held.
      const dnd = await trayChangeWhileHeld(
        phone,
        'General',
        () => bridge.holdReplies('settings/update'),
        async () => {
          await page.getByTestId('recording-format').selectOption('wav');
        },
      );

      // The next save goes out once the window is done with that reply.
      const saves = bridge.holdRequests('settings/update');
      await page.getByTestId('recording-channels').selectOption('stereo');
      await expect.poll(() => saves.held()).toBe(1);
      expect(await dnd.getAttribute('aria-pressed')).toBe('true');
      expect(await page.getByTestId('recording-format').inputValue()).toBe('wav');
      await saves.release();
      await expect
        .poll(() => {
          const { doNotDisturb, recording } = bridge.settings.get();
          return [doNotDisturb, recording.format, recording.channels];
        })
        .toEqual([true, 'wav', 'stereo']);
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('keeps both recording choices when the second is made while main is still saving the first', async () => {
    const phone = await open();
    try {
      const { page, bridge } = phone;
      await phone.openSettings('General');
      const saves = bridge.holdRequests('settings/update');
      await page.getByTestId('recording-format').selectOption('wav');
      await expect.poll(() => saves.held()).toBe(1);
      await page.getByTestId('recording-channels').selectOption('stereo');
      await saves.release();

      await expect
        .poll(() => {
          const { format, channels } = bridge.settings.get().recording;
          return [format, channels];
        })
        .toEqual(['wav', 'stereo']);
      await expect.poll(() => page.getByTestId('recording-format').inputValue()).toBe('wav');
      expect(await page.getByTestId('recording-channels').inputValue()).toBe('stereo');
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('keeps both hotkeys when the second is set while main is still saving the first', async () => {
    const phone = await open();
    try {
      const { page, bridge } = phone;
      await phone.openSettings('General');
      await page.getByTestId('hotkey-settings').waitFor();
      const saves = bridge.holdRequests('settings/update');
      await hotkeyField(page, 'mute').focus();
      await hotkeyField(page, 'mute').press('Control+Alt+Shift+KeyU');
      await expect.poll(() => saves.held()).toBe(1);
      await hotkeyField(page, 'hangUp').focus();
      await hotkeyField(page, 'hangUp').press('Control+Alt+Shift+KeyJ');
      await saves.release();

      await expect
        .poll(() => {
          const { mute, hangUp } = bridge.settings.get().hotkeys.accelerators;
          return [mute, hangUp];
        })
        .toEqual(['CommandOrControl+Alt+Shift+U', 'CommandOrControl+Alt+Shift+J']);
      await expect.poll(() => hotkeyField(page, 'mute').inputValue()).toBe('Ctrl+Alt+Shift+U');
      await expect.poll(() => hotkeyField(page, 'hangUp').inputValue()).toBe('Ctrl+Alt+Shift+J');
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });
});
