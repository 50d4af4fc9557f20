// The fuzzer's scenarios and invariants: the real engine and JsSIP on the loop server and the
// fake clock, driven through one dialog state each (registration, an outgoing call, an incoming
// call, re-INVITEs and holds, transfers both ways, MESSAGE/SUBSCRIBE/NOTIFY/OPTIONS outside a
// dialog) while the server's messages are mutated on the wire and mutated RFC 4475 messages,
// aimed at the live dialog, are injected. Then every call is hung up, the clock jumps far ahead
// and the invariants are checked: nothing thrown, every call ended and every operation settled,
// no session, dialog, transaction or peer connection left, the microphone released, no REGISTER
// storm, registration not left waiting, and a new call still works.
import { vi } from 'vitest';
import type { PhoneCall } from '../../src-renderer/src/lib/phone/call';
import { setLogSink } from '../../src-renderer/src/lib/logger';
import { advance, harness, onUa, type Harness } from '../unit/phone/harness';
import { peerConnections, setGatheringScript, setSdpRefusals } from './fake-webrtc';
import { header, SERVER_SDP, type SipMessage } from './loop-sip';
import { loadRfc4475 } from './rfc4475';
import { mutate, Rng } from './sip-fuzz';

export const SCENARIOS = [
  'registration',
  'outgoing',
  'incoming',
  'reinvite',
  'transfer',
  'requests',
] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** One broken invariant, with what is needed to replay it. */
export interface Violation {
  scenario: Scenario;
  seed: number;
  what: string;
  /** The mutations applied on the wire, in order (for the report). */
  trace: string[];
}

/** How many REGISTERs may leave in any 10 s (a refresh, a challenge, a retry or two). */
const REGISTER_BURST = 6;
/** How far the clock jumps after a scenario, to see whether anything still waits. */
const FAR_AHEAD_MS = 6 * 60_000;

const corpus = loadRfc4475();

interface Run {
  h: Harness;
  rng: Rng;
  trace: string[];
  calls: PhoneCall[];
  /** Holds, resumes and transfers started, and whether each has settled. */
  pending: { settled: boolean }[];
  errors: string[];
  pcsBefore: number;
}

/** Runs one scenario with one seed; returns what it broke (empty when all held). */
export async function fuzzOnce(scenario: Scenario, seed: number): Promise<Violation[]> {
  const rng = new Rng(seed);
  setGatheringScript({ kind: 'candidates', at: [{ ms: 1, typ: 'host' }], completeAtMs: 5 });
  // The browser refuses SDP it cannot read (no usable audio section, or marked by a mutation).
  setSdpRefusals(
    (['setRemoteDescription', 'createAnswer', 'setLocalDescription'] as const).map((step) => ({
      step,
      when: (sdp: string) => sdp.includes('a=x-refuse') || !/^m=audio [1-9]/m.test(sdp),
    })),
  );
  const h = harness({ registerExpires: scenario === 'registration' ? 60 : 600 });
  const run: Run = {
    h,
    rng,
    trace: [],
    calls: [],
    pending: [],
    errors: [],
    pcsBefore: peerConnections.length,
  };
  setLogSink((record) => {
    if (record.level === 'error') {
      run.errors.push(`${record.ns}: ${record.text}`);
    }
  });
  const onUncaught = (error: unknown): void => {
    run.errors.push(`uncaught: ${error instanceof Error ? error.stack : String(error)}`);
  };
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  h.engine.on('incoming', (call) => run.calls.push(call));
  h.engine.on('outgoing', (call) => run.calls.push(call));
  try {
    await drive(run, scenario);
    return await settle(run, scenario, seed);
  } catch (error: unknown) {
    return [
      violation(
        run,
        scenario,
        seed,
        `threw: ${error instanceof Error ? error.stack : String(error)}`,
      ),
    ];
  } finally {
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    setSdpRefusals([]);
    h.server.tamper = null;
    const stopped = h.engine.stop(0).catch(() => {});
    await vi.advanceTimersByTimeAsync(10);
    await stopped;
  }
}

