// Call quality from WebRTC statistics, as pure functions: two successive getStats() reports
// give the codec, bitrates, loss, jitter, round-trip time, jitter-buffer delay, concealment
// and an E-model (ITU-T G.107, simplified) MOS estimate; an accumulator keeps a call's summary.

/** One stats object as getStats() returns it (RTCStats fields are read defensively). */
export type StatsRecord = Record<string, unknown> & { id: string; type: string; timestamp: number };

/** A getStats() report, a Map of records, or an array of them (recorded fixtures). */
export type StatsInput = { values(): Iterable<unknown> } | readonly unknown[];

/** The codec of the received audio. */
export interface CodecInfo {
  /** e.g. "audio/opus" */
  mimeType: string;
  clockRate: number | null;
  channels: number | null;
}

/** Everything the quality panel shows, for one interval between two reports. */
export interface QualityFigures {
  /** Time of the newer report (ms, the stats clock). */
  timestamp: number;
  codec: CodecInfo | null;
  sendKbps: number | null;
  receiveKbps: number | null;
  packetsReceived: number;
  packetsLost: number;
  /** New packets in this interval (null for the first report). */
  packetsReceivedDelta: number | null;
  /** Loss of received packets in this interval, %. */
  lossPct: number | null;
  /** Loss of received packets since the call started, %. */
  totalLossPct: number | null;
  /** Interarrival jitter of what we receive, ms. */
  jitterMs: number | null;
  rttMs: number | null;
  /** Average time a sample waited in the jitter buffer in this interval, ms. */
  jitterBufferMs: number | null;
  /** Share of played samples that were concealed (synthesised for missing audio) in this interval, %. */
  concealedPct: number | null;
  /** The same since the call started, %. */
  totalConcealedPct: number | null;
  /** Mouth-to-ear estimate used by the E-model: RTT / 2 + jitter buffer + packetisation, ms. */
  oneWayDelayMs: number | null;
  rFactor: number | null;
  mos: number | null;
}

/** Packetisation delay assumed for the E-model (20 ms frames, WebRTC's default ptime). */
export const PACKETISATION_MS = 20;

const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;
const str = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** Parses a report (or fixture) into plain records; anything malformed is skipped. */
export function statsList(report: StatsInput): StatsRecord[] {
  const values: Iterable<unknown> = Array.isArray(report)
    ? report
    : (report as { values(): Iterable<unknown> }).values();
  const out: StatsRecord[] = [];
  for (const value of values) {
    if (typeof value === 'object' && value !== null) {
      const r = value as Record<string, unknown>;
      if (typeof r.id === 'string' && typeof r.type === 'string' && num(r.timestamp) !== null) {
        out.push(r as StatsRecord);
      }
    }
  }
  return out;
}

/** The records of one report the figures are computed from. */
interface Picked {
  inbound: StatsRecord | null;
  outbound: StatsRecord | null;
  remoteInbound: StatsRecord | null;
  pair: StatsRecord | null;
  codec: StatsRecord | null;
}

function pick(records: readonly StatsRecord[]): Picked {
  const audio = (type: string): StatsRecord | null =>
    records.find((r) => r.type === type && (r.kind ?? r.mediaType) === 'audio') ?? null;
  const inbound = audio('inbound-rtp');
  const outbound = audio('outbound-rtp');
  const transport = records.find((r) => r.type === 'transport');
  const selected = str(transport?.selectedCandidatePairId);
  const pair =
    records.find((r) => r.type === 'candidate-pair' && r.id === selected) ??
    records.find(
      (r) => r.type === 'candidate-pair' && r.nominated === true && r.state === 'succeeded',
    ) ??
    null;
  const codecId = str(inbound?.codecId) ?? str(outbound?.codecId);
  return {
    inbound,
    outbound,
    remoteInbound: audio('remote-inbound-rtp'),
    pair,
    codec: records.find((r) => r.type === 'codec' && r.id === codecId) ?? null,
  };
}

