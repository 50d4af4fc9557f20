// Issue 3, test 4: every RFC 4475 torture message, delivered over the WebSocket to a
// registered instance (as sent, and retargeted at the registered user so it reaches the
// user agent's core): no uncaught exception, still registered, and a call works afterwards.
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { signIn, useE2eEnv, connect } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { loadRfc4475, retarget } from '../support/rfc4475';

const lab = useLab({ name: 'e2e-rfc4475', rtpengine: false });
const env = useE2eEnv();
const corpus = loadRfc4475();

function callIdOf(text: string): string {
  return (
    /^(?:Call-ID|i)[ \t]*:[ \t]*(.+)$/im.exec(text.split('\r\n\r\n')[0] ?? '')?.[1]?.trim() ?? ''
  );
}

describe('RFC 4475 torture messages over the WebSocket', () => {
  it('never throws, stays registered and can still call', async () => {
    const front = await lab.lab.startWsFront({ mode: 'forward' });
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await signIn(alice, lab.lab.account('alice'), undefined, front.url);
      await signIn(bob, lab.lab.account('bob'));
      await alice.waitForRegistration('registered');
      await bob.waitForRegistration('registered');

      let delivered = 0;
      for (const message of corpus) {
        const variants: (string | Buffer)[] = [message.bytes];
        const aimed = retarget(message.text, 'alice', 'lab.test');
        if (aimed !== null) {
          variants.push(Buffer.from(aimed, 'latin1'));
        }
        const received = await alice.sipReceivedCount();
        let sent = 0;
        for (const variant of variants) {
          sent += front.inject(variant);
        }
        delivered += sent;
        // The page has handled these messages (each is counted in the task that hands it to
        // JsSIP) before the next ones arrive.
        await expect.poll(() => alice.sipReceivedCount()).toBeGreaterThanOrEqual(received + sent);
      }
      expect(delivered).toBeGreaterThanOrEqual(corpus.length * 2 - 10);

      // The Request-URIs JsSIP cannot handle were answered 416 by the engine.
      for (const file of ['unkscm.dat', 'novelsc.dat']) {
        const callId = callIdOf(corpus.find((m) => m.file === file)!.text);
        await front.waitForFrame(
          (f) => f.dir === 'up' && f.text.startsWith('SIP/2.0 416') && f.text.includes(callId),
        );
      }

      // Retargeted INVITEs ring the phone; decline them all, one at a time: each decline is
      // done once its 486 has left.
      const busy = async (): Promise<number> =>
        (await alice.sipSent()).filter((m) => m.text.startsWith('SIP/2.0 486 ')).length;
      while ((await alice.page.getByTestId('incoming-view').count()) > 0) {
        const before = await busy();
        await alice.decline();
        await expect.poll(busy).toBe(before + 1);
      }

      expect(alice.errors).toEqual([]);
      expect(alice.console.filter((line) => /Uncaught|TypeError/.test(line))).toEqual([]);
      expect(await alice.page.getByTestId('registration-status').getAttribute('data-status')).toBe(
        'registered',
      );

      await connect(alice, bob, 'bob');
      await alice.waitForAudio('bob', { present: [880] });
      await alice.hangup();
      await bob.waitForEnded();
    } finally {
      await alice.close();
      await bob.close();
      await front.stop();
    }
  });
});
