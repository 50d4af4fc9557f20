// Issue 19: the answer of an incoming call is prepared while it rings (answer-ahead.ts), in the
// real renderer build and Chromium, app ↔ app over Kamailio. While bob's phone rings, his peer
// connection holds alice's offer and nothing of his own: no local description, so no ICE
// checks, DTLS or media toward alice, and alice's connection has seen no check from him. He
// answers on that same connection, and each hears the other.
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { useLab } from '../support/use-lab';
import { useE2eEnv, registerAll } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';

const lab = useLab({ name: 'e2e-answer-ahead', rtpengine: false });
const env = useE2eEnv();

interface PeerState {
  count: number;
  signaling: string | null;
  local: string | null;
  remote: string | null;
  ice: string | null;
  /** getStats() entries about connectivity: candidate pairs, and transports past 'new'. */
  checks: string[];
}

function peerState(page: Page): Promise<PeerState> {
  return page.evaluate(async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    const pc = pcs.at(-1);
    const checks: string[] = [];
    if (pc) {
      (await pc.getStats()).forEach((r: { type: string; dtlsState?: string; state?: string }) => {
        if (r.type === 'candidate-pair') {
          checks.push(`candidate-pair ${r.state ?? ''}`);
        }
        if (r.type === 'transport' && r.dtlsState && r.dtlsState !== 'new') {
          checks.push(`transport dtls ${r.dtlsState}`);
        }
      });
    }
    return {
      count: pcs.length,
      signaling: pc?.signalingState ?? null,
      local: pc?.localDescription?.type ?? null,
      remote: pc?.remoteDescription?.type ?? null,
      ice: pc?.iceConnectionState ?? null,
      checks,
    };
  });
}

/** Prepared once the ringing view is painted: the caller's offer applied on the connection. */
async function preparedWhileRinging(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    return pcs.at(-1)?.signalingState === 'have-remote-offer';
  });
}

describe('the answer prepared while the call rings', () => {
  it('holds the offer and nothing of ours while ringing, sends nothing to the caller, and answers on it', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);
      await alice.dial('bob');
      await bob.waitForIncoming();
      await alice.waitForCallStatus('ringing');
      await preparedWhileRinging(bob.page);

      const ringing = await peerState(bob.page);
      expect(ringing).toEqual({
        count: 1,
        signaling: 'have-remote-offer',
        local: null,
        remote: 'offer',
        ice: 'new',
        checks: [],
      });
      // Alice has sent her offer and has no answer: a check from bob would show here as a
      // peer-reflexive candidate pair.
      const caller = await peerState(alice.page);
      expect(caller).toMatchObject({ signaling: 'have-local-offer', remote: null, checks: [] });

      await bob.answer();
      await alice.waitForCallStatus('active');
      await bob.waitForCallStatus('active');
      const atAlice = await alice.waitForAudio('bob', { present: [880], absent: [440] });
      const atBob = await bob.waitForAudio('alice', { present: [440], absent: [880] });
      expect(atAlice.packets).toBeGreaterThan(20);
      expect(atBob.packets).toBeGreaterThan(20);
      // The call was answered on the connection prepared while ringing.
      expect((await peerState(bob.page)).count).toBe(1);

      await alice.hangup();
      expect(await bob.waitForEnded()).toBe('hangup-remote');
      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('closes the prepared connection when the caller gives up', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);
      await alice.dial('bob');
      await bob.waitForIncoming();
      await preparedWhileRinging(bob.page);

      await alice.hangup();
      expect(await bob.waitForEnded()).toBe('canceled-remote');
      await bob.page.waitForFunction(() => {
        const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
        return pcs.every((pc) => pc.signalingState === 'closed');
      });
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });
});
