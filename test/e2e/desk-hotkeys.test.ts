// Issue 16, global hotkeys through main's real service (src-main/desk.ts + HotkeyService
// behind the test bridge, on a fake globalShortcut modelling Electron's documented refusals on
// Linux X11) and the REAL renderer: off by default; turned on and configured in Settings by
// pressing keys, with each action's status in words — another app's keys, two actions on the
// same keys, copy/paste keys; then answer, mute and hang up a call from bob by "pressing" the
// keys while another app has the focus, and dial the selected text without dialling it.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { registerAll, useE2eEnv, useX11Session } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { TestBridge } from '../support/test-bridge';
import { useLab } from '../support/use-lab';

const lab = useLab({ name: 'e2e-desk-hotkeys' });
const env = useE2eEnv();

useX11Session();

const ANSWER = 'CommandOrControl+Alt+Shift+A';
const HANG_UP = 'CommandOrControl+Alt+Shift+H';
const TAKEN = 'CommandOrControl+Alt+Shift+M'; // another app owns the default mute keys
const MUTE = 'CommandOrControl+Alt+Shift+U';
const DIAL = 'CommandOrControl+Alt+Shift+D';

function hotkey(page: Page, action: string) {
  const row = page.getByTestId(`hotkey-${action}`);
  return {
    state: () => row.getAttribute('data-state'),
    status: () => page.getByTestId(`hotkey-${action}-status`).innerText(),
    keys: () => row.getByRole('textbox').inputValue(),
    press: async (keys: string) => {
      await row.getByRole('textbox').focus();
      await row.getByRole('textbox').press(keys);
    },
    defaults: () => row.getByRole('button', { name: /^Default keys/ }).click(),
  };
}

describe('global hotkeys', () => {
  it('are off by default, configured with refusals in words, and answer, mute and hang up', async () => {
    const bridge = await TestBridge.create({ appUrl: env.server.url, takenByOthers: [TAKEN] });
    const alice = await PhonePage.open(await env.browser(440), env.server, { bridge });
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);
      const page = alice.page;
      await page.getByRole('button', { name: 'Settings', exact: true }).click();
      await page.getByRole('tab', { name: 'General', exact: true }).click();
      await page.getByTestId('hotkey-settings').waitFor();
      await expect.poll(() => hotkey(page, 'answer').state()).toBe('disabled');
      expect(bridge.globalShortcut.count).toBe(0);
      expect(await hotkey(page, 'answer').keys()).toBe('Ctrl+Alt+Shift+A');

      // On: four are registered; the mute keys belong to another app, and it says so.
      await page.getByLabel('Use global hotkeys').check();
      await expect.poll(() => hotkey(page, 'mute').state()).toBe('refused');
      expect(await hotkey(page, 'mute').status()).toBe(
        'Ctrl+Alt+Shift+M was refused by the desktop: another app already grabbed it. Choose other keys.',
      );
      for (const action of ['answer', 'hangUp', 'showPhone', 'dialSelection']) {
        expect(await hotkey(page, action).state()).toBe('registered');
      }
      expect(bridge.globalShortcut.count).toBe(4);

      // New keys for mute, pressed in its field.
      await hotkey(page, 'mute').press('Control+Alt+Shift+KeyU');
      await expect.poll(() => hotkey(page, 'mute').state()).toBe('registered');
      expect(await hotkey(page, 'mute').keys()).toBe('Ctrl+Alt+Shift+U');
      expect(bridge.settings.get().hotkeys.accelerators.mute).toBe(MUTE);

      // The answer keys given to "dial the selected text" too: both marked, neither registered.
      await hotkey(page, 'dialSelection').press('Control+Alt+Shift+KeyA');
      await expect.poll(() => hotkey(page, 'answer').state()).toBe('duplicate');
      expect(await hotkey(page, 'dialSelection').state()).toBe('duplicate');
      expect(await hotkey(page, 'answer').status()).toBe(
        'Answer and Dial the selected text use the same keys (Ctrl+Alt+Shift+A); give each its own.',
      );
      expect(bridge.globalShortcut.isRegistered(ANSWER)).toBe(false);
      await hotkey(page, 'dialSelection').defaults();
      await expect.poll(() => hotkey(page, 'answer').state()).toBe('registered');

      // Copy's keys for hang up: refused before the system sees them.
      await hotkey(page, 'hangUp').press('Control+KeyC');
      await expect.poll(() => hotkey(page, 'hangUp').state()).toBe('reserved');
      expect(await hotkey(page, 'hangUp').status()).toBe(
        'Ctrl+C is the copy, paste or undo shortcut of every app; choose other keys.',
      );
      await hotkey(page, 'hangUp').defaults();
      await expect.poll(() => hotkey(page, 'hangUp').state()).toBe('registered');
      expect(bridge.globalShortcut.count).toBe(5);
      await page.getByRole('button', { name: 'Done', exact: true }).click();

      // A call while another app has the focus: the keys answer, mute, unmute and hang up.
      await bob.dial('alice');
      await alice.waitForIncoming();
      expect(bridge.globalShortcut.press(ANSWER)).toBe(true);
      await alice.waitForCallStatus('active');
      await bob.waitForCallStatus('active');
      bridge.globalShortcut.press(MUTE);
      await page.getByRole('button', { name: 'Unmute', exact: true }).waitFor();
      bridge.later(1000); // a second press, not the key's auto-repeat
      bridge.globalShortcut.press(MUTE);
      await page.getByRole('button', { name: 'Mute', exact: true }).waitFor();
      bridge.globalShortcut.press(HANG_UP);
      expect(await bob.waitForEnded()).toBe('hangup-remote');
      expect(await alice.waitForEnded()).toBe('hangup-local');
      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('dial the selected text fills the dial field and brings the phone up, without dialling', async () => {
    const bridge = await TestBridge.create({ appUrl: env.server.url });
    await bridge.settings.update({
      hotkeys: { ...bridge.settings.get().hotkeys, enabled: true },
    });
    const alice = await PhonePage.open(await env.browser(440), env.server, { bridge });
    try {
      await registerAll(lab.lab, [alice, 'alice']);
      expect(bridge.globalShortcut.isRegistered(DIAL)).toBe(true);
      bridge.clipboard.selection = '  +49 (30) 123 4567 ';
      const shown = bridge.shell.shown;
      bridge.globalShortcut.press(DIAL);
      const field = alice.page.getByLabel('Number or address');
      await expect.poll(() => field.inputValue()).toBe('+49 30 123 4567');
      expect(bridge.shell.shown).toBe(shown + 1);
      await expect
        .poll(() => alice.page.evaluate(() => document.activeElement?.textContent?.trim()))
        .toBe('Call');
      expect((await alice.sipSent()).some((m) => m.text.startsWith('INVITE '))).toBe(false);

      // A hostile selection (a command-line switch) is refused in the dial field, in words.
      bridge.clipboard.selection = '--inspect=9229';
      bridge.later(1000); // a second press, not the key's auto-repeat
      bridge.globalShortcut.press(DIAL);
      await alice.page.getByRole('alert').waitFor();
      expect(await alice.page.getByRole('alert').innerText()).toBe(
        'This looks like a command-line option, not a phone number or address.',
      );
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });
});
