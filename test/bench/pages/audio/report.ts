// The audio benchmark's result shape, the aggregation of interleaved rounds and the printed
// tables with the verdicts against the targets.
import { summarize, table, type Summary } from '../../stats';
import type { MicSwitchResult } from './mic-switch';

export type Setup = 'baseline' | 'app-app' | 'app-baresip';

/** One measurement: one call, one jitter-buffer target, a few dozen bursts. */
export interface LatencySample {
  setup: Setup;
  jitterBufferTarget: number | null;
  /** One-way (baseline, app ↔ app) or round-trip (app ↔ baresip) delay per burst, ms. */
  delays: number[];
  /** Bursts sent during the measurement. */
  sent: number;
  /** The receiver's average jitter-buffer delay over the measurement (getStats), ms. */
  jitterBufferMs: number | null;
}

/** All rounds of one setup and target together. */
export interface LatencyCell {
  setup: Setup;
  jitterBufferTarget: number | null;
  delay: Summary;
  sent: number;
  /** Jitter-buffer delay per round, ms. */
  jitterBufferMs: (number | null)[];
}

export interface QualityRun {
  call: 'app-app' | 'app-baresip';
  seconds: number;
  codec: string | null;
  mosAvg: number | null;
  mosMin: number | null;
  concealedPct: number | null;
  jitterBufferMs: number | null;
  lossPct: number | null;
  jitterMs: number | null;
  rttMs: number | null;
}

export interface AudioBenchResult {
  rounds: number;
  measureMs: number;
  loadAverage: { start: number[]; end: number[] };
  latency: LatencyCell[];
  quality: QualityRun[];
  /** The microphone-switch windows, when that part ran. */
  micSwitch: MicSwitchResult | null;
}

/** Merges the rounds: one cell per setup and target. */
export function aggregate(samples: readonly LatencySample[]): LatencyCell[] {
  const cells: LatencyCell[] = [];
  for (const s of samples) {
    const same = samples.filter(
      (x) => x.setup === s.setup && x.jitterBufferTarget === s.jitterBufferTarget,
    );
    if (cells.some((c) => c.setup === s.setup && c.jitterBufferTarget === s.jitterBufferTarget)) {
      continue;
    }
    cells.push({
      setup: s.setup,
      jitterBufferTarget: s.jitterBufferTarget,
      delay: summarize(same.flatMap((x) => x.delays)),
      sent: same.reduce((a, x) => a + x.sent, 0),
      jitterBufferMs: same.map((x) => x.jitterBufferMs),
    });
  }
  return cells;
}

const ms = (v: number | null | undefined): string =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(0);
const fixed = (v: number | null | undefined, digits: number): string =>
  v === null || v === undefined || Number.isNaN(v) ? '–' : v.toFixed(digits);

function latencyRows(r: AudioBenchResult, targets: readonly (number | null)[]): string[][] {
  const cell = (setup: Setup, t: number | null): LatencyCell | undefined =>
    r.latency.find((c) => c.setup === setup && c.jitterBufferTarget === t);
  const jb = (c: LatencyCell | undefined): string =>
    c ? c.jitterBufferMs.map((v) => ms(v)).join('/') : '–';
  return targets.map((t) => {
    const b = cell('baseline', t);
    const a = cell('app-app', t);
    const e = cell('app-baresip', t);
    return [
      t === null ? 'default' : `${t} ms`,
      ms(b?.delay.p50),
      ms(b?.delay.p95),
      jb(b),
      ms(a?.delay.p50),
      ms(a?.delay.p95),
      jb(a),
      `${a?.delay.n ?? 0}/${a?.sent ?? 0}`,
      ms(e?.delay.p50),
      ms(e?.delay.p95),
      ms((e?.delay.p50 ?? NaN) / 2),
      jb(e),
    ];
  });
}

function qualityRows(r: AudioBenchResult): string[][] {
  return r.quality.map((x) => [
    x.call,
    x.codec ?? '–',
    String(x.seconds),
    fixed(x.mosAvg, 2),
    fixed(x.mosMin, 2),
    fixed(x.concealedPct, 3),
    fixed(x.jitterBufferMs, 1),
    fixed(x.lossPct, 2),
    fixed(x.jitterMs, 1),
    fixed(x.rttMs, 1),
  ]);
}

function verdict(value: number | null | undefined, ok: (v: number) => boolean): string {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return 'not measured';
  }
  return `${value.toFixed(2)} → ${ok(value) ? 'met' : 'NOT met'}`;
}

/** The two tables and the verdicts against the targets. */
export function renderAudioBench(r: AudioBenchResult, targets: readonly (number | null)[]): string {
  const def = r.latency.find((c) => c.setup === 'app-app' && c.jitterBufferTarget === null);
  const clean = r.quality.find((x) => x.call === 'app-app');
  const load = (xs: number[]): string => xs.map((v) => v.toFixed(1)).join('/');
  return [
    `Audio latency on loopback (ms), ${r.rounds} interleaved rounds: burst onset in the sender's mic track → onset in the receiver's remote track.`,
    "base = raw RTCPeerConnection pair (no SIP, no app); bare RT = app → rtpengine → baresip echo → app round trip. JB = receiver's jitter-buffer delay per round (getStats).",
    table(
      [
        'jitterBufferTarget',
        'base p50',
        'base p95',
        'base JB',
        'app p50',
        'app p95',
        'app JB',
        'app n',
        'bare RT p50',
        'bare RT p95',
        '≈ one-way',
        'app JB (bare)',
      ],
      latencyRows(r, targets),
    ),
    '',
    `Clean calls of ${r.quality[0]?.seconds ?? '?'} s (E-model MOS estimate per second; concealment = concealedSamples / totalSamplesReceived):`,
    table(
      [
        'call',
        'codec',
        's',
        'MOS avg',
        'MOS min',
        'concealed %',
        'JB ms',
        'loss %',
        'max jitter ms',
        'RTT ms',
      ],
      qualityRows(r),
    ),
    '',
    `Targets: app ↔ app ≤ 80 ms with the default jitter buffer: p50 ${verdict(def?.delay.p50, (v) => v <= 80)}, p95 ${verdict(def?.delay.p95, (v) => v <= 80)}; ` +
      `MOS ≥ 4.3: ${verdict(clean?.mosAvg, (v) => v >= 4.3)}; concealment < 0.5 %: ${verdict(clean?.concealedPct, (v) => v < 0.5)}.`,
    `Load average (1/5/15 min): ${load(r.loadAverage.start)} at start, ${load(r.loadAverage.end)} at end (the machine is shared; NetEq grows its buffer with scheduling jitter).`,
  ].join('\n');
}
