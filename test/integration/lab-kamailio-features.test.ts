// Integration tests of the lab Kamailio's optional features: msilo store-and-forward, the presence server (presence,
// dialog busy lamps following real calls, message-summary), SIPp notifiers, RFC 5626 outbound, and restarts mid-run.
import { describe, expect, it } from 'vitest';
import {
  probeSipUdp,
  rawDataToText,
  SipUdpClient,
  SipWsClient,
  waitFor,
  type Baresip,
  type SipClient,
  type SentRequest,
  type SipMessage,
} from '../lab';
import { useLab } from '../support/use-lab';

const handle = useLab({
  name: 'lab-kamailio-features',
  accounts: ['alice', 'bob', 'carol', 'dave', 'erin'],
  baresip: 2,
  msilo: true,
  presence: true,
  outbound: { flowTimer: 20 },
  persistLocation: true,
  forwardSubscribe: ['notifier', 'ender'],
});

/** A WebSocket client registered as `user` (closed by the caller). */
async function wsUser(user: string): Promise<SipWsClient> {
  const { lab } = handle;
  const a = lab.account(user);
  const client = await SipWsClient.connect(lab.wsUrl);
  const res = await client.register({ user, password: a.password, domain: a.domain });
  expect(res.status).toBe(200);
  return client;
}

function creds(user: string): { user: string; password: string } {
  return { user, password: handle.lab.account(user).password };
}

/** SUBSCRIBEs `client` (as `user`) to `target`'s `event` and answers every NOTIFY of that dialog with 200. */
async function subscribe(
  client: SipClient,
  user: string,
  target: string,
  event: string,
): Promise<{ response: SipMessage; notifies: () => SipMessage[] }> {
  const callId = `sub-${event}-${Math.random().toString(16).slice(2)}`;
  const answered = new Set<SipMessage>();
  const notifies = (): SipMessage[] =>
    client.received.filter((m) => m.method === 'NOTIFY' && m.callId === callId);
  const answer = (): void => {
    for (const n of notifies()) {
      if (!answered.has(n)) {
        answered.add(n);
        client.reply(n, 200, 'OK');
      }
    }
  };
  const timer = setInterval(answer, 20);
  timer.unref();
  const response = await client.requestWithAuth(
    {
      method: 'SUBSCRIBE',
      uri: target,
      from: handle.lab.account(user).uri,
      callId,
      headers: [
        ['Event', event],
        ['Expires', '600'],
        ['Contact', `<${client.contactUri(user)}>`],
      ],
    },
    creds(user),
  );
  return { response, notifies };
}

function nthNotify(
  notifies: () => SipMessage[],
  pred: (m: SipMessage) => boolean,
  what: string,
): Promise<SipMessage> {
  return waitFor(() => notifies().find(pred), { what, timeoutMs: 10_000 });
}

describe('msilo (store and forward of MESSAGE)', () => {
  it('stores a MESSAGE to an offline user (202), refuses an unknown user (404), delivers on REGISTER', async () => {
    const { lab } = handle;
    const bob = await wsUser('bob');
    try {
      const text = 'for dave ✓ مرحبا';
      const stored = await bob.requestWithAuth(
        {
          method: 'MESSAGE',
          uri: lab.account('dave').uri,
          from: lab.account('bob').uri,
          body: text,
          contentType: 'text/plain; charset=UTF-8',
        },
        creds('bob'),
      );
      expect(stored.status).toBe(202);
      expect(lab.kamailio.storedMessages()).toEqual([
        expect.objectContaining({
          username: 'dave',
          src_addr: 'sip:bob@lab.test',
          body: text,
        }),
      ]);
      const unknown = await bob.requestWithAuth(
        {
          method: 'MESSAGE',
          uri: 'sip:nobody@lab.test',
          from: lab.account('bob').uri,
          body: 'x',
          contentType: 'text/plain',
        },
        creds('bob'),
      );
      expect(unknown.status).toBe(404);

      const dave = await SipWsClient.connect(lab.wsUrl);
      try {
        const delivered = dave.waitForMessage((m) => m.method === 'MESSAGE', 10_000);
        const reg = await dave.register({
          user: 'dave',
          password: lab.account('dave').password,
          domain: lab.domain,
        });
        expect(reg.status).toBe(200);
        const msg = await delivered;
        dave.reply(msg, 200, 'OK');
        expect(msg.body).toBe(text);
        expect(msg.header('From')).toContain('sip:bob@lab.test');
        await waitFor(() => lab.kamailio.storedMessages().length === 0, {
          what: 'msilo row deleted after the 200',
        });

        // Online now: relayed at once, answered by the phone.
        const direct = bob.requestWithAuth(
          {
            method: 'MESSAGE',
            uri: lab.account('dave').uri,
            from: lab.account('bob').uri,
            body: 'direct',
            contentType: 'text/plain',
          },
          creds('bob'),
        );
        const got = await dave.waitForMessage((m) => m.method === 'MESSAGE' && m.body === 'direct');
        dave.reply(got, 200, 'OK');
        expect((await direct).status).toBe(200);
      } finally {
        await dave.close();
      }
    } finally {
      await bob.close();
    }
  });
});

