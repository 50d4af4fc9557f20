// Owns voicemail waiting, watched presence and our own publication through the real engine and
// JsSIP on the loop server: the message-summary subscription to our own address and the
// unsolicited NOTIFY (both answered 200, counts shown, and cleared); a watched contact's PIDF
// status; PUBLISH with the status body, its refresh with SIP-If-Match, a change as a
// modification, 412 → the whole state again, 489 → never again with a sentence, removal on quit.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLogSink } from '../../../src-renderer/src/lib/logger';
import { header, type SipMessage } from '../../support/loop-sip';
import {
  agentHarness,
  BOB,
  clientResponses,
  expiresOf,
  statusOf,
  subscribes,
  until,
  type AgentHarness,
} from './agent-harness';

afterEach(() => {
  vi.useRealTimers();
  setLogSink(() => {});
});

const summary = (newCount: number, oldCount: number): string =>
  `Messages-Waiting: ${newCount > 0 ? 'yes' : 'no'}\r\nMessage-Account: sip:*97@example.com\r\nVoice-Message: ${newCount}/${oldCount} (0/0)\r\n`;

const pidf = (activity: string | null, basic = 'open'): string =>
  `<?xml version="1.0" encoding="UTF-8"?>
<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="${BOB}">
  <tuple id="t1"><status><basic>${basic}</basic></status></tuple>
  <dm:person id="p1">${activity ? `<rpid:activities><rpid:${activity}/></rpid:activities>` : ''}</dm:person>
</presence>`;

const publishes = (h: AgentHarness): SipMessage[] => h.server.requests('PUBLISH');

describe('voicemail waiting (RFC 3842)', () => {
  it('subscribes to our own address and shows the counts a NOTIFY brings, then clears', async () => {
    const h = await agentHarness();
    await until(() => subscribes(h, 'message-summary').length === 1);
    const sub = subscribes(h, 'message-summary')[0]!;
    expect(sub.head.requestUri).toBe('sip:alice@example.com');
    expect(header(sub, 'accept')).toBe('application/simple-message-summary');
    expect(h.agent.voicemail).toBeNull();

    h.server.notify(sub, { state: 'active;expires=3600', body: summary(2, 8) });
    await until(() => h.agent.voicemail !== null);
    expect(h.agent.voicemail).toEqual({
      waiting: true,
      newCount: 2,
      oldCount: 8,
      urgentNew: 0,
      messageAccount: 'sip:*97@example.com',
    });
    h.server.notify(sub, { state: 'active;expires=3600', body: summary(0, 10) });
    await until(() => h.agent.voicemail?.waiting === false);
    expect(h.agent.voicemail?.newCount).toBe(0);
  });

  it('takes the unsolicited NOTIFY a PBX sends without a subscription, and clears', async () => {
    const h = await agentHarness({}, (setUp) => {
      setUp.server.onSubscribe = (m) => setUp.server.reply(m, 489, 'Bad Event');
    });
    await until(
      () =>
        h.agent.subscriptionStatus('message-summary', 'sip:alice@example.com')?.state === 'stopped',
    );

    const callId = h.server.unsolicitedNotify(
      'message-summary',
      summary(3, 1),
      'application/simple-message-summary',
    );
    await until(() => h.agent.voicemail?.newCount === 3);
    expect(clientResponses(h, 'NOTIFY', callId).map(statusOf)).toEqual([200]);
    expect(h.changes).toContainEqual({ kind: 'voicemail' });

    h.server.unsolicitedNotify(
      'message-summary',
      summary(0, 4),
      'application/simple-message-summary',
    );
    await until(() => h.agent.voicemail?.waiting === false);
    // A body that is not a summary changes nothing.
    h.server.unsolicitedNotify('message-summary', '<html>hello</html>', 'text/html');
    await vi.advanceTimersByTimeAsync(100);
    expect(h.agent.voicemail).toMatchObject({ waiting: false, newCount: 0, oldCount: 4 });
  });
});

describe('watched presence (RFC 3856)', () => {
  it('shows a contact away when their PIDF says so, and unknown for a body it cannot read', async () => {
    const h = await agentHarness();
    h.agent.watch({ dialog: [], presence: [BOB] });
    await until(() => subscribes(h, 'presence', 'bob').length === 1);
    const sub = subscribes(h, 'presence', 'bob')[0]!;
    expect(header(sub, 'accept')).toBe('application/pidf+xml');
    await until(() => h.agent.subscriptionStatus('presence', BOB)?.state === 'active');
    expect(h.agent.presence(BOB)).toEqual({
      info: null,
      cause: 'They have not published a status.',
    });

    h.server.notify(sub, { state: 'active;expires=3600', body: pidf(null) });
    await until(() => h.agent.presence(BOB).info?.status === 'available');
    h.server.notify(sub, { state: 'active;expires=3600', body: pidf('away') });
    await until(() => h.agent.presence(BOB).info?.status === 'away');
    h.server.notify(sub, { state: 'active;expires=3600', body: '<presence xmlns="nope"/>' });
    await until(() => h.agent.presence(BOB).info === null);
    expect(h.agent.presence(BOB).cause).toMatch(/^[A-Z].*\.$/);
  });

  it('says it waits for permission while the server holds the subscription pending', async () => {
    const h = await agentHarness();
    h.server.onSubscribe = (m) => {
      h.server.reply(m, 202, 'Accepted', { headers: ['Expires: 3600'] });
      h.server.notify(m, { state: 'pending;expires=3600' });
    };
    h.agent.watch({ dialog: [], presence: [BOB] });
    await until(() => h.agent.subscriptionStatus('presence', BOB)?.state === 'pending');
    expect(h.agent.presence(BOB)).toEqual({
      info: null,
      cause: 'Waiting for permission to see their status.',
    });
  });
});

