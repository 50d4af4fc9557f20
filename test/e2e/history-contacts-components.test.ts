// The history and contacts views in Debian's Chromium, on a test page built from the real
// components and stores (test/bench/pages/history-contacts, built here with Vite's JS API) over
// the browser's real IndexedDB: search, keyboard navigation, call-back callbacks, delete, clear
// with confirmation, missed calls marked seen, persistence across a reload, contact search and
// calls, the editor, vCard import with its report and export as a download.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ContactDraft } from '../../src-renderer/src/lib/contacts/types';
import { parseVCards } from '../../src-renderer/src/lib/contacts/vcard';
import type { HistoryEntry } from '../../src-renderer/src/lib/history/types';
import { buildHistoryContactsPage, type BuiltPage } from '../bench/build-page';
import { launchPhoneBrowser } from '../support/chromium';
import { serveStatic, type StaticServer } from '../support/static-server';

const NOW = Date.UTC(2024, 5, 15, 12, 0);
const HOUR = 3_600_000;
const BROKEN_VCF = resolve(import.meta.dirname, '../fixtures/vcards/broken.vcf');

function entry(id: string, over: Partial<HistoryEntry>): HistoryEntry {
  return {
    id,
    startedAt: NOW,
    answeredAt: null,
    endedAt: NOW,
    durationS: 0,
    direction: 'incoming',
    outcome: 'answered',
    accountId: 'acc-1',
    accountLabel: 'Office',
    partyName: null,
    partyUser: '1001',
    partyUri: 'sip:1001@pbx.example.com',
    partyKey: '1001',
    endCause: 'hangup-remote',
    endCode: null,
    seen: true,
    ...over,
  };
}

const HISTORY: HistoryEntry[] = [
  entry('h1', {
    startedAt: NOW - 1 * HOUR,
    partyName: 'Jürgen Müller',
    partyUser: '+49301234567',
    partyUri: 'sip:+49301234567@pbx.example.com',
    outcome: 'missed',
    seen: false,
    endCause: 'canceled-remote',
  }),
  entry('h2', {
    startedAt: NOW - 2 * HOUR,
    direction: 'outgoing',
    partyName: 'Alice',
    partyUser: 'alice',
    partyUri: 'sip:alice@pbx.example.com',
    accountId: 'acc-2',
    accountLabel: 'Home',
    durationS: 125,
  }),
  entry('h3', {
    startedAt: NOW - 3 * HOUR,
    partyUser: '0701234567',
    partyUri: 'sip:0701234567@pbx.example.com',
    durationS: 30,
  }),
  entry('h4', {
    startedAt: NOW - 26 * HOUR,
    direction: 'outgoing',
    partyUser: 'bob',
    partyUri: 'sip:bob@example.org',
    outcome: 'declined',
    endCause: 'declined',
  }),
];

const CONTACTS: ContactDraft[] = [
  {
    name: 'Zoë Ångström',
    numbers: [{ label: 'mobile', value: '+46 70 123 45 67' }],
    sipAddresses: [],
    favourite: false,
  },
  { name: 'Carol', numbers: [], sipAddresses: ['carol@example.com'], favourite: true },
  { name: 'Dave', numbers: [{ label: 'work', value: '1002' }], sipAddresses: [], favourite: false },
];

let built: BuiltPage;
let server: StaticServer;
let browser: Browser;
let page: Page;
const pageErrors: string[] = [];

async function openPage(db: string): Promise<void> {
  await page.goto(`${server.url}?db=${db}&now=${NOW}`);
  await page.waitForSelector('html[data-ready="true"]');
}

async function mountBoth(): Promise<void> {
  await page.evaluate(() => window.__harness.open('both'));
}

const status = (id: string): Promise<string> => page.getByTestId(id).innerText();
const activeId = (label: string): Promise<string | null> =>
  page.getByRole('listbox', { name: label }).getAttribute('aria-activedescendant');

