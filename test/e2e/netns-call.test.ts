// Issue 20, "Recovered call on network switch" with a real link loss, and "Call with network
// switch and no recovery possible": alice's app runs in a Chromium launched inside a network
// namespace the test creates (test/lab/netns.ts), so its only network is a veth link to this
// machine. Everything alice reaches is on the root end of that link: the renderer build, and a
// WebSocket front to the lab's Kamailio; her audio with bob (another app page, in the root
// namespace) runs over the same link. The link goes down mid-call, so alice's real sockets (the
// signalling and the media) lose their network:
// - it comes back: alice's app reconnects, registers again and re-INVITEs with an ICE restart,
//   and each page hears the other's tone afterwards;
// - alice's address changes instead (the old one is removed): the same recovery, and the media
//   then runs from her new address; her recovery offer carries a candidate on it, and bob's
//   answer a candidate she can reach (on the link), as the front saw them;
// - it stays down: alice's call ends within the bound with cause `connection-lost` and its
//   sentence, in the call view and in the history.
// Root only (CI runs as root): without network namespaces the tests fail with the reason.
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { netnsSupport, requireNetns, type LabNetns } from '../lab/netns';
import { startWsFront, type WsFront, type WsFrame } from '../lab/ws-front';
import { CHROMIUM, phoneBrowserArgs } from '../support/chromium';
import { connect, registerAll, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { RENDERER_DIR, serveStatic, type StaticServer } from '../support/static-server';
import { useLab } from '../support/use-lab';
import { writeToneWav } from '../support/wav';
import {
  markSignalling,
  remoteUfrag,
  waitForRecoveryReinvite,
} from '../support/call-recovery-checks';

const lab = useLab({ name: 'e2e-netns-call', rtpengine: false, accounts: ['alice', 'bob'] });
const env = useE2eEnv();

/** What alice's side of the link holds: the namespace, her browser, her server and front. */
interface AliceNetwork {
  ns: LabNetns;
  browser: Browser;
  server: StaticServer;
  front: WsFront;
}

let network: AliceNetwork | undefined;

beforeAll(async () => {
  if (!netnsSupport().ok) {
    return; // said once, by the first test; the others fail in aliceNetwork()
  }
  const ns = lab.lab.createNetns({ prefix: 'call' }); // destroyed with the lab
  const server = await serveStatic(RENDERER_DIR, {}, ns.hostAddress);
  const front = await startWsFront({ upstreamUrl: lab.lab.wsUrl, host: ns.hostAddress });
  const wav = join(env.dir, 'netns-tone-440.wav');
  writeToneWav(wav, { freq: 440, seconds: 10, amplitude: 0.5 });
  const browser = await chromium.launch({
    executablePath: ns.writeWrapper(join(lab.lab.logDir, 'chromium-in-netns'), CHROMIUM),
    headless: true,
    // The renderer comes from a private address, not the loopback: a secure context by flag,
    // as the app's own page is.
    args: phoneBrowserArgs({
      microphoneWav: wav,
      extraArgs: [`--unsafely-treat-insecure-origin-as-secure=${new URL(server.url).origin}`],
    }),
  });
  network = { ns, browser, server, front };
});

afterAll(async () => {
  await network?.browser.close();
  await network?.front.stop();
  await network?.server.close();
});

function aliceNetwork(): AliceNetwork {
  requireNetns();
  if (network === undefined) {
    throw new Error('the namespace for alice was not set up');
  }
  return network;
}

/** alice (440 Hz, in the namespace) and bob (880 Hz) registered, in a call both hear. */
async function callOverTheLink(net: AliceNetwork): Promise<[PhonePage, PhonePage]> {
  const alice = await PhonePage.open(net.browser, net.server);
  const bob = await PhonePage.open(await env.browser(880), env.server);
  try {
    const account = lab.lab.account('alice');
    await alice.bridge.seedAccount(
      { label: 'alice', websocketUri: net.front.url, sipUri: account.uri, keepAliveS: 5 },
      account.password,
    );
    await alice.installAudioProbe(); // reloads the page with the probe that reads the history
    await registerAll(lab.lab, [bob, 'bob']);
    await alice.waitForRegistration('registered');
    await connect(alice, bob, 'bob');
    await bob.waitForCallStatus('active');
    await alice.waitForAudio('bob', { present: [880], absent: [440] });
    await bob.waitForAudio('alice', { present: [440], absent: [880] });
    // alice's media runs over the link (her signalling can only: the front listens there).
    expect(await selectedLocalAddress(alice)).toBe(net.ns.nsAddress);
  } catch (error) {
    await alice.close();
    await bob.close();
    throw error;
  }
  return [alice, bob];
}

/** The local address of the candidate pair the newest open call's ICE transport selected. */
function selectedLocalAddress(phone: PhonePage): Promise<string> {
  return phone.page.evaluate(async () => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed');
    const reports = new Map<string, Record<string, string | undefined>>();
    (await pc?.getStats())?.forEach((r: Record<string, string | undefined>) =>
      reports.set(r.id ?? '', r),
    );
    const transport = [...reports.values()].find((r) => r.type === 'transport');
    const pair = reports.get(transport?.selectedCandidatePairId ?? '');
    return reports.get(pair?.localCandidateId ?? '')?.address ?? '';
  });
}

/** The addresses of the ICE candidates in a SIP message's SDP. */
function candidateAddresses(text: string): string[] {
  return [...text.matchAll(/^a=candidate:\S+ \d+ \S+ \d+ (\S+) \d+ typ /gm)].map((m) => m[1]!);
}

