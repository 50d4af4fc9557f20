// Integration tests of the lab's linphonec phones: registration over UDP through Kamailio without DNS, calls with
// audio both ways, hold/resume, DTMF in RFC 4733 and SIP INFO modes, chat, interop with baresip and a WebRTC offer.
import { readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import {
  dominantFrequency,
  readWav,
  rms,
  sliceSeconds,
  SipWsClient,
  waitFor,
  type Linphone,
} from '../lab';
import { useLab } from '../support/use-lab';
import { webrtcOffer } from '../support/webrtc-offer';

const handle = useLab({
  name: 'lab-linphone',
  linphone: [
    { tone: 1200 },
    { tone: 1500 },
    { tone: 1800, dtmf: 'sip-info' },
    { tone: 2100, dtmf: 'sip-info', autoAnswer: true },
  ],
  baresip: [{ tone: 440, autoAnswer: true }],
  msilo: true,
});

function phones(): [Linphone, Linphone, Linphone, Linphone] {
  const [a, b, c, d] = handle.lab.linphones;
  if (a === undefined || b === undefined || c === undefined || d === undefined) {
    throw new Error('four linphonec phones expected');
  }
  return [a, b, c, d];
}

/** Bytes of `seconds` of linphone's recording format (48 kHz mono 16-bit) after the header. */
const wavBytes = (seconds: number): number => 44 + seconds * 48000 * 2;

/** Waits until the phone's current call recording holds `seconds` of audio, and returns its path. */
async function recordingOf(phone: Linphone, seconds: number): Promise<string> {
  return waitFor(
    () => {
      const f = phone.recordings().at(-1);
      return f !== undefined && statSync(f).size > wavBytes(seconds) ? f : undefined;
    },
    { what: `${phone.user} recording ${seconds} s`, timeoutMs: 15_000 },
  );
}

function heard(file: string): { freq: number; level: number } {
  const wav = readWav(file);
  const steady = sliceSeconds(wav.samples, wav.sampleRate, 0.5);
  return { freq: dominantFrequency(steady, wav.sampleRate), level: rms(steady) };
}

afterEach(() => {
  // A failed test must not leave a call up for the next one.
  for (const phone of handle.lab.linphones) {
    phone.hangupAll();
  }
});

describe('linphonec phones', () => {
  it('register over UDP through Kamailio and never resolve a name', async () => {
    const { lab } = handle;
    for (const phone of lab.linphones) {
      expect(await phone.registrationStatus()).toBe(
        `registered, identity=${phone.aor} duration=3600`,
      );
      expect(lab.kamailio.registerCount(phone.user)).toBeGreaterThanOrEqual(2);
      // belle-sip logs every resolution it starts; only IP literals may appear (lab domains
      // do not resolve, and a DNS query would leave the machine).
      const resolutions = readFileSync(phone.debugLogFile, 'utf8')
        .split('\n')
        .filter((l) => /starting resolution of /.test(l));
      expect(resolutions.length).toBeGreaterThan(0);
      for (const line of resolutions) {
        expect(line).toMatch(/starting resolution of 127\.0\.0\.1$/);
      }
    }
  });

  it('call with audio both ways, hold and resume, RFC 4733 DTMF both ways, hang up', async () => {
    const [lin1, lin2] = phones();
    const m1 = lin1.events.length;
    const m2 = lin2.events.length;
    const call = await lin1.dial(lin2.aor);
    const incoming = await lin2.waitForEventType('incoming', 10_000, m2);
    expect(incoming.peer).toBe(lin1.aor);
    lin2.answer();
    await lin1.waitForEvent((e) => e.type === 'streams-running' && e.call === call, 10_000, m1);
    await lin2.waitForEventType('streams-running', 10_000, m2);

    const d1 = lin1.events.length;
    const d2 = lin2.events.length;
    lin1.sendDtmf('123#9*0');
    lin2.sendDtmf('#0*');
    await lin2.waitForEvent((e) => e.type === 'dtmf' && e.text === '0', 10_000, d2);
    await lin1.waitForEvent((e) => e.type === 'dtmf' && e.text === '*', 10_000, d1);
    // Exactly once each, in order (no repeated end packets counted as new keys).
    expect(lin2.receivedDtmf(d2)).toBe('123#9*0');
    expect(lin1.receivedDtmf(d1)).toBe('#0*');
    expect(() => lin1.sendDtmf('A')).toThrow(/not DTMF keys/);

    const h1 = lin1.events.length;
    const h2 = lin2.events.length;
    lin1.hold();
    await lin1.waitForEventType('paused', 10_000, h1);
    await lin2.waitForEventType('paused-by-remote', 10_000, h2);
    const reinvite = lin2
      .sipTrace()
      .filter((t) => t.dir === 'received' && t.message.method === 'INVITE')
      .at(-1);
    expect(reinvite?.message.body).toMatch(/a=sendonly/);
    lin1.resume();
    await lin1.waitForEventType('streams-running', 10_000, h1);
    await lin2.waitForEventType('streams-running', 10_000, h2);

    // Each side hears the other's tone (the recording grows while the call runs).
    const rec1 = await recordingOf(lin1, 3);
    const rec2 = await recordingOf(lin2, 3);
    lin2.hangup();
    const ended = await lin1.waitForEventType('ended', 10_000, h1);
    expect(ended.call).toBe(call);
    await lin2.waitForEventType('ended', 10_000, h2);
    const by1 = heard(rec1);
    const by2 = heard(rec2);
    expect(Math.abs(by1.freq - 1500)).toBeLessThan(20);
    expect(Math.abs(by2.freq - 1200)).toBeLessThan(20);
    expect(by1.level).toBeGreaterThan(0.05);
    expect(by2.level).toBeGreaterThan(0.05);
  });

  it('SIP INFO DTMF between two phones in sip-info mode, with no telephone-event offered', async () => {
    const [, , lin3, lin4] = phones();
    const m3 = lin3.events.length;
    const m4 = lin4.events.length;
    await lin3.dial(lin4.aor); // lin4 answers by itself
    await lin3.waitForEventType('streams-running', 10_000, m3);
    await lin4.waitForEventType('streams-running', 10_000, m4);
    lin3.sendDtmf('42#');
    await lin4.waitForEvent((e) => e.type === 'dtmf' && e.text === '#', 10_000, m4);
    expect(lin4.receivedDtmf(m4)).toBe('42#');
    const infos = lin4
      .sipTrace()
      .filter((t) => t.dir === 'received' && t.message.method === 'INFO');
    expect(infos.length).toBeGreaterThanOrEqual(3);
    expect(infos.at(-1)?.message.header('Content-Type')).toBe('application/dtmf-relay');
    expect(infos.at(-1)?.message.body).toMatch(/Signal=#/);
    const invite = lin4
      .sipTrace()
      .filter((t) => t.dir === 'received' && t.message.method === 'INVITE')
      .at(-1);
    expect(invite?.message.body).not.toMatch(/telephone-event/);
    lin3.hangup();
    await lin4.waitForEventType('ended', 10_000, m4);
  });

  it('calls baresip (an independent stack) and hears its tone', async () => {
    const { lab } = handle;
    const [lin1] = phones();
    const bare1 = lab.baresips[0];
    if (bare1 === undefined) {
      throw new Error('bare1 expected');
    }
    const m = lin1.events.length;
    const mb = bare1.events.length;
    await lin1.dial(bare1.aor);
    await lin1.waitForEventType('streams-running', 10_000, m);
    await bare1.waitForEventType('CALL_ESTABLISHED', 10_000, mb);
    const rec = await recordingOf(lin1, 2);
    lin1.hangup();
    await bare1.waitForEventType('CALL_CLOSED', 10_000, mb);
    await lin1.waitForEventType('ended', 10_000, m);
    expect(Math.abs(heard(rec).freq - 440)).toBeLessThan(20);
  });

  it('chats with non-ASCII text between phones and with a SIP-over-WebSocket client', async () => {
    const { lab } = handle;
    const [lin1, lin2] = phones();
    const text = 'héllo 👋 مرحبا שלום e\u0301 ✓';
    const m2 = lin2.events.length;
    lin1.sendMessage(lin2.aor, text);
    const got = await lin2.waitForEventType('message', 10_000, m2);
    expect(got.text).toBe(text);
    expect(got.peer).toBe(lin1.aor);

    const alice = lab.account('alice');
    const client = await SipWsClient.connect(lab.wsUrl);
    try {
      expect(
        (await client.register({ user: alice.user, password: alice.password, domain: lab.domain }))
          .status,
      ).toBe(200);
      const m1 = lin1.events.length;
      const sent = await client.requestWithAuth(
        {
          method: 'MESSAGE',
          uri: lin1.aor,
          from: alice.uri,
          body: text,
          contentType: 'text/plain; charset=UTF-8',
        },
        { user: alice.user, password: alice.password },
      );
      expect(sent.status).toBe(200);
      const atLin = await lin1.waitForEventType('message', 10_000, m1);
      expect(atLin.text).toBe(text);
      expect(atLin.peer).toBe(alice.uri);
      // Linphone then reports delivery with an IMDN: a deflate-compressed message/imdn+xml MESSAGE.
      const imdn = await client.waitForMessage(
        (msg) => msg.method === 'MESSAGE' && msg.header('Content-Type') === 'message/imdn+xml',
        10_000,
      );
      client.reply(imdn, 200, 'OK');
      expect(imdn.header('Content-Encoding')).toBe('deflate');

      const incoming = client.waitForMessage(
        (msg) => msg.method === 'MESSAGE' && msg.header('Content-Type') === 'text/plain',
        10_000,
      );
      lin1.sendMessage(alice.uri, 'reply ✓ from linphone');
      const msg = await incoming;
      client.reply(msg, 200, 'OK');
      expect(msg.body).toBe('reply ✓ from linphone');
      expect(msg.header('From')).toContain(lin1.aor);
      expect(() => lin1.sendMessage(alice.uri, 'two\nlines')).toThrow(/one non-empty line/);
    } finally {
      await client.close();
    }
  });

  it('answers a WebRTC offer through rtpengine with telephone-event at 48000 and 8000', async () => {
    const { lab } = handle;
    const [, lin2] = phones();
    const bob = lab.account('bob');
    const client = await SipWsClient.connect(lab.wsUrl);
    try {
      expect(
        (await client.register({ user: bob.user, password: bob.password, domain: lab.domain }))
          .status,
      ).toBe(200);
      const m2 = lin2.events.length;
      void lin2.waitForEventType('incoming', 10_000, m2).then(() => lin2.answer());
      const { sent, response } = await client.sendWithAuth(
        {
          method: 'INVITE',
          uri: lin2.aor,
          from: bob.uri,
          headers: [['Contact', `<${client.contactUri('bob')}>`]],
          body: webrtcOffer({ port: 40400, telephoneEvents: true }),
        },
        { user: bob.user, password: bob.password },
        10_000,
      );
      expect(response.status).toBe(200);
      client.dialogRequest(sent, response, 'ACK');
      await lin2.waitForEventType('streams-running', 10_000, m2);
      // What linphone answered (before rtpengine rewrote it toward WebRTC).
      const answer = lin2
        .sipTrace()
        .filter(
          (t) => t.dir === 'sent' && t.message.status === 200 && t.message.cseq.method === 'INVITE',
        )
        .at(-1)?.message.body;
      expect(answer).toMatch(/a=rtpmap:110 telephone-event\/48000/);
      expect(answer).toMatch(/a=rtpmap:126 telephone-event\/8000/);
      expect(answer).not.toMatch(/a=(sendonly|recvonly|inactive)/);
      // And what the WebSocket side got: DTLS-SRTP with both telephone-events kept.
      expect(response.body).toContain('a=fingerprint:');
      expect(response.body).toMatch(/telephone-event\/48000/);
      expect(response.body).toMatch(/telephone-event\/8000/);
      const bye = client.dialogRequest(sent, response, 'BYE');
      expect((await bye.response).status).toBe(200);
      await lin2.waitForEventType('ended', 10_000, m2);
    } finally {
      await client.close();
    }
  });

  it('unregisters, gets a message stored while offline once it is back (restart on the same port)', async () => {
    const { lab } = handle;
    const [, lin2] = phones();
    const alice = lab.account('alice');
    const client = await SipWsClient.connect(lab.wsUrl);
    try {
      await lin2.unregister();
      const stored = await client.requestWithAuth(
        {
          method: 'MESSAGE',
          uri: lin2.aor,
          from: alice.uri,
          body: 'while you were out ✓',
          contentType: 'text/plain',
        },
        { user: alice.user, password: alice.password },
      );
      expect(stored.status).toBe(202);
      const port = lin2.sipPort;
      const pid = lin2.process.pid;
      const m2 = lin2.events.length;
      await lin2.restart();
      expect(lin2.process.pid).not.toBe(pid);
      expect(lin2.sipPort).toBe(port);
      const got = await lin2.waitForEventType('message', 10_000, m2);
      expect(got.text).toBe('while you were out ✓');
      expect(got.peer).toBe(alice.uri);
      // (Linphone's IMDN back to alice may be stored for her: only lin2's row matters here.)
      await waitFor(() => !lab.kamailio.storedMessages().some((m) => m.username === lin2.user), {
        what: 'the stored message deleted after delivery',
      });
    } finally {
      await client.close();
    }
  });
});
