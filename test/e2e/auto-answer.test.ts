// Automatic answer. (a) With the autoAnswer setting on, a call from baresip is answered
// without a click and has audio both ways. (b) With the account's allowAutoAnswerHeader on, an
// INVITE carrying `Call-Info: …;answer-after=0` (sent by a raw SIP-over-WebSocket client
// registered as dave, with a real WebRTC offer from a bare peer connection in another browser)
// is answered by itself: the client gets 200 OK, the offerer takes the answer and alice hears
// its tone; ACK and BYE end the call. (c) With allowAutoAnswerHeader off, the same request
// only rings.
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { useLab } from '../support/use-lab';
import { near, signIn, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { SipWsClient, type SipMessage, type SipRequestOptions } from '../support/sip-ws-client';
import { dominantFrequency, readWav, windowsWithTone } from '../support/wav';
import { waitFor } from '../lab/process';

const lab = useLab({ name: 'e2e-auto-answer', baresip: [{ tone: 1000 }] });
const env = useE2eEnv();

/** A page (in a browser whose microphone plays 660 Hz) holding a bare RTCPeerConnection. */
async function openOfferer(): Promise<Page> {
  const context = await (await env.browser(660)).newContext({ permissions: ['microphone'] });
  const page = await context.newPage();
  // A blank document on the loopback origin (a secure context), served by the page's router.
  const url = new URL('/offerer', env.server.url).href;
  await page.route(url, (route) =>
    route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>offerer</title>' }),
  );
  await page.goto(url);
  return page;
}

/** A WebRTC offer (microphone track, ICE candidates gathered) from the offerer page. */
function createOffer(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    const pc = new RTCPeerConnection();
    (window as unknown as { __offerer: RTCPeerConnection }).__offerer = pc;
    for (const track of stream.getTracks()) {
      pc.addTrack(track, stream);
    }
    await pc.setLocalDescription(await pc.createOffer());
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') {
        resolve();
      }
      pc.addEventListener('icegatheringstatechange', () => {
        if (pc.iceGatheringState === 'complete') {
          resolve();
        }
      });
    });
    return pc.localDescription?.sdp ?? '';
  });
}

/** dave registers over the lab's WebSocket. */
async function daveClient(): Promise<SipWsClient> {
  const dave = lab.lab.account('dave');
  const client = await SipWsClient.connect(lab.lab.wsUrl);
  const registered = await client.register({
    user: dave.user,
    password: dave.password,
    domain: dave.domain,
  });
  expect(registered.status).toBe(200);
  return client;
}

function inviteToAlice(client: SipWsClient, sdp: string): SipRequestOptions {
  const alice = lab.lab.account('alice');
  return {
    method: 'INVITE',
    uri: alice.uri,
    to: alice.uri,
    headers: [
      ['Contact', `<sip:dave@${client.viaHost};transport=ws>`],
      ['Call-Info', '<sip:lab.test>;answer-after=0'],
      ['Allow', 'INVITE, ACK, CANCEL, BYE, OPTIONS'],
    ],
    body: sdp,
  };
}