describe('our own status (PUBLISH, RFC 3903)', () => {
  it('publishes, refreshes with SIP-If-Match, sends a change as a modification, removes on quit', async () => {
    const h = await agentHarness();
    let expires = 3600;
    h.server.onPublish = (m) => {
      const etag = `e${publishes(h).length}`;
      h.server.reply(m, 200, 'OK', {
        headers: [`SIP-ETag: ${etag}`, `Expires: ${Math.min(expiresOf(m), expires)}`],
      });
    };
    expires = 300;
    h.agent.setOwnStatus('away');
    await until(() => h.agent.publication.state === 'published');
    const first = publishes(h)[0]!;
    expect(first.head.requestUri).toBe('sip:alice@example.com');
    expect(header(first, 'event')).toBe('presence');
    expect(header(first, 'content-type')).toBe('application/pidf+xml');
    expect(header(first, 'sip-if-match')).toBeUndefined();
    expect(first.body).toContain('<rpid:away/>');

    // Refreshed before the 300 s the server granted, without a body, with the entity tag.
    await until(() => publishes(h).length === 2, 300_000, 1000);
    const refresh = publishes(h)[1]!;
    expect(header(refresh, 'sip-if-match')).toBe('e1');
    expect(refresh.body).toBe('');

    // Do not disturb is published as busy: others learn we cannot take calls, not why.
    h.agent.setOwnStatus('dnd');
    await until(() => publishes(h).length === 3);
    const change = publishes(h)[2]!;
    expect(header(change, 'sip-if-match')).toBe('e2');
    expect(change.body).toContain('<rpid:busy/>');

    await until(() => h.agent.publication.state === 'published');
    const stopped = h.agent.stop();
    await until(() => publishes(h).length === 4);
    await vi.advanceTimersByTimeAsync(2000);
    await stopped;
    const removal = publishes(h)[3]!;
    expect(expiresOf(removal)).toBe(0);
    expect(header(removal, 'sip-if-match')).toBe('e3');
    expect(removal.body).toBe('');
  });

  it('publishes the whole state again after 412', async () => {
    const h = await agentHarness();
    h.server.onPublish = (m) =>
      publishes(h).length === 2
        ? h.server.reply(m, 412, 'Conditional Request Failed')
        : h.server.acceptPublish(m);
    h.agent.setOwnStatus('busy');
    await until(() => h.agent.publication.state === 'published');
    h.agent.setOwnStatus('away');
    await until(() => publishes(h).length === 3);
    const again = publishes(h)[2]!;
    expect(header(again, 'sip-if-match')).toBeUndefined();
    expect(again.body).toContain('<rpid:away/>');
    await until(() => h.agent.publication.state === 'published');
  });

  it('stops publishing for good when the server does not take publications (489)', async () => {
    const h = await agentHarness();
    h.server.onPublish = (m) => h.server.reply(m, 489, 'Bad Event');
    h.agent.setOwnStatus('away');
    await until(() => h.agent.publication.state === 'unsupported');
    expect(h.agent.publication).toEqual({
      state: 'unsupported',
      message:
        'Your server does not accept presence publications (489), so colleagues cannot see the status you choose here.',
    });
    h.agent.setOwnStatus('busy');
    await vi.advanceTimersByTimeAsync(3600_000);
    expect(publishes(h)).toHaveLength(1);
  });

  it('retries after a server error with its Retry-After, and refreshes after a reconnect', async () => {
    const h = await agentHarness();
    h.server.onPublish = (m) =>
      publishes(h).length === 1
        ? h.server.reply(m, 503, 'Service Unavailable', { headers: ['Retry-After: 60'] })
        : h.server.reply(m, 200, 'OK', {
            headers: [`SIP-ETag: tag${publishes(h).length}`, 'Expires: 3600'],
          });
    h.agent.setOwnStatus('away');
    await until(() => h.agent.publication.state === 'retrying');
    await vi.advanceTimersByTimeAsync(59_000);
    expect(publishes(h)).toHaveLength(1);
    await until(() => h.agent.publication.state === 'published', 2000);

    h.socket.drop();
    await until(() => h.agent.publication.state === 'off');
    await until(() => publishes(h).length === 3, 30_000, 20);
    // The server still holds our publication: the first request after the reconnect refreshes it.
    expect(header(publishes(h)[2]!, 'sip-if-match')).toBe('tag2');
    expect(publishes(h)[2]!.body).toBe('');
    await until(() => h.agent.publication.state === 'published');
  });
});
