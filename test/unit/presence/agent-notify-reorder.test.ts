// Owns the NOTIFY that overtakes the final response to its SUBSCRIBE (RFC 6665 §4.1.2.4), on the
// loop server with the real engine, JsSIP and agent: the GuardedSocket holds it until the
// response is through (a 2xx: JsSIP takes it into the new dialog and answers 200; an error: JsSIP
// answers 481), keeps several held NOTIFYs in order, hands one over as it is after HOLD_MS when
// no response comes, and drops what it holds when the connection goes down.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLogSink } from '../../../src-renderer/src/lib/logger';
import { HOLD_MS } from '../../../src-renderer/src/lib/phone/notify-reorder';
import { header, type SipMessage } from '../../support/loop-sip';
import {
  agentHarness,
  BOB,
  clientResponses,
  dialog,
  dialogInfo,
  isInitial,
  statusOf,
  subscribes,
  until,
  type AgentHarness,
} from './agent-harness';

afterEach(() => {
  vi.useRealTimers();
  setLogSink(() => {});
});

/** The server answers bob's initial SUBSCRIBE through `answer` (later ones are accepted). */
function onFirstSubscribe(h: AgentHarness, answer: (m: SipMessage) => void): void {
  h.server.onSubscribe = (m) =>
    isInitial(m) && subscribes(h, 'dialog', 'bob').filter(isInitial).length === 1
      ? answer(m)
      : h.server.acceptSubscribe(m);
}

/** The client's answers to NOTIFYs in the dialog of bob's first SUBSCRIBE. */
function notifyAnswers(h: AgentHarness): SipMessage[] {
  const sub = subscribes(h, 'dialog', 'bob')[0];
  return sub ? clientResponses(h, 'NOTIFY', header(sub, 'call-id')) : [];
}

/** An active NOTIFY in the dialog of `m` carrying `body`. */
function notifyWith(h: AgentHarness, m: SipMessage, body: string): void {
  h.server.notify(m, { state: 'active;expires=3600', body });
}

function cseqOf(m: SipMessage): number {
  return Number.parseInt(header(m, 'cseq') ?? '', 10);
}

