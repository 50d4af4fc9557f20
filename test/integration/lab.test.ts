// Integration tests of the SIP test lab itself: Kamailio over WS and UDP, two domains, WsFront modes, baresip calls, rtpengine bridging.
import { request as httpRequest } from 'node:http';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  detectBursts,
  dominantFrequency,
  probeSipUdp,
  readWav,
  rms,
  sliceSeconds,
  SipWsClient,
  startKamailio,
  toneAmplitude,
  waitFor,
  writeToneBurstsWav,
  writeToneWav,
  type Baresip,
  type SipMessage,
} from '../lab';
import { useLab } from '../support/use-lab';
import { webrtcOffer } from '../support/webrtc-offer';

const handle = useLab({
  name: 'lab-selftest',
  domains: ['lab.test', 'lab2.test'],
  baresip: [{ tone: 440 }, { tone: 880, autoAnswer: true }],
});

function httpGetStatus(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url.replace(/^ws:/, 'http:'), (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

async function heardTone(
  phone: Baresip,
): Promise<{ freq: number; level: number; seconds: number }> {
  const file = await waitFor(
    () => {
      const f = phone.heardRecordings().at(-1);
      return f !== undefined && existsSync(f) && statSync(f).size > 8000 ? f : undefined;
    },
    { what: `${phone.user} recording` },
  );
  const wav = readWav(file);
  // Skip the first 300 ms (jitter buffer fill, codec start).
  const steady = sliceSeconds(wav.samples, wav.sampleRate, 0.3);
  return {
    freq: dominantFrequency(steady, wav.sampleRate),
    level: rms(steady),
    seconds: wav.durationSec,
  };
}

/** Waits until the phone's newest heard-audio recording (one more than `before`) holds `seconds`. */
async function recordedSeconds(phone: Baresip, before: number, seconds: number): Promise<void> {
  await waitFor(
    () => {
      const files = phone.heardRecordings();
      const file = files.length > before ? files.at(-1) : undefined;
      return (
        file !== undefined && statSync(file).size > 1000 && readWav(file).durationSec >= seconds
      );
    },
    { what: `${phone.user}: ${seconds} s of heard audio recorded`, timeoutMs: 20_000 },
  );
}

describe('Kamailio over WebSocket', () => {
  it('challenges REGISTER, accepts the right password, rejects a wrong one and counts REGISTERs', async () => {
    const { lab } = handle;
    const alice = lab.account('alice');
    const client = await SipWsClient.connect(lab.wsUrl);
    try {
      const unauth = await client.request({
        method: 'REGISTER',
        uri: `sip:${lab.domain}`,
        from: alice.uri,
        to: alice.uri,
        headers: [
          ['Contact', `<sip:alice@${client.viaHost};transport=ws>`],
          ['Expires', '60'],
        ],
      }).response;
      expect(unauth.status).toBe(401);
      expect(unauth.header('WWW-Authenticate')).toMatch(/Digest .*realm="lab\.test".*qop="auth"/);

      const ok = await client.register({
        user: 'alice',
        password: alice.password,
        domain: lab.domain,
        expires: 60,
      });
      expect(ok.status).toBe(200);
      expect(ok.header('Contact')).toContain('expires=');

      const carol = lab.account('carol');
      const before = lab.kamailio.registerCount('carol');
      const wrong = await client.register({
        user: 'carol',
        password: `${carol.password}x`,
        domain: lab.domain,
      });
      expect([401, 403]).toContain(wrong.status);
      // One unauthenticated REGISTER + one with wrong credentials, and nothing else.
      expect(lab.kamailio.registerCount('carol') - before).toBe(2);
      expect(lab.kamailio.countInLog(/LAB auth failed for carol/)).toBeGreaterThanOrEqual(1);
    } finally {
      await client.close();
    }
  });

  it('routes requests between WS clients and rejects unknown targets', async () => {
    const { lab } = handle;
    const alice = await SipWsClient.connect(lab.wsUrl);
    const bob = await SipWsClient.connect(lab.wsUrl);
    try {
      const a = lab.account('alice');
      const b = lab.account('bob');
      expect(
        (await alice.register({ user: a.user, password: a.password, domain: a.domain })).status,
      ).toBe(200);
      expect(
        (await bob.register({ user: b.user, password: b.password, domain: b.domain })).status,
      ).toBe(200);

      const incoming = alice.waitForMessage((m) => m.method === 'MESSAGE');
      const sent = bob.requestWithAuth(
        { method: 'MESSAGE', uri: a.uri, body: 'hello alice', contentType: 'text/plain' },
        { user: b.user, password: b.password },
      );
      const msg = await incoming;
      expect(msg.body).toBe('hello alice');
      alice.reply(msg, 200, 'OK');
      expect((await sent).status).toBe(200);

      const creds = { user: b.user, password: b.password };
      const notRegistered = await bob.requestWithAuth(
        { method: 'MESSAGE', uri: lab.account('dave').uri, body: 'x', contentType: 'text/plain' },
        creds,
      );
      expect(notRegistered.status).toBe(404);
      const foreign = await bob.requestWithAuth(
        {
          method: 'MESSAGE',
          uri: 'sip:alice@elsewhere.test',
          body: 'x',
          contentType: 'text/plain',
        },
        creds,
      );
      expect(foreign.status).toBe(404);
    } finally {
      await alice.close();
      await bob.close();
    }
  });

  it('answers OPTIONS over UDP (readiness probe)', async () => {
    expect(await probeSipUdp(handle.lab.kamailio.udpPort)).toMatch(/^SIP\/2\.0 200/);
  });

  it('rejects a too small session interval with 422 and Min-SE when minSE is set', async () => {
    const { lab } = handle;
    const k = await startKamailio({
      domain: 'minse.test',
      accounts: [{ user: 'alice', password: 'pw-alice' }],
      logDir: lab.logDir,
      minSE: 120,
    });
    const client = await SipWsClient.connect(k.wsUrl);
    try {
      const res = await client.requestWithAuth(
        {
          method: 'INVITE',
          uri: 'sip:bob@minse.test',
          from: 'sip:alice@minse.test',
          headers: [
            ['Session-Expires', '90'],
            ['Contact', `<sip:alice@${client.viaHost};transport=ws>`],
          ],
          body: webrtcOffer(),
        },
        { user: 'alice', password: 'pw-alice' },
      );
      expect(res.status).toBe(422);
      expect(res.header('Min-SE')).toBe('120');
    } finally {
      await client.close();
      await k.stop();
    }
  });
  it('replies 480 when a ringing callee never answers (inviteTimeoutSec)', async () => {
    const { lab } = handle;
    const k = await startKamailio({
      domain: 'noanswer.test',
      accounts: [
        { user: 'alice', password: 'pw-alice' },
        { user: 'bob', password: 'pw-bob' },
      ],
      logDir: lab.logDir,
      inviteTimeoutSec: 1,
    });
    const alice = await SipWsClient.connect(k.wsUrl);
    const bob = await SipWsClient.connect(k.wsUrl);
    try {
      const reg = await alice.register({
        user: 'alice',
        password: 'pw-alice',
        domain: 'noanswer.test',
      });
      expect(reg.status).toBe(200);
      const ringing = alice.waitForMessage((m) => m.method === 'INVITE');
      const call = bob.requestWithAuth(
        {
          method: 'INVITE',
          uri: 'sip:alice@noanswer.test',
          from: 'sip:bob@noanswer.test',
          headers: [['Contact', `<sip:bob@${bob.viaHost};transport=ws>`]],
          body: webrtcOffer(),
        },
        { user: 'bob', password: 'pw-bob' },
        10_000,
      );
      const invite = await ringing;
      alice.reply(invite, 180, 'Ringing', [
        ['Contact', `<sip:alice@${alice.viaHost};transport=ws>`],
      ]);
      // The configured timer is the one in force (the default, 60 s, would outlast the 10 s
      // bound on the call above); how long it takes is Kamailio's business, not asserted here.
      expect(readFileSync(k.cfgFile, 'utf8')).toContain('modparam("tm", "fr_inv_timer", 1000)');
      const final = await call;
      expect(final.status).toBe(480);
      // Kamailio CANCELs the ringing branch.
      await alice.waitForMessage((m) => m.method === 'CANCEL' && m.callId === invite.callId);
    } finally {
      await alice.close();
      await bob.close();
      await k.stop();
    }
  });
});

describe('two domains', () => {
  it('runs one Kamailio per domain with separate credentials', async () => {
    const { lab } = handle;
    expect(lab.kamailios).toHaveLength(2);
    const [k1, k2] = lab.kamailios;
    expect(k1?.wsUrl).not.toBe(k2?.wsUrl);
    const alice2 = lab.account('alice', 'lab2.test');
    expect(alice2.wsUrl).toBe(k2?.wsUrl);
    expect(alice2.password).not.toBe(lab.account('alice').password);

    const c = await SipWsClient.connect(alice2.wsUrl);
    try {
      expect(
        (await c.register({ user: 'alice', password: alice2.password, domain: 'lab2.test' }))
          .status,
      ).toBe(200);
      const wrong = await c.register({
        user: 'alice',
        password: lab.account('alice').password,
        domain: 'lab2.test',
      });
      expect([401, 403]).toContain(wrong.status);
      expect(k2?.registerCount('alice')).toBeGreaterThanOrEqual(4);
    } finally {
      await c.close();
    }
  });
});

describe('WsFront', () => {
  it('switches between down, refuse and forward, taps and injects frames, drops clients', async () => {
    const { lab } = handle;
    const front = await lab.startWsFront({ mode: 'down' });

    await expect(SipWsClient.connect(front.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });

    await front.setMode('refuse');
    await expect(SipWsClient.connect(front.url)).rejects.toThrow(/unexpected-response 403/);
    expect(await httpGetStatus(front.url)).toBe(404);

    await front.setMode('forward');
    expect(await httpGetStatus(front.url)).toBe(404);
    const client = await SipWsClient.connect(front.url);
    const dave = lab.account('dave');
    const mark = front.frames.length;
    const res = await client.register({
      user: dave.user,
      password: dave.password,
      domain: dave.domain,
    });
    expect(res.status).toBe(200);
    const up = await front.waitForFrame(
      (f) => f.dir === 'up' && f.text.startsWith('REGISTER '),
      1000,
      mark,
    );
    const down = await front.waitForFrame(
      (f) => f.dir === 'down' && f.text.startsWith('SIP/2.0 200'),
      1000,
      mark,
    );
    expect(down.t).toBeGreaterThan(up.t);
    expect(up.t).toBeGreaterThan(performance.timeOrigin);

    // Injected request reaches the client; its answer is swallowed, never forwarded to Kamailio.
    const callId = `inject-${Date.now()}`;
    const injectedSeen = client.waitForMessage((m: SipMessage) => m.callId === callId);
    front.inject(
      [
        `OPTIONS sip:dave@${client.viaHost};transport=ws SIP/2.0`,
        'Via: SIP/2.0/WS 127.0.0.1:5060;branch=z9hG4bKinject1',
        'Max-Forwards: 70',
        'From: <sip:lab@lab.test>;tag=inj1',
        `To: <sip:dave@${lab.domain}>`,
        `Call-ID: ${callId}`,
        'CSeq: 1 OPTIONS',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
    const injected = await injectedSeen;
    expect(injected.method).toBe('OPTIONS');
    client.reply(injected, 200, 'OK');
    const swallowed = await front.waitForFrame(
      (f) => f.dir === 'up' && f.text.includes(callId),
      2000,
    );
    expect(swallowed.swallowed).toBe(true);
    // A later request proves Kamailio processed everything sent before it, and never saw the call-id.
    expect(
      (await client.register({ user: dave.user, password: dave.password, domain: dave.domain }))
        .status,
    ).toBe(200);
    expect(lab.kamailio.countInLog(new RegExp(callId))).toBe(0);

    // Network loss.
    const closed = new Promise<void>((resolve) => client.ws.once('close', () => resolve()));
    front.dropClients();
    await closed;
    expect(front.clientCount).toBe(0);

    // Same URL after down → forward.
    await front.setMode('down');
    await expect(SipWsClient.connect(front.url)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await front.setMode('forward');
    const again = await SipWsClient.connect(front.url);
    expect(
      (await again.register({ user: dave.user, password: dave.password, domain: dave.domain }))
        .status,
    ).toBe(200);
    await again.close();
    await front.stop();
  });
});

describe('WsFront blackhole and stall', () => {
  /** Resolves with the payload of the next pong on `client`'s socket. */
  const nextPong = (client: SipWsClient): Promise<string> =>
    new Promise((resolve) => client.ws.once('pong', (data) => resolve(data.toString())));

  it('blackhole: the flow stays open and nothing passes either way; forward revives it', async () => {
    const { lab } = handle;
    const front = await lab.startWsFront({ mode: 'forward' });
    const client = await SipWsClient.connect(front.url);
    const bob = lab.account('bob');
    const creds = { user: bob.user, password: bob.password, domain: bob.domain };
    try {
      expect((await client.register(creds)).status).toBe(200);
      await front.setMode('blackhole');

      // A request is taken by the front and dropped: Kamailio never sees it.
      const mark = front.frames.length;
      const lost = client.request({ method: 'OPTIONS', uri: `sip:${lab.domain}` }, 60_000);
      const dropped = await front.waitForFrame(
        (f) => f.dir === 'up' && f.text.includes(lost.callId),
        5000,
        mark,
      );
      expect(dropped.dropped).toBe(true);
      expect(lab.kamailio.countInLog(new RegExp(lost.callId))).toBe(0);
      expect(client.open).toBe(true);
      // A ping gets no pong while blackholed.
      const pongs: string[] = [];
      client.ws.on('pong', (d) => pongs.push(d.toString()));
      client.ws.ping('while-blackholed');
      const ping = await front.waitForFrame((f) => f.ping === true, 5000, mark);
      expect([ping.text, ping.dropped]).toEqual(['while-blackholed', true]);

      // A new connection completes the handshake but gets no upstream either.
      const late = await SipWsClient.connect(front.url);
      const lateReq = late.request({ method: 'OPTIONS', uri: `sip:${lab.domain}` }, 60_000);
      expect((await front.waitForFrame((f) => f.text.includes(lateReq.callId), 5000)).dropped).toBe(
        true,
      );

      await front.setMode('forward');
      const pong = nextPong(client);
      client.ws.ping('after-forward');
      expect(await pong).toBe('after-forward');
      // Pongs come in order on one connection: the blackholed ping was never answered.
      expect(pongs).toEqual(['after-forward']);
      expect((await client.register(creds)).status).toBe(200);
      expect(client.received.some((m) => m.callId === lost.callId)).toBe(false);
      // The connection made during the blackhole works once revived.
      expect((await late.register(creds)).status).toBe(200);
      await late.close();
    } finally {
      await client.close();
      await front.stop();
    }
  });

  it('stall: existing flows are dead, new connections are forwarded', async () => {
    const { lab } = handle;
    const front = await lab.startWsFront({ mode: 'forward' });
    const old = await SipWsClient.connect(front.url);
    const carol = lab.account('carol');
    const creds = { user: carol.user, password: carol.password, domain: carol.domain };
    try {
      expect((await old.register(creds)).status).toBe(200);
      await front.setMode('stall');
      const stuck = old.request({ method: 'OPTIONS', uri: `sip:${lab.domain}` }, 60_000);
      expect((await front.waitForFrame((f) => f.text.includes(stuck.callId), 5000)).dropped).toBe(
        true,
      );
      const fresh = await SipWsClient.connect(front.url);
      expect((await fresh.register(creds)).status).toBe(200);
      expect(lab.kamailio.countInLog(new RegExp(stuck.callId))).toBe(0);
      await fresh.close();
    } finally {
      await old.close();
      await front.stop();
    }
  });
});

describe('baresip phones', () => {
  it('registers two phones over UDP; a call carries each tone to the other side', async () => {
    const { lab } = handle;
    const [bare1, bare2] = lab.baresips;
    if (bare1 === undefined || bare2 === undefined) {
      throw new Error('two baresip phones expected');
    }
    expect(lab.kamailio.registerCount('bare1')).toBeGreaterThanOrEqual(1);
    const m1 = bare1.events.length;
    const m2 = bare2.events.length;
    const heard1 = bare1.heardRecordings().length;
    const heard2 = bare2.heardRecordings().length;
    await bare1.dial(bare2.aor);
    await bare1.waitForEventType('CALL_ESTABLISHED', 10_000, m1);
    await bare2.waitForEventType('CALL_ESTABLISHED', 10_000, m2);
    await bare1.waitForEventType('CALL_RTPESTAB', 10_000, m1);
    await bare2.waitForEventType('CALL_RTPESTAB', 10_000, m2);
    // The measured signal: both phones have recorded 2 s of what they heard.
    await recordedSeconds(bare1, heard1, 2);
    await recordedSeconds(bare2, heard2, 2);
    await bare1.hangup();
    await bare1.waitForEventType('CALL_CLOSED', 10_000, m1);
    await bare2.waitForEventType('CALL_CLOSED', 10_000, m2);

    const heardBy2 = await heardTone(bare2);
    const heardBy1 = await heardTone(bare1);
    expect(heardBy2.seconds).toBeGreaterThan(1.5);
    expect(heardBy2.level).toBeGreaterThan(0.05);
    expect(heardBy1.level).toBeGreaterThan(0.05);
    expect(Math.abs(heardBy2.freq - 440)).toBeLessThan(15);
    expect(Math.abs(heardBy1.freq - 880)).toBeLessThan(15);
  });
});

describe('rtpengine', () => {
  it('answers ng ping and Kamailio found it at startup', async () => {
    const { lab } = handle;
    const rtpengine = lab.rtpengine;
    if (rtpengine === undefined) {
      throw new Error('rtpengine expected');
    }
    expect(await rtpengine.ping()).toBe(true);
    for (const k of lab.kamailios) {
      expect(k.readLog()).toContain(`rtpengine instance <udp:127.0.0.1:${rtpengine.ngPort}> found`);
      expect(k.readLog()).not.toContain('proxy did not respond');
    }
  });

  it('bridges a WebRTC offer from WS to a plain-RTP baresip and back, and deletes the session on BYE', async () => {
    const { lab } = handle;
    const rtpengine = lab.rtpengine;
    const bare2 = lab.baresips[1];
    if (rtpengine === undefined || bare2 === undefined) {
      throw new Error('rtpengine and bare2 expected');
    }
    const bob = lab.account('bob');
    const client = await SipWsClient.connect(lab.wsUrl);
    try {
      expect(
        (await client.register({ user: bob.user, password: bob.password, domain: bob.domain }))
          .status,
      ).toBe(200);
      const m2 = bare2.events.length;
      const callId = `bridge-${Date.now()}`;
      const { sent: invite, response: ok } = await client.sendWithAuth(
        {
          method: 'INVITE',
          uri: bare2.aor,
          from: bob.uri,
          callId,
          headers: [['Contact', `<sip:bob@${client.viaHost};transport=ws>`]],
          body: webrtcOffer(),
        },
        { user: bob.user, password: bob.password },
        10_000,
      );
      expect(ok.status).toBe(200);
      // rtpengine answered toward WebRTC: DTLS-SRTP, ICE, rtcp-mux; baresip accepted plain RTP.
      expect(ok.body).toMatch(/m=audio \d+ (UDP\/TLS\/)?RTP\/SAVPF /);
      expect(ok.body).toContain('a=fingerprint:');
      expect(ok.body).toContain('a=ice-ufrag:');
      expect(ok.body).toContain('a=rtcp-mux');
      expect(ok.body).toContain('a=setup:passive');
      expect(ok.body).toContain('c=IN IP4 127.0.0.1');
      client.dialogRequest(invite, ok, 'ACK');
      await bare2.waitForEventType('CALL_ESTABLISHED', 10_000, m2);
      const offerSeen = bare2.events.slice(m2).find((e) => e.type === 'CALL_REMOTE_SDP');
      expect(offerSeen?.param).toBe('offer');
      expect(
        lab.kamailio.countInLog(/LAB rtpengine offer toward plain RTP/),
      ).toBeGreaterThanOrEqual(1);
      const listed = await rtpengine.ng({ command: 'list' });
      expect(listed['calls']).toContain(callId);

      const bye = client.dialogRequest(invite, ok, 'BYE');
      expect((await bye.response).status).toBe(200);
      await bare2.waitForEventType('CALL_CLOSED', 10_000, m2);
      await waitFor(
        async () => {
          const calls = (await rtpengine.ng({ command: 'list' }))['calls'];
          return Array.isArray(calls) && !calls.includes(callId);
        },
        { what: 'rtpengine session deleted', timeoutMs: 15_000 },
      );
    } finally {
      await client.close();
    }
  });

  it('offers WebRTC SDP to a WS callee when baresip calls it, and cleans up on rejection', async () => {
    const { lab } = handle;
    const rtpengine = lab.rtpengine;
    const bare1 = lab.baresips[0];
    if (rtpengine === undefined || bare1 === undefined) {
      throw new Error('rtpengine and bare1 expected');
    }
    const carol = lab.account('carol');
    const client = await SipWsClient.connect(lab.wsUrl);
    try {
      expect(
        (
          await client.register({
            user: carol.user,
            password: carol.password,
            domain: carol.domain,
          })
        ).status,
      ).toBe(200);
      const m1 = bare1.events.length;
      const incoming = client.waitForMessage((m) => m.method === 'INVITE', 10_000);
      await bare1.dial(carol.uri);
      const invite = await incoming;
      expect(invite.body).toMatch(/m=audio \d+ (UDP\/TLS\/)?RTP\/SAVPF /);
      expect(invite.body).toContain('a=fingerprint:');
      expect(invite.body).toContain('a=setup:actpass');
      expect(invite.body).toContain('a=ice-ufrag:');
      expect(invite.body).toContain('a=rtcp-mux');
      expect(invite.body).toContain('c=IN IP4 127.0.0.1');
      expect(lab.kamailio.countInLog(/LAB rtpengine offer toward WebRTC/)).toBeGreaterThanOrEqual(
        1,
      );
      client.reply(invite, 486, 'Busy Here');
      await bare1.waitForEventType('CALL_CLOSED', 10_000, m1);
      await waitFor(
        async () => {
          const calls = (await rtpengine.ng({ command: 'list' }))['calls'];
          return Array.isArray(calls) && !calls.includes(invite.callId);
        },
        { what: 'rtpengine session deleted', timeoutMs: 15_000 },
      );
    } finally {
      await client.close();
    }
  });
});

describe('WAV helpers', () => {
  it('round-trips tones and tone bursts', () => {
    const { lab } = handle;
    const tone = join(lab.logDir, 'tone-880.wav');
    writeToneWav(tone, { freq: 880, seconds: 1 });
    const wav = readWav(tone);
    expect(wav.sampleRate).toBe(48000);
    expect(wav.channels).toBe(1);
    expect(wav.durationSec).toBeCloseTo(1, 3);
    expect(Math.abs(dominantFrequency(wav.samples, wav.sampleRate) - 880)).toBeLessThan(2);
    expect(rms(wav.samples)).toBeCloseTo(0.5 / Math.SQRT2, 2);
    expect(toneAmplitude(wav.samples, wav.sampleRate, 880)).toBeCloseTo(0.5, 1);
    expect(toneAmplitude(wav.samples, wav.sampleRate, 440)).toBeLessThan(0.01);

    const bursts = join(lab.logDir, 'bursts.wav');
    const starts = writeToneBurstsWav(bursts, {
      freq: 1000,
      burstMs: 100,
      gapMs: 400,
      count: 4,
      leadInMs: 200,
    });
    expect(starts).toEqual([0.2, 0.7, 1.2, 1.7]);
    const found = detectBursts(readWav(bursts).samples, 48000);
    expect(found).toHaveLength(4);
    found.forEach((b, i) => {
      expect(Math.abs(b.startSec - (starts[i] ?? 0))).toBeLessThan(0.011);
    });
  });
});
