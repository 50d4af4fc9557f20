// Shared set-up for engine unit tests: real JsSIP and the real engine over a loop socket, with
// fake WebRTC globals and a fake media environment; everything on vitest's fake clock.
import { vi } from 'vitest';
import { PhoneEngine } from '../../../src-renderer/src/lib/phone/engine';
import type { EngineAccount, RegistrationState } from '../../../src-renderer/src/lib/phone/types';
import { FakeMediaEnvironment, installWebRtcGlobals } from '../../support/fake-webrtc';
import { LoopSipServer, LoopSocket, SERVER_SDP, type SipMessage } from '../../support/loop-sip';
import type { PhoneCall } from '../../../src-renderer/src/lib/phone/call';
import type { PolicySettings } from '../../../src-renderer/src/lib/phone/call-policy';
import { setLogSink } from '../../../src-renderer/src/lib/logger';

export const PASSWORD = 'correct horse battery staple';

/** The line manager's settings with nothing switched on: no DND, no auto-answer, 4 lines. */
export const LINE_POLICY: PolicySettings = {
  doNotDisturb: false,
  dndCode: 486,
  autoAnswer: false,
  allowAutoAnswerHeader: false,
  maxLines: 4,
};

export function account(overrides: Partial<EngineAccount> = {}): EngineAccount {
  return {
    id: 'acc-1',
    label: 'Test',
    websocketUri: 'wss://pbx.example.com/ws',
    sipUri: 'sip:alice@example.com',
    authUser: '',
    displayName: 'Alice',
    realm: '',
    password: PASSWORD,
    ha1: null,
    iceServers: [],
    iceGatheringCapMs: 1000,
    registerExpires: 600,
    sessionTimers: false,
    sessionExpires: 1800,
    dtmfMode: 'rfc4733',
    ...overrides,
  };
}

export interface Harness {
  engine: PhoneEngine;
  server: LoopSipServer;
  socket: LoopSocket;
  media: FakeMediaEnvironment;
  states: RegistrationState[];
  probe: { result: 'answered' | 'unreachable'; calls: number };
}

/** Builds an engine on the loop; call `vi.useFakeTimers()` first. */
export function harness(overrides: Partial<EngineAccount> = {}): Harness {
  installWebRtcGlobals();
  setLogSink(process.env.ENGINE_LOGS ? (r) => console.log(`[${r.ns}] ${r.text}`) : () => {});
  const server = new LoopSipServer({ alice: PASSWORD });
  const socket = new LoopSocket(server);
  const media = new FakeMediaEnvironment();
  const probe = { result: 'unreachable' as 'answered' | 'unreachable', calls: 0 };
  const engine = new PhoneEngine(account(overrides), {
    media,
    createSocket: () => socket,
    probe: async () => {
      probe.calls += 1;
      return probe.result;
    },
    now: () => Date.now(),
  });
  const states: RegistrationState[] = [];
  engine.on('registration', (s) => states.push(s));
  return { engine, server, socket, media, states, probe };
}

/** Advances the fake clock in small steps so promise chains between timers settle. */
export async function advance(ms: number, step = 5): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    await vi.advanceTimersByTimeAsync(Math.min(step, ms - t));
  }
}

/** Starts the engine and waits until it is registered. */
export async function registered(h: Harness): Promise<void> {
  h.engine.start();
  await advance(100);
  if (h.engine.registration.status !== 'registered') {
    throw new Error(`not registered: ${JSON.stringify(h.engine.registration)}`);
  }
}

/** Registers, then an INVITE from the loop server rings the phone; returns the call and its Call-ID. */
export async function ringing(h: Harness): Promise<{ call: PhoneCall; callId: string }> {
  await registered(h);
  const incoming = new Promise<PhoneCall>((resolve) => h.engine.on('incoming', resolve));
  const callId = h.server.invite('alice');
  await advance(20);
  return { call: await incoming, callId };
}

/**
 * Registers, then calls bob, whom the loop server answers at once (200 OK with SDP); returns the
 * call and the INVITE (the dialog the server sends in-dialog requests on).
 */
export async function answeredCall(h: Harness): Promise<{ call: PhoneCall; invite: SipMessage }> {
  await registered(h);
  h.server.onInvite = (invite) => h.server.reply(invite, 200, 'OK', { body: SERVER_SDP });
  const call = h.engine.call('sip:bob@example.com');
  await advance(100);
  const invite = h.server.requests('INVITE').at(-1);
  if (call.status !== 'active' || !invite) {
    throw new Error(`the call was not answered: ${call.status}`);
  }
  return { call, invite };
}

/** What a test needs of a JsSIP newMessage/newSubscribe event. */
export interface UaRequestEvent {
  request: { method: string; reply(code: number): void };
}

interface UaEmitter {
  on(event: string, listener: (e: UaRequestEvent) => void): void;
  removeListener(event: string, listener: (e: UaRequestEvent) => void): void;
}

/**
 * Listens for a JsSIP UA event (newMessage, newSubscribe) on the engine's UA, now and after a
 * restart, the way chat and presence bind (the engine's 'ua' event). Returns the unbind.
 */
export function onUa(
  engine: PhoneEngine,
  event: string,
  listener: (e: UaRequestEvent) => void,
): () => void {
  let current: UaEmitter | null = null;
  const bind = (ua: unknown): void => {
    current = ua as UaEmitter;
    current.on(event, listener);
  };
  if (engine.ua) {
    bind(engine.ua);
  }
  const off = engine.on('ua', bind);
  return () => {
    off();
    current?.removeListener(event, listener);
  };
}