describe('presence server', () => {
  it('notifies presence subscribers of PUBLISHed PIDF', async () => {
    const { lab } = handle;
    const alice = await wsUser('alice');
    const erin = await wsUser('erin');
    try {
      const sub = await subscribe(alice, 'alice', lab.account('erin').uri, 'presence');
      expect(sub.response.status).toBe(200);
      await nthNotify(sub.notifies, () => true, 'first presence NOTIFY');
      expect(await lab.publishPresence({ user: 'erin', basic: 'open', note: 'Away' })).toBe(200);
      const away = await nthNotify(
        sub.notifies,
        (m) => m.body.includes('<note>Away</note>'),
        'NOTIFY with Away',
      );
      expect(away.header('Content-Type')).toBe('application/pidf+xml');
      expect(away.header('Subscription-State')).toMatch(/^active/);

      // erin publishes herself over her own WebSocket.
      const pub = await erin.requestWithAuth(
        {
          method: 'PUBLISH',
          uri: lab.account('erin').uri,
          from: lab.account('erin').uri,
          headers: [
            ['Event', 'presence'],
            ['Expires', '600'],
          ],
          body: `<?xml version="1.0"?><presence xmlns="urn:ietf:params:xml:ns:pidf" entity="sip:erin@lab.test"><tuple id="w"><status><basic>closed</basic></status></tuple></presence>`,
          contentType: 'application/pidf+xml',
        },
        creds('erin'),
      );
      expect(pub.status).toBe(200);
      expect(pub.header('SIP-ETag')).toBeTruthy();
      await nthNotify(sub.notifies, (m) => m.body.includes('<basic>closed</basic>'), 'closed');
    } finally {
      await alice.close();
      await erin.close();
    }
  });

  it('follows a real call between two phones in the dialog package (busy lamp)', async () => {
    const { lab } = handle;
    const [bare1, bare2] = lab.baresips as [Baresip, Baresip];
    const alice = await wsUser('alice');
    try {
      const sub = await subscribe(alice, 'alice', bare2.aor, 'dialog');
      expect(sub.response.status).toBe(200);
      const stateOf = (m: SipMessage): string | undefined =>
        /<state>(\w+)<\/state>/.exec(m.body)?.[1];
      const m1 = bare1.events.length;
      const m2 = bare2.events.length;
      await bare1.dial(bare2.aor);
      await bare2.waitForEventType('CALL_INCOMING', 10_000, m2);
      const early = await nthNotify(sub.notifies, (m) => stateOf(m) === 'early', 'early');
      expect(early.header('Content-Type')).toBe('application/dialog-info+xml');
      expect(early.body).toContain(`entity="${bare2.aor}"`);
      expect(early.body).toContain('direction="recipient"');
      expect(early.body).toMatch(/call-id="[^"]+"/);
      expect(early.body).toMatch(/local-tag="[^"]+"/);
      expect(early.body).toMatch(/remote-tag="[^"]+"/);
      expect(early.body).toContain(`<identity>${bare1.aor}</identity>`);
      await bare2.answer();
      await bare1.waitForEventType('CALL_ESTABLISHED', 10_000, m1);
      await nthNotify(sub.notifies, (m) => stateOf(m) === 'confirmed', 'confirmed');
      await bare1.hangup();
      await bare2.waitForEventType('CALL_CLOSED', 10_000, m2);
      await nthNotify(sub.notifies, (m) => stateOf(m) === 'terminated', 'terminated');
      const versions = sub
        .notifies()
        .map((m) => Number(/version="(\d+)"/.exec(m.body)?.[1] ?? -1))
        .filter((v) => v >= 0);
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
    } finally {
      await alice.close();
    }
  });

  it('accepts message-summary subscriptions and notifies a published MWI state; relays an unsolicited MWI NOTIFY', async () => {
    const { lab } = handle;
    const carol = await wsUser('carol');
    try {
      const sub = await subscribe(carol, 'carol', lab.account('carol').uri, 'message-summary');
      expect(sub.response.status).toBe(200);
      await nthNotify(sub.notifies, () => true, 'first message-summary NOTIFY');
      expect(await lab.publishMwi({ user: 'carol', newMessages: 2, oldMessages: 1 })).toBe(200);
      const mwi = await nthNotify(
        sub.notifies,
        (m) => m.body.includes('Voice-Message: 2/1'),
        'NOTIFY 2/1',
      );
      expect(mwi.header('Event')).toBe('message-summary');
      expect(mwi.body).toContain('Messages-Waiting: yes');

      // Unsolicited: out of any dialog, from the lab's voicemail account through Kamailio.
      const incoming = carol.waitForMessage(
        (m) => m.method === 'NOTIFY' && m.body.includes('Voice-Message: 5/3'),
        15_000,
      );
      const sent = lab.sendMwiNotify({ to: 'carol', newMessages: 5, oldMessages: 3 });
      const notify = await incoming;
      expect(notify.header('To')).not.toMatch(/tag=/);
      expect(notify.header('From')).toContain('sip:voicemail@lab.test');
      expect(notify.header('Event')).toBe('message-summary');
      carol.reply(notify, 200, 'OK');
      expect((await sent).status).toBe(200);
      expect((await lab.sendMwiNotify({ to: 'dave', newMessages: 1, oldMessages: 0 })).status).toBe(
        404,
      );
    } finally {
      await carol.close();
    }
  });
});

