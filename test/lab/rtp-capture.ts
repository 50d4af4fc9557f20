// What arrives at a plain-RTP phone's media port, heard at the receiver: dumpcap (Wireshark's
// capture tool, as root) records the UDP datagrams sent to the port on the loopback interface
// into a pcap file, and the RTP payloads of one G.711 payload type are decoded back to samples.
// For a peer that cannot record what it hears itself (SIPp discards the RTP it receives).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawnLabProcess, waitFor } from './process';

/** A running capture of the UDP datagrams sent to one loopback port. */
export interface RtpCapture {
  /** The pcap file (classic libpcap format). */
  file: string;
  /** The RTP packets in the file so far (dumpcap writes it through a buffer: it lags a little). */
  packets(): RtpPacket[];
  /** Stops dumpcap (it flushes the file) and returns the RTP packets it captured. */
  stop(): Promise<RtpPacket[]>;
}

/** One RTP packet of a capture. */
export interface RtpPacket {
  payloadType: number;
  sequence: number;
  ssrc: number;
  payload: Buffer;
}

/**
 * Starts dumpcap on `lo` for UDP to `port` and resolves once it captures (its "File:" line).
 * Needs root (or dumpcap's capabilities), like the lab's network namespaces.
 */
export async function startRtpCapture(opts: {
  port: number;
  logDir: string;
  name: string;
}): Promise<RtpCapture> {
  const file = join(opts.logDir, `${opts.name}.pcap`);
  const proc = spawnLabProcess({
    name: `dumpcap(${opts.name})`,
    command: 'dumpcap',
    args: ['-i', 'lo', '-f', `udp dst port ${opts.port}`, '-P', '-q', '-w', file],
    logFile: join(opts.logDir, `${opts.name}-dumpcap.out`),
  });
  await waitFor(() => /^File: /m.test(proc.readLog()), {
    what: 'dumpcap capturing',
    process: proc,
    timeoutMs: 15_000,
  });
  const read = (): RtpPacket[] => {
    try {
      return parsePcapRtp(readFileSync(file));
    } catch {
      return [];
    }
  };
  return {
    file,
    packets: read,
    stop: async () => {
      await proc.stop();
      return parsePcapRtp(readFileSync(file));
    },
  };
}

// Bytes before the IP header per link type: Ethernet (1), Linux cooked v1 (113) and v2 (276).
const LINK_HEADER: Record<number, number> = { 1: 14, 113: 16, 276: 20 };

/**
 * The RTP packets (UDP over IPv4) of a classic pcap file; other packets are skipped, and so is
 * a last record that is not complete yet (a file still being written).
 */
export function parsePcapRtp(pcap: Buffer): RtpPacket[] {
  if (pcap.length < 24) {
    return [];
  }
  const magic = pcap.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!le && pcap.readUInt32BE(0) !== 0xa1b2c3d4 && pcap.readUInt32BE(0) !== 0xa1b23c4d) {
    throw new Error('not a pcap file');
  }
  const u32 = (at: number): number => (le ? pcap.readUInt32LE(at) : pcap.readUInt32BE(at));
  const linkHeader = LINK_HEADER[u32(20) & 0xffff];
  if (linkHeader === undefined) {
    throw new Error(`pcap link type ${u32(20)} is not handled`);
  }
  const out: RtpPacket[] = [];
  for (let at = 24; at + 16 <= pcap.length;) {
    const length = u32(at + 8);
    if (at + 16 + length > pcap.length) {
      break;
    }
    const frame = pcap.subarray(at + 16, at + 16 + length);
    at += 16 + length;
    const rtp = udpPayload(frame.subarray(linkHeader));
    const packet = rtp === null ? null : parseRtp(rtp);
    if (packet !== null) {
      out.push(packet);
    }
  }
  return out;
}

function udpPayload(ip: Buffer): Buffer | null {
  if (ip.length < 20 || ip[0]! >> 4 !== 4 || ip[9] !== 17) {
    return null;
  }
  const udp = ip.subarray((ip[0]! & 0x0f) * 4);
  return udp.length < 8 ? null : udp.subarray(8, udp.readUInt16BE(4));
}

function parseRtp(data: Buffer): RtpPacket | null {
  if (data.length < 12 || data[0]! >> 6 !== 2) {
    return null;
  }
  let start = 12 + (data[0]! & 0x0f) * 4;
  if ((data[0]! & 0x10) !== 0 && data.length >= start + 4) {
    start += 4 + data.readUInt16BE(start + 2) * 4;
  }
  let end = data.length;
  if ((data[0]! & 0x20) !== 0 && end > start) {
    end -= data[end - 1]!;
  }
  if (start > end) {
    return null;
  }
  return {
    payloadType: data[1]! & 0x7f,
    sequence: data.readUInt16BE(2),
    ssrc: data.readUInt32BE(8),
    payload: data.subarray(start, end),
  };
}

/** Linear value (-1..1) of one G.711 µ-law byte. */
export function muLawDecode(byte: number): number {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + 0x84) << exponent) - 0x84;
  return ((u & 0x80) !== 0 ? -magnitude : magnitude) / 32768;
}

/** The 8 kHz samples of the PCMU (payload type 0) packets, in arrival order. */
export function pcmuSamples(packets: readonly RtpPacket[]): Float32Array {
  const pcmu = packets.filter((p) => p.payloadType === 0);
  const out = new Float32Array(pcmu.reduce((n, p) => n + p.payload.length, 0));
  let i = 0;
  for (const p of pcmu) {
    for (const byte of p.payload) {
      out[i++] = muLawDecode(byte);
    }
  }
  return out;
}
