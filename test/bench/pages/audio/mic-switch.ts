// The microphone-switch benchmark: how long switching the microphone mid-call (the Sound
// screen's picker, RTCRtpSender.replaceTrack) interrupts what the far end receives. The far end
// samples its inbound RTP counter and level every 20 ms (PhonePage.startRtpWatch) over a fixed
// window; in half the windows the caller switches microphone (alternating between two fake
// inputs), in the other half nothing happens: that baseline is the same call's own packet
// spacing and silences, measured side by side, interleaved.
import type { PhonePage, RtpGaps } from '../../../support/phone-page';
import { summarize, table, type Summary } from '../../stats';

/** Milliseconds of each window before the switch, and the whole window. */
const LEAD_MS = 500;
const WINDOW_MS = 2500;

/** One window at the far end. */
export interface SwitchSample {
  kind: 'baseline' | 'switch';
  gaps: RtpGaps;
  /** Picker change → the sender sends the new device's track (switch windows; ms, 20 ms steps). */
  switchMs: number | null;
}

/** Both kinds of windows, summed up. */
export interface SwitchCell {
  kind: 'baseline' | 'switch';
  maxPacketGapMs: Summary;
  maxSilenceMs: Summary;
  concealedMs: Summary;
  switchMs: Summary;
}

export interface MicSwitchResult {
  rounds: number;
  windowMs: number;
  cells: SwitchCell[];
}

/** The device id of the audio track the caller's newest call sends. */
function sendingDevice(caller: PhonePage): Promise<string | null> {
  return caller.page.evaluate(() => {
    const pcs = (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs;
    const pc = [...pcs].reverse().find((p) => p.connectionState !== 'closed');
    const track = pc?.getSenders().find((s) => s.track?.kind === 'audio')?.track;
    return track?.getSettings().deviceId ?? null;
  });
}

/** Picks `deviceId` in the open Sound screen; resolves once the call sends that device's track. */
async function switchTo(caller: PhonePage, deviceId: string): Promise<number> {
  const started = performance.now();
  await caller.page.getByTestId('microphone-device').selectOption(deviceId);
  for (;;) {
    if ((await sendingDevice(caller)) === deviceId) {
      return performance.now() - started;
    }
    if (performance.now() - started > 10_000) {
      throw new Error(`the call never sent the track of ${deviceId}`);
    }
    await caller.page.waitForTimeout(20);
  }
}

async function measureWindow(
  caller: PhonePage,
  receiver: PhonePage,
  device: string | null,
): Promise<SwitchSample> {
  await receiver.startRtpWatch();
  const opened = performance.now();
  await receiver.page.waitForTimeout(LEAD_MS);
  const switchMs = device === null ? null : await switchTo(caller, device);
  await receiver.page.waitForTimeout(Math.max(0, WINDOW_MS - (performance.now() - opened)));
  const gaps = await receiver.stopRtpWatch();
  return { kind: device === null ? 'baseline' : 'switch', gaps, switchMs };
}

/**
 * Measures `rounds` switch windows and as many baseline windows on the running call from
 * `caller` (its Sound screen open) to `receiver` (with the audio probe installed).
 */
export async function measureMicSwitch(
  caller: PhonePage,
  receiver: PhonePage,
  rounds: number,
  log: (line: string) => void,
): Promise<MicSwitchResult> {
  const inputs = (await caller.deviceOptions('microphone-device')).filter((o) => o.value !== '');
  if (inputs.length < 2) {
    throw new Error(`two microphones needed, found ${JSON.stringify(inputs)}`);
  }
  const samples: SwitchSample[] = [];
  for (let round = 0; round < rounds; round += 1) {
    const device = inputs[round % 2]!.value;
    const order = round % 2 === 0 ? [device, null] : [null, device];
    for (const d of order) {
      const sample = await measureWindow(caller, receiver, d);
      samples.push(sample);
      log(
        `  mic switch round ${round + 1}, ${sample.kind}: max packet gap ${sample.gaps.maxPacketGapMs.toFixed(0)} ms, max silence ${sample.gaps.maxSilenceMs.toFixed(0)} ms`,
      );
    }
  }
  const cell = (kind: SwitchCell['kind']): SwitchCell => {
    const of = samples.filter((s) => s.kind === kind);
    return {
      kind,
      maxPacketGapMs: summarize(of.map((s) => s.gaps.maxPacketGapMs)),
      maxSilenceMs: summarize(of.map((s) => s.gaps.maxSilenceMs)),
      concealedMs: summarize(of.map((s) => s.gaps.concealedMs)),
      switchMs: summarize(of.flatMap((s) => (s.switchMs === null ? [] : [s.switchMs]))),
    };
  };
  return { rounds, windowMs: WINDOW_MS, cells: [cell('baseline'), cell('switch')] };
}

/** The table: per kind of window, p50/p95 of the largest packet gap, silence and concealment. */
export function renderMicSwitch(r: MicSwitchResult): string {
  const ms = (v: number): string => (Number.isNaN(v) ? '–' : v.toFixed(0));
  return [
    `Microphone switch mid-call (${r.rounds} windows of ${r.windowMs} ms each kind, interleaved; far end sampled every 20 ms, ms):`,
    'baseline = the same call, same window, no switch. switch = picker change → the new track is sent.',
    table(
      [
        'window',
        'max packet gap p50',
        'p95',
        'max silence p50',
        'p95',
        'concealed p50',
        'p95',
        'switch p50',
        'p95',
      ],
      r.cells.map((c) => [
        c.kind,
        ms(c.maxPacketGapMs.p50),
        ms(c.maxPacketGapMs.p95),
        ms(c.maxSilenceMs.p50),
        ms(c.maxSilenceMs.p95),
        ms(c.concealedMs.p50),
        ms(c.concealedMs.p95),
        ms(c.switchMs.p50),
        ms(c.switchMs.p95),
      ]),
    ),
  ].join('\n');
}