describe('SIPp notifiers', () => {
  it('answers a refresh SUBSCRIBE with 481; a new SUBSCRIBE is served again', async () => {
    const { lab } = handle;
    const notifier = await lab.startSippNotifier({
      user: 'notifier',
      mode: 'refresh-481',
      expires: 60,
    });
    const alice = await wsUser('alice');
    try {
      const subscribeToNotifier = (): Promise<{ sent: SentRequest; response: SipMessage }> =>
        alice.sendWithAuth(
          {
            method: 'SUBSCRIBE',
            uri: notifier.uri,
            from: lab.account('alice').uri,
            headers: [
              ['Event', 'dialog'],
              ['Expires', '60'],
              ['Contact', `<${alice.contactUri('alice')}>`],
            ],
          },
          creds('alice'),
        );
      const { sent, response } = await subscribeToNotifier();
      expect(response.status).toBe(200);
      expect(response.header('Expires')).toBe('60');
      const active = await alice.waitForMessage(
        (m) => m.method === 'NOTIFY' && m.callId === sent.callId,
      );
      expect(active.header('Subscription-State')).toBe('active;expires=60');
      expect(active.header('Event')).toBe('dialog');
      alice.reply(active, 200, 'OK');
      const refresh = alice.dialogRequest(sent, response, 'SUBSCRIBE', {
        headers: [
          ['Event', 'dialog'],
          ['Expires', '60'],
          ['Contact', `<${alice.contactUri('alice')}>`],
        ],
      });
      expect((await refresh.response).status).toBe(481);
      const again = (await subscribeToNotifier()).response;
      expect(again.status).toBe(200);
      await notifier.waitForTrace((e) => e.dir === 'sent' && e.message.status === 481);
      const subscribes = notifier
        .trace()
        .filter((e) => e.dir === 'received' && e.message.method === 'SUBSCRIBE');
      expect(subscribes).toHaveLength(3);
    } finally {
      await alice.close();
      await notifier.stop();
    }
  });

  it('ends a subscription with terminated;reason;retry-after', async () => {
    const { lab } = handle;
    const notifier = await lab.startSippNotifier({
      user: 'ender',
      mode: 'terminate',
      event: 'presence',
      reason: 'deactivated',
      retryAfter: 7,
    });
    const alice = await wsUser('alice');
    try {
      const sub = await subscribe(alice, 'alice', notifier.uri, 'presence');
      expect(sub.response.status).toBe(200);
      const ended = await nthNotify(
        sub.notifies,
        (m) => /^terminated/.test(m.header('Subscription-State') ?? ''),
        'terminated NOTIFY',
      );
      expect(ended.header('Subscription-State')).toBe(
        'terminated;reason=deactivated;retry-after=7',
      );
      expect(ended.header('Content-Type')).toBe('application/pidf+xml');
      await notifier.waitForTrace(
        (e) => e.dir === 'received' && e.message.status === 200 && e.message.cseq.seq === 2,
      );
    } finally {
      await alice.close();
      await notifier.stop();
    }
  });
});

