// Issue 18 ("a phone people can live in all day"), component by component in Chromium: the
// whole window (PhoneWindow) on the views test page, inside a real renderer root whose bridge
// runs the real main-process handlers, with the lines, ringing calls, conference and account
// registrations given as a scenario and the call actions recorded. At tray size (360 × 600,
// 400 × 680) and wide (1400 × 900), by mouse and by keyboard.
import type { Locator, Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { parseDialLink } from '../../src-main/shared/dial-target';
import { secretKey } from '../../src-main/credentials/secret-store';
import { accountSchema } from '../../src-main/shared/settings-schema';
import type { RegistrationState } from '../../src-renderer/src/lib/phone/types';
import { seriousViolations } from '../support/axe';
import {
  actions,
  focused,
  openView,
  useViewsPage,
  setScenario,
  snapshot,
  type ViewOptions,
  type ViewPage,
} from '../support/views-harness';

const views = useViewsPage();

const NARROW = { width: 400, height: 680 };
const TRAY = { width: 360, height: 600 };
const WIDE = { width: 1400, height: 900 };
const OFFICE = {
  id: 'acc-1',
  label: 'Office',
  websocketUri: 'wss://pbx.example.com/ws',
  sipUri: 'sip:1001@pbx.example.com',
};
const HOME = {
  id: 'acc-2',
  label: 'Home',
  websocketUri: 'wss://sip.example.org/ws',
  sipUri: 'sip:alice@example.org',
};
const REGISTERED: RegistrationState = { status: 'registered', since: 1 };
const WRONG_PASSWORD: RegistrationState = {
  status: 'failed',
  cause: 'wrong-credentials',
  message: 'The server did not accept the user name or password.',
  code: 401,
  retryAt: null,
};

const bob = snapshot();
const carol = snapshot({
  id: 'call-2',
  party: { name: 'Carol Jones', user: '1003', uri: 'sip:1003@pbx.example.com' },
});
const dave = snapshot({
  id: 'call-3',
  direction: 'incoming',
  status: 'incoming',
  answeredAt: null,
  party: { name: 'Dave', user: '1004', uri: 'sip:1004@pbx.example.com' },
});

/** The whole window with the Office account registered (no engine runs: the scenario says so). */
function windowView(opts: ViewOptions = {}): Promise<ViewPage> {
  return openView(views.browser, views.url, 'window', {
    accounts: [OFFICE],
    viewport: NARROW,
    ...opts,
    scenario: { registrations: { 'acc-1': REGISTERED }, ...opts.scenario },
  });
}

async function box(
  locator: Locator,
): Promise<{ x: number; y: number; width: number; height: number }> {
  const b = await locator.boundingBox();
  if (!b) {
    throw new Error('not rendered');
  }
  return b;
}

/** Whether the element is fully inside the viewport and is what a click at its centre hits. */
async function fullyVisible(page: Page, locator: Locator): Promise<boolean> {
  const b = await box(locator);
  const size = page.viewportSize() ?? { width: 0, height: 0 };
  const inside =
    b.x >= 0 && b.y >= 0 && b.x + b.width <= size.width && b.y + b.height <= size.height;
  const hit = await locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
    return top !== null && (top === el || el.contains(top));
  });
  return inside && hit;
}

async function lineHeight(locator: Locator): Promise<number> {
  return locator.evaluate((el) => {
    const style = getComputedStyle(el);
    return style.lineHeight === 'normal'
      ? Number.parseFloat(style.fontSize) * 1.4
      : Number.parseFloat(style.lineHeight);
  });
}

/** The parts of the page's phone root the tests seed through. */
interface PagePhone {
  memory: {
    contacts: {
      add(draft: unknown): Promise<unknown>;
      importVCard(bytes: Uint8Array): Promise<unknown>;
    } | null;
    historyStore: { add(entry: unknown): Promise<void> } | null;
  };
  settings: { update(patch: unknown): Promise<void> };
}

/** Waits until the page's history and contacts are open. */
async function memoryOpen(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const phone = (window as unknown as { __phone: PagePhone }).__phone;
    return phone.memory.contacts !== null && phone.memory.historyStore !== null;
  });
}

async function addContact(page: Page, draft: unknown): Promise<void> {
  await memoryOpen(page);
  await page.evaluate(async (d) => {
    await (window as unknown as { __phone: PagePhone }).__phone.memory.contacts?.add(d);
  }, draft);
}

async function importVCard(page: Page, text: string): Promise<void> {
  await memoryOpen(page);
  await page.evaluate(async (t) => {
    const contacts = (window as unknown as { __phone: PagePhone }).__phone.memory.contacts;
    await contacts?.importVCard(new TextEncoder().encode(t));
  }, text);
}

async function addHistory(page: Page, entry: unknown): Promise<void> {
  await memoryOpen(page);
  await page.evaluate(async (e) => {
    await (window as unknown as { __phone: PagePhone }).__phone.memory.historyStore?.add(e);
  }, entry);
}

