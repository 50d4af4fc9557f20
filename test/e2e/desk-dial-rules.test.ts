// Issue 16, number rules on every dial path of the REAL renderer in the lab: an account whose
// PBX wants a "9" for an outside line and "0" instead of "+49 30" shows "Will dial …" under the
// dial field before the call, and the INVITE carries the ruled number whether the number was
// typed, came from a tel: link (with its extension), from the tray's call back, from the
// dial-selection hotkey, from the history (ruled once, not twice), from a contact, or from the
// headset's redial button. A SIP address is left alone. And both per-account settings (dial
// rules, screen-pop) are set in the account form, each problem in words before saving.
import { describe, expect, it } from 'vitest';
import { parseDialLink } from '@shared/dial-target';
import { DEFAULT_DIAL_RULES, type DialRules } from '@shared/settings-types';
import { installFakeHeadsets, type PageHeadsets } from '../support/fake-hid-page';
import { useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { useLab } from '../support/use-lab';
import { JABRA_BITS } from '../unit/headset/devices';

const lab = useLab({ name: 'e2e-desk-dial-rules' });
const env = useE2eEnv();

const RULES: DialRules = {
  ...DEFAULT_DIAL_RULES,
  rewrites: [{ pattern: '^\\+4930', replacement: '030' }],
  internationalPrefix: '00',
  outsideLinePrefix: '9',
  outsideLineMinDigits: 7,
};
const JABRA = 'Jabra BIZ 2400 II (USB)';

/** Request-URIs of the calls the phone placed, in order (one per Call-ID: a 407 retry is not a call). */
async function invited(phone: PhonePage): Promise<string[]> {
  const calls = new Map<string, string>();
  for (const { text } of await phone.sipSent()) {
    const callId = /^(?:Call-ID|i):\s*(\S+)/im.exec(text)?.[1];
    if (text.startsWith('INVITE ') && callId && !calls.has(callId)) {
      calls.set(callId, text.split(' ')[1] ?? '');
    }
  }
  return [...calls.values()];
}

/**
 * Waits for the phone's next INVITE, then for that call to end (nobody has these numbers): the
 * call view, shown before any INVITE goes out, is gone again.
 */
async function nextInvite(phone: PhonePage, before: number): Promise<string> {
  await expect.poll(async () => (await invited(phone)).length).toBe(before + 1);
  await expect.poll(() => phone.page.getByTestId('call-view').count()).toBe(0);
  return (await invited(phone))[before] ?? '';
}

describe('dial rules', () => {
  it('show "Will dial" and rule the number on every dial path', async () => {
    let headsets: PageHeadsets | null = null;
    const alice = await PhonePage.open(await env.browser(440), env.server, {
      beforeLoad: async (page, bridge) => {
        headsets = await installFakeHeadsets(page, bridge, [
          { deviceId: 'a', model: 'jabraBiz2400II', serialNumber: 'A-1' },
        ]);
      },
    });
    try {
      const bridge = alice.bridge;
      const account = lab.lab.account('alice');
      const domain = account.domain;
      await bridge.settings.update({
        headset: {
          device: { vendorId: 0x0b0e, productId: 0x2453, serialNumber: 'A-1', name: JABRA },
        },
        hotkeys: { ...bridge.settings.get().hotkeys, enabled: true },
      });
      await bridge.seedAccount(
        {
          label: `alice@${domain}`,
          websocketUri: account.wsUrl,
          sipUri: account.uri,
          dialRules: RULES,
        },
        account.password,
      );
      await alice.page.reload();
      await alice.waitForRegistration('registered');
      const page = alice.page;
      const field = page.getByLabel('Number or address');
      const preview = page.getByTestId('dial-preview');
      const call = page.getByRole('button', { name: 'Call', exact: true });
      let n = 0;

      // Typed: shown before the call, then dialled.
      await field.fill('+49 30 1234567');
      await expect.poll(() => preview.innerText()).toBe('Will dial 90301234567.');
      await call.click();
      expect(await nextInvite(alice, n++)).toBe(`sip:90301234567@${domain}`);

      // A tel: link with an extension.
      const link = parseDialLink('tel:+49-30-7654321;ext=12');
      if (!link.ok) {
        throw new Error(link.message);
      }
      await bridge.emit(page, 'links/dial-requested', {
        target: link.target,
        source: 'link',
        autoDial: false,
      });
      await expect
        .poll(() => preview.innerText())
        .toBe('Will dial 90307654321, then dials extension 12 after the answer.');
      await call.click();
      expect(await nextInvite(alice, n++)).toBe(`sip:90307654321@${domain}`);

      // The tray's call back.
      await bridge.emit(page, 'tray/action', { action: 'call-back', dial: '+44 20 7946 0000' });
      expect(await nextInvite(alice, n++)).toBe(`sip:900442079460000@${domain}`);

      // The dial-selection hotkey: the selected text fills the field, Call dials it.
      bridge.clipboard.selection = '+49 (30) 2222222';
      bridge.globalShortcut.press('CommandOrControl+Alt+Shift+D');
      await expect.poll(() => preview.innerText()).toBe('Will dial 90302222222.');
      await call.click();
      expect(await nextInvite(alice, n++)).toBe(`sip:90302222222@${domain}`);

      // The history keeps the number as picked, so calling it back rules it once.
      await page.getByRole('tab', { name: /Recent/ }).click();
      await page.getByRole('button', { name: 'Call back' }).first().click();
      expect(await nextInvite(alice, n++)).toBe(`sip:90302222222@${domain}`);

      // A contact's number.
      await page.getByRole('tab', { name: 'Contacts' }).click();
      await page.getByRole('button', { name: 'New contact' }).click();
      const editor = page.getByRole('form', { name: 'New contact' });
      await editor.getByLabel('Name').fill('Erin Example');
      await editor.getByLabel('Number 1', { exact: true }).fill('+49 30 3333333');
      await editor.getByRole('button', { name: 'Save' }).click();
      await page.locator('#contact-row-0').click();
      await page.getByRole('button', { name: /^Call .*\+49 30 3333333$/ }).click();
      expect(await nextInvite(alice, n++)).toBe(`sip:90303333333@${domain}`);

      // The headset's redial: the last number dialled, ruled once.
      await expect.poll(() => (headsets as unknown as PageHeadsets).opened('a')).toBe(true);
      await (headsets as unknown as PageHeadsets).press('a', 2, [JABRA_BITS.REDIAL, 0], [0, 0]);
      expect(await nextInvite(alice, n++)).toBe(`sip:90303333333@${domain}`);

      // A SIP address is left alone, and says nothing before the call.
      await page.getByRole('tab', { name: 'Keypad' }).click();
      await field.fill(`nobody@${domain}`);
      expect(await preview.count()).toBe(0);
      await call.click();
      expect(await nextInvite(alice, n++)).toBe(`sip:nobody@${domain}`);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });

  it('and screen-pop are set in the account form, with problems in words before saving', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    try {
      const page = alice.page;
      const account = lab.lab.account('alice');
      await page.getByLabel('Account name').fill('Office');
      await page.getByLabel('WebSocket server').fill(account.wsUrl);
      await page.getByLabel('SIP address').fill(account.uri);
      await page.getByLabel('Password', { exact: true }).fill(account.password);

      await page.getByText('Dial rules', { exact: true }).click();
      await page.getByRole('button', { name: 'Add a rewrite' }).click();
      await page.getByLabel('Pattern').fill('(\\+49');
      await page.getByLabel('becomes').fill('$2');
      const problems = page.getByTestId('dial-rules-problems');
      await expect.poll(() => problems.innerText()).toMatch(/^Rewrite rule 1: /);
      await page.getByLabel('Replace a leading + with').fill('00');
      await page.getByLabel('Try a number').fill('+49 30 1234567');
      const trial = page.getByTestId('dial-rules-trial');
      await expect.poll(() => trial.innerText()).toMatch(/^Rewrite rule 1: /);

      await page.getByText('Screen-pop', { exact: true }).click();
      const address = page.getByLabel('Address (empty for none)');
      await address.fill('javascript:alert(1)');
      await expect
        .poll(() => page.locator('#screen-pop-problem').innerText())
        .toBe(
          'The screen-pop address must start with http:// or https:// and a server name written out (no {placeholder} before the path).',
        );

      // Saving is refused while anything is wrong: the refusal opens both closed sections with
      // their problems, and nothing reaches the settings.
      const sections = [page.getByTestId('dial-rules'), page.getByTestId('screen-pop')];
      await page.getByText('Dial rules', { exact: true }).click();
      await page.getByText('Screen-pop', { exact: true }).click();
      for (const section of sections) {
        await expect.poll(() => section.getAttribute('open')).toBeNull();
      }
      await page.getByRole('button', { name: 'Save and connect' }).click();
      for (const section of sections) {
        await expect.poll(() => section.getAttribute('open')).toBe('');
      }
      expect(await page.getByRole('heading', { name: 'Set up your phone' }).count()).toBe(1);
      expect(alice.bridge.settings.get().accounts).toEqual([]);

      await page.getByLabel('Pattern').fill('^\\+4930');
      await page.getByLabel('becomes').fill('030');
      await expect.poll(() => problems.count()).toBe(0);
      await expect.poll(() => trial.innerText()).toBe('Will dial 0301234567');
      expect(await page.locator('.steps li').allInnerTexts()).toEqual([
        'strip spaces and punctuation: +49301234567',
        'rewrite 1 (^\\+4930): 0301234567',
      ]);
      await address.fill('https://crm.example.com/?n={number}&who={name}');
      await expect
        .poll(() => page.getByTestId('screen-pop-example').innerText())
        .toBe(
          'For example: https://crm.example.com/?n=%2B49%2030%201234567&who=Jane%20Doe%20%26%20Co',
        );
      await page.getByLabel('Open when the call').selectOption('answered');
      await page.getByLabel('for', { exact: true }).selectOption('both');
      await page.getByRole('button', { name: 'Save and connect' }).click();
      await alice.waitForRegistration('registered');
      const saved = alice.bridge.settings.get().accounts[0];
      expect(saved?.dialRules).toEqual({
        ...DEFAULT_DIAL_RULES,
        internationalPrefix: '00',
        rewrites: [{ pattern: '^\\+4930', replacement: '030' }],
      });
      expect(saved?.screenPop).toEqual({
        url: 'https://crm.example.com/?n={number}&who={name}',
        on: 'answered',
        direction: 'both',
      });
      await page.getByLabel('Number or address').fill('+49 30 1234567');
      await expect
        .poll(() => page.getByTestId('dial-preview').innerText())
        .toBe('Will dial 0301234567.');
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });
});
