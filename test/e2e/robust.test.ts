// Issue 13 in the real renderer, in Chromium, against Kamailio, with a raw SIP client as the far
// end (the malformed-but-real and hostile peer): every ended call closes its peer connection;
// a re-INVITE that reuses a payload type (as Linphone's does) is refused with 488 and the call
// and its hold go on; a 407 on our BYE is never answered (the digest leak test); hostile
// display names reach the view, the popup and the notification as inert text.
import { describe, expect, it } from 'vitest';
import { networkLabel } from '@shared/network-text';
import { incomingCallOptions } from '../../src-main/notifications/incoming-call';
import { popupUrl } from '../../src-main/windows/incoming-popup';
import { signIn, useE2eEnv } from '../support/e2e-env';
import { HOSTILE_NAMES } from '../support/hostile-names';
import { PhonePage } from '../support/phone-page';
import { webrtcOffer } from '../support/webrtc-offer';
import { SipWsClient, type SentRequest, type SipMessage } from '../support/sip-ws-client';
import { useLab } from '../support/use-lab';

/** bob's media as Chromium offers it: a host candidate and telephone-event at both clocks. */
const CHROMIUM_MEDIA = { port: 40400, telephoneEvents: true } as const;

const lab = useLab({ name: 'e2e-robust', rtpengine: false });
const env = useE2eEnv();

/** bob as a raw SIP-over-WebSocket client, registered. */
async function rawBob(): Promise<SipWsClient> {
  const bob = lab.lab.account('bob');
  const client = await SipWsClient.connect(lab.lab.wsUrl);
  const reg = await client.register({ user: bob.user, password: bob.password, domain: bob.domain });
  expect(reg.status).toBe(200);
  return client;
}

async function alicePhone(): Promise<PhonePage> {
  const alice = await PhonePage.open(await env.browser(440), env.server);
  await signIn(alice, lab.lab.account('alice'));
  await alice.waitForRegistration('registered');
  return alice;
}

/** The client's answer to a request it received, with Kamailio's Record-Route and a Contact. */
function answer(client: SipWsClient, req: SipMessage, status: number, body = ''): void {
  const headers: [string, string][] = [
    ...req.headerAll('Record-Route').map((r): [string, string] => ['Record-Route', r]),
    ['Contact', `<${client.contactUri('bob')}>`],
    ...(body ? ([['Content-Type', 'application/sdp']] as [string, string][]) : []),
  ];
  client.reply(req, status, status === 200 ? 'OK' : 'X', headers, body);
}

/** bob calls alice with a Chromium-like offer; alice answers; returns bob's dialog. */
async function bobCallsAlice(
  client: SipWsClient,
  alice: PhonePage,
): Promise<{ sent: SentRequest; response: SipMessage }> {
  const bob = lab.lab.account('bob');
  const call = client.sendWithAuth(
    {
      method: 'INVITE',
      uri: lab.lab.account('alice').uri,
      from: bob.uri,
      headers: [['Contact', `<${client.contactUri('bob')}>`]],
      body: webrtcOffer({ ...CHROMIUM_MEDIA }),
    },
    { user: bob.user, password: bob.password },
    20_000,
  );
  await alice.waitForIncoming();
  await alice.answer();
  const dialog = await call;
  expect(dialog.response.status).toBe(200);
  client.dialogRequest(dialog.sent, dialog.response, 'ACK');
  await alice.waitForCallStatus('active');
  return dialog;
}

