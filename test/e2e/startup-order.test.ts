// What a starting phone does before its first registration has an outcome (issue 19: page load →
// registered). The database (chat's store, then history and contacts) is opened after it: its
// code (Dexie and the stores, chunks of their own) and its work beside the REGISTER exchange
// delayed "registered" by ~30 ms. The store still opens in the same task as the outcome, so a
// message the server delivers right after the REGISTER (store-and-forward: chat-interop.test.ts)
// is accepted and kept, and chat works once the phone is up.
//
// The tone players' audio graphs are built once the phone has registered, and suspended: the
// first AudioContext of a run costs 100–260 ms of the main thread, and each later one 3–20 ms,
// which otherwise fell on a call's ringing and held back its view.
//
// The browser's WebRTC stack is started the same way, with a peer connection that makes an offer
// and is closed: never applied, so it gathers nothing and sends nothing (webrtc-warm-up.ts).
//
// The account's server connection is opened as soon as the settings say where (early-socket.ts):
// while main reads the password and the call code loads, not after them. Nothing is sent on it
// before the REGISTER, and the REGISTER goes on it.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { ChatPage } from '../support/chat-page';
import { useLab } from '../support/use-lab';
import { registerAll, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { TestBridge, type Hold } from '../support/test-bridge';

const lab = useLab({ name: 'e2e-startup-order', rtpengine: false });
const env = useE2eEnv();

describe('a starting phone', () => {
  it("fetches the database's code only once its first registration has an outcome", async () => {
    // The registration status the page showed each time it asked for the database's chunk.
    const shownAtFetch: (string | null)[] = [];
    const { alice, bridge } = await openAlice(async (page) => {
      await page.route(/\/phone-db-[\w-]+\.js$/, async (route) => {
        shownAtFetch.push(
          await page.getByTestId('registration-status').first().getAttribute('data-status'),
        );
        await route.continue();
      });
    });
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await alice.waitForRegistration('registered');
      await expect.poll(() => shownAtFetch.length).toBeGreaterThan(0);
      expect(shownAtFetch).toEqual(shownAtFetch.map(() => 'registered'));
      await registerAll(lab.lab, [bob, 'bob']);

      // Chat's store opened after it: a message from Bob is received, kept and shown.
      const bobChat = new ChatPage(bob);
      await bobChat.start('alice');
      await bobChat.type('hello after start-up');
      await bobChat.send();
      await bobChat.waitForState('hello after start-up', ['delivered']);
      const aliceChat = new ChatPage(alice);
      await aliceChat.open('bob@lab.test');
      await aliceChat.waitForMessage('hello after start-up');
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.context.close();
      await bob.context.close();
      await bridge.dispose();
    }
  });

  it("builds the tone players' audio graphs once registered and suspends them; the first call rings on the ringer's", async () => {
    const { alice, bridge } = await openAlice(async (page) => {
      await page.addInitScript(CONTEXT_WATCH);
    });
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await alice.waitForRegistration('registered');
      // Two contexts (the ringer's, the call tones'), made once the phone showed "registered",
      // with no call, and suspended: nothing runs.
      const warmed = { status: 'registered', ringing: false, state: 'suspended' };
      await expect.poll(() => contexts(alice.page)).toEqual([warmed, warmed]);

      await registerAll(lab.lab, [bob, 'bob']);
      await bob.dial('alice');
      await alice.waitForIncoming();
      // No context is made for the ringing call: the ringer's runs again.
      await expect
        .poll(async () => (await contexts(alice.page)).map((c) => c.state))
        .toEqual(['running', 'suspended']);
      await bob.hangup();
      await alice.page.getByTestId('incoming-view').waitFor({ state: 'detached' });
      await expect
        .poll(async () => (await contexts(alice.page)).map((c) => c.state))
        .toEqual(['suspended', 'suspended']);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.context.close();
      await bob.context.close();
      await bridge.dispose();
    }
  });

  it('starts the WebRTC stack once registered with a connection that gathers nothing and is closed', async () => {
    const { alice, bridge } = await openAlice(async (page) => {
      await page.addInitScript(PEER_WATCH);
    });
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      await alice.waitForRegistration('registered');
      // One connection, made once the phone showed "registered", with no call; closed without
      // a local description: no candidate was gathered.
      const warmUp = {
        status: 'registered',
        ringing: false,
        signaling: 'closed',
        gathering: 'new',
        relayOnly: true,
        local: false,
        candidates: 0,
      };
      await expect.poll(() => peers(alice.page)).toEqual([warmUp]);

      // The first call makes its own connection, as every call does, and is answered.
      await registerAll(lab.lab, [bob, 'bob']);
      await bob.dial('alice');
      await alice.waitForIncoming();
      await alice.answer();
      await bob.waitForCallStatus('active');
      const [first, call] = await peers(alice.page);
      expect(first).toEqual(warmUp);
      expect(call).toMatchObject({
        status: 'registered',
        ringing: true,
        relayOnly: false,
        local: true,
      });
      await bob.hangup();
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.context.close();
      await bob.context.close();
      await bridge.dispose();
    }
  });

  it("opens its server's connection while its password is read, sends nothing on it before, and registers on it", async () => {
    const front = await lab.lab.startWsFront();
    let password: Hold | null = null;
    const { alice, bridge } = await openAlice(
      // Main does not answer for the password yet (a keychain that asks the user, say).
      async (_page, b) => {
        password = b.holdRequests('accounts/get-credentials');
      },
      front.url,
    );
    try {
      await expect.poll(() => password?.held()).toBe(1);
      // The connection is open meanwhile, and nothing was sent on it.
      await front.waitForClients(1);
      expect(front.connectionCount).toBe(1);
      expect(front.frames.filter((f) => f.dir === 'up')).toEqual([]);
      expect(
        await alice.page.getByTestId('registration-status').first().getAttribute('data-status'),
      ).not.toBe('registered');

      await password!.release();
      await alice.waitForRegistration('registered');
      // The REGISTER went on that connection, the first thing sent, and no other was opened.
      expect(front.connectionCount).toBe(1);
      const up = front.frames.filter((f) => f.dir === 'up' && !f.ping);
      expect(up[0]?.text).toMatch(/^REGISTER /);
      expect(new Set(up.map((f) => f.client))).toEqual(new Set([1]));
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.context.close();
      await bridge.dispose();
      await front.stop();
    }
  });
});