function track(run: Run, operation: Promise<unknown>): void {
  const entry = { settled: false };
  run.pending.push(entry);
  operation.then(
    () => (entry.settled = true),
    () => (entry.settled = true),
  );
}

function violation(run: Run, scenario: Scenario, seed: number, what: string): Violation {
  return { scenario, seed, what, trace: [...run.trace] };
}

/** Mutates the server's messages with probability `p` (and sometimes delivers one twice). */
function tamperWith(run: Run, p: number): void {
  run.h.server.tamper = (text) => {
    if (!run.rng.chance(p)) {
      return [text];
    }
    const { text: mutated, ops } = mutate(text, run.rng);
    run.trace.push(`${firstLine(text)} ⇒ ${ops.join('+')}`);
    return run.rng.chance(0.15) ? [mutated, text] : [mutated];
  };
}

function firstLine(text: string): string {
  return text.slice(0, Math.max(0, text.indexOf('\r\n'))).slice(0, 60);
}

/** A corpus message, mutated, aimed at `dialog` (its Call-ID and tags) or at alice. */
function injectCorpus(run: Run, dialog: SipMessage | null): void {
  const seedMessage = run.rng.pick(corpus).text;
  let text = seedMessage.replace(/^(\S+) sips?:[^\s]*/, '$1 sip:alice@example.com');
  if (dialog) {
    text = text
      .replace(/^(Call-ID|i)[ \t]*:.*$/im, `Call-ID: ${header(dialog, 'call-id') ?? ''}`)
      .replace(/^(From|f)[ \t]*:.*$/im, `From: ${header(dialog, 'to') ?? ''}`)
      .replace(/^(To|t)[ \t]*:.*$/im, `To: ${header(dialog, 'from') ?? ''}`);
  }
  const { text: mutated, ops } = mutate(text, run.rng);
  run.trace.push(`inject corpus ⇒ ${ops.join('+')}`);
  run.h.socket.deliver(mutated);
}

async function drive(run: Run, scenario: Scenario): Promise<void> {
  const { h, rng } = run;
  if (scenario === 'registration') {
    tamperWith(run, 0.6);
  }
  h.engine.start();
  await advance(200, 20);
  if (scenario === 'registration') {
    // Refreshes (every ~30-60 s), retries and challenges, all on a tampered wire.
    await advance(8 * 60_000, 1000);
    h.server.tamper = null;
    return;
  }
  if (h.engine.registration.status !== 'registered') {
    throw new Error(`not registered before the scenario: ${JSON.stringify(h.engine.registration)}`);
  }
  tamperWith(run, 0.35);
  switch (scenario) {
    case 'outgoing':
      await outgoing(run);
      break;
    case 'incoming':
      await incoming(run);
      break;
    case 'reinvite':
      await reinvite(run);
      break;
    case 'transfer':
      await transfer(run);
      break;
    case 'requests':
      await requests(run);
      break;
  }
  for (let i = rng.int(3); i > 0; i -= 1) {
    injectCorpus(run, h.server.requests('INVITE').at(-1) ?? null);
    await advance(50, 10);
  }
}

async function outgoing(run: Run): Promise<void> {
  const { h, rng } = run;
  h.server.onInvite = (invite) => {
    h.server.reply(invite, 100, 'Trying');
    if (rng.chance(0.7)) {
      h.server.reply(
        invite,
        rng.chance(0.5) ? 180 : 183,
        'Ringing',
        rng.chance(0.5) ? { body: SERVER_SDP } : {},
      );
    }
    if (rng.chance(0.8)) {
      setTimeout(() => h.server.reply(invite, 200, 'OK', { body: SERVER_SDP }), rng.int(3000));
    }
  };
  h.server.cancelReply = rng.pick(['ok-and-487', 'ok', 'none'] as const);
  h.engine.call('sip:bob@example.com');
  await advance(rng.int(4000), 20);
  if (rng.chance(0.5)) {
    hangupAll(run);
  }
  await advance(1000, 20);
}

