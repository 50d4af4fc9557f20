// The call-quality figures the e2e tests expect, recomputed by hand from two raw getStats()
// reports, independently of the app's quality module, and the check of a panel showing them.
import { expect } from 'vitest';

/** One plain RTCStats record. */
export type Stats = Record<string, number | string | boolean>;

/**
 * The quality panel's figures recomputed by hand from raw RTCStats fields of two reports (the
 * RTT from RTCP, else from the selected ICE candidate pair, as the app documents).
 */
export function fromRawStats(prev: Stats[], cur: Stats[]) {
  const find = (list: Stats[], type: string) =>
    list.find((r) => r.type === type && r.kind === 'audio')!;
  const n = (r: Stats, k: string) => Number(r[k]);
  const a = find(cur, 'inbound-rtp');
  const b = find(prev, 'inbound-rtp');
  const o = find(cur, 'outbound-rtp');
  const op = find(prev, 'outbound-rtp');
  const rtcp = cur.find((r) => r.type === 'remote-inbound-rtp' && r.kind === 'audio');
  const transport = cur.find((r) => r.type === 'transport');
  const pair = cur.find(
    (r) => r.type === 'candidate-pair' && r.id === transport?.selectedCandidatePairId,
  );
  const codec = cur.find((r) => r.type === 'codec' && r.id === a.codecId)!;
  const d = (k: string) => n(a, k) - n(b, k);
  const lost = Math.max(0, d('packetsLost'));
  const rtt =
    rtcp && rtcp.roundTripTime !== undefined
      ? n(rtcp, 'roundTripTime')
      : pair
        ? n(pair, 'currentRoundTripTime')
        : Number.NaN;
  return {
    codec: `${String(codec.mimeType).replace(/^audio\//i, '')}/${codec.clockRate}/${codec.channels}`,
    packetsReceived: n(a, 'packetsReceived'),
    receiveKbps: (d('bytesReceived') * 8) / (n(a, 'timestamp') - n(b, 'timestamp')),
    sendKbps:
      ((n(o, 'bytesSent') - n(op, 'bytesSent')) * 8) / (n(o, 'timestamp') - n(op, 'timestamp')),
    jitterMs: n(a, 'jitter') * 1000,
    rttMs: rtt * 1000,
    jitterBufferMs: (d('jitterBufferDelay') / d('jitterBufferEmittedCount')) * 1000,
    concealedPct: (100 * d('concealedSamples')) / d('totalSamplesReceived'),
    lossPct: (100 * lost) / (d('packetsReceived') + lost),
  };
}

/** One row of the quality panel: its field, the value it carries, the text it shows. */
export interface PanelRow {
  key: string | null;
  value: string | null;
  text: string;
}

/** Checks that the panel's rows carry exactly the figures recomputed from the raw reports. */
export function expectPanelShows(
  rows: readonly PanelRow[],
  expected: ReturnType<typeof fromRawStats>,
): void {
  const row = (key: string): PanelRow => {
    const found = rows.find((r) => r.key === key);
    expect(found, `the panel's ${key} row`).toBeDefined();
    return found!;
  };
  expect(row('codec').text).toBe(expected.codec);
  expect(Number(row('packetsReceived').value)).toBe(expected.packetsReceived);
  for (const key of [
    'receiveKbps',
    'sendKbps',
    'jitterMs',
    'rttMs',
    'jitterBufferMs',
    'concealedPct',
    'lossPct',
  ] as const) {
    expect(Number(row(key).value), key).toBeCloseTo(expected[key], 6);
  }
  expect(row('jitterMs').text).toBe(`${expected.jitterMs.toFixed(1)} ms`);
}
