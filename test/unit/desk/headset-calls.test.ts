// The headset on the calls: a fake HID device built from a real descriptor (Jabra BIZ 2400 II,
// EPOS IMPACT D1) drives the real line manager over real JsSIP on the in-memory SIP server.
// Its buttons answer, hang up, mute, hold, swap lines, take a waiting call, redial and drop;
// its lights follow the calls whoever changed them, and every press gets its lights back.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  HeadsetCalls,
  type HeadsetCallsEvents,
} from '../../../src-renderer/src/lib/headset/headset-calls';
import { TelephonyHeadset } from '../../../src-renderer/src/lib/headset/telephony-headset';
import type { FakeHidDevice } from '../../support/fake-hid';
import { setGatheringScript } from '../../support/fake-webrtc';
import { header } from '../../support/loop-sip';
import { fakeHeadset, JABRA_BITS } from '../headset/devices';
import { advance } from '../phone/harness';
import { deskSetup, lastDirection, responses, ringIn, type DeskSetup } from './setup';

const { HOOK, BUSY, MUTE, FLASH, REDIAL, L_OFFHOOK, L_MUTE, L_HOLD } = JABRA_BITS;
const L_RING = JABRA_BITS.L_RING | JABRA_BITS.L_RINGER; // the Ring light and the ringer

beforeEach(() => {
  vi.useFakeTimers();
  setGatheringScript({ kind: 'candidates', at: [{ ms: 1, typ: 'host' }], completeAtMs: 5 });
});
afterEach(() => {
  vi.useRealTimers();
});

interface Desk {
  s: DeskSetup;
  device: FakeHidDevice;
  calls: HeadsetCalls;
  acted: [string, string][];
  redials: number;
}

async function desk(key: 'jabraBiz2400II' | 'eposImpactD1' = 'jabraBiz2400II'): Promise<Desk> {
  const s = await deskSetup();
  const device = fakeHeadset(key);
  const headset = await TelephonyHeadset.open(device, { now: () => Date.now() });
  const d: Desk = { s, device, calls: null as unknown as HeadsetCalls, acted: [], redials: 0 };
  d.calls = new HeadsetCalls({
    lines: s.lines,
    redial: async () => {
      d.redials += 1;
      await s.lines.place(s.h.engine, 'carol');
      return true;
    },
  });
  d.calls.on('acted', ({ button, outcome }) => d.acted.push([button, outcome]));
  await d.calls.attach(headset);
  return d;
}

/** Presses then releases a Jabra button (every report carries the hook state). */
async function press(d: Desk, bits: number, offHook: boolean, settleMs = 200): Promise<void> {
  const hook = offHook ? HOOK : 0;
  d.device.input(2, [hook | bits, 0]);
  d.device.input(2, [hook, 0]);
  await advance(settleMs);
}

/** The Jabra's lights as last written (report 2, byte 0). */
function lights(d: Desk): number | undefined {
  return d.device.sent.filter((r) => r.reportId === 2).at(-1)?.bytes[0];
}

function invitesAnswered(s: DeskSetup): number {
  return responses(s, 200).filter((m) => /INVITE/.test(header(m, 'cseq') ?? '')).length;
}