describe('auto-answer', () => {
  it('answers a call by itself when the autoAnswer setting is on', async () => {
    const bare = lab.lab.baresips[0]!;
    const alice = await PhonePage.open(await env.browser(440), env.server);
    try {
      await alice.bridge.settings.update({ autoAnswer: true });
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');

      const from = bare.events.length;
      const recordingsBefore = bare.heardRecordings().length;
      await bare.dial(lab.lab.account('alice').uri);
      await bare.waitForEventType('CALL_ESTABLISHED', 15_000, from);
      await alice.waitForCallStatus('active');
      expect(await alice.page.getByTestId('call-party').innerText()).toBe(bare.user);
      await alice.waitForAudio(bare.user, { present: [1000] });

      await bare.hangup();
      expect(await alice.waitForEnded()).toBe('hangup-remote');
      await bare.waitForEventType('CALL_CLOSED', 10_000, from);
      const file = await waitFor(
        () => {
          const files = bare.heardRecordings();
          return files.length > recordingsBefore ? files.at(-1) : undefined;
        },
        { timeoutMs: 20_000, what: 'baresip recording' },
      );
      const wav = readWav(file);
      const freq = dominantFrequency(wav.samples, wav.sampleRate);
      expect(near(freq, 440), `baresip heard ${freq} Hz`).toBe(true);
      expect(windowsWithTone(wav.samples, wav.sampleRate, 440, 0.02)).toBeGreaterThanOrEqual(3);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
    }
  });

  it('answers by itself when the caller asks (Call-Info answer-after) and the account allows it', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const offerer = await openOfferer();
    const client = await daveClient();
    try {
      const account = lab.lab.account('alice');
      await alice.bridge.seedAccount(
        {
          label: 'alice@lab.test',
          websocketUri: account.wsUrl,
          sipUri: account.uri,
          allowAutoAnswerHeader: true,
        },
        account.password,
      );
      await alice.page.reload();
      await alice.waitForRegistration('registered');

      const dave = lab.lab.account('dave');
      const { sent, response } = await client.sendWithAuth(
        inviteToAlice(client, await createOffer(offerer)),
        { user: dave.user, password: dave.password },
        15_000,
      );
      expect(response.status).toBe(200);
      expect(response.body).toMatch(/^m=audio /m);
      expect(response.body).toMatch(/^a=fingerprint:/m);
      client.dialogRequest(sent, response, 'ACK');
      await alice.waitForCallStatus('active');
      expect(await alice.page.getByTestId('call-party').innerText()).toBe('dave');

      // The offerer takes alice's answer: media flows, and alice hears its 660 Hz.
      await offerer.evaluate(async (sdp) => {
        const pc = (window as unknown as { __offerer: RTCPeerConnection }).__offerer;
        await pc.setRemoteDescription({ type: 'answer', sdp });
      }, response.body);
      await alice.waitForAudio('dave', { present: [660] });

      const bye = await client.dialogRequest(sent, response, 'BYE').response;
      expect(bye.status).toBe(200);
      expect(await alice.waitForEnded()).toBe('hangup-remote');
      expect(alice.errors).toEqual([]);
    } finally {
      await client.close();
      await offerer.context().close();
      await alice.close();
    }
  });

  it('only rings for the same request when the account does not allow it', async () => {
    const alice = await PhonePage.open(await env.browser(440), env.server);
    const offerer = await openOfferer();
    const client = await daveClient();
    try {
      await signIn(alice, lab.lab.account('alice'));
      await alice.waitForRegistration('registered');
      const account = alice.bridge.settings.get().accounts[0];
      expect(account?.allowAutoAnswerHeader).toBe(false);

      const dave = lab.lab.account('dave');
      const final = client.sendWithAuth(
        inviteToAlice(client, await createOffer(offerer)),
        { user: dave.user, password: dave.password },
        60_000,
      );
      await alice.waitForIncoming();
      // The request was understood (the view says so), yet nothing answers it.
      await alice.page.getByText('The caller asks for automatic answer.').waitFor();
      const ringing = await client.waitForMessage(
        (m: SipMessage) => m.isResponse && m.status === 180,
        10_000,
      );
      // Had the request been honoured, it would have been by a timer of answer-after = 0 ms
      // started when the call arrived. A 0 ms timer started now in the page fires after every
      // timer of at most 0 ms started before it (HTML timers run in order of timeout, then of
      // start), so once it has fired, such an answer would have begun: the incoming view would
      // have given way to the call view. An event-ordered bound, not a period of watching.
      await alice.page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 0)));
      expect(await alice.page.getByTestId('incoming-view').count()).toBe(1);
      expect(await alice.page.getByTestId('call-view').count()).toBe(0);
      expect(
        client.received.filter(
          (m) =>
            m.isResponse &&
            m.callId === ringing.callId &&
            m.cseq.seq === ringing.cseq.seq &&
            (m.status ?? 0) >= 200,
        ),
      ).toEqual([]);

      // And the only final answer to the INVITE is the user's decline.
      await alice.decline();
      const { response } = await final;
      expect(response.status).toBe(486);
      const finals = client.received.filter(
        (m) =>
          m.isResponse &&
          m.callId === ringing.callId &&
          m.cseq.seq === ringing.cseq.seq &&
          (m.status ?? 0) >= 200,
      );
      expect([...new Set(finals.map((m) => m.status))]).toEqual([486]);
      expect(alice.errors).toEqual([]);
    } finally {
      await client.close();
      await offerer.context().close();
      await alice.close();
    }
  });
});
