// Owns the busy lamps through the whole wiring on the loop server: the real engine and JsSIP
// subscribe to the dialog event package, NOTIFYs go through JsSIP's Subscriber into the agent,
// and the lamp follows ringing → in call → idle; a version gap asks the server for full state
// (rate-limited); unreadable and hostile bodies (the whole corpus) make the lamp unknown and
// never throw or stop later NOTIFYs from working.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { setLogSink } from '../../../src-renderer/src/lib/logger';
import { RESYNC_INTERVAL_MS } from '../../../src-renderer/src/lib/presence/subscription';
import { header } from '../../support/loop-sip';
import { HOSTILE_XML } from './hostile-xml.corpus';
import {
  agentHarness,
  BOB,
  clientResponses,
  dialog,
  dialogInfo,
  expiresOf,
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

/** Watches bob and returns once his (accepted) dialog subscription exists. */
async function watchBob(h: AgentHarness): Promise<void> {
  h.agent.watch({ dialog: [BOB], presence: [] });
  await until(() => subscribes(h, 'dialog', 'bob').length === 1);
  await until(() => h.agent.subscriptionStatus('dialog', BOB)?.state === 'active');
}

/**
 * Refreshes (the resyncs a gap or an unreadable body asks for) are accepted without a NOTIFY,
 * so every NOTIFY in the test is one the test sent.
 */
function acceptRefreshesQuietly(h: AgentHarness): void {
  h.server.onSubscribe = (m) =>
    isInitial(m) ? h.server.acceptSubscribe(m) : h.server.reply(m, 200, 'OK');
}

function notifyBob(h: AgentHarness, body: string): void {
  const sub = subscribes(h, 'dialog', 'bob')[0]!;
  h.server.notify(sub, { state: 'active;expires=3600', body });
}

describe('busy lamp over the dialog event package', () => {
  it('subscribes with the dialog-info Accept and follows ringing → in call → idle', async () => {
    const h = await agentHarness();
    await watchBob(h);
    const sub = subscribes(h, 'dialog', 'bob')[0]!;
    expect(header(sub, 'accept')).toBe('application/dialog-info+xml');
    expect(expiresOf(sub)).toBe(3600);
    // The accepting NOTIFY had no body: free until told otherwise.
    expect(h.agent.lamp(BOB).state).toBe('idle');

    notifyBob(h, dialogInfo(0, 'full'));
    await until(() => h.agent.lamp(BOB).state === 'idle');

    notifyBob(h, dialogInfo(1, 'partial', dialog('early')));
    await until(() => h.agent.lamp(BOB).state === 'ringing');
    const ringing = h.agent.lamp(BOB);
    expect(ringing.caller).toEqual({ uri: 'sip:carol@example.com', display: 'Carol Caller' });
    expect(ringing.pickup?.replaces).toBe('call-1@host;to-tag=caroltag;from-tag=bobtag;early-only');

    notifyBob(h, dialogInfo(2, 'partial', dialog('confirmed')));
    await until(() => h.agent.lamp(BOB).state === 'in-call');

    notifyBob(h, dialogInfo(3, 'partial', dialog('terminated')));
    await until(() => h.agent.lamp(BOB).state === 'idle');
    // Every NOTIFY was answered 200 by JsSIP, and each change was announced for bob.
    const callId = header(sub, 'call-id');
    expect(clientResponses(h, 'NOTIFY', callId).map(statusOf)).toEqual([200, 200, 200, 200, 200]);
    expect(h.changes.filter((c) => c.kind === 'lamp' && c.aor === BOB).length).toBeGreaterThan(3);
  });

  it('takes an empty NOTIFY as a colleague with no calls (no meaningful state)', async () => {
    const h = await agentHarness();
    await watchBob(h);
    // The NOTIFY that confirmed the subscription had no body: bob is free.
    await until(() => h.agent.lamp(BOB).state === 'idle');
    notifyBob(h, dialogInfo(7, 'full', dialog('early')));
    await until(() => h.agent.lamp(BOB).state === 'ringing');
    const sub = subscribes(h, 'dialog', 'bob')[0]!;
    h.server.notify(sub, { state: 'active;expires=3600' });
    await until(() => h.agent.lamp(BOB).state === 'idle');
    // The next document is read whatever its version.
    notifyBob(h, dialogInfo(1, 'full', dialog('confirmed')));
    await until(() => h.agent.lamp(BOB).state === 'in-call');
    // While pending, an empty NOTIFY says nothing about the colleague.
    h.server.notify(sub, { state: 'pending;expires=3600' });
    await vi.advanceTimersByTimeAsync(100);
    expect(h.agent.lamp(BOB).state).toBe('in-call');
  });

  it('asks for full state after a version gap, at most once per interval', async () => {
    const h = await agentHarness();
    acceptRefreshesQuietly(h);
    await watchBob(h);
    notifyBob(h, dialogInfo(0, 'full'));
    await until(() => h.agent.lamp(BOB).state === 'idle');

    notifyBob(h, dialogInfo(5, 'partial', dialog('early')));
    await until(() => subscribes(h, 'dialog', 'bob').length === 2);
    const refresh = subscribes(h, 'dialog', 'bob')[1]!;
    expect(isInitial(refresh)).toBe(false);
    // Only part of the table is known: the lamp does not claim more than it knows.
    expect(h.agent.lamp(BOB).state).toBe('ringing');

    notifyBob(h, dialogInfo(9, 'partial', dialog('confirmed')));
    await vi.advanceTimersByTimeAsync(1000);
    expect(subscribes(h, 'dialog', 'bob')).toHaveLength(2);
    await until(() => subscribes(h, 'dialog', 'bob').length === 3, RESYNC_INTERVAL_MS + 1000);
  });

  it('shows unknown for an unreadable body and recovers with the next good one', async () => {
    const h = await agentHarness();
    acceptRefreshesQuietly(h);
    await watchBob(h);
    notifyBob(h, dialogInfo(1, 'full', dialog('confirmed')));
    await until(() => h.agent.lamp(BOB).state === 'in-call');

    notifyBob(h, '<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="2"');
    await until(() => h.agent.lamp(BOB).state === 'unknown');
    expect(h.agent.lamp(BOB).cause).toMatch(/^[A-Z].*\.$/);

    notifyBob(h, dialogInfo(3, 'full'));
    await until(() => h.agent.lamp(BOB).state === 'idle');
  });
});

describe('the hostile XML corpus through JsSIP and the agent', () => {
  it('never throws, answers every NOTIFY and shows the lamp the corpus expects', async () => {
    const h = await agentHarness();
    acceptRefreshesQuietly(h);
    await watchBob(h);
    const decoder = new TextDecoder();
    const encoder = new TextEncoder();
    const wrong: string[] = [];
    const callId = header(subscribes(h, 'dialog', 'bob')[0]!, 'call-id');
    const answers = (): number[] => clientResponses(h, 'NOTIFY', callId).map(statusOf);
    const send = async (body: string): Promise<void> => {
      const answered = answers().length;
      notifyBob(h, body);
      await until(() => answers().length === answered + 1, 10_000);
    };
    for (const c of HOSTILE_XML) {
      // An unreadable body first: the lamp starts each case fresh (no version, nothing known),
      // as the corpus's own test applies each body to a fresh lamp.
      await send('not xml');
      expect(h.agent.lamp(BOB).state).toBe('unknown');
      // A WebSocket text frame is UTF-8: bytes arrive decoded and a lone surrogate cannot be
      // sent at all (both become U+FFFD). Bodies the wire changes are only checked for safety.
      const wire =
        typeof c.body === 'string'
          ? decoder.decode(encoder.encode(c.body))
          : decoder.decode(c.body);
      const text = wire === c.body;
      await send(wire);
      const lamp = h.agent.lamp(BOB);
      // An empty NOTIFY is not an unreadable body: it is "no meaningful state" (RFC 6665).
      const expected = wire === '' ? 'idle' : c.lamp;
      if (text && lamp.state !== expected) {
        wrong.push(`${c.name}: ${lamp.state}, expected ${c.lamp}`);
      }
      if (
        text &&
        c.caller !== undefined &&
        JSON.stringify(lamp.caller) !== JSON.stringify(c.caller)
      ) {
        wrong.push(`${c.name}: caller ${JSON.stringify(lamp.caller)}`);
      }
      if (answers().at(-1) !== 200) {
        wrong.push(`${c.name}: answered ${answers().at(-1)}`);
      }
      if (c.name.includes('header injection') && lamp.pickup !== null) {
        wrong.push(`${c.name}: offers a pickup`);
      }
      if (lamp.state === 'unknown' && !/^[A-Z].*\.$/.test(lamp.cause ?? '')) {
        wrong.push(`${c.name}: unknown without a sentence`);
      }
      // The subscription survives every body: later NOTIFYs are still read.
      if (h.agent.subscriptionStatus('dialog', BOB)?.state !== 'active') {
        wrong.push(`${c.name}: subscription ${h.agent.subscriptionStatus('dialog', BOB)?.state}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(answers().filter((status) => status !== 200)).toEqual([]);
    await send(dialogInfo(0, 'full', dialog('early')));
    await send('still not xml');
    await send(dialogInfo(1, 'full', dialog('early')));
    expect(h.agent.lamp(BOB).state).toBe('ringing');
  });
});