beforeAll(async () => {
  built = await buildHistoryContactsPage();
  server = await serveStatic(built.dir);
  browser = await launchPhoneBrowser();
  // Dates and times are shown in the user's locale and zone: pin both.
  const context = await browser.newContext({
    acceptDownloads: true,
    locale: 'en-GB',
    timezoneId: 'UTC',
  });
  page = await context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`${error.name}: ${error.message}`));
  await openPage('e2e');
  await page.evaluate(
    async ({ history, contacts }) => {
      await window.__harness.seedHistory(history);
      await window.__harness.seedContacts(contacts);
    },
    { history: HISTORY, contacts: CONTACTS },
  );
  expect(await page.evaluate(() => window.__harness.unseenMissedInDb())).toBe(2);
  await mountBoth();
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await built?.remove();
});

describe('HistoryView', () => {
  it('lists calls newest first with contact names, and marks missed calls seen when shown', async () => {
    await expect.poll(() => status('history-status')).toBe('4 calls');
    const names = page.locator(
      '#history-row-0 .name, #history-row-1 .name, #history-row-2 .name, #history-row-3 .name',
    );
    await expect
      .poll(() => names.allInnerTexts())
      .toEqual(['Jürgen Müller', 'Alice', 'Zoë Ångström', 'bob']);
    // A row's name is what it shows (no aria-label that says something else).
    expect(await page.locator('#history-row-0').getAttribute('aria-label')).toBeNull();
    expect(await page.locator('#history-row-0').ariaSnapshot()).toBe(
      '- option "Jürgen Müller Missed call · +49301234567 · Office 11:00" [selected]',
    );
    await page.waitForFunction(() => window.__harness.seenCount === 1);
    expect(await page.evaluate(() => window.__harness.history?.missedCount)).toBe(0);
    expect(await page.evaluate(() => window.__harness.unseenMissedInDb())).toBe(0);
  });

  it('filters as you type: accents and case ignored, digits without separators, contact names', async () => {
    const search = page.locator('#history-search');
    await search.fill('MULL');
    await expect.poll(() => status('history-status')).toBe('1 call');
    expect(await page.locator('#history-row-0 .name').innerText()).toBe('Jürgen Müller');
    await search.fill('30 12-34');
    await expect.poll(() => status('history-status')).toBe('1 call');
    await search.fill('zoe');
    expect(await page.locator('#history-row-0 .name').innerText()).toBe('Zoë Ångström');
    await search.fill('nobody');
    await expect.poll(() => status('history-status')).toBe('No calls match.');
    await search.fill('');
    await expect.poll(() => status('history-status')).toBe('4 calls');
  });

  it('moves with the keyboard and calls back with Enter (numbers as numbers, users by address)', async () => {
    await page.locator('#history-search').focus();
    await page.keyboard.press('ArrowDown');
    const list = page.getByRole('listbox', { name: 'Calls' });
    expect(await list.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await activeId('Calls')).toBe('history-row-0');
    await page.keyboard.press('End');
    expect(await activeId('Calls')).toBe('history-row-3');
    await page.keyboard.press('Home');
    await page.keyboard.press('ArrowDown');
    expect(await activeId('Calls')).toBe('history-row-1');
    expect(await page.locator('#history-row-1').getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('Enter');
    // Rows hold no buttons of their own: the toolbar acts on the selected row.
    expect(await page.locator('#history-row-2 button').count()).toBe(0);
    await page.locator('#history-row-2').click();
    await page
      .getByRole('toolbar', { name: 'Selected call' })
      .getByRole('button', { name: 'Call back' })
      .click();
    expect(await page.evaluate(() => window.__harness.calls)).toEqual([
      { dial: 'sip:alice@pbx.example.com', accountId: 'acc-2' },
      { dial: '+49301234567', accountId: 'acc-1' },
      { dial: '0701234567', accountId: 'acc-1' },
    ]);
  });

  it('deletes the active row with the Delete key, and the deletion survives a reload', async () => {
    await page.locator('#history-row-3').click();
    await page.keyboard.press('Delete');
    await page.waitForFunction(
      () => document.querySelector('[data-testid="history-status"]')?.textContent === '3 calls',
    );
    expect((await page.evaluate(() => window.__harness.counts())).calls).toBe(3);
    await openPage('e2e');
    await mountBoth();
    await expect.poll(() => status('history-status')).toBe('3 calls');
    expect(await page.locator('#history-row-2 .name').innerText()).toBe('Zoë Ångström');
  });

  it('offers Undo after a Delete, by button and by Ctrl+Z, and keeps the row', async () => {
    await expect.poll(() => status('history-status')).toBe('3 calls');
    await page.locator('#history-row-1').click();
    await page.keyboard.press('Delete');
    await expect.poll(() => status('history-status')).toBe('2 calls');
    const undo = page.getByTestId('history-undo');
    expect(await undo.innerText()).toContain('Deleted the call with Alice.');
    await undo.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => status('history-status')).toBe('3 calls');
    expect(await page.locator('#history-row-1 .name').innerText()).toBe('Alice');
    expect(await activeId('Calls')).toBe('history-row-1');
    // The toolbar's Delete, then Ctrl+Z from the list.
    await page
      .getByRole('toolbar', { name: 'Selected call' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await expect.poll(() => status('history-status')).toBe('2 calls');
    await page.getByRole('listbox', { name: 'Calls' }).focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => status('history-status')).toBe('3 calls');
    expect((await page.evaluate(() => window.__harness.counts())).calls).toBe(3);
    expect(await undo.count()).toBe(0);
  });

  it('clears everything only after confirmation', async () => {
    await page.getByRole('button', { name: 'Clear history…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Clear the call history?' });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => status('history-status')).toBe('3 calls');
    await page.getByRole('button', { name: 'Clear history…' }).click();
    await dialog.getByRole('button', { name: 'Delete all' }).click();
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="history-status"]')?.textContent === 'No calls yet.',
    );
    expect((await page.evaluate(() => window.__harness.counts())).calls).toBe(0);
  });
  it('fetches the rows a search brings into view, also beyond the first page', async () => {
    const fillers = Array.from({ length: 150 }, (_, i) =>
      entry(`f${i}`, {
        startedAt: NOW - (100 + i) * HOUR,
        partyName: `Filler ${i}`,
        partyUser: 'desk',
        partyUri: 'sip:desk@pbx.example.com',
      }),
    );
    await page.evaluate((list) => window.__harness.addEntries(list), fillers);
    await page.waitForFunction(
      () => document.querySelector('[data-testid="history-status"]')?.textContent === '150 calls',
    );
    await page.locator('#history-search').fill('filler 1');
    await expect.poll(() => status('history-status')).toBe('69 calls');
    await page.waitForSelector('#history-row-12 .name');
    expect(await page.locator('#history-row-12 .name').innerText()).toBe('Filler 31');
    await page.locator('#history-search').fill('');
  });
  it('says why a call ended on its row (connection lost, audio failed), as plain text', async () => {
    const ended = [
      entry('r1', {
        startedAt: NOW - 10 * 60_000,
        partyName: 'Reason lost',
        direction: 'outgoing',
        durationS: 125,
        endCause: 'connection-lost',
      }),
      entry('r2', {
        startedAt: NOW - 20 * 60_000,
        partyName: 'Reason audio',
        direction: 'outgoing',
        outcome: 'failed',
        endCause: 'media-failed',
      }),
      entry('r3', {
        startedAt: NOW - 30 * 60_000,
        partyName: 'Reason hung up',
        durationS: 30,
        endCause: 'hangup-remote',
      }),
    ];
    await page.evaluate((list) => window.__harness.addEntries(list), ended);
    await page.locator('#history-search').fill('reason');
    await expect.poll(() => status('history-status')).toBe('3 calls');
    const subs = page.locator('#history-row-0 .sub, #history-row-1 .sub, #history-row-2 .sub');
    await expect
      .poll(() => subs.allInnerTexts())
      .toEqual([
        'Outgoing, 2:05, connection lost · 1001 · Office',
        'Outgoing, failed, audio failed · 1001 · Office',
        'Incoming, 0:30 · 1001 · Office',
      ]);
    expect(await page.locator('#history-row-0').ariaSnapshot()).toBe(
      '- option "Reason lost Outgoing, 2:05, connection lost · 1001 · Office 11:50" [selected]',
    );
    expect(await page.locator('#history-row-0 .sub *').count()).toBe(0);
    await page.locator('#history-search').fill('');
  });
});