describe('RFC 5626 outbound', () => {
  const instance = '"<urn:uuid:6d3a1b52-0f0e-4a33-9a61-2c6d1b0e0a01>"';
  const outboundRegister = (client: SipWsClient): Promise<SipMessage> =>
    client.register({
      user: 'erin',
      password: handle.lab.account('erin').password,
      domain: handle.lab.domain,
      contactUriParams: ';ob',
      contactParams: `;reg-id=1;+sip.instance=${instance}`,
      headers: [['Supported', 'outbound, path']],
    });

  it('registers a flow, replaces it from a new connection, routes to the newest flow, adds flow tokens, answers CRLF keep-alives', async () => {
    const { lab } = handle;
    const first = await SipWsClient.connect(lab.wsUrl);
    const second = await SipWsClient.connect(lab.wsUrl);
    const bob = await SipUdpClient.listen({
      serverHost: '127.0.0.1',
      serverPort: lab.kamailio.udpPort,
    });
    try {
      const r1 = await outboundRegister(first);
      expect(r1.status).toBe(200);
      expect(r1.header('Require')).toBe('outbound');
      expect(r1.header('Flow-Timer')).toBe('20');
      const r2 = await outboundRegister(second);
      expect(r2.status).toBe(200);
      // Same instance and reg-id: one binding, the new flow's.
      expect(r2.headerAll('Contact')).toHaveLength(1);
      expect(r2.header('Contact')).toContain(second.viaHost);

      // RFC 5626 §4.4.1 keep-alive over a connection: CRLFCRLF gets CRLF back.
      const pong = new Promise<string>((resolve) =>
        second.ws.once('message', (d) => resolve(rawDataToText(d))),
      );
      second.send('\r\n\r\n');
      expect(await pong).toBe('\r\n');

      expect(
        (
          await bob.register({
            user: 'bob',
            password: lab.account('bob').password,
            domain: lab.domain,
          })
        ).status,
      ).toBe(200);
      const call = bob.sendWithAuth(
        {
          method: 'INVITE',
          uri: lab.account('erin').uri,
          from: lab.account('bob').uri,
          headers: [['Contact', `<${bob.contactUri('bob')}>`]],
          body: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40000 RTP/AVP 0\r\n',
        },
        creds('bob'),
      );
      const invite = await second.waitForMessage((m) => m.method === 'INVITE', 10_000);
      second.reply(invite, 486, 'Busy Here');
      expect((await call).response.status).toBe(486);
      expect(first.received.some((m) => m.method === 'INVITE')).toBe(false);

      // A dialog from the outbound client: Record-Route carries a flow token (user part) and ;ob.
      const out = second.sendWithAuth(
        {
          method: 'INVITE',
          uri: lab.account('bob').uri,
          from: lab.account('erin').uri,
          headers: [['Contact', `<${second.contactUri('erin')};ob>`]],
          body: 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 40002 RTP/AVP 0\r\n',
        },
        creds('erin'),
      );
      const atBob = await bob.waitForMessage(
        (m) => m.method === 'INVITE' && m.header('From')?.includes('erin') === true,
      );
      // Both Record-Routes (UDP and WS side) carry the flow token as their user part, so
      // requests from bob in this dialog go back over the exact flow.
      const rr = atBob.headerAll('Record-Route').join(', ');
      const tokens = [...rr.matchAll(/<sip:([A-Za-z0-9+/=_-]{16,})@127\.0\.0\.1:\d+;/g)];
      expect(tokens).toHaveLength(2);
      expect(tokens[0]?.[1]).toBe(tokens[1]?.[1]);
      // A dialog set up toward the client carries none: its Contact had no ;ob.
      expect(invite.headerAll('Record-Route').join(', ')).not.toMatch(/<sip:[^@>]+@/);
      bob.reply(atBob, 486, 'Busy Here');
      expect((await out).response.status).toBe(486);
    } finally {
      await first.close();
      await second.close();
      await bob.close();
    }
  });
});

