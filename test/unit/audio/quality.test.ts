// Quality maths on real getStats() reports recorded from lab calls (fixtures/record-stats.ts):
// each figure is recomputed here by hand from the raw RTCStats fields; and the E-model
// (ITU-T G.107 simplified) against known values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  codecImpairment,
  codecLabel,
  computeQuality,
  delayImpairment,
  gradeOf,
  mosFromR,
  rFactor,
  statsList,
  type StatsRecord,
} from '../../../src-renderer/src/lib/audio/quality';
import { qualityRows, qualitySentence } from '../../../src-renderer/src/lib/audio/quality-format';

type Report = Record<string, unknown>[];
const load = (name: string): Report[] =>
  JSON.parse(readFileSync(join(import.meta.dirname, 'fixtures', name), 'utf8')) as Report[];

const byType = (report: Report, type: string): Record<string, number> =>
  report.find((r) => r.type === type && r.kind === 'audio') as Record<string, number>;

describe('computeQuality on a recorded app ↔ app call (Opus, direct WebRTC)', () => {
  const [, prev, cur] = load('app-to-app.json') as [Report, Report, Report];
  const f = computeQuality(prev, cur);
  const a = byType(cur, 'inbound-rtp');
  const b = byType(prev, 'inbound-rtp');
  const out = byType(cur, 'outbound-rtp');
  const outPrev = byType(prev, 'outbound-rtp');
  const rtcp = byType(cur, 'remote-inbound-rtp');

  it('matches the raw stats field by field', () => {
    const ms = a.timestamp! - b.timestamp!;
    expect(f.codec).toEqual({ mimeType: 'audio/opus', clockRate: 48000, channels: 2 });
    expect(f.receiveKbps).toBeCloseTo(((a.bytesReceived! - b.bytesReceived!) * 8) / ms, 6);
    expect(f.sendKbps).toBeCloseTo(
      ((out.bytesSent! - outPrev.bytesSent!) * 8) / (out.timestamp! - outPrev.timestamp!),
      6,
    );
    expect(f.packetsReceived).toBe(a.packetsReceived);
    expect(f.packetsReceivedDelta).toBe(a.packetsReceived! - b.packetsReceived!);
    expect(f.jitterMs).toBeCloseTo(a.jitter! * 1000, 6);
    expect(f.rttMs).toBeCloseTo(rtcp.roundTripTime! * 1000, 6);
    expect(f.jitterBufferMs).toBeCloseTo(
      ((a.jitterBufferDelay! - b.jitterBufferDelay!) /
        (a.jitterBufferEmittedCount! - b.jitterBufferEmittedCount!)) *
        1000,
      6,
    );
    expect(f.concealedPct).toBeCloseTo(
      (100 * (a.concealedSamples! - b.concealedSamples!)) /
        (a.totalSamplesReceived! - b.totalSamplesReceived!),
      6,
    );
    expect(f.totalConcealedPct).toBeCloseTo(
      (100 * a.concealedSamples!) / a.totalSamplesReceived!,
      6,
    );
    expect(f.lossPct).toBe(0);
  });

  it('estimates a one-way delay and a MOS for a clean loopback call', () => {
    expect(f.oneWayDelayMs).toBeCloseTo(f.rttMs! / 2 + f.jitterBufferMs! + 20, 6);
    expect(f.mos).toBeCloseTo(mosFromR(93.2 - delayImpairment(f.oneWayDelayMs!)), 6);
    expect(f.mos!).toBeGreaterThan(4.3);
  });

  it('gives cumulative figures when there is no previous report', () => {
    const first = computeQuality(null, cur);
    expect(first.receiveKbps).toBeNull();
    expect(first.packetsReceivedDelta).toBeNull();
    expect(first.jitterBufferMs).toBeCloseTo(
      (a.jitterBufferDelay! / a.jitterBufferEmittedCount!) * 1000,
      6,
    );
  });

  it('renders the panel rows from the figures', () => {
    const rows = qualityRows(f);
    const row = (key: string) => rows.find((r) => r.key === key)!;
    expect(row('codec').text).toBe('opus/48000/2');
    expect(row('jitterMs')).toMatchObject({
      value: f.jitterMs,
      text: `${f.jitterMs!.toFixed(1)} ms`,
    });
    expect(row('mos').text).toBe(f.mos!.toFixed(2));
  });
});