describe('ContactsView', () => {
  it('lists favourites first, searches, and calls the primary number with Enter', async () => {
    await expect.poll(() => status('contacts-status')).toBe('3 contacts');
    expect(await page.locator('#contact-row-0 .name').innerText()).toBe('Carol');
    await page.locator('#contacts-search').fill('ANGS');
    await expect.poll(() => status('contacts-status')).toBe('1 contact');
    await page.keyboard.press('Enter');
    await page.locator('#contacts-search').fill('example.com');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.locator('#contacts-search').fill('');
    await page.locator('#contact-row-1').click();
    await page.getByRole('button', { name: 'Call work 1002' }).click();
    const calls = await page.evaluate(() => window.__harness.calls.slice(-3));
    expect(calls).toEqual([
      { dial: '+46 70 123 45 67' },
      { dial: 'carol@example.com' },
      { dial: '1002' },
    ]);
  });

  it('adds a contact through the editor, refusing an invalid number first', async () => {
    await page.getByRole('button', { name: 'New contact' }).click();
    const editor = page.getByRole('form', { name: 'New contact' });
    await editor.getByLabel('Name').fill('Erin Example');
    await editor.getByLabel('Number 1', { exact: true }).fill('not a number');
    await editor.getByRole('button', { name: 'Save' }).click();
    expect(await editor.getByText('This is not a phone number.').isVisible()).toBe(true);
    await editor.getByLabel('Number 1', { exact: true }).fill('+44 20 7946 0018');
    await editor.getByRole('button', { name: 'Save' }).click();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="contacts-status"]')?.textContent === '4 contacts',
    );
    await page.locator('#contacts-search').fill('7946 0018');
    expect(await page.locator('#contact-row-0 .name').innerText()).toBe('Erin Example');
    await page.locator('#contacts-search').fill('');
  });

  it('imports a .vcf file and reports every skipped card with its reason', async () => {
    await page.getByTestId('vcard-file').setInputFiles(BROKEN_VCF);
    const report = page.getByTestId('import-report');
    await report.waitFor();
    // The report is one line; its details open on demand.
    await report.getByText('Details', { exact: true }).click();
    const items = await report.locator('li').allInnerTexts();
    expect(await report.locator('p').first().innerText()).toBe(
      'Imported 4 contacts. 6 cards were skipped:',
    );
    expect(items).toEqual([
      'Card 1 (Lost End): A new card begins before this one ends (END:VCARD is missing or a card is nested in it).',
      'Card 3 (EMAIL:nobody@example.com): The card has no name, phone number or SIP address.',
      'Card 4 (Name Only): The card has no phone number or SIP address.',
      'Card 6 (After The Lost End): Duplicate of card 2 (same name, numbers and addresses).',
      'Card 7 (Boss): A new card begins before this one ends (END:VCARD is missing or a card is nested in it).',
      'Card 10 (Truncated): The file ends before this card does (END:VCARD is missing).',
    ]);
    await expect.poll(() => status('contacts-status')).toBe('8 contacts');
    // The same file again: everything is already there.
    await page.getByTestId('vcard-file').setInputFiles(BROKEN_VCF);
    await page.waitForFunction(() =>
      document
        .querySelector('[data-testid="import-report"] p')
        ?.textContent?.startsWith('Imported 0 contacts.'),
    );
    await report.getByText('Details', { exact: true }).click();
    expect(await report.innerText()).toContain(
      'Already in your contacts: After The Lost End, ACME Corp., Assistant, +1 555 0102.',
    );
  });

  it('exports vCard 4.0 as a download that reads back as the same contacts', async () => {
    await page.getByText('Export vCard', { exact: true }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Export vCard 4.0' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('contacts.vcf');
    const text = await readFile((await download.path()) ?? '', 'utf8');
    const names = parseVCards(text).imported.map((c) => c.name);
    expect(names).toEqual([
      'Carol',
      '+1 555 0102',
      'ACME Corp.',
      'After The Lost End',
      'Assistant',
      'Dave',
      'Erin Example',
      'Zoë Ångström',
    ]);
  });
});