describe('a call from the headset', () => {
  it('rings, is answered, muted, held and hung up on the headset, the lights following', async () => {
    const d = await desk();
    const { s } = d;
    expect(lights(d)).toBe(0);

    await ringIn(s);
    expect(lights(d)).toBe(L_RING);
    d.device.input(2, [HOOK, 0]); // the user picks up
    await advance(200);
    expect(invitesAnswered(s)).toBe(1);
    expect(s.lines.current?.status).toBe('active');
    expect(lights(d)).toBe(L_OFFHOOK);

    await press(d, MUTE, true, 20);
    expect(s.lines.current?.muted).toBe(true);
    expect(lights(d)).toBe(L_OFFHOOK | L_MUTE);

    // Unmuted in the window: the light goes out, and the headset's echo of it is no press.
    s.lines.toggleMute(s.lines.current!.id);
    await advance(20);
    expect(lights(d)).toBe(L_OFFHOOK);
    await press(d, MUTE, true, 20);
    expect(s.lines.current?.muted).toBe(false);

    await press(d, FLASH, true);
    expect(s.lines.current?.hold.local).toBe(true);
    expect(lastDirection(s)).toBe('sendonly');
    expect(lights(d)).toBe(L_OFFHOOK | L_HOLD);
    await press(d, FLASH, true);
    expect(s.lines.current?.hold.local).toBe(false);
    expect(lights(d)).toBe(L_OFFHOOK);

    d.device.input(2, [0, 0]); // back on the hook
    await advance(100);
    expect(s.h.server.requests('BYE')).toHaveLength(1);
    expect(s.lines.lines).toEqual([]);
    expect(lights(d)).toBe(0);
    expect(s.ended.map((e) => e.snapshot.end?.cause)).toEqual(['hangup-local']);
    expect(d.acted).toEqual([
      ['hook-off', 'answered'],
      ['mute', 'muted'],
      ['flash', 'held'],
      ['flash', 'resumed'],
      ['hook-on', 'hung-up'],
    ]);
  });

  it('follows a call answered and ended in the window, taking neither for a press', async () => {
    const d = await desk();
    const { s } = d;
    await ringIn(s);
    await s.lines.answer(s.lines.incoming[0]!.id);
    await advance(200);
    expect(lights(d)).toBe(L_OFFHOOK);
    d.device.input(2, [HOOK, 0]); // the headset follows the Off-Hook light and says so
    await advance(20);
    s.lines.hangup(s.lines.current!.id);
    await advance(100);
    expect(lights(d)).toBe(0);
    d.device.input(2, [0, 0]);
    await advance(20);
    expect(d.acted).toEqual([]);
    expect(s.h.server.requests('BYE')).toHaveLength(1);
  });

  it('answers a mute press without a call with the light still off', async () => {
    const d = await desk();
    const before = d.device.sent.length;
    await press(d, MUTE, false, 20);
    expect(d.acted).toEqual([['mute', 'nothing']]);
    expect(d.device.sent.length).toBe(before + 1); // the answer the headset waits for
    expect(lights(d)).toBe(0);
  });

  it('takes a waiting call with flash, then swaps lines with flash', async () => {
    const d = await desk();
    const { s } = d;
    const carol = await s.lines.place(s.h.engine, 'carol');
    await advance(200);
    await ringIn(s, 'dave');
    expect(lights(d)).toBe(L_OFFHOOK | L_RING);

    await press(d, FLASH, true);
    expect(s.lines.current?.party.user).toBe('dave');
    expect(carol.snapshot.hold.local).toBe(true);
    expect(lights(d)).toBe(L_OFFHOOK);

    await press(d, FLASH, true);
    expect(s.lines.current?.party.user).toBe('carol');
    expect(carol.snapshot.hold.local).toBe(false);
    expect(s.lines.lines.find((l) => l.party.user === 'dave')?.hold.local).toBe(true);
    expect(d.acted.map(([b, o]) => `${b}:${o}`)).toEqual(['flash:answered', 'flash:switched']);
  });

  it('redials only when the phone is idle', async () => {
    const d = await desk();
    await press(d, REDIAL, false);
    expect(d.redials).toBe(1);
    expect(d.s.lines.current?.party.user).toBe('carol');
    expect(lights(d)).toBe(L_OFFHOOK);
    await press(d, REDIAL, true);
    expect(d.redials).toBe(1);
    expect(d.acted.map(([b, o]) => `${b}:${o}`)).toEqual(['redial:redialled', 'redial:nothing']);
  });

  it('reports the line busy elsewhere, and stops following a detached headset', async () => {
    const d = await desk();
    const busy: HeadsetCallsEvents['line-busy'][] = [];
    d.calls.on('line-busy', (b) => busy.push(b));
    d.device.input(2, [BUSY, 0]);
    d.device.input(2, [0, 0]);
    expect(busy).toEqual([{ busy: true }, { busy: false }]);
    d.calls.detach();
    const sent = d.device.sent.length;
    await ringIn(d.s);
    d.device.input(2, [HOOK, 0]);
    await advance(100);
    expect(d.device.sent.length).toBe(sent);
    expect(d.s.lines.incoming).toHaveLength(1);
  });
});

describe('the Drop button (EPOS)', () => {
  // EPOS report 2: bit0 hook, bit1 flash, bit2 redial, bit3 mute, bit4 drop.
  const DROP = 0b10000;

  it('declines a ringing call and hangs up a call in progress', async () => {
    const d = await desk('eposImpactD1');
    const { s } = d;
    await ringIn(s);
    d.device.input(2, [DROP]);
    d.device.input(2, [0]);
    await advance(50);
    expect(responses(s, 486)).toHaveLength(1);
    expect(s.lines.incoming).toEqual([]);

    await s.lines.place(s.h.engine, 'carol');
    await advance(200);
    d.device.input(2, [0b1 | DROP]);
    d.device.input(2, [0b1]);
    await advance(100);
    expect(s.h.server.requests('BYE')).toHaveLength(1);
    expect(d.acted.map(([b, o]) => `${b}:${o}`)).toEqual(['drop:declined', 'drop:hung-up']);
  });
});
