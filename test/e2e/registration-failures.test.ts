// Issue 3, test 3: a wrong password gives a clear "wrong credentials" state after one answered
// challenge and no REGISTER storm; an unreachable server and a server that refuses the WebSocket give clear
// states, and the phone recovers by itself once the server is there. A keychain that refuses to
// give the password says so on the account, and "Try again" reads it again and registers.
import { describe, expect, it } from 'vitest';
import { SessionStore } from '../../src-main/credentials/secret-store';
import { useLab } from '../support/use-lab';
import { signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { TestBridge } from '../support/test-bridge';

const lab = useLab({ name: 'e2e-registration-failures', rtpengine: false });
const env = useE2eEnv();

/** The OS keychain, locked: libsecret refuses reads until it is unlocked. */
class LockedKeychain extends SessionStore {
  locked = false;
  reads = 0;
  override get(key: string): Promise<string | null> {
    this.reads += 1;
    return this.locked
      ? Promise.reject(new Error('Cannot create an item in a locked collection'))
      : super.get(key);
  }
}

describe('registration failures', () => {
  it('shows wrong credentials after the challenge and one answer, and never retries on its own', async () => {
    // Through a front, so that the connection can be dropped under the phone (see below).
    const front = await lab.lab.startWsFront({ mode: 'forward' });
    const carol = lab.lab.account('carol');
    // The account is there before the page loads: seeded into an open page (signIn), the page
    // would start registering on main's settings change before signIn's reload, and Kamailio
    // would count that page's REGISTERs too.
    const phone = await PhonePage.open(await env.browser(440), env.server, {
      beforeLoad: async (_page, bridge) => {
        await bridge.seedAccount(
          { label: `${carol.user}@${carol.domain}`, websocketUri: front.url, sipUri: carol.uri },
          'not-the-password',
        );
      },
    });
    const registers = async (): Promise<number> =>
      (await phone.sipSent()).filter((m) => m.text.startsWith('REGISTER ')).length;
    try {
      await phone.waitForRegistration('failed');
      expect(await phone.registrationProblem()).toMatchObject({ cause: 'wrong-credentials' });
      expect((await phone.registrationProblem())?.text).toMatch(
        /did not accept the user name or password/,
      );
      expect(await phone.page.getByTestId('registration-status').innerText()).toBe(
        'Wrong credentials',
      );
      // The verdict came after exactly the challenge and one answer.
      expect(await registers()).toBe(2);
      expect(lab.lab.kamailio.registerCount('carol')).toBe(2);

      // No REGISTER storm, proved by events rather than by watching a clock:
      // - the engine's own retry: a failure with a retry scheduled carries its time (retryAt),
      //   and the status bar offers "Try again" only when there is none;
      await phone.page.getByRole('button', { name: 'Try again', exact: true }).waitFor();
      // - JsSIP's: it registers again by itself whenever its socket (re)opens, unless the
      //   engine turned that off. Drop the connection and wait until the phone's socket has
      //   opened again; such a REGISTER would leave in that same open event, so counting right
      //   after it covers the whole window in which it could have been sent.
      const opens = await phone.sipOpens();
      front.dropClients();
      await expect.poll(() => phone.sipOpens(), { timeout: 45_000 }).toBe(opens + 1);
      expect(await registers()).toBe(2);
      expect(lab.lab.kamailio.registerCount('carol')).toBe(2);
      expect(await phone.registrationProblem()).toMatchObject({ cause: 'wrong-credentials' });

      // Fixing the password (saving the account again) registers.
      await signIn(phone, carol, undefined, front.url);
      await phone.waitForRegistration('registered');
      expect(phone.errors).toEqual([]);
    } finally {
      await phone.close();
      await front.stop();
    }
  });

  it('says when the keychain keeps the password locked; an unlock or Try again reads it again', async () => {
    const keychain = new LockedKeychain();
    const bridge = await TestBridge.create({
      appUrl: env.server.url,
      secrets: { store: keychain, info: { backend: 'keychain', message: null } },
    });
    const alice = lab.lab.account('alice');
    await bridge.seedAccount(
      { label: `${alice.user}@${alice.domain}`, websocketUri: lab.lab.wsUrl, sipUri: alice.uri },
      alice.password,
    );
    keychain.locked = true;
    const phone = await PhonePage.open(await env.browser(440), env.server, { bridge });
    try {
      await phone.waitForRegistration('failed');
      expect((await phone.registrationProblem())?.text).toMatch(
        /The system keychain did not answer \(Cannot create an item in a locked collection\)\. Unlock it and try again\./,
      );
      // The account never had an engine. Unlocking the screen (main's power event) starts it
      // again: the password is read anew, and the keychain, still locked, says so again.
      const first = keychain.reads;
      await phone.bridge.emit(phone.page, 'power/changed', { reason: 'unlock' });
      await expect.poll(() => keychain.reads).toBeGreaterThan(first);
      await phone.waitForRegistration('failed');
      expect((await phone.registrationProblem())?.text).toMatch(/Unlock it and try again\./);
      // Unlocked, "Try again" starts it too, and it registers.
      const reads = keychain.reads;
      keychain.locked = false;
      await phone.page.getByRole('button', { name: 'Try again', exact: true }).click();
      await phone.waitForRegistration('registered');
      expect(keychain.reads).toBeGreaterThan(reads);
      expect(lab.lab.kamailio.registerCount('alice')).toBeGreaterThan(0);
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
      await phone.waitForRegistration('failed');
      await expect
        .poll(async () => (await phone.registrationProblem())?.cause)
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
        .poll(async () => (await phone.registrationProblem())?.cause)
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

  it('"Io recv error with recovery": reports a dropped connection and registers again', async () => {
    const front = await lab.lab.startWsFront({ mode: 'forward' });
    const phone = await PhonePage.open(await env.browser(440), env.server);
    try {
      await signIn(phone, lab.lab.account('alice'), undefined, front.url);
      await phone.waitForRegistration('registered');
      front.dropClients();
      await expect
        .poll(async () => (await phone.registrationProblem())?.cause)
        .toBe('connection-lost');
      await phone.waitForRegistration('registered', 40_000);
    } finally {
      await phone.close();
      await front.stop();
    }
  });
});