/** Change of a counter between two records (null when either lacks it or it went back). */
function delta(cur: StatsRecord | null, prev: StatsRecord | null, key: string): number | null {
  const a = num(cur?.[key]);
  const b = num(prev?.[key]);
  if (a === null || b === null || a < b) {
    return null;
  }
  return a - b;
}

/** kbit/s of a byte counter between two records. */
function kbps(cur: StatsRecord | null, prev: StatsRecord | null, key: string): number | null {
  const bytes = delta(cur, prev, key);
  const ms = cur && prev ? cur.timestamp - prev.timestamp : 0;
  return bytes === null || ms <= 0 ? null : (bytes * 8) / ms;
}

/** part / (whole) in %, null for an empty whole. */
function pct(part: number | null, whole: number | null): number | null {
  return part === null || whole === null || whole <= 0 ? null : (100 * part) / whole;
}

/** Loss in % from received and lost counters (lost can be negative with duplicates). */
function lossOf(received: number | null, lost: number | null): number | null {
  if (received === null || lost === null) {
    return null;
  }
  const l = Math.max(0, lost);
  return pct(l, received + l);
}

/** Ratio of two counters' deltas, or of the cumulative values without a previous report. */
function ratio(
  cur: StatsRecord | null,
  prev: StatsRecord | null,
  top: string,
  bottom: string,
): number | null {
  const t = prev ? delta(cur, prev, top) : num(cur?.[top]);
  const b = prev ? delta(cur, prev, bottom) : num(cur?.[bottom]);
  return t === null || b === null || b <= 0 ? null : t / b;
}

/** Round-trip time in ms: RTCP (remote-inbound-rtp) first, then the ICE candidate pair. */
function rttOf(p: Picked): number | null {
  const rtcp = num(p.remoteInbound?.roundTripTime);
  if (rtcp !== null) {
    return rtcp * 1000;
  }
  const ice = num(p.pair?.currentRoundTripTime);
  return ice === null ? null : ice * 1000;
}

function codecOf(record: StatsRecord | null): CodecInfo | null {
  const mimeType = str(record?.mimeType);
  if (!mimeType) {
    return null;
  }
  return { mimeType, clockRate: num(record?.clockRate), channels: num(record?.channels) };
}