/**
 * The recovery offer (alice's re-INVITE with ICE ufrag `ufrag`) and its 200 OK, as the front
 * passed them after frame `from`.
 */
function recoveryExchange(front: WsFront, from: number, ufrag: string): [WsFrame, WsFrame] {
  const frames = front.frames.slice(from);
  const offer = frames.findLast(
    (f) =>
      f.dir === 'up' && f.text.startsWith('INVITE ') && f.text.includes(`a=ice-ufrag:${ufrag}`),
  );
  expect(offer, `alice's re-INVITE with ufrag ${ufrag} through the front`).toBeDefined();
  const cseq = /^CSeq:\s*(\d+) INVITE/im.exec(offer!.text)?.[1];
  const callId = /^Call-ID:\s*(\S+)/im.exec(offer!.text)?.[1];
  const answer = frames.find(
    (f) =>
      f.dir === 'down' &&
      f.text.startsWith('SIP/2.0 200 ') &&
      new RegExp(`^CSeq:\\s*${cseq} INVITE`, 'im').test(f.text) &&
      f.text.includes(`Call-ID: ${callId}`),
  );
  expect(answer, "bob's 200 OK to it through the front").toBeDefined();
  return [offer!, answer!];
}

const reconnectingIn = (phone: PhonePage): ReturnType<PhonePage['page']['locator']> =>
  phone.page.locator('[data-testid="call-trouble"][data-kind="reconnecting"]');

describe('a call whose network link goes down (network namespace)', () => {
  it('runs where network namespaces can be made (CI runs as root)', () => {
    expect(netnsSupport()).toEqual({ ok: true });
  });

  it('is recovered when the link comes back, with audio both ways after it', async () => {
    const net = aliceNetwork();
    const [alice, bob] = await callOverTheLink(net);
    try {
      const mark = await markSignalling(alice);
      net.ns.linkDown();
      // alice's app notices (the link's loss, or its keep-alive at the latest) and says so.
      await reconnectingIn(alice).waitFor({ timeout: 30_000 });
      net.ns.linkUp();

      await alice.waitForRegistration('registered', 30_000);
      const ufrag = await waitForRecoveryReinvite(alice, mark, 20_000);
      expect(await remoteUfrag(bob)).toBe(ufrag);
      await reconnectingIn(alice).waitFor({ state: 'detached', timeout: 10_000 });
      await alice.waitForCallStatus('active', 1000);
      await bob.waitForCallStatus('active', 1000);
      const atAlice = await alice.waitForAudio('bob', { present: [880], absent: [440] });
      const atBob = await bob.waitForAudio('alice', { present: [440], absent: [880] });
      expect(atAlice.packets).toBeGreaterThan(20);
      expect(atBob.packets).toBeGreaterThan(20);

      // bob's BYE finds alice's new flow.
      await bob.hangup();
      expect(await alice.waitForEnded()).toBe('hangup-remote');
      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      net.ns.linkUp();
      await alice.close();
      await bob.close();
    }
  });

  it('is recovered when the address of alice changes mid-call, over her new address', async () => {
    const net = aliceNetwork();
    const [alice, bob] = await callOverTheLink(net);
    try {
      const mark = await markSignalling(alice);
      const from = net.front.frames.length;
      const old = net.ns.nsAddress;
      // The old address goes away: what alice's sockets send still leaves with it, and what
      // comes back to it is dropped, as after a switch to another network.
      const moved = net.ns.setNsAddress(old.endsWith('.9') ? 10 : 9);
      await reconnectingIn(alice).waitFor({ timeout: 30_000 });
      await alice.waitForRegistration('registered', 30_000);
      const ufrag = await waitForRecoveryReinvite(alice, mark, 20_000);
      expect(await remoteUfrag(bob)).toBe(ufrag);
      // The offer carries her new address (not 127.0.0.1 alone, which bob cannot reach), and
      // the answer candidates (not none at all: `c=IN IP4 0.0.0.0`), one on the link.
      const [offer, answer] = recoveryExchange(net.front, from, ufrag);
      expect(candidateAddresses(offer.text)).toContain(moved);
      expect(candidateAddresses(answer.text)).toContain(net.ns.hostAddress);
      await reconnectingIn(alice).waitFor({ state: 'detached', timeout: 10_000 });
      const atAlice = await alice.waitForAudio('bob', { present: [880], absent: [440] });
      const atBob = await bob.waitForAudio('alice', { present: [440], absent: [880] });
      expect(atAlice.packets).toBeGreaterThan(20);
      expect(atBob.packets).toBeGreaterThan(20);
      expect(await selectedLocalAddress(alice)).toBe(moved);
      await alice.hangup();
      expect(await bob.waitForEnded()).toBe('hangup-remote');
      expect(alice.errors).toEqual([]);
      expect(bob.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('ends with connection-lost when the link stays down past the bound', async () => {
    const net = aliceNetwork();
    const [alice, bob] = await callOverTheLink(net);
    try {
      net.ns.linkDown();
      await reconnectingIn(alice).waitFor({ timeout: 30_000 });
      expect(await alice.waitForEnded(40_000)).toBe('connection-lost');
      expect(await alice.page.getByTestId('call-ended').innerText()).toContain(
        'The connection to the server was lost and the call could not be recovered within 20 s.',
      );
      await expect
        .poll(async () => (await alice.historyEntries()).map((e) => e.endCause), {
          timeout: 10_000,
        })
        .toEqual(['connection-lost']);
      await alice.page.getByLabel('Number or address').waitFor({ timeout: 10_000 });
      expect(alice.errors).toEqual([]);
    } finally {
      net.ns.linkUp();
      await alice.close();
      await bob.close();
    }
  });
});