describe('a NOTIFY that arrives before the 2xx to its SUBSCRIBE', () => {
  it('is answered 200 after the 2xx and lights the lamp', async () => {
    const h = await agentHarness();
    onFirstSubscribe(h, (m) => {
      notifyWith(h, m, dialogInfo(0, 'full', dialog('early')));
      h.server.reply(m, 200, 'OK', { headers: ['Expires: 3600'] });
    });
    h.agent.watch({ dialog: [BOB], presence: [] });
    await until(() => notifyAnswers(h).length === 1);
    expect(notifyAnswers(h).map(statusOf)).toEqual([200]);
    await until(() => h.agent.lamp(BOB).state === 'ringing');
    expect(h.agent.subscriptionStatus('dialog', BOB)?.state).toBe('active');
    // The subscription stands: no new one was needed.
    expect(subscribes(h, 'dialog', 'bob').filter(isInitial)).toHaveLength(1);
  });

  it('is answered 200 after the 2xx when the SUBSCRIBE was challenged and sent again first', async () => {
    // Kamailio challenges the SUBSCRIBE (407); JsSIP sends it again with credentials from inside
    // its handling of the 407, and the NOTIFY then overtakes the 2xx to that second one.
    const h = await agentHarness();
    h.server.onSubscribe = (m) => {
      if (!isInitial(m)) {
        h.server.acceptSubscribe(m);
      } else if (!h.server.authorized(m)) {
        h.server.challenge(m, 407, h.server.digestRealm);
      } else {
        notifyWith(h, m, dialogInfo(0, 'full', dialog('early')));
        h.server.reply(m, 200, 'OK', { headers: ['Expires: 3600'] });
      }
    };
    h.agent.watch({ dialog: [BOB], presence: [] });
    await until(() => notifyAnswers(h).length === 1);
    expect(subscribes(h, 'dialog', 'bob').map((m) => h.server.authorized(m))).toEqual([
      false,
      true,
    ]);
    expect(notifyAnswers(h).map(statusOf)).toEqual([200]);
    await until(() => h.agent.lamp(BOB).state === 'ringing');
    expect(h.agent.subscriptionStatus('dialog', BOB)?.state).toBe('active');
  });

  it('keeps the order of several NOTIFYs held for one SUBSCRIBE', async () => {
    const h = await agentHarness();
    onFirstSubscribe(h, (m) => {
      notifyWith(h, m, dialogInfo(0, 'full', dialog('early')));
      notifyWith(h, m, dialogInfo(1, 'partial', dialog('confirmed')));
      h.server.reply(m, 200, 'OK', { headers: ['Expires: 3600'] });
    });
    h.agent.watch({ dialog: [BOB], presence: [] });
    await until(() => notifyAnswers(h).length === 2);
    expect(notifyAnswers(h).map(statusOf)).toEqual([200, 200]);
    const [firstAnswer, secondAnswer] = notifyAnswers(h);
    expect(cseqOf(firstAnswer!)).toBeLessThan(cseqOf(secondAnswer!));
    await until(() => h.agent.lamp(BOB).state === 'in-call');
    // Read in order, version 0 then 1: no gap, so no resync SUBSCRIBE.
    expect(subscribes(h, 'dialog', 'bob')).toHaveLength(1);
  });

  it('is answered 481 right after an error answer to its SUBSCRIBE', async () => {
    const h = await agentHarness();
    onFirstSubscribe(h, (m) => {
      h.server.notify(m, { state: 'active;expires=3600' });
      h.server.reply(m, 403, 'Forbidden');
    });
    h.agent.watch({ dialog: [BOB], presence: [] });
    // Well before the hold's bound: it went with the 403.
    await until(() => notifyAnswers(h).length === 1, HOLD_MS / 2);
    expect(notifyAnswers(h).map(statusOf)).toEqual([481]);
    await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state !== 'waiting');
    expect(h.agent.lamp(BOB).state).toBe('unknown');
  });

  it('is handed over as it is when no answer to the SUBSCRIBE comes within the bound', async () => {
    const h = await agentHarness();
    onFirstSubscribe(h, (m) => h.server.notify(m, { state: 'active;expires=3600' }));
    h.agent.watch({ dialog: [BOB], presence: [] });
    await until(() => subscribes(h, 'dialog', 'bob').length === 1);
    await vi.advanceTimersByTimeAsync(HOLD_MS - 500);
    // Still held: not answered, and the subscription is still waiting for the server.
    expect(notifyAnswers(h)).toEqual([]);
    await until(() => notifyAnswers(h).length === 1, 1000);
    // JsSIP still has no dialog for it: 481, as before the reorder existed.
    expect(notifyAnswers(h).map(statusOf)).toEqual([481]);
  });

  it('is dropped, never answered, when the connection goes down while it is held', async () => {
    const h = await agentHarness();
    onFirstSubscribe(h, (m) => h.server.notify(m, { state: 'active;expires=3600' }));
    h.agent.watch({ dialog: [BOB], presence: [] });
    await until(() => subscribes(h, 'dialog', 'bob').length === 1);
    await vi.advanceTimersByTimeAsync(100);
    h.socket.drop();
    await vi.advanceTimersByTimeAsync(HOLD_MS + 1000);
    expect(notifyAnswers(h)).toEqual([]);
  });

  it('leaves a NOTIFY of an established subscription alone', async () => {
    const h = await agentHarness();
    h.agent.watch({ dialog: [BOB], presence: [] });
    await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state === 'active');
    const sub = subscribes(h, 'dialog', 'bob')[0]!;
    notifyWith(h, sub, dialogInfo(1, 'full', dialog('confirmed')));
    // One loop hop: answered at once, not after a hold.
    await until(() => notifyAnswers(h).length === 2, 50);
    expect(notifyAnswers(h).map(statusOf)).toEqual([200, 200]);
    expect(h.agent.lamp(BOB).state).toBe('in-call');
  });
});