/** "opus/48000/2" for a codec, the form kept in the call history. */
export function codecLabel(codec: CodecInfo | null): string | null {
  if (!codec) {
    return null;
  }
  const name = codec.mimeType.replace(/^audio\//i, '');
  return [name, codec.clockRate, codec.channels].filter((x) => x !== null).join('/');
}

/** Computes the figures of the interval between `prev` (null: none yet) and `cur`. */
export function computeQuality(prev: StatsInput | null, cur: StatsInput): QualityFigures {
  const c = pick(statsList(cur));
  const p = prev ? pick(statsList(prev)) : null;
  const inb = c.inbound;
  const pin = p?.inbound ?? null;
  const received = num(inb?.packetsReceived);
  const lost = num(inb?.packetsLost);
  const jbRatio = ratio(inb, pin, 'jitterBufferDelay', 'jitterBufferEmittedCount');
  const concealed = ratio(inb, pin, 'concealedSamples', 'totalSamplesReceived');
  const codec = codecOf(c.codec);
  const rttMs = rttOf(c);
  const jitterBufferMs = jbRatio === null ? null : jbRatio * 1000;
  const receiveKbps = kbps(inb, pin, 'bytesReceived');
  const lossPct = pin
    ? lossOf(delta(inb, pin, 'packetsReceived'), delta(inb, pin, 'packetsLost'))
    : lossOf(received, lost);
  const figures: QualityFigures = {
    timestamp: inb?.timestamp ?? statsList(cur)[0]?.timestamp ?? 0,
    codec,
    sendKbps: kbps(c.outbound, p?.outbound ?? null, 'bytesSent'),
    receiveKbps,
    packetsReceived: received ?? 0,
    packetsLost: Math.max(0, lost ?? 0),
    packetsReceivedDelta: pin ? delta(inb, pin, 'packetsReceived') : null,
    lossPct,
    totalLossPct: lossOf(received, lost),
    jitterMs: num(inb?.jitter) === null ? null : (num(inb?.jitter) ?? 0) * 1000,
    rttMs,
    jitterBufferMs,
    concealedPct: concealed === null ? null : concealed * 100,
    totalConcealedPct: pct(num(inb?.concealedSamples), num(inb?.totalSamplesReceived)),
    oneWayDelayMs: null,
    rFactor: null,
    mos: null,
  };
  return withMos(figures);
}

function withMos(f: QualityFigures): QualityFigures {
  if (!f.codec || f.packetsReceived === 0) {
    return f;
  }
  const oneWayDelayMs = (f.rttMs ?? 0) / 2 + (f.jitterBufferMs ?? 0) + PACKETISATION_MS;
  const r = rFactor({
    codec: f.codec.mimeType,
    oneWayDelayMs,
    lossPct: f.lossPct ?? f.totalLossPct ?? 0,
  });
  return { ...f, oneWayDelayMs, rFactor: r, mos: mosFromR(r) };
}

/** Inputs of the simplified E-model. */
export interface EModelInput {
  /** mimeType or codec name ("audio/opus", "PCMU"). */
  codec: string;
  /** Mouth-to-ear delay, ms. */
  oneWayDelayMs: number;
  /** Packet loss, %. */
  lossPct: number;
  /** Burst ratio (1 = random loss). */
  burstR?: number;
}

/**
 * Equipment impairment Ie and packet-loss robustness Bpl per codec. G.711 values are from
 * ITU-T G.113 Appendix I (with packet-loss concealment). Opus and G.722 are not in G.113's
 * narrowband tables; their values are estimates (docs/audio.md). Opus gets Ie = 0 whatever
 * the measured bitrate: its VBR rate drops in pauses, so a low rate does not mean low quality.
 */
export function codecImpairment(codec: string): { ie: number; bpl: number } {
  const name = codec.toLowerCase().replace(/^audio\//, '');
  if (name === 'pcmu' || name === 'pcma') {
    return { ie: 0, bpl: 25.1 };
  }
  if (name === 'opus' || name === 'g722') {
    return { ie: 0, bpl: 20 };
  }
  return { ie: 10, bpl: 10 };
}

/** Default R for a narrowband connection with no impairments (Ro − Is with G.107 defaults). */
export const R_DEFAULT = 93.2;

/** Delay impairment Id (simplified G.107: 0.024 d + 0.11 (d − 177.3) above 177.3 ms). */
export function delayImpairment(oneWayDelayMs: number): number {
  const d = Math.max(0, oneWayDelayMs);
  return 0.024 * d + (d > 177.3 ? 0.11 * (d - 177.3) : 0);
}

/** R = 93.2 − Id − Ie,eff with Ie,eff = Ie + (95 − Ie) · Ppl / (Ppl / BurstR + Bpl). */
export function rFactor(input: EModelInput): number {
  const { ie, bpl } = codecImpairment(input.codec);
  const ppl = Math.min(100, Math.max(0, input.lossPct));
  const burstR = input.burstR ?? 1;
  const ieEff = ie + ((95 - ie) * ppl) / (ppl / burstR + bpl);
  return R_DEFAULT - delayImpairment(input.oneWayDelayMs) - ieEff;
}

/** MOS (conversational quality estimate) from R, ITU-T G.107 Annex B. */
export function mosFromR(r: number): number {
  if (r <= 0) {
    return 1;
  }
  if (r >= 100) {
    return 4.5;
  }
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
}

/** Words for a MOS, for the quality indicator. */
export type QualityGrade = 'excellent' | 'good' | 'fair' | 'poor' | 'bad' | 'unknown';

/** Grades by the G.107 Annex B user-satisfaction bands (R 90 / 80 / 70 / 60). */
export function gradeOf(mos: number | null): QualityGrade {
  if (mos === null) {
    return 'unknown';
  }
  if (mos >= 4.34) {
    return 'excellent';
  }
  if (mos >= 4.03) {
    return 'good';
  }
  if (mos >= 3.6) {
    return 'fair';
  }
  return mos >= 3.1 ? 'poor' : 'bad';
}
