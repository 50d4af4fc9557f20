// A walk through every main screen of the real app against the lab, with three phones (alice,
// bob, carol): first start, dialling, a ringing call, a call (with the keypad), call waiting,
// two lines, a conference, Recent, Contacts and a contact's editor, and the three settings
// tabs. At each screen it hands the page to `visit` — the screenshot script photographs it, the
// accessibility test runs axe on it. Both walk the same list, so "every main screen" means the
// same thing for both.
import type { Page } from 'playwright-core';
import type { Lab } from '../lab/lab';
import type { PhonePage } from './phone-page';

/** One screen, reached: its name and the page showing it. */
export type Visit = (screen: string, page: Page) => Promise<void>;

export interface TourPhones {
  alice: PhonePage;
  bob: PhonePage;
  carol: PhonePage;
}

/** The screens, in the order the tour reaches them. */
export const TOUR_SCREENS = [
  'account-form',
  'dial',
  'incoming',
  'in-call',
  'in-call-keypad',
  'call-waiting',
  'two-lines',
  'conference',
  'recent',
  'contacts',
  'contact-editor',
  'settings-accounts',
  'settings-sound',
  'settings-general',
] as const;

const CONTACTS_VCF = [
  'BEGIN:VCARD',
  'VERSION:3.0',
  'FN:Bob Example',
  'ORG:Example Ltd',
  'TEL;TYPE=WORK:+1 415 555 0142',
  'IMPP:sip:bob@lab.test',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:3.0',
  'FN:Carol Jones',
  'TEL;TYPE=CELL:+44 20 7946 0958',
  'IMPP:sip:carol@lab.test',
  'END:VCARD',
  'BEGIN:VCARD',
  'VERSION:3.0',
  'FN:Reception',
  'TEL;TYPE=WORK:100',
  'END:VCARD',
  '',
].join('\r\n');

async function signIn(lab: Lab, phone: PhonePage, user: string, name: string): Promise<void> {
  const account = lab.account(user);
  await phone.bridge.seedAccount(
    { label: 'Office PBX', websocketUri: account.wsUrl, sipUri: account.uri, displayName: name },
    account.password,
  );
  await phone.page.reload();
  await phone.waitForRegistration('registered');
}

/** Walks every screen; `visit` is called once per screen with the page that shows it. */
export async function tourScreens(lab: Lab, phones: TourPhones, visit: Visit): Promise<void> {
  const { alice, bob, carol } = phones;
  await alice.page.getByTestId('account-form').waitFor();
  await visit('account-form', alice.page);
  await signIn(lab, alice, 'alice', 'Alice');
  await signIn(lab, bob, 'bob', 'Bob Example');
  await signIn(lab, carol, 'carol', 'Carol Jones');

  await alice.page.getByRole('tab', { name: 'Contacts' }).click();
  await alice.page.getByTestId('vcard-file').setInputFiles({
    name: 'contacts.vcf',
    mimeType: 'text/vcard',
    buffer: Buffer.from(CONTACTS_VCF),
  });
  await alice.page.getByTestId('import-report').waitFor();
  await alice.page.getByRole('button', { name: 'Dismiss' }).click();
  await alice.page.getByRole('tab', { name: 'Keypad' }).click();

  await alice.page.getByLabel('Number or address').fill('+1 415 555 0100');
  await visit('dial', alice.page);
  await alice.page.getByLabel('Number or address').fill('');

  await alice.dial('bob');
  await bob.waitForIncoming();
  await visit('incoming', bob.page);
  await bob.answer();
  await alice.waitForCallStatus('active');
  await visit('in-call', alice.page);
  await alice.page.getByRole('button', { name: 'Keypad', exact: true }).click();
  await alice.page.getByRole('group', { name: 'Keypad for this call' }).waitFor();
  await visit('in-call-keypad', alice.page);
  await alice.page.getByRole('button', { name: 'Keypad', exact: true }).click();

  await carol.dial('alice');
  const waiting = alice.page.getByTestId('call-waiting');
  await waiting.waitFor();
  await visit('call-waiting', alice.page);
  await waiting.getByRole('button', { name: 'Hold Bob Example and answer' }).click();
  await carol.waitForCallStatus('active');
  await alice.page
    .locator('[data-testid="line"]', { hasText: 'Carol Jones' })
    .filter({ hasText: 'Active' })
    .waitFor();
  await visit('two-lines', alice.page);

  await alice.page.getByRole('button', { name: 'Merge', exact: true }).click();
  await alice.page.getByTestId('conference-view').waitFor();
  await visit('conference', alice.page);
  await alice.page.getByRole('button', { name: 'End conference' }).click();
  await bob.waitForEnded();
  await carol.waitForEnded();
  await alice.page.getByTestId('conference-view').waitFor({ state: 'detached' });

  await alice.page.getByRole('tab', { name: 'Recent' }).click();
  await alice.page.locator('#history-row-0').waitFor();
  await visit('recent', alice.page);
  await alice.page.getByRole('tab', { name: 'Contacts' }).click();
  await alice.page.locator('#contact-row-0').click();
  await visit('contacts', alice.page);
  await alice.page.getByRole('button', { name: 'Edit', exact: true }).click();
  const editor = alice.page.getByRole('form', { name: /^Edit / });
  await editor.waitFor();
  await visit('contact-editor', alice.page);
  await editor.getByRole('button', { name: 'Cancel' }).click();
  await editor.waitFor({ state: 'detached' });

  await alice.openSettings('Accounts');
  await visit('settings-accounts', alice.page);
  await alice.openSettings('Sound');
  await alice.page.getByTestId('audio-settings').waitFor();
  await visit('settings-sound', alice.page);
  await alice.openSettings('General');
  await visit('settings-general', alice.page);
  await alice.closeSettings();
}