async function updateSettings(page: Page, patch: unknown): Promise<void> {
  await page.evaluate(async (p) => {
    await (window as unknown as { __phone: PagePhone }).__phone.settings.update(p);
  }, patch);
}

describe('1. calls are not dropped by accident', () => {
  it('after dialling with Enter, Enter, Space and Escape do nothing; Ctrl+Shift+H hangs up', async () => {
    const v = await windowView();
    const { page } = v;
    await page.getByLabel('Number or address').fill('1002');
    await page.getByLabel('Number or address').press('Enter');
    await setScenario(page, { lines: [bob] });
    await page.getByTestId('call-view').waitFor();
    expect(await focused(page)).toMatchObject({ tag: 'h1', text: 'Bob Example' });
    for (const key of ['Enter', ' ', 'Escape', 'Enter']) {
      await page.keyboard.press(key);
    }
    expect(await actions(page)).toEqual([]);
    await page.keyboard.press('Control+Shift+M');
    await page.keyboard.press('Control+Shift+H');
    expect(await actions(page)).toEqual([
      ['toggleMute', 'call-1'],
      ['hangup', 'call-1'],
    ]);
    // A call ringing during the call: Ctrl+Shift+A answers it, Ctrl+Shift+D declines it.
    await setScenario(page, { incoming: [dave] });
    await page.getByTestId('call-waiting').waitFor();
    await page.keyboard.press('Control+Shift+A');
    await page.keyboard.press('Control+Shift+D');
    expect((await actions(page)).slice(2)).toEqual([
      ['answer', 'call-3'],
      ['decline', 'call-3'],
    ]);
    await v.close();
  });
});

describe('2. every account shows its state and cause; the dot sums them up', () => {
  it('a failing account that is not the default turns the dot red and says why', async () => {
    const v = await windowView({
      accounts: [OFFICE, HOME],
      scenario: { registrations: { 'acc-1': REGISTERED, 'acc-2': WRONG_PASSWORD } },
    });
    const { page } = v;
    const status = page.getByTestId('registration-status');
    await expect.poll(() => status.innerText()).toBe('Home: wrong credentials');
    expect(await status.getAttribute('data-dot')).toBe('bad');
    expect(await status.getAttribute('data-status')).toBe('failed');
    const problem = page.getByTestId('registration-problem');
    expect(await problem.count()).toBe(1);
    expect(await problem.getAttribute('data-account-id')).toBe('acc-2');
    expect(await problem.innerText()).toContain(
      'Home: Wrong credentials. The server did not accept the user name or password.',
    );

    // The banner takes the user to the field that is wrong.
    await problem.getByRole('button', { name: 'Enter the password' }).click();
    await page.getByRole('heading', { name: 'Edit Home' }).waitFor();
    expect(await focused(page)).toMatchObject({ tag: 'input', id: 'acc-secret' });

    // The Accounts list: each account's state, and the cause of the failing one.
    await page.getByRole('button', { name: 'Cancel' }).click();
    const rows = page.getByTestId('account-row');
    await expect
      .poll(() => rows.getByTestId('account-state').allInnerTexts())
      .toEqual(['Registered · default', 'Wrong credentials']);
    expect(await rows.nth(1).getByTestId('account-cause').innerText()).toBe(
      'The server did not accept the user name or password.',
    );
    expect(await rows.nth(1).getByRole('button', { name: 'Try again' }).count()).toBe(1);

    // All registered, then do-not-disturb: its own sign on the dot, and in words.
    await setScenario(page, { registrations: { 'acc-1': REGISTERED, 'acc-2': REGISTERED } });
    await expect.poll(() => status.innerText()).toBe('All 2 registered');
    expect(await status.getAttribute('data-dot')).toBe('ok');
    await page.getByTestId('dnd-toggle').click();
    await expect.poll(() => status.getAttribute('data-dot')).toBe('dnd');
    expect(await status.innerText()).toBe('Do not disturb');
    expect(await page.getByTestId('dnd-toggle').getAttribute('aria-pressed')).toBe('true');
    expect(v.bridge.settings.get().doNotDisturb).toBe(true);
    await v.close();
  });
});

const JURGEN = {
  name: 'Jürgen Müller-Lüdenscheidt',
  org: 'Müller Logistik GmbH',
  numbers: [
    { label: 'work', value: '+49 30 1234 5678' },
    { label: 'mobile', value: '+49 170 1234567' },
  ],
  sipAddresses: ['juergen.mueller@example.com'],
  favourite: true,
};

