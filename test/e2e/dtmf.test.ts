// Issue 5: DTMF. Keys pressed on the in-call keypad and typed on the keyboard reach baresip
// through rtpengine, in order.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({ name: 'e2e-dtmf', baresip: [{ tone: 1000, autoAnswer: true }] });
const env = useE2eEnv();

describe('DTMF', () => {
  it('sends keypad and keyboard digits that baresip receives', async () => {
    const bare = lab.lab.baresips[0]!;
    const alice = await PhonePage.open(await env.browser(440), env.server);
    try {
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');
      await alice.dial(bare.user);
      await alice.waitForCallStatus('active');
      const from = bare.events.length;

      await alice.page.getByRole('button', { name: 'Keypad', exact: true }).click();
      const pad = alice.page.getByRole('group', { name: 'Keypad for this call' });
      const shown = alice.page.getByTestId('dtmf-sent');
      // Each key is pressed once the call view shows the previous one was taken; the keys then
      // queue in the DTMF sender, so baresip must still get them all, in order.
      let typed = '';
      for (const key of ['1', '2 ABC', '3 DEF', '#']) {
        await pad.getByRole('button', { name: key, exact: true }).click();
        typed += key[0]!;
        await expect.poll(() => shown.innerText()).toBe(typed);
      }
      await alice.page.locator('body').press('9');
      await expect.poll(() => shown.innerText()).toBe('123#9');
      await alice.page.locator('body').press('*');

      await expect
        .poll(() => dtmfKeys(bare.events.slice(from)), { timeout: 10_000 })
        .toBe('123#9*');
      expect(await shown.innerText()).toBe('123#9*');
      // They went as RFC 4733 telephone-events in the media, not as SIP INFO.
      expect((await alice.sipSent()).filter((m) => m.text.startsWith('INFO '))).toEqual([]);
      await alice.hangup();
      await alice.waitForEnded();
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });

  it('sends SIP INFO instead when the account is set so', async () => {
    const bare = lab.lab.baresips[0]!;
    const alice = await PhonePage.open(await env.browser(440), env.server);
    try {
      const account = lab.lab.account('alice');
      await alice.bridge.seedAccount(
        { label: 'INFO', websocketUri: account.wsUrl, sipUri: account.uri, dtmfMode: 'info' },
        account.password,
      );
      await alice.page.reload();
      await alice.waitForRegistration('registered');
      await alice.dial(bare.user);
      await alice.waitForCallStatus('active');
      const from = bare.events.length;
      await alice.page.getByRole('button', { name: 'Keypad', exact: true }).click();
      const pad = alice.page.getByRole('group', { name: 'Keypad for this call' });
      await pad.getByRole('button', { name: '7 PQRS', exact: true }).click();
      await pad.getByRole('button', { name: '0 +', exact: true }).click();
      await expect.poll(() => dtmfKeys(bare.events.slice(from)), { timeout: 10_000 }).toBe('70');
      const infos = (await alice.sipSent()).filter((m) => m.text.startsWith('INFO '));
      expect(infos.map((m) => /Signal=(.)/.exec(m.text)?.[1])).toEqual(['7', '0']);
      await alice.hangup();
      await alice.waitForEnded();
    } finally {
      await alice.close();
    }
  });
});

function dtmfKeys(events: { type: string; param?: string }[]): string {
  return events
    .filter((e) => e.type === 'CALL_DTMF_START')
    .map((e) => e.param ?? '')
    .join('');
}