/** Peer connections the page created that are not closed. */
async function openPeerConnections(phone: PhonePage): Promise<number> {
  return phone.page.evaluate(
    () =>
      (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs.filter(
        (pc) => pc.signalingState !== 'closed',
      ).length,
  );
}

describe('against a malformed-but-real far end', () => {
  it('closes the peer connection of every call a 2xx without SDP answered (20 calls)', async () => {
    const client = await rawBob();
    const alice = await alicePhone();
    try {
      for (let i = 0; i < 20; i += 1) {
        const from = client.received.length;
        await alice.dial('bob');
        const invite = await client.waitForMessage((m) => m.method === 'INVITE', 10_000, from);
        answer(client, invite, 200);
        const bye = await client.waitForMessage((m) => m.method === 'BYE', 10_000, from);
        client.reply(bye, 200, 'OK');
        await alice.waitForEnded();
      }
      expect(await openPeerConnections(alice)).toBe(0);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await client.close();
    }
  });

  it('refuses a re-INVITE that gives Opus’s payload type to telephone-event, and the call and hold go on', async () => {
    const client = await rawBob();
    const alice = await alicePhone();
    try {
      const dialog = await bobCallsAlice(client, alice);
      const remap = client.dialogRequest(dialog.sent, dialog.response, 'INVITE', {
        body: webrtcOffer({
          ...CHROMIUM_MEDIA,
          version: 3,
          payloads: {
            types: '112 0 111 126',
            rtpmaps: [
              'a=rtpmap:112 opus/48000/2',
              'a=rtpmap:0 PCMU/8000',
              'a=rtpmap:111 telephone-event/48000',
              'a=rtpmap:126 telephone-event/8000',
            ],
          },
        }),
        headers: [['Contact', `<${client.contactUri('bob')}>`]],
      });
      const refused = await remap.response;
      expect(refused.status).toBe(488);
      expect(refused.header('Warning')).toMatch(/payload type 111 changed from opus\/48000\/2/);
      await alice.waitForCallStatus('active');

      // The connection took nothing of it: the next hold is offered and applied.
      const from = client.received.length;
      await alice.page.getByRole('button', { name: 'Hold', exact: true }).click();
      const hold = await client.waitForMessage((m) => m.method === 'INVITE', 10_000, from);
      expect(hold.body).toMatch(/a=sendonly/);
      // bob took the passive DTLS role when alice answered his first offer.
      answer(
        client,
        hold,
        200,
        webrtcOffer({ ...CHROMIUM_MEDIA, version: 4, direction: 'recvonly', setup: 'passive' }),
      );
      await alice.page.getByTestId('hold-state').waitFor();
      expect(await alice.page.getByTestId('hold-state').innerText()).toMatch(/On hold/);
      const sent = await alice.sipSent();
      expect(sent.some((m) => m.text.startsWith('SIP/2.0 500'))).toBe(false);
      expect(sent.some((m) => m.text.startsWith('BYE '))).toBe(false);
      await alice.hangup();
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await client.close();
    }
  });

  it('never answers a challenge to its BYE (the digest leak test)', async () => {
    const client = await rawBob();
    const alice = await alicePhone();
    try {
      await bobCallsAlice(client, alice);
      const from = client.received.length;
      await alice.hangup();
      const bye = await client.waitForMessage((m) => m.method === 'BYE', 10_000, from);
      // The realm is the lab's own: a far end can name any.
      client.reply(bye, 407, 'Proxy Authentication Required', [
        [
          'Proxy-Authenticate',
          `Digest realm="${lab.lab.domain}", nonce="leak-test-nonce", qop="auth"`,
        ],
      ]);
      // The page answers an OPTIONS after it has read the 407 (one WebSocket, in order): by then
      // an answered challenge would have left as a second BYE.
      const options = await client.requestWithAuth(
        { method: 'OPTIONS', uri: lab.lab.account('alice').uri },
        { user: 'bob', password: lab.lab.account('bob').password },
        10_000,
      );
      expect(options.status).toBe(200);
      const byes = (await alice.sipSent()).filter((m) => m.text.startsWith('BYE '));
      expect(byes).toHaveLength(1);
      expect(byes.some((m) => /Authorization:/i.test(m.text))).toBe(false);
      expect(client.received.slice(from).filter((m) => m.method === 'BYE')).toHaveLength(1);
    } finally {
      await alice.close();
      await client.close();
    }
  });
});

describe('hostile display names', () => {
  /** A display name as a SIP quoted-string; CR and LF cannot be carried at all. */
  const quoted = (name: string): string =>
    `"${Array.from(name.replace(/[\r\n]/g, ''))
      .map((ch) => {
        const c = ch.codePointAt(0) ?? 0;
        return ch === '"' || ch === '\\' || c < 0x20 || c === 0x7f ? `\\${ch}` : ch;
      })
      .join('')}"`;

  it('show as inert text in the view, the notification and the popup', async () => {
    const client = await rawBob();
    const alice = await alicePhone();
    const bob = lab.lab.account('bob');
    try {
      for (const name of HOSTILE_NAMES) {
        const shown = networkLabel(name.raw.replace(/[\r\n]/g, ''));
        const noticesBefore = alice.bridge.shell.incoming.length;
        const invite = client.sendWithAuth(
          {
            method: 'INVITE',
            uri: lab.lab.account('alice').uri,
            from: bob.uri,
            fromDisplay: quoted(name.raw),
            headers: [['Contact', `<${client.contactUri('bob')}>`]],
            body: webrtcOffer({ ...CHROMIUM_MEDIA }),
          },
          { user: bob.user, password: bob.password },
          20_000,
        );
        await alice.waitForIncoming();
        const view = alice.page.getByTestId('incoming-view');
        expect(await alice.page.getByTestId('call-party').innerText(), name.what).toBe(
          shown || 'bob',
        );
        // Nothing became markup: the view has only the elements it always has.
        expect(await view.locator('b, i, u, a, img, script').count(), name.what).toBe(0);

        await expect.poll(() => alice.bridge.shell.incoming.length).toBe(noticesBefore + 1);
        const notice = alice.bridge.shell.incoming.at(-1)!;
        expect(notice.name, name.what).toBe(shown || null);
        const linux = incomingCallOptions(notice, 'linux');
        expect(linux.title ?? '').not.toMatch(/[<>]/);
        expect(linux.body ?? '').not.toMatch(/[<>]/);

        const popup = await alice.context.newPage();
        await alice.bridge.attach(popup);
        await popup.goto(popupUrl(env.server.url, notice));
        const who = popup.getByTestId('incoming-popup').locator('strong');
        expect(await who.innerText(), name.what).toBe(shown || 'bob');
        expect(
          await popup.getByTestId('incoming-popup').locator('b, i, u, a, img, script').count(),
        ).toBe(0);
        await popup.close();

        await alice.decline();
        expect((await invite).response.status).toBe(486);
        await alice.page.getByTestId('incoming-view').waitFor({ state: 'detached' });
      }
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await client.close();
    }
  });
});