describe('3. contacts fit the window', () => {
  for (const viewport of [NARROW, WIDE]) {
    it(`shows each number on one line at ${viewport.width} px`, async () => {
      const v = await windowView({ viewport });
      const { page } = v;
      await addContact(page, JURGEN);
      await page.getByRole('tab', { name: 'Contacts' }).click();
      await page.locator('#contact-row-0').click();
      const values = page.locator('.details .value');
      await expect.poll(() => values.count()).toBe(3);
      for (let i = 0; i < 3; i += 1) {
        const value = values.nth(i);
        expect((await box(value)).height).toBeLessThan((await lineHeight(value)) * 1.5);
        // Nothing is cut off: the whole number is shown.
        expect(await value.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
        const row = page.locator('.details .ways li').nth(i);
        expect((await box(row)).height).toBeLessThan(48);
      }
      await v.close();
    });
  }

  it('fits the New-contact form at 360 px, and leaves the list room beside an import report', async () => {
    const v = await windowView({ viewport: TRAY });
    const { page } = v;
    await page.getByRole('tab', { name: 'Contacts' }).click();
    await page.getByRole('button', { name: 'New contact' }).click();
    const form = page.getByRole('form', { name: 'New contact' });
    const d = await box(form);
    expect(d.x + d.width).toBeLessThanOrEqual(TRAY.width);
    for (const control of await form.locator('.line input, .line button').all()) {
      const b = await box(control);
      expect(b.x + b.width).toBeLessThanOrEqual(d.x + d.width);
    }
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });

    // 12 cards, 10 of them broken: the report is a line, its details one click away.
    const cards = [
      ...Array.from(
        { length: 10 },
        (_, i) => `BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:broken ${i}\r\nEND:VCARD`,
      ),
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nTEL:+15550001\r\nEND:VCARD',
      'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ben\r\nTEL:+15550002\r\nEND:VCARD',
    ].join('\r\n');
    await importVCard(page, cards);
    const report = page.getByTestId('import-report');
    await report.waitFor();
    expect(await report.innerText()).toContain('Imported 2 contacts. 10 cards were skipped');
    const list = page.getByRole('listbox', { name: 'Contacts' });
    expect((await box(list)).height).toBeGreaterThanOrEqual(2 * 52 + 40);
    await report.getByText('Details', { exact: true }).click();
    expect(await report.getByRole('listitem').count()).toBe(10);
    await v.close();
  });
});

describe('3b. a ringing call is never behind a form or a question', () => {
  const ringing = { registrations: { 'acc-1': REGISTERED }, incoming: [dave] };
  const quiet = { registrations: { 'acc-1': REGISTERED }, incoming: [] };

  for (const [name, viewport] of [
    ['narrow', NARROW],
    ['wide', WIDE],
  ] as const) {
    it(`${name}: Answer works over the contact editor, and the edit is still there after`, async () => {
      const v = await windowView({ viewport });
      const { page } = v;
      await page.getByRole('tab', { name: 'Contacts' }).click();
      await page.getByRole('button', { name: 'New contact' }).click();
      const form = page.getByRole('form', { name: 'New contact' });
      // The editor takes the focus when opened; its title sits one level below "Contacts".
      expect((await focused(page)).tag).toBe('input');
      const level = name === 'wide' ? 3 : 2;
      expect(await page.getByRole('heading', { name: 'New contact', level }).count()).toBe(1);
      await form.getByLabel('Name').fill('Half Typed');
      await form.getByLabel('Number 1', { exact: true }).fill('+44 20 7946 0018');

      await setScenario(page, ringing);
      // A modal editor would make this button inert: the click would never land.
      await page.getByTestId('incoming-view').getByRole('button', { name: 'Answer' }).click();
      expect(await actions(page)).toEqual([['answer', 'call-3']]);

      // The call is gone (a narrow window rebuilt its tabs): the typed fields are all there.
      await setScenario(page, quiet);
      await form.waitFor();
      expect(await form.getByLabel('Name').inputValue()).toBe('Half Typed');
      expect(await form.getByLabel('Number 1', { exact: true }).inputValue()).toBe(
        '+44 20 7946 0018',
      );
      await form.getByRole('button', { name: 'Save' }).click();
      await form.waitFor({ state: 'detached' });
      expect(await page.locator('#contact-row-0 .name').innerText()).toBe('Half Typed');
      // Back on the list, with the focus.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? null))
        .toBe('Contacts');
      await v.close();
    });
  }

  it('Escape in a text field beside a ringing call belongs to the field; elsewhere it declines', async () => {
    const v = await windowView({ viewport: WIDE });
    const { page } = v;
    await page.getByRole('tab', { name: 'Contacts' }).click();
    await page.getByRole('button', { name: 'New contact' }).click();
    const form = page.getByRole('form', { name: 'New contact' });
    await form.getByLabel('Name').fill('Half Typed');
    await setScenario(page, ringing);
    const incoming = page.getByTestId('incoming-view');
    await incoming.waitFor();
    // Typing into the editor's notes, Escape cancels the edit (the editor's own key), not the call.
    await form.getByLabel('Notes').click();
    await page.keyboard.press('Escape');
    await form.waitFor({ state: 'detached' });
    await page.locator('#contacts-search').fill('nobody');
    await page.locator('#contacts-search').press('Escape');
    expect(await actions(page)).toEqual([]);
    // From the incoming view itself, Escape declines.
    await incoming.getByRole('button', { name: 'Answer' }).focus();
    await page.keyboard.press('Escape');
    await expect.poll(() => actions(page)).toEqual([['decline', 'call-3']]);
    await v.close();
  });

  it('a question (delete this contact?) is cancelled when a call rings; nothing is deleted', async () => {
    const v = await windowView({ viewport: WIDE });
    const { page } = v;
    await importVCard(page, 'BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ann\r\nTEL:+15550001\r\nEND:VCARD');
    await page.getByRole('tab', { name: 'Contacts' }).click();
    await page.locator('#contact-row-0').click();
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const question = page.getByRole('dialog', { name: 'Delete Ann?' });
    await question.waitFor();

    await setScenario(page, ringing);
    await question.waitFor({ state: 'hidden' });
    await page.getByTestId('incoming-view').getByRole('button', { name: 'Answer' }).click();
    expect(await actions(page)).toEqual([['answer', 'call-3']]);
    expect(await page.getByTestId('contacts-status').innerText()).toBe('1 contact');

    // Asked again while the same call still rings, the question stays.
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    await question.waitFor();
    await question.getByRole('button', { name: 'Delete' }).click();
    await expect
      .poll(() => page.getByTestId('contacts-status').innerText())
      .toBe('No contacts yet.');
    await v.close();
  });
});

