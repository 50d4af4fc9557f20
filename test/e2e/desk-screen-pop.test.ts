// Issue 16, screen-pop through the REAL renderer and main's real ScreenPopService (behind the
// test bridge, the default browser recorded): a call from bob opens alice's CRM page once as it
// rings, with every value URL-encoded (a display name with spaces, '&', '/', '?' and a
// non-ASCII letter), and never again for that call; an account that pops at the end opens one
// page per call, for the direction it names; and nothing opens for a call do-not-disturb
// declined — while the next, rung call does open.
import { describe, expect, it } from 'vitest';
import type { AccountSettings } from '@shared/settings-types';
import type { LabAccount } from '../lab/lab';
import { useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { useLab } from '../support/use-lab';

const lab = useLab({ name: 'e2e-desk-screen-pop' });
const env = useE2eEnv();

const TEMPLATE =
  'https://crm.example.com/pop?n={number}&who={name}&dir={direction}&acc={account}&id={callId}';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

async function signInWith(
  phone: PhonePage,
  account: LabAccount,
  extra: Partial<AccountSettings>,
): Promise<void> {
  await phone.bridge.seedAccount(
    {
      label: `${account.user}@${account.domain}`,
      websocketUri: account.wsUrl,
      sipUri: account.uri,
      ...extra,
    },
    account.password,
  );
  await phone.page.reload();
  await phone.waitForRegistration('registered');
}

function idOf(url: string | undefined): string | null {
  return url ? new URL(url).searchParams.get('id') : null;
}

describe('screen-pop', () => {
  it('opens the page once as a call rings, with its values URL-encoded', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      const pops = alice.bridge.shell.screenPops;
      await signInWith(alice, lab.lab.account('alice'), {
        screenPop: { url: TEMPLATE, on: 'ringing', direction: 'incoming' },
      });
      await signInWith(bob, lab.lab.account('bob'), { displayName: 'Zoë & Co/?' });

      await bob.dial('alice');
      await alice.waitForIncoming();
      await expect.poll(() => pops.length).toBe(1);
      expect(pops[0]).toMatch(
        new RegExp(
          `^https://crm\\.example\\.com/pop\\?n=bob&who=Zo%C3%AB%20%26%20Co%2F%3F&dir=incoming&acc=alice%40${lab.lab.account('alice').domain.replace(/\./g, '\\.')}&id=${UUID}$`,
        ),
      );
      await alice.answer();
      await bob.waitForCallStatus('active');
      await bob.hangup();
      await alice.waitForEnded();

      // The next call opens its own page, once; alice's own outgoing calls open none.
      await bob.dial('alice');
      await alice.waitForIncoming();
      await expect.poll(() => pops.length).toBe(2);
      expect(idOf(pops[1])).not.toBe(idOf(pops[0]));
      await alice.decline();
      await alice.dial('bob');
      await bob.waitForIncoming();
      await bob.answer();
      await alice.waitForCallStatus('active');
      await alice.hangup();
      await bob.waitForEnded();
      expect(pops).toHaveLength(2);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('opens one page as each outgoing call ends, and none for incoming ones', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      const pops = alice.bridge.shell.screenPops;
      await signInWith(alice, lab.lab.account('alice'), {
        screenPop: {
          url: 'http://crm.example.com/ended/{direction}/{number}',
          on: 'ended',
          direction: 'outgoing',
        },
      });
      await signInWith(bob, lab.lab.account('bob'), {});
      await bob.dial('alice');
      await alice.waitForIncoming();
      await alice.answer();
      await bob.hangup();
      await alice.waitForEnded();

      await alice.dial('bob');
      await bob.waitForIncoming();
      await bob.answer();
      await alice.waitForCallStatus('active');
      expect(pops).toEqual([]);
      await bob.hangup();
      await alice.waitForEnded();
      await expect.poll(() => pops).toEqual(['http://crm.example.com/ended/outgoing/bob']);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('opens nothing for a call do-not-disturb declined; the next rung call opens its page', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      const pops = alice.bridge.shell.screenPops;
      await signInWith(alice, lab.lab.account('alice'), {
        screenPop: { url: TEMPLATE, on: 'ended', direction: 'incoming' },
      });
      await signInWith(bob, lab.lab.account('bob'), {});
      const dnd = alice.page.getByTestId('dnd-toggle');
      await dnd.click();
      await expect.poll(() => dnd.getAttribute('aria-pressed')).toBe('true');

      await bob.dial('alice');
      expect(await bob.waitForEnded()).toBe('busy');
      await expect.poll(() => alice.page.getByTestId('missed-count').count()).toBe(1);

      await dnd.click();
      await expect.poll(() => dnd.getAttribute('aria-pressed')).toBe('false');
      await bob.dial('alice');
      await alice.waitForIncoming();
      await alice.decline();
      await bob.waitForEnded();
      // Main's pages arrive in the order the page asked: had the declined call asked, its page
      // would be first.
      await expect.poll(() => pops.length).toBe(1);
      expect(pops[0]).toMatch(new RegExp(`dir=incoming&acc=alice%40.*&id=${UUID}$`));
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