describe('restart', () => {
  it('restarts on the same ports mid-call: UDP registrations survive, in-dialog requests still route, WebSocket flows are gone', async () => {
    const { lab } = handle;
    const [bare1, bare2] = lab.baresips as [Baresip, Baresip];
    const k = lab.kamailio;
    const { wsPort, udpPort } = k;
    const ws = await wsUser('dave');
    const m1 = bare1.events.length;
    const m2 = bare2.events.length;
    await bare1.dial(bare2.aor);
    await bare2.waitForEventType('CALL_INCOMING', 10_000, m2);
    await bare2.answer();
    await bare1.waitForEventType('CALL_ESTABLISHED', 10_000, m1);

    const wsClosed = new Promise<void>((resolve) => ws.ws.once('close', () => resolve()));
    const pid = k.process.pid;
    await k.restart();
    await wsClosed;
    expect(k.process.pid).not.toBe(pid);
    expect(k.running).toBe(true);
    expect([k.wsPort, k.udpPort]).toEqual([wsPort, udpPort]);
    expect(await probeSipUdp(udpPort)).toMatch(/^SIP\/2\.0 200/);

    // The BYE of the call set up before the restart is routed by its Record-Route.
    await bare1.hangup();
    await bare2.waitForEventType('CALL_CLOSED', 10_000, m2);
    await bare1.waitForEventType('CALL_CLOSED', 10_000, m1);

    // bare2's binding came back from sqlite: a new call reaches it without a new REGISTER.
    const registers = k.registerCount('bare2');
    const n2 = bare2.events.length;
    await bare1.dial(bare2.aor);
    await bare2.waitForEventType('CALL_INCOMING', 10_000, n2);
    await bare1.hangup();
    await bare2.waitForEventType('CALL_CLOSED', 10_000, n2);
    expect(k.registerCount('bare2')).toBe(registers);

    // dave's binding is persisted too, but its WebSocket flow died with the old process.
    const bob = await SipUdpClient.listen({ serverHost: '127.0.0.1', serverPort: udpPort });
    try {
      const res = await bob.requestWithAuth(
        {
          method: 'OPTIONS',
          uri: lab.account('dave').uri,
          from: lab.account('bob').uri,
        },
        creds('bob'),
      );
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(k.countInLog(/LAB relay failed OPTIONS to sip:dave@/)).toBeGreaterThanOrEqual(1);
    } finally {
      await bob.close();
      await ws.close();
    }
  });
});