describe('4. lines and what Answer does', () => {
  it('says on the button what Answer holds first, and allows as many lines as set', async () => {
    const v = await windowView({ scenario: { lines: [bob], incoming: [dave] } });
    const { page } = v;
    const banner = page.getByTestId('call-waiting');
    await banner.getByRole('button', { name: 'Hold Bob Example and answer' }).click();
    expect(await actions(page)).toEqual([['answer', 'call-3']]);

    await setScenario(page, {
      lines: [bob, { ...carol, hold: { local: true, remote: false } }],
      conferenceIds: null,
    });
    const addCall = page.getByRole('button', { name: 'Add call', exact: true });
    // Two calls and one ringing: a third line is free with the default four.
    expect(await addCall.isDisabled()).toBe(false);
    await updateSettings(page, { maxLines: 3 });
    await expect.poll(() => addCall.isDisabled()).toBe(true);
    expect(await page.getByTestId('line').allInnerTexts()).toEqual([
      expect.stringContaining('Active'),
      expect.stringContaining('On hold'),
    ]);

    // During a conference Answer holds the whole conference.
    await setScenario(page, { lines: [bob, carol], conferenceIds: ['call-1', 'call-2'] });
    await banner
      .getByRole('button', { name: 'Hold conference and answer' })
      .waitFor({ timeout: 15_000 });
    await v.close();
  });
});

