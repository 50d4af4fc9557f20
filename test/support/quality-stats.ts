// The call-quality figures the e2e tests expect, recomputed by hand from two raw getStats()
// reports, independently of the app's quality module.

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