describe('computeQuality on a recorded app → baresip call (through rtpengine)', () => {
  const [first, prev, cur] = load('app-to-baresip.json') as [Report, Report, Report];

  it('falls back to the ICE round-trip time when RTCP has none', () => {
    const withoutRtcp = cur.filter((r) => r.type !== 'remote-inbound-rtp');
    const f = computeQuality(prev, withoutRtcp);
    const transport = cur.find((r) => r.type === 'transport')!;
    const pair = cur.find((r) => r.id === transport.selectedCandidatePairId)! as Record<
      string,
      number
    >;
    expect(f.rttMs).toBeCloseTo(pair.currentRoundTripTime! * 1000, 6);
  });

  it('computes loss over the interval from packetsLost and packetsReceived', () => {
    const patched = cur.map((r) =>
      r.type === 'inbound-rtp' ? { ...r, packetsLost: Number(r.packetsLost) + 5 } : r,
    );
    const f = computeQuality(prev, patched);
    const a = byType(cur, 'inbound-rtp');
    const b = byType(prev, 'inbound-rtp');
    const received = a.packetsReceived! - b.packetsReceived!;
    expect(f.lossPct).toBeCloseTo((100 * 5) / (received + 5), 6);
    expect(f.mos!).toBeLessThan(computeQuality(prev, cur).mos!);
    expect(computeQuality(first, cur).codec?.mimeType).toBe('audio/opus');
  });

  it('reads a Map (the RTCStatsReport shape) like an array', () => {
    const map = new Map(cur.map((r) => [String(r.id), r]));
    expect(computeQuality(prev, map)).toEqual(computeQuality(prev, cur));
  });
});

describe('statsList', () => {
  it('skips malformed entries', () => {
    const list = statsList([null, 3, { id: 'x' }, { id: 'a', type: 'codec', timestamp: 1 }]);
    expect(list).toEqual([{ id: 'a', type: 'codec', timestamp: 1 } satisfies StatsRecord]);
  });

  it('yields no MOS without received audio', () => {
    const f = computeQuality(null, [{ id: 'T', type: 'transport', timestamp: 1 }]);
    expect(f).toMatchObject({ mos: null, packetsReceived: 0, codec: null });
  });
});

describe('E-model (ITU-T G.107, simplified)', () => {
  it('maps R to MOS with the G.107 cubic', () => {
    expect(mosFromR(93.2)).toBeCloseTo(4.409, 3);
    expect(mosFromR(80)).toBeCloseTo(4.024, 3);
    expect(mosFromR(50)).toBeCloseTo(2.575, 3);
    expect(mosFromR(0)).toBe(1);
    expect(mosFromR(120)).toBe(4.5);
  });

  it('charges delay lightly up to 177.3 ms and steeply after', () => {
    expect(delayImpairment(100)).toBeCloseTo(2.4, 6);
    expect(delayImpairment(200)).toBeCloseTo(4.8 + 0.11 * 22.7, 6);
  });

  it('applies Ie,eff = Ie + (95 − Ie)·Ppl/(Ppl/BurstR + Bpl) per codec', () => {
    expect(rFactor({ codec: 'audio/opus', oneWayDelayMs: 0, lossPct: 0 })).toBeCloseTo(93.2, 6);
    expect(rFactor({ codec: 'PCMU', oneWayDelayMs: 0, lossPct: 1 })).toBeCloseTo(
      93.2 - 95 / 26.1,
      6,
    );
    expect(rFactor({ codec: 'PCMU', oneWayDelayMs: 0, lossPct: 1, burstR: 2 })).toBeCloseTo(
      93.2 - 95 / 25.6,
      6,
    );
    expect(codecImpairment('audio/opus')).toEqual({ ie: 0, bpl: 20 });
    expect(codecImpairment('audio/x-unknown')).toEqual({ ie: 10, bpl: 10 });
  });

  it('grades by the G.107 satisfaction bands and says so in words', () => {
    expect([4.41, 4.1, 3.8, 3.3, 2].map(gradeOf)).toEqual([
      'excellent',
      'good',
      'fair',
      'poor',
      'bad',
    ]);
    expect(qualitySentence(4.1)).toBe('Call quality: good (MOS 4.1)');
    expect(qualitySentence(null)).toBe('Call quality: not measured yet');
    expect(qualitySentence(4.4, 'no audio')).toBe('Call quality: no audio');
    expect(codecLabel({ mimeType: 'audio/PCMU', clockRate: 8000, channels: null })).toBe(
      'PCMU/8000',
    );
  });
});