/**
 * Alice's phone, her account saved before her page first loads (that load is the one watched),
 * on `websocketUri` (the lab's Kamailio unless given), with `beforeLoad` run on the page (and
 * the bridge) before it.
 */
async function openAlice(
  beforeLoad: (page: Page, bridge: TestBridge) => Promise<void>,
  websocketUri = lab.lab.account('alice').wsUrl,
): Promise<{ alice: PhonePage; bridge: TestBridge }> {
  const bridge = await TestBridge.create({ appUrl: env.server.url });
  const account = lab.lab.account('alice');
  await bridge.seedAccount({ label: 'alice', websocketUri, sipUri: account.uri }, account.password);
  const alice = await PhonePage.open(await env.browser(440), env.server, { bridge, beforeLoad });
  return { alice, bridge };
}

/** Every AudioContext the page makes: what the page showed then, and the context. */
const CONTEXT_WATCH = `(() => {
  const made = [];
  window.__contexts = made;
  const Original = window.AudioContext;
  window.AudioContext = class extends Original {
    constructor(options) {
      super(options);
      const status = document.querySelector('[data-testid="registration-status"]');
      made.push({
        context: this,
        status: status ? status.getAttribute('data-status') : null,
        ringing: document.querySelector('[data-testid="incoming-view"]') !== null,
      });
    }
  };
})()`;

async function contexts(
  page: Page,
): Promise<{ status: string | null; ringing: boolean; state: string }[]> {
  return page.evaluate(() =>
    (
      window as unknown as {
        __contexts: { context: AudioContext; status: string | null; ringing: boolean }[];
      }
    ).__contexts.map(({ context, status, ringing }) => ({ status, ringing, state: context.state })),
  );
}

/** Every RTCPeerConnection the page makes: what the page showed then, and the connection. */
const PEER_WATCH = `(() => {
  const made = [];
  window.__peers = made;
  const Original = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Original {
    constructor(config) {
      super(config);
      const status = document.querySelector('[data-testid="registration-status"]');
      const entry = {
        pc: this,
        status: status ? status.getAttribute('data-status') : null,
        ringing: document.querySelector('[data-testid="incoming-view"]') !== null,
        candidates: 0,
      };
      this.addEventListener('icecandidate', (e) => { if (e.candidate) entry.candidates += 1; });
      made.push(entry);
    }
  };
})()`;

async function peers(page: Page): Promise<
  {
    status: string | null;
    ringing: boolean;
    signaling: string;
    gathering: string;
    relayOnly: boolean;
    local: boolean;
    candidates: number;
  }[]
> {
  return page.evaluate(() =>
    (
      window as unknown as {
        __peers: {
          pc: RTCPeerConnection;
          status: string | null;
          ringing: boolean;
          candidates: number;
        }[];
      }
    ).__peers.map(({ pc, status, ringing, candidates }) => ({
      status,
      ringing,
      signaling: pc.signalingState,
      gathering: pc.iceGatheringState,
      relayOnly: pc.getConfiguration().iceTransportPolicy === 'relay',
      local: pc.localDescription !== null,
      candidates,
    })),
  );
}