describe('5. the conference shows every party with its own controls', () => {
  it('mutes, holds and hangs up one party; ends for all', async () => {
    const third = snapshot({
      id: 'call-4',
      party: { name: 'Erin', user: '1005', uri: 'sip:1005@pbx.example.com' },
      muted: true,
    });
    const v = await windowView({
      scenario: { lines: [bob, carol, third], conferenceIds: ['call-1', 'call-2', 'call-4'] },
    });
    const { page } = v;
    const view = page.getByTestId('conference-view');
    await view.waitFor();
    expect(await view.getByText('In a conference with 3 parties').count()).toBe(1);
    const parties = page.getByTestId('conference-party');
    expect(await parties.locator('.name').allInnerTexts()).toEqual([
      'Bob Example',
      'Carol Jones',
      'Erin',
    ]);
    // At 400 px no name is cut: a name that leaves the controls no room puts them under it.
    for (const name of await parties.locator('.name').all()) {
      expect(await name.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    }
    expect(await parties.nth(2).innerText()).toContain('Cannot hear you');
    expect(
      await parties
        .nth(2)
        .getByRole('button', { name: 'Mute toward Erin' })
        .getAttribute('aria-pressed'),
    ).toBe('true');
    // No button drops a single party without saying whom.
    expect(await page.getByRole('button', { name: 'Hang up', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Hang up Carol Jones' }).click();
    await page.getByRole('button', { name: 'Mute toward Bob Example' }).click();
    await page.getByRole('button', { name: 'Hold Erin' }).click();
    await page.getByRole('button', { name: 'Mute all' }).click();
    await page.getByRole('button', { name: 'End conference' }).click();
    await page.locator('body').press('Control+Shift+H');
    expect(await actions(page)).toEqual([
      ['hangup', 'call-2'],
      ['toggleMute', 'call-1'],
      ['toggleHold', 'call-4'],
      ['toggleConferenceMute'],
      ['endConference'],
      ['endConference'],
    ]);
    await v.close();
  });
});

describe('6. Hang up is always in view', () => {
  for (const viewport of [TRAY, NARROW]) {
    it(`with the keypad open, two lines and a waiting call at ${viewport.width}×${viewport.height}`, async () => {
      const v = await windowView({
        viewport,
        scenario: {
          lines: [bob, { ...carol, hold: { local: true, remote: false } }],
          incoming: [dave],
        },
      });
      const { page } = v;
      await page.getByRole('button', { name: 'Keypad', exact: true }).click();
      await page.getByRole('group', { name: 'Keypad for this call' }).waitFor();
      expect(
        await fullyVisible(page, page.getByRole('button', { name: 'Hang up', exact: true })),
      ).toBe(true);
      await page.getByRole('button', { name: 'Hang up', exact: true }).click();
      expect(await actions(page)).toEqual([['hangup', 'call-1']]);
      await v.close();
    });
  }
});

describe('7. wide windows', () => {
  it('puts the dialer or the call beside Recent and Contacts at 1400 px, not at 400 px', async () => {
    const wide = await windowView({ viewport: WIDE });
    let page = wide.page;
    const dial = await box(page.getByRole('form', { name: 'Dial' }));
    const recent = await box(page.getByRole('heading', { name: 'Recent calls' }));
    expect(dial.x + dial.width).toBeLessThanOrEqual(recent.x);
    expect(await page.getByRole('tab').allInnerTexts()).toEqual([
      'Recent',
      'Contacts',
      'Chat',
      'Colleagues',
    ]);
    await setScenario(page, { lines: [bob] });
    await page.getByTestId('call-view').waitFor();
    expect(await fullyVisible(page, page.getByRole('heading', { name: 'Recent calls' }))).toBe(
      true,
    );
    // Settings open beside the call; the call stays.
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByTestId('settings-view').waitFor();
    expect(await page.getByTestId('call-view').isVisible()).toBe(true);
    await wide.close();

    const narrow = await windowView({ viewport: NARROW });
    page = narrow.page;
    expect(await page.getByRole('tab').allInnerTexts()).toEqual([
      'Keypad',
      'Recent',
      'Contacts',
      'Chat',
      'Colleagues',
    ]);
    expect(await page.getByTestId('secondary-column').count()).toBe(0);
    await narrow.close();
  });

  it('keeps the keypad open and its call on screen when the window crosses 900 px', async () => {
    const v = await windowView({ viewport: NARROW, scenario: { lines: [bob] } });
    const { page } = v;
    const keypad = page.getByRole('button', { name: 'Keypad', exact: true });
    await keypad.click();
    await page.getByRole('group', { name: 'Keypad for this call' }).waitFor();
    await page.setViewportSize(WIDE);
    await page.getByTestId('secondary-column').waitFor();
    expect(await page.getByRole('group', { name: 'Keypad for this call' }).isVisible()).toBe(true);
    expect(await keypad.getAttribute('aria-pressed')).toBe('true');
    await keypad.click();
    await page.setViewportSize(NARROW);
    await page.getByTestId('secondary-column').waitFor({ state: 'detached' });
    expect(await page.getByRole('group', { name: 'Keypad for this call' }).count()).toBe(0);
    await v.close();
  });

  it('has a side column for panels such as busy lamps, shown only when wide', async () => {
    let v = await openView(views.browser, views.url, 'layout', { viewport: WIDE });
    const columns = ['primary', 'secondary', 'side'].map((c) => v.page.getByTestId(`${c}-column`));
    const [p, s, side] = await Promise.all(columns.map((c) => box(c)));
    expect(p!.x + p!.width).toBeLessThanOrEqual(s!.x + 1);
    expect(s!.x + s!.width).toBeLessThanOrEqual(side!.x + 1);
    expect(await v.page.getByTestId('side-panel').isVisible()).toBe(true);
    await v.close();
    v = await openView(views.browser, views.url, 'layout', { viewport: NARROW });
    expect(await v.page.getByTestId('side-column').count()).toBe(0);
    expect(await v.page.getByTestId('secondary-column').count()).toBe(0);
    await v.close();
  });
});

describe('8. the account form', () => {
  it('can set every field a provisioning file can set, and saves them', async () => {
    const v = await openView(views.browser, views.url, 'window', { viewport: NARROW });
    const { page } = v;
    const form = page.getByTestId('account-form');
    await form.waitFor();
    await form.getByText('Advanced').click();
    const settable = await form
      .locator('[data-setting]')
      .evaluateAll((els) => els.map((e) => (e.getAttribute('data-setting') ?? '').split('.')[0]));
    // The id and the RFC 5626 instance are the phone's own, never typed (nor provisioned).
    const provisionable = Object.keys(accountSchema.shape).filter(
      (k) => k !== 'id' && k !== 'instanceId',
    );
    expect(provisionable.filter((k) => !settable.includes(k))).toEqual([]);

    // A server without wss:// gets a suggestion; a bare extension gets the server's domain.
    await page.getByLabel('Account name').fill('Office');
    await page.getByLabel('WebSocket server').fill('127.0.0.1:9/ws');
    expect(await page.getByTestId('ws-suggestion').innerText()).toContain('wss://127.0.0.1:9/ws');
    await page.getByTestId('ws-suggestion').getByRole('button', { name: 'Use it' }).click();
    expect(await page.getByLabel('WebSocket server').inputValue()).toBe('wss://127.0.0.1:9/ws');
    await page.getByLabel('SIP address or extension').fill('1001');
    expect(await page.locator('#acc-sip-hint').innerText()).toBe('Saved as sip:1001@127.0.0.1');
    await page.getByLabel('SIP address or extension').blur();
    expect(await page.getByLabel('SIP address or extension').inputValue()).toBe(
      'sip:1001@127.0.0.1',
    );
    await page.getByLabel('Password', { exact: true }).fill('pw-1001');
    await page.getByLabel('Authentication user (if different)').fill('auth1001');
    await page.getByLabel('Display name').fill('Reception');
    await page.getByLabel('Realm').fill('pbx');
    await page.getByLabel('Outbound proxy (optional)').fill('sip:edge.example.com;transport=tcp');
    await page.getByLabel('Registration expiry (seconds)').fill('300');
    await page.getByLabel('Check the connection after this many idle seconds').fill('25');
    await page.getByLabel('Send key presses (DTMF) as').selectOption('info');
    await page.getByLabel('Session-Expires (seconds)').fill('900');
    await page.getByLabel(/Answer by itself when the server asks/).check();
    await page.getByLabel('Voicemail number').fill('*97');
    await page
      .getByLabel('STUN/TURN servers (space-separated)')
      .fill('stun:stun.example.com turn:turn.example.com:3478');
    await page.getByLabel('TURN user name').fill('turnuser');
    await page.getByLabel('TURN credential', { exact: true }).fill('turn-secret');
    await page.getByLabel('Longest wait for STUN/TURN answers (ms)').fill('1500');
    await page.getByLabel(/Record every answered/).check();
    // Dial rules and screen-pop are the desk's own fields (DialRulesFields, ScreenPopFields).
    await page.getByText('Dial rules', { exact: true }).click();
    await page.getByRole('button', { name: 'Add a rewrite' }).click();
    await page.getByLabel('Pattern').fill('^\\+490');
    await page.getByLabel('becomes').fill('+49');
    await page.getByLabel('Replace a leading + with').fill('00');
    await page.getByLabel('Outside-line prefix').fill('0');
    await page.getByLabel('for numbers of at least').fill('8');
    await page.getByLabel('Try a number').fill('+49 (0)30 1234567');
    await expect
      .poll(() => page.getByTestId('dial-rules-trial').innerText())
      .toBe('Will dial 00049301234567');
    await page.getByText('Screen-pop', { exact: true }).click();
    await page
      .getByLabel('Address (empty for none)')
      .fill('https://crm.example.com/find?n={number}');
    await page.getByLabel('Open when the call').selectOption('answered');
    await page.getByLabel('for', { exact: true }).selectOption('both');
    await page.getByRole('button', { name: 'Save and connect' }).click();
    await expect.poll(() => v.bridge.settings.get().accounts.length).toBe(1);
    const saved = v.bridge.settings.get().accounts[0]!;
    expect(saved).toMatchObject({
      label: 'Office',
      enabled: true,
      websocketUri: 'wss://127.0.0.1:9/ws',
      sipUri: 'sip:1001@127.0.0.1',
      authUser: 'auth1001',
      displayName: 'Reception',
      realm: 'pbx',
      secretKind: 'password',
      outboundProxy: 'sip:edge.example.com;transport=tcp',
      registerExpires: 300,
      keepAliveS: 25,
      dtmfMode: 'info',
      sessionTimers: true,
      sessionExpires: 900,
      allowAutoAnswerHeader: true,
      voicemailNumber: '*97',
      iceServers: [
        { urls: ['stun:stun.example.com'] },
        { urls: ['turn:turn.example.com:3478'], username: 'turnuser' },
      ],
      iceGatheringCapMs: 1500,
      autoRecord: true,
      dialRules: {
        stripPunctuation: true,
        internationalPrefix: '00',
        outsideLinePrefix: '0',
        outsideLineMinDigits: 8,
        rewrites: [{ pattern: '^\\+490', replacement: '+49' }],
      },
      screenPop: {
        url: 'https://crm.example.com/find?n={number}',
        on: 'answered',
        direction: 'both',
      },
    });
    expect(await v.bridge.secrets.store.get(secretKey(saved.id, 'sip'))).toBe('pw-1001');
    expect(await v.bridge.secrets.store.get(secretKey(saved.id, 'turn'))).toBe('turn-secret');
    await v.close();
  });

  it('moves the focus to the first problem when saving fails, opening Advanced for it', async () => {
    const v = await openView(views.browser, views.url, 'window', { viewport: NARROW });
    const { page } = v;
    await page.getByTestId('account-form').waitFor();
    await page.getByLabel('WebSocket server').fill('wss://127.0.0.1:9/ws');
    await page.getByRole('button', { name: 'Save and connect' }).click();
    expect(await focused(page)).toMatchObject({ id: 'acc-label' });
    await page.getByLabel('Account name').fill('Office');
    await page.getByLabel('SIP address or extension').fill('1001');
    await page.getByLabel('Password', { exact: true }).fill('pw');
    await page.getByText('Advanced').click();
    await page.getByLabel('Outbound proxy (optional)').fill('edge.example.com');
    await page.getByText('Advanced').click();
    expect(await page.getByLabel('Outbound proxy (optional)').isVisible()).toBe(false);
    await page.getByRole('button', { name: 'Save and connect' }).click();
    expect(await focused(page)).toMatchObject({ id: 'acc-proxy' });
    expect(await page.getByText('Enter the outbound proxy as a SIP address').isVisible()).toBe(
      true,
    );
    // A dial rule that is not one: refused with the rule's problem in words, nothing saved.
    await page.getByLabel('Outbound proxy (optional)').fill('sip:edge.example.com');
    await page.getByText('Dial rules', { exact: true }).click();
    await page.getByRole('button', { name: 'Add a rewrite' }).click();
    await page.getByLabel('Pattern').fill('(a');
    await page.getByText('Advanced').click();
    await page.getByRole('button', { name: 'Save and connect' }).click();
    await expect
      .poll(() => page.getByTestId('dial-rules-problems').innerText())
      .toMatch(/^Rewrite rule 1: /);
    expect(await page.getByTestId('dial-rules').getAttribute('open')).toBe('');
    expect(v.bridge.settings.get().accounts).toEqual([]);
    await v.close();
  });
});

describe('9. a tray-sized window', () => {
  it('keeps the status bar on one row, shows missed calls once, DND on the dot', async () => {
    const v = await windowView({
      viewport: TRAY,
      accounts: [{ ...OFFICE, label: 'Office PBX – reception desk, second floor' }],
    });
    const { page } = v;
    await addHistory(page, {
      id: 'm1',
      startedAt: Date.now() - 60_000,
      answeredAt: null,
      endedAt: Date.now() - 50_000,
      durationS: 0,
      direction: 'incoming',
      outcome: 'missed',
      accountId: 'acc-1',
      accountLabel: 'Office',
      partyName: 'Dave',
      partyUser: '1004',
      partyUri: 'sip:1004@pbx.example.com',
      partyKey: '1004',
      endCause: 'canceled-remote',
      endCode: null,
      seen: false,
    });
    await page.getByTestId('missed-count').waitFor();
    await page.getByTestId('dnd-toggle').click();
    const status = page.getByTestId('registration-status');
    await expect.poll(() => status.getAttribute('data-dot')).toBe('dnd');
    const bar = await box(page.locator('header.bar'));
    expect(bar.height).toBeLessThan(64);
    for (const part of [
      page.getByTestId('missed-count'),
      page.getByTestId('dnd-toggle'),
      page.getByRole('button', { name: 'Settings' }),
      status,
    ]) {
      const b = await box(part);
      expect(b.y).toBeGreaterThanOrEqual(bar.y);
      expect(b.y + b.height).toBeLessThanOrEqual(bar.y + bar.height);
      expect(b.x + b.width).toBeLessThanOrEqual(TRAY.width);
    }
    // Missed calls are counted in one place.
    expect(await page.getByText(/missed/i).count()).toBe(1);
    expect(await page.getByRole('tab').allInnerTexts()).toEqual([
      'Keypad',
      'Recent',
      'Contacts',
      'Chat',
      'Colleagues',
    ]);
    // The badge opens Recent, which marks them seen.
    await page.getByTestId('missed-count').click();
    expect(await page.getByRole('tab', { name: 'Recent' }).getAttribute('aria-selected')).toBe(
      'true',
    );
    await expect.poll(() => page.getByTestId('missed-count').count()).toBe(0);
    await v.close();
  });

  it('lets the "call ended" banner be dismissed', async () => {
    const ended = snapshot({
      status: 'ended',
      endedAt: Date.now(),
      end: { cause: 'hangup-remote', code: null, message: 'They hung up.' },
    });
    const v = await windowView({ viewport: TRAY, scenario: { lastEnded: ended } });
    const banner = v.page.getByTestId('call-ended');
    await banner.waitFor();
    await banner.getByRole('button', { name: 'Dismiss' }).click();
    await banner.waitFor({ state: 'detached' });
    expect(await actions(v.page)).toEqual([['dismissEnded']]);
    await v.close();
  });
});

describe('11. one name for a party everywhere, from contacts first', () => {
  it('uses the contact name in the call, hold note, lines, waiting banner and ended banner', async () => {
    const linph = snapshot({
      id: 'call-9',
      party: { name: 'Linphone', user: 'linph', uri: 'sip:linph@pbx.example.com' },
      hold: { local: false, remote: true },
      info: {
        ...bob.info,
        transferredBy: { name: 'Linphone', user: 'linph', uri: 'sip:linph@pbx.example.com' },
      },
    });
    const v = await windowView({ scenario: { lines: [linph, carol], incoming: [] } });
    const { page } = v;
    const texts = async (): Promise<string[]> => [
      await page.getByTestId('call-party').innerText(),
      await page.getByTestId('hold-state').innerText(),
      await page.getByText(/^Transferred by/).innerText(),
      (await page.getByTestId('line').first().innerText()).split('\n')[0] ?? '',
    ];
    await page.getByTestId('call-view').waitFor();
    expect(await texts()).toEqual([
      'Linphone',
      'Linphone put you on hold',
      'Transferred by Linphone',
      'Linphone',
    ]);
    await addContact(page, {
      name: 'Lin Phone Support',
      numbers: [],
      sipAddresses: ['linph@pbx.example.com'],
      favourite: false,
    });
    await expect
      .poll(texts)
      .toEqual([
        'Lin Phone Support',
        'Lin Phone Support put you on hold',
        'Transferred by Lin Phone Support',
        'Lin Phone Support',
      ]);
    await setScenario(page, {
      currentId: 'call-2',
      incoming: [{ ...linph, id: 'call-10', status: 'incoming', direction: 'incoming' }],
    });
    expect(await page.getByTestId('call-waiting').innerText()).toContain(
      'Lin Phone Support is calling',
    );
    await setScenario(page, {
      lines: [],
      incoming: [],
      lastEnded: {
        ...linph,
        status: 'ended',
        end: { cause: 'hangup-remote', code: null, message: 'They hung up.' },
      },
    });
    expect(await page.getByTestId('call-ended').innerText()).toContain(
      'Call with Lin Phone Support ended.',
    );
    await v.close();
  });
});

describe('12. accessibility', () => {
  it("passes axe in the dark theme, and axe does catch the old palette's low contrast", async () => {
    const v = await windowView({
      colorScheme: 'dark',
      scenario: { lines: [bob], incoming: [dave] },
    });
    const { page } = v;
    await page.getByTestId('call-waiting').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    // The colours the issue measured at 3.1–3.4:1 behind white text.
    await page.addStyleTag({
      content: ':root { --call: #2ea043; --hang: #f85149; --accent-fill: #4493f8; }',
    });
    const found = await seriousViolations(page);
    expect(found.map((f) => f.id)).toContain('color-contrast');
    await v.close();
  });
});

describe('13. smaller things', () => {
  it("shows a link's extension before and during the call", async () => {
    const v = await windowView();
    const { page } = v;
    const parsed = parseDialLink('tel:+14155550100;ext=123');
    if (!parsed.ok) {
      throw new Error(parsed.reason);
    }
    await v.bridge.emit(page, 'links/dial-requested', {
      target: parsed.target,
      source: 'link',
      autoDial: false,
    });
    await expect
      .poll(() => page.getByTestId('dial-preview').innerText())
      .toContain('dials extension 123 after the answer');
    await setScenario(page, {
      lines: [
        snapshot({ status: 'ringing', answeredAt: null, info: { ...bob.info, extension: '123' } }),
      ],
    });
    expect(await page.getByTestId('call-extension').innerText()).toBe(
      'Extension 123, dialled after the answer',
    );
    await v.close();
  });

  it('keeps the call in view (or in a strip with Hang up) while Sound settings are open', async () => {
    const narrow = await windowView({ scenario: { lines: [bob] } });
    let page = narrow.page;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Sound' }).click();
    await page.getByTestId('audio-settings').waitFor();
    const strip = page.getByTestId('call-strip');
    expect(await strip.innerText()).toContain('Bob Example');
    expect(await fullyVisible(page, strip.getByRole('button', { name: 'Hang up' }))).toBe(true);
    await strip.getByRole('button', { name: /Bob Example/ }).click();
    await page.getByTestId('call-view').waitFor();
    await narrow.close();

    const wide = await windowView({ viewport: WIDE, scenario: { lines: [bob] } });
    page = wide.page;
    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Sound' }).click();
    await page.getByTestId('audio-settings').waitFor();
    expect(await page.getByTestId('call-view').isVisible()).toBe(true);
    await wide.close();
  });

  it('writes out a long device name in full, and fits the dial placeholder at 360 px', async () => {
    const LONG = 'Jabra Evolve2 85 USB Headset with Charging Stand (Left Channel, Wideband)';
    const v = await windowView({
      viewport: TRAY,
      init: () => {
        const label = 'Jabra Evolve2 85 USB Headset with Charging Stand (Left Channel, Wideband)';
        const device = (deviceId: string, kind: string, name: string): MediaDeviceInfo =>
          ({
            deviceId,
            kind,
            label: name,
            groupId: deviceId,
            toJSON: () => ({}),
          }) as MediaDeviceInfo;
        navigator.mediaDevices.enumerateDevices = () =>
          Promise.resolve([
            device('default', 'audioinput', 'Default'),
            device('jabra-in', 'audioinput', label),
            device('default', 'audiooutput', 'Default'),
          ]);
      },
    });
    const { page } = v;
    const input = page.getByLabel('Number or address');
    const fits = await input.evaluate((el) => {
      const field = el as HTMLInputElement;
      const style = getComputedStyle(field);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = style.font;
      const room =
        field.clientWidth -
        Number.parseFloat(style.paddingLeft) -
        Number.parseFloat(style.paddingRight);
      return ctx.measureText(field.placeholder).width <= room;
    });
    expect(fits).toBe(true);

    await page.getByRole('button', { name: 'Settings' }).click();
    await page.getByRole('tab', { name: 'Sound' }).click();
    await page.getByTestId('microphone-device').selectOption('jabra-in');
    const full = page.getByTestId('microphone-device-full');
    await expect.poll(() => full.innerText()).toBe(LONG);
    const b = await box(full);
    expect(b.x + b.width).toBeLessThanOrEqual(TRAY.width);
    await v.close();
  });
});