async function incoming(run: Run): Promise<void> {
  const { h, rng } = run;
  const callId = h.server.invite('alice');
  await advance(50, 10);
  const call = run.calls.at(-1);
  if (rng.chance(0.3)) {
    h.server.cancel(
      callId,
      rng.chance(0.5) ? 'SIP ;cause=200 ;text="Call completed elsewhere"' : undefined,
    );
  } else if (call && rng.chance(0.8)) {
    call.answer();
  }
  await advance(500, 20);
  const dialog = h.server.received.find(
    (m) => m.startLine.startsWith('SIP/2.0 200') && header(m, 'call-id') === callId,
  );
  if (dialog && rng.chance(0.5)) {
    h.server.inDialog(flip(dialog), 'BYE');
  }
  await advance(500, 20);
}

/**
 * The client's answer to our INVITE with From and To swapped, so that it reads like a request
 * the client sent in that dialog (what LoopSipServer.inDialog builds from).
 */
function flip(response: SipMessage): SipMessage {
  const headers = new Map(response.head.headers);
  headers.set('from', response.head.headers.get('to') ?? []);
  headers.set('to', response.head.headers.get('from') ?? []);
  return { ...response, head: { ...response.head, headers } };
}

async function answeredCall(run: Run): Promise<{ call: PhoneCall; invite: SipMessage } | null> {
  const { h } = run;
  const tamper = h.server.tamper;
  h.server.tamper = null;
  h.server.onInvite = (invite) => h.server.reply(invite, 200, 'OK', { body: SERVER_SDP });
  const call = h.engine.call('sip:bob@example.com');
  await advance(100, 10);
  h.server.tamper = tamper;
  const invite = h.server.requests('INVITE').at(-1);
  return call.status === 'active' && invite ? { call, invite } : null;
}

async function reinvite(run: Run): Promise<void> {
  const { h, rng } = run;
  const up = await answeredCall(run);
  if (!up) {
    return;
  }
  h.server.onReinvite = (r) => {
    if (rng.chance(0.2)) {
      h.server.reply(r, 100, 'Trying'); // and nothing more: the hold must be bounded
      return;
    }
    h.server.reply(r, rng.pick([200, 200, 200, 488, 491, 500]), 'X', { body: SERVER_SDP });
  };
  h.server.cancelReply = rng.pick(['ok-and-487', 'ok', 'none'] as const);
  for (let i = 0; i < 3; i += 1) {
    if (rng.chance(0.5)) {
      h.server.inDialog(up.invite, rng.pick(['INVITE', 'UPDATE']), {
        body: rng.chance(0.5) ? SERVER_SDP.replace('a=sendrecv', 'a=sendonly') : SERVER_SDP,
      });
    } else {
      track(run, up.call.hold());
      track(run, up.call.resume());
    }
    await advance(rng.int(20_000), 100);
  }
}

async function transfer(run: Run): Promise<void> {
  const { h, rng } = run;
  const up = await answeredCall(run);
  if (!up) {
    return;
  }
  if (rng.chance(0.5)) {
    // We are transferred: the other side REFERs us to carol.
    h.server.onInvite = (invite) =>
      h.server.reply(invite, rng.pick([180, 486, 200]), 'X', { body: SERVER_SDP });
    h.server.inDialog(up.invite, 'REFER', {
      headers: ['Refer-To: <sip:carol@example.com>', 'Referred-By: <sip:bob@example.com>'],
    });
  } else {
    h.server.onRefer = (refer) => {
      h.server.reply(refer, rng.pick([202, 202, 403, 481]), 'X');
      h.server.notifyRefer(refer, 'SIP/2.0 100 Trying');
      if (rng.chance(0.7)) {
        h.server.notifyRefer(
          refer,
          rng.pick(['SIP/2.0 200 OK', 'SIP/2.0 486 Busy Here', 'garbage']),
        );
      }
    };
    track(run, up.call.blindTransfer('sip:carol@example.com'));
  }
  await advance(rng.int(70_000), 500);
}

