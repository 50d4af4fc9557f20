// Issue 20: a connection that heals itself. Through the lab's WsFront, a half-open WebSocket
// (the flow swallows everything but looks open) is found by the keep-alive and replaced, and
// after a resume from sleep the open socket is never trusted: both end registered again.
// "Transport changes" (liblinphone's name): an account moved to another WebSocket server while
// registered takes its binding off over the old connection and registers over the new one.
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
  it('"Transport changes": an account moved to another server unregisters over the old connection, registers over the new, one binding', async () => {
    const first = await lab.lab.startWsFront({ mode: 'forward' });
    const second = await lab.lab.startWsFront({ mode: 'forward' });
    const phone = await PhonePage.open(await env.browser(440), env.server);
    try {
      const carol = lab.lab.account('carol');
      await signInWith(phone, carol, first.url, 20);
      await expect.poll(() => bindings('carol').length).toBe(1);
      const instance = phone.bridge.settings.get().accounts[0]?.instanceId;
      expect(instance).toBeDefined();

      // The user edits the account's WebSocket server in Settings.
      await phone.page.getByRole('button', { name: 'Settings', exact: true }).click();
      const row = phone.page.locator('[data-testid="account-row"]').first();
      await row.getByRole('button', { name: 'Edit', exact: true }).click();
      await phone.page.getByLabel('WebSocket server').fill(second.url);
      await phone.page.getByRole('button', { name: 'Save and connect' }).click();

      // Registered over the new connection; the old one is closed.
      await expect.poll(() => second.clientCount, { timeout: 30_000 }).toBe(1);
      await expect.poll(() => first.clientCount, { timeout: 30_000 }).toBe(0);
      await phone.waitForRegistration('registered', 30_000);
      const registered = (front: typeof first): boolean =>
        front.frames.some(
          (f) => f.dir === 'down' && /^SIP\/2\.0 200[^]*CSeq: \d+ REGISTER/i.test(f.text),
        );
      await expect.poll(() => registered(second), { timeout: 30_000 }).toBe(true);
      // The binding came off over the old connection (Expires 0, answered), before the new
      // connection's first REGISTER.
      const unregister = first.frames.find(
        (f) =>
          f.dir === 'up' && /^REGISTER /.test(f.text) && /expires=0\b|^Expires: 0\b/im.test(f.text),
      );
      expect(unregister).toBeDefined();
      const firstOnSecond = second.frames.find((f) => f.dir === 'up' && /^REGISTER /.test(f.text));
      expect(firstOnSecond).toBeDefined();
      expect(unregister?.t ?? Infinity).toBeLessThan(firstOnSecond?.t ?? 0);
      // One binding, the account's own instance, now on the second connection's flow.
      await expect.poll(() => bindings('carol').length).toBe(1);
      expect(String(bindings('carol')[0]?.instance)).toContain(`urn:uuid:${instance ?? ''}`);
      expect(phone.bridge.settings.get().accounts[0]?.websocketUri).toBe(second.url);
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
      await first.stop();
      await second.stop();
    }
  });
});
