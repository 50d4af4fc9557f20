// Issue 20: a connection that heals itself. Through the lab's WsFront, a half-open WebSocket
// (the flow swallows everything but looks open) is found by the keep-alive and replaced, and
// after a resume from sleep the open socket is never trusted: both end registered again.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import type { LabAccount } from '../lab';

// Kamailio as an RFC 5626 edge proxy and registrar (outbound module), bindings in sqlite.
const lab = useLab({
  name: 'e2e-connection-healing',
  rtpengine: false,
  outbound: { flowTimer: 20 },
  persistLocation: true,
});

const bindings = (user: string): Record<string, unknown>[] =>
  lab.lab.kamailio.query(
    'location',
    `select contact, instance, reg_id from location where username = '${user}'`,
  );
const env = useE2eEnv();

async function signInWith(
  phone: PhonePage,
  account: LabAccount,
  wsUrl: string,
  keepAliveS: number,
): Promise<void> {
  await phone.bridge.seedAccount(
    { label: account.user, websocketUri: wsUrl, sipUri: account.uri, keepAliveS },
    account.password,
  );
  await phone.page.reload();
  await phone.waitForRegistration('registered');
}

describe('connection healing', () => {
  it('finds a half-open connection with the keep-alive, replaces it and registers again', async () => {
    const front = await lab.lab.startWsFront({ mode: 'forward' });
    const phone = await PhonePage.open(await env.browser(440), env.server);
    try {
      const alice = lab.lab.account('alice');
      await signInWith(phone, alice, front.url, 5);
      const opens = await phone.sipOpens();
      const registers = lab.lab.kamailio.registerCount('alice');
      // Existing flows go silent; a new connection is forwarded (a NAT that forgot the flow).
      await front.setMode('stall');
      await expect
        .poll(async () => (await phone.registrationProblem())?.text ?? '', { timeout: 30_000 })
        .toMatch(/replaced: nothing came back from the server for 13 s/);
      expect((await phone.registrationProblem())?.cause).toBe('connection-lost');
      const probes = (await phone.sipSent()).filter((m) => m.text.startsWith('OPTIONS '));
      expect(probes.length).toBeGreaterThan(0);
      await phone.waitForRegistration('registered', 30_000);
      expect(await phone.sipOpens()).toBe(opens + 1);
      expect(lab.lab.kamailio.registerCount('alice')).toBeGreaterThan(registers);
      // RFC 5626: the registrar took the REGISTER as an outbound flow, and the new flow
      // replaced the old one: one binding, with the account's stable instance and reg-id 1.
      const ok = (await phone.sipReceived()).filter((m) =>
        /^SIP\/2\.0 200[^]*CSeq: \d+ REGISTER/i.test(m.text),
      );
      expect(ok.at(-1)?.text).toMatch(/^Require: outbound/im);
      const instance = phone.bridge.settings.get().accounts[0]?.instanceId;
      expect(instance).toBeDefined();
      await expect.poll(() => bindings('alice').length).toBe(1);
      expect(String(bindings('alice')[0]?.instance)).toContain(`urn:uuid:${instance ?? ''}`);
      expect(Number(bindings('alice')[0]?.reg_id)).toBe(1);
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
      await front.stop();
    }
  });

  it('after a resume from sleep, opens a fresh connection instead of trusting the old one', async () => {
    const front = await lab.lab.startWsFront({ mode: 'forward' });
    const phone = await PhonePage.open(await env.browser(440), env.server);
    try {
      const bob = lab.lab.account('bob');
      // A long keep-alive, so that only the resume event can find the dead flow here.
      await signInWith(phone, bob, front.url, 300);
      const opens = await phone.sipOpens();
      const registers = lab.lab.kamailio.registerCount('bob');
      await front.setMode('stall');
      await phone.bridge.emit(phone.page, 'power/changed', { reason: 'resume' });
      await expect.poll(() => phone.sipOpens(), { timeout: 30_000 }).toBe(opens + 1);
      await expect
        .poll(() => lab.lab.kamailio.registerCount('bob'), { timeout: 30_000 })
        .toBeGreaterThan(registers);
      await phone.waitForRegistration('registered', 30_000);
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
      await front.stop();
    }
  });
});
