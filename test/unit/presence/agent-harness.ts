// Shared set-up for the presence agent's tests: the real engine and JsSIP on the loop server
// (test/unit/phone/harness.ts), one shared rate-limited queue, the agent, and helpers to find
// the requests the client sent and to answer them. Everything runs on vitest's fake clock.
import { vi } from 'vitest';
import {
  PresenceAgent,
  type AgentChange,
  type AgentDeps,
} from '../../../src-renderer/src/lib/presence/presence-agent';
import {
  DEFAULT_RESUBSCRIBE_RATE,
  RateLimitedQueue,
} from '../../../src-renderer/src/lib/presence/resubscribe-queue';
import { systemScheduler } from '../../../src-renderer/src/lib/scheduler';
import { header, type SipMessage } from '../../support/loop-sip';
import { harness, registered, type Harness } from '../phone/harness';

export const BOB = 'sip:bob@example.com';
export const CAROL = 'sip:carol@example.com';
export const SELF = 'sip:alice@example.com';

export interface AgentHarness extends Harness {
  agent: PresenceAgent;
  queue: RateLimitedQueue;
  changes: AgentChange[];
}

/**
 * The engine registered on the loop server with an agent bound to it; `setUp` runs before the
 * engine starts (to script the server's answers to the first requests).
 */
export async function agentHarness(
  deps: Partial<AgentDeps> = {},
  setUp: (h: Harness) => void = () => {},
): Promise<AgentHarness> {
  vi.useFakeTimers();
  const h = harness();
  setUp(h);
  const queue = new RateLimitedQueue(DEFAULT_RESUBSCRIBE_RATE, systemScheduler);
  const agent = new PresenceAgent(h.engine, { queue, random: () => 0, ...deps });
  const changes: AgentChange[] = [];
  agent.on('changed', (change) => changes.push(change));
  await registered(h);
  return { ...h, agent, queue, changes };
}

/**
 * Advances the fake clock in small steps until `done()` holds; throws after `maxMs` of fake
 * time (the bound that makes a missing event a failure, not a hang).
 */
export async function until(done: () => boolean, maxMs = 5000, step = 5): Promise<void> {
  for (let t = 0; t <= maxMs; t += step) {
    if (done()) {
      return;
    }
    await vi.advanceTimersByTimeAsync(step);
  }
  if (!done()) {
    throw new Error(`condition not met within ${maxMs} ms of fake time`);
  }
}

/**
 * SUBSCRIBEs of one event package the client sent, optionally only those of the subscriptions
 * to one user: their initial requests (by Request-URI) and every refresh in their dialogs.
 */
export function subscribes(h: Harness, event: string, user?: string): SipMessage[] {
  const ofEvent = h.server
    .requests('SUBSCRIBE')
    .filter((m) => (header(m, 'event') ?? '').split(';')[0] === event);
  if (user === undefined) {
    return ofEvent;
  }
  const callIds = new Set(
    ofEvent
      .filter((m) => isInitial(m) && (m.head.requestUri ?? '').startsWith(`sip:${user}@`))
      .map((m) => header(m, 'call-id')),
  );
  return ofEvent.filter((m) => callIds.has(header(m, 'call-id')));
}

/** True for an initial SUBSCRIBE (no To tag: a new subscription, not a refresh). */
export function isInitial(m: SipMessage): boolean {
  return !/;\s*tag=/i.test(header(m, 'to') ?? '');
}

/** The Expires a request asked for. */
export function expiresOf(m: SipMessage): number {
  return Number(header(m, 'expires'));
}

/** The responses the client sent to requests of `method` (in one dialog, when `callId`). */
export function clientResponses(h: Harness, method: string, callId?: string): SipMessage[] {
  return h.server.received.filter(
    (m) =>
      m.head.kind === 'response' &&
      (header(m, 'cseq') ?? '').endsWith(` ${method}`) &&
      (callId === undefined || header(m, 'call-id') === callId),
  );
}

/** Status code of a response the client sent. */
export function statusOf(m: SipMessage): number {
  return Number(m.startLine.split(' ')[1]);
}

/** A dialog-info document for bob with the given dialogs' XML. */
export function dialogInfo(version: number, state: 'full' | 'partial', dialogs = ''): string {
  return `<?xml version="1.0"?>
<dialog-info xmlns="urn:ietf:params:xml:ns:dialog-info" version="${version}" state="${state}" entity="${BOB}">${dialogs}</dialog-info>`;
}

/** One dialog element: bob is called by Carol (or calls her when `initiator`). */
export function dialog(
  state: string,
  opts: { id?: string; initiator?: boolean; ids?: boolean } = {},
): string {
  const ids =
    opts.ids === false ? '' : ' call-id="call-1@host" local-tag="bobtag" remote-tag="caroltag"';
  return `<dialog id="${opts.id ?? 'd1'}"${ids} direction="${opts.initiator ? 'initiator' : 'recipient'}">
  <state>${state}</state>
  <remote><identity display="Carol Caller">${CAROL}</identity><target uri="sip:carol@10.0.0.9:5060"/></remote>
  <local><identity>${BOB}</identity></local>
</dialog>`;
}
