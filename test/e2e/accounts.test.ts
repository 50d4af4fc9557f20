// Issue 7: several accounts at once. The app registers to two Kamailio domains at the same
// time, calls out on each (the callee sees the right caller), and labels incoming calls with
// the account they came in on. A provisioning file imports accounts without passwords.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({
  name: 'e2e-accounts',
  domains: ['lab.test', 'second.test'],
  rtpengine: false,
});
const env = useE2eEnv();

describe('several accounts', () => {
  it('registers two domains at once, calls out and takes calls on each, labelled', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bobOffice = await PhonePage.open(await env.browser(880), env.server);
    const bobHome = await PhonePage.open(await env.browser(660), env.server);
    try {
      const office = lab.lab.account('alice', 'lab.test');
      const home = lab.lab.account('alice', 'second.test');
      await alice.bridge.seedAccount(
        { label: 'Office', websocketUri: office.wsUrl, sipUri: office.uri },
        office.password,
      );
      await alice.bridge.seedAccount(
        { label: 'Home', websocketUri: home.wsUrl, sipUri: home.uri },
        home.password,
      );
      await alice.page.reload();
      await signIn(bobOffice, lab.lab.account('bob', 'lab.test'));
      await signIn(bobHome, lab.lab.account('bob', 'second.test'));
      for (const phone of [alice, bobOffice, bobHome]) {
        await phone.waitForRegistration('registered');
      }
      // Both of alice's accounts are registered (the tray summary says so only when all are).
      await expect.poll(() => alice.bridge.shell.summaries.at(-1)?.registration).toBe('registered');
      expect(lab.lab.kamailioFor('lab.test').registerCount('alice')).toBeGreaterThan(0);
      expect(lab.lab.kamailioFor('second.test').registerCount('alice')).toBeGreaterThan(0);

      // Out on each account: the call reaches the bob of that domain, from that alice.
      const from = alice.page.getByLabel('Call from account');
      for (const [label, bob] of [
        ['Office', bobOffice],
        ['Home', bobHome],
      ] as const) {
        await from.selectOption({ label });
        await alice.dial('bob');
        await bob.waitForIncoming();
        expect(await bob.page.getByTestId('call-party').innerText()).toBe('alice');
        await bob.answer();
        await alice.waitForCallStatus('active');
        await alice.hangup();
        await bob.waitForEnded();
      }
      const invites = (await alice.sipSent()).filter((m) => m.text.startsWith('INVITE '));
      expect(invites.some((m) => m.text.startsWith('INVITE sip:bob@lab.test '))).toBe(true);
      expect(invites.some((m) => m.text.startsWith('INVITE sip:bob@second.test '))).toBe(true);

      // In on each account, labelled with the account it came in on.
      for (const [label, bob] of [
        ['Office', bobOffice],
        ['Home', bobHome],
      ] as const) {
        await bob.dial('alice');
        await alice.waitForIncoming();
        expect(await alice.page.getByTestId('incoming-view').innerText()).toContain(`on ${label}`);
        await alice.decline();
        await bob.waitForEnded();
      }

      // Disabling an account keeps it configured and unregisters it.
      await alice.page.getByRole('button', { name: 'Settings', exact: true }).click();
      const homeRow = alice.page.locator('[data-testid="account-row"]', { hasText: 'Home' });
      await homeRow.getByLabel('Enabled').uncheck();
      await expect.poll(() => homeRow.innerText()).toContain('Disabled');
      await bobHome.dial('alice');
      expect(await bobHome.waitForEnded()).toBe('not-found');
      for (const phone of [alice, bobOffice, bobHome]) {
        expect(phone.errors).toEqual([]);
      }
    } finally {
      await alice.close();
      await bobOffice.close();
      await bobHome.close();
    }
  });

  it('imports a provisioning file: accounts without passwords, asked for after import', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    try {
      const office = lab.lab.account('alice', 'lab.test');
      await signIn(alice, office);
      await alice.waitForRegistration('registered');
      const home = lab.lab.account('carol', 'second.test');
      const file = join(env.dir, 'provisioning.json');
      writeFileSync(
        file,
        JSON.stringify({
          format: 'open-softphone-provisioning',
          version: 1,
          accounts: [{ label: 'Provisioned', websocketUri: home.wsUrl, sipUri: home.uri }],
        }),
      );
      await alice.page.getByRole('button', { name: 'Settings', exact: true }).click();
      await alice.page.getByLabel('Import a provisioning file…').setInputFiles(file);
      await expect
        .poll(() => alice.page.getByTestId('provisioning-report').innerText())
        .toContain('Added 1 account');
      const row = alice.page.locator('[data-testid="account-row"]', { hasText: 'Provisioned' });
      // It says why it is not registered, and where to fix it.
      await expect.poll(() => row.innerText()).toContain('Needs a password');
      expect(await row.innerText()).toContain('Enter the password for Provisioned');

      // A file holding a password is refused, naming the field.
      const bad = join(env.dir, 'bad.json');
      writeFileSync(
        bad,
        JSON.stringify({
          format: 'open-softphone-provisioning',
          version: 1,
          accounts: [
            {
              label: 'X',
              websocketUri: home.wsUrl,
              sipUri: 'sip:x@second.test',
              password: 'hunter2',
            },
          ],
        }),
      );
      await alice.page.getByLabel('Import a provisioning file…').setInputFiles(bad);
      const problems = await alice.page.getByRole('alert').allInnerTexts();
      expect(problems.join(' ')).toMatch(/password or other secret in "accounts\[0\]\.password"/);
      expect(problems.join(' ')).not.toContain('hunter2');

      // Entering the password registers it.
      await row.getByRole('button', { name: 'Edit', exact: true }).click();
      await alice.page.getByLabel('Password (leave empty to keep)').fill(home.password);
      await alice.page.getByRole('button', { name: 'Save and connect' }).click();
      await expect
        .poll(() =>
          alice.page.locator('[data-testid="account-row"]', { hasText: 'Provisioned' }).innerText(),
        )
        .toContain('Registered');
    } finally {
      await alice.close();
    }
  });
});