async function requests(run: Run): Promise<void> {
  const { h, rng } = run;
  const offs = [
    onUa(h.engine, 'newMessage', () => {}),
    onUa(h.engine, 'newSubscribe', (e) => e.request.reply(rng.pick([200, 202, 489]))),
  ];
  for (let i = 0; i < 4; i += 1) {
    const method = rng.pick([
      'MESSAGE',
      'SUBSCRIBE',
      'NOTIFY',
      'OPTIONS',
      'INFO',
      'PUBLISH',
      'REFER',
    ]);
    h.server.deliver(
      [
        `${method} sip:alice@example.com SIP/2.0`,
        `Via: SIP/2.0/WSS 127.0.0.1:5060;branch=z9hG4bKfz${rng.int(1e9)}`,
        'Max-Forwards: 70',
        `From: "Bob" <sip:bob@example.com>;tag=f${rng.int(1e9)}`,
        'To: <sip:alice@example.com>',
        `Call-ID: fz${rng.int(1e9)}`,
        `CSeq: 1 ${method}`,
        'Contact: <sip:bob@127.0.0.1:5060;transport=ws>',
        'Event: message-summary',
        'Subscription-State: active;expires=60',
        'Expires: 60',
        'Content-Type: text/plain',
        'Content-Length: 5',
        '',
        'hello',
      ].join('\r\n'),
    );
    await advance(200, 20);
  }
  offs.forEach((off) => off());
}

function hangupAll(run: Run): void {
  for (const call of run.calls) {
    call.hangup();
  }
}

// Hangs everything up, lets the clock run far ahead, checks the invariants, then calls once more.
async function settle(run: Run, scenario: Scenario, seed: number): Promise<Violation[]> {
  const { h } = run;
  const out: Violation[] = [];
  const fail = (what: string): void => {
    out.push(violation(run, scenario, seed, what));
  };
  h.server.tamper = null;
  hangupAll(run);
  await advance(FAR_AHEAD_MS, 1000);
  hangupAll(run);
  await advance(60_000, 1000);

  if (run.pending.some((op) => !op.settled)) {
    fail('a hold, resume or transfer never settled');
  }
  for (const call of run.calls) {
    if (call.status !== 'ended') {
      fail(`call ${call.id} still ${call.status}`);
    }
  }
  const footprint = h.engine.footprint;
  if (footprint.sessions || footprint.dialogs || footprint.transactions) {
    fail(`the UA still keeps ${JSON.stringify(footprint)}`);
  }
  const open = peerConnections.slice(run.pcsBefore).filter((pc) => !pc.closed).length;
  if (open > 0) {
    fail(`${open} peer connection(s) left open`);
  }
  if (h.media.opened.some((t) => t.readyState !== 'ended')) {
    fail('a microphone track was not released');
  }
  checkRegisterRate(h, fail);
  const state = h.engine.registration;
  if (state.status === 'registering' || state.status === 'connecting') {
    fail(`registration left ${state.status}`);
  }
  if (state.status === 'registered' && (h.server.boundUntil ?? 0) <= Date.now()) {
    fail('the phone says registered, but its binding at the registrar has expired');
  }
  await callsAgain(h, fail);
  for (const error of run.errors) {
    fail(error);
  }
  return out;
}

function checkRegisterRate(h: Harness, fail: (what: string) => void): void {
  const times = h.server.requests('REGISTER').map((m) => m.at);
  for (let i = 0; i + REGISTER_BURST < times.length; i += 1) {
    const span = (times[i + REGISTER_BURST] ?? 0) - (times[i] ?? 0);
    if (span < 10_000) {
      fail(`REGISTER storm: ${REGISTER_BURST + 1} REGISTERs within ${span} ms`);
      return;
    }
  }
}

// The user may have to press "retry" after the server refused the account; then a call works.
async function callsAgain(h: Harness, fail: (what: string) => void): Promise<void> {
  h.server.onInvite = (invite) => h.server.reply(invite, 200, 'OK', { body: SERVER_SDP });
  if (h.engine.registration.status !== 'registered') {
    h.engine.retryNow();
    await advance(2000, 20);
  }
  if (h.engine.registration.status !== 'registered') {
    fail(`cannot register again: ${JSON.stringify(h.engine.registration)}`);
    return;
  }
  const call = h.engine.call('sip:bob@example.com');
  await advance(200, 10);
  if (call.status !== 'active') {
    fail(`a new call did not work: ${call.status} ${JSON.stringify(call.snapshot.end)}`);
  }
  call.hangup();
  await advance(100, 10);
}
