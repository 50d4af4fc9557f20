// Issue 3, test 3: a wrong password gives a clear "wrong credentials" state within seconds and
// no REGISTER storm; an unreachable server and a server that refuses the WebSocket give clear
// states, and the phone recovers by itself once the server is there.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({ name: 'e2e-registration-failures', rtpengine: false });
const env = useE2eEnv();

describe('registration failures', () => {
  it('shows wrong credentials within seconds and does not retry on its own', async () => {
    const phone = await PhonePage.open(await env.browser(440), env.server);
    try {
      const carol = lab.lab.account('carol');
      const started = Date.now();
      await signIn(phone, carol, 'not-the-password');
      await phone.waitForRegistration('failed', 5000);
      expect(Date.now() - started).toBeLessThan(5000);
      expect(await phone.registrationProblem()).toMatchObject({ cause: 'wrong-credentials' });
      expect((await phone.registrationProblem())?.text).toMatch(
        /did not accept the user name or password/,
      );
      expect(await phone.page.getByTestId('registration-status').innerText()).toBe(
        'Wrong credentials',
      );

      // Watch the registrar for a while: exactly the challenge and one answer, nothing more.
      await new Promise((r) => setTimeout(r, 8000));
      expect(lab.lab.kamailio.registerCount('carol')).toBe(2);

      // Fixing the password (saving the account again) registers.
      await signIn(phone, carol);
      await phone.waitForRegistration('registered');
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
    }
  });

  it('reports an unreachable server and recovers when it comes up', async () => {
    const front = await lab.lab.startWsFront({ mode: 'down' });
    const phone = await PhonePage.open(await env.browser(440), env.server);
    try {
      await signIn(phone, lab.lab.account('dave'), undefined, front.url);
      await phone.waitForRegistration('failed', 10_000);
      await expect
        .poll(async () => (await phone.registrationProblem())?.cause, { timeout: 5000 })
        .toBe('server-unreachable');
      expect((await phone.registrationProblem())?.text).toMatch(/Can't reach ws:\/\/127\.0\.0\.1/);

      await front.setMode('forward');
      await phone.waitForRegistration('registered', 40_000);
      expect(await phone.registrationProblem()).toBeNull();
    } finally {
      await phone.close();
      await front.stop();
    }
  });

  it('reports a server that refuses the WebSocket and recovers when it accepts', async () => {
    const front = await lab.lab.startWsFront({ mode: 'refuse' });
    const phone = await PhonePage.open(await env.browser(440), env.server);
    try {
      await signIn(phone, lab.lab.account('bob'), undefined, front.url);
      await expect
        .poll(async () => (await phone.registrationProblem())?.cause, { timeout: 10_000 })
        .toBe('websocket-refused');
      expect((await phone.registrationProblem())?.text).toMatch(
        /answered but refused the WebSocket/,
      );
      expect(front.refusedCount).toBeGreaterThan(0);

      await front.setMode('forward');
      await phone.waitForRegistration('registered', 40_000);
    } finally {
      await phone.close();
      await front.stop();
    }
  });

  it('reports a dropped connection and registers again', async () => {
    const front = await lab.lab.startWsFront({ mode: 'forward' });
    const phone = await PhonePage.open(await env.browser(440), env.server);
    try {
      await signIn(phone, lab.lab.account('alice'), undefined, front.url);
      await phone.waitForRegistration('registered');
      front.dropClients();
      await expect
        .poll(async () => (await phone.registrationProblem())?.cause, { timeout: 5000 })
        .toBe('connection-lost');
      await phone.waitForRegistration('registered', 40_000);
    } finally {
      await phone.close();
      await front.stop();
    }
  });
});
