// The lab's RTP capture reader (test/lab/rtp-capture.ts): RTP packets out of a classic pcap of
// loopback (Ethernet-framed IPv4/UDP) traffic, PCMU decoded back to a tone, a record still
// being written skipped.
import { describe, expect, it } from 'vitest';
import { muLawDecode, parsePcapRtp, pcmuSamples } from '../../lab/rtp-capture';
import { muLaw, pcmuTone } from '../../lab/sipp';
import { windowsWithTone } from '../../support/wav';

function pcapHeader(linkType = 1): Buffer {
  const b = Buffer.alloc(24);
  b.writeUInt32LE(0xa1b2c3d4, 0);
  b.writeUInt16LE(2, 4);
  b.writeUInt16LE(4, 6);
  b.writeUInt32LE(262144, 16);
  b.writeUInt32LE(linkType, 20);
  return b;
}

function rtp(seq: number, payloadType: number, payload: Buffer, ext = false): Buffer {
  const head = Buffer.alloc(12);
  head[0] = 0x80 | (ext ? 0x10 : 0);
  head[1] = payloadType;
  head.writeUInt16BE(seq, 2);
  head.writeUInt32BE(seq * 160, 4);
  head.writeUInt32BE(0x1234, 8);
  const extension = ext ? Buffer.from([0xbe, 0xde, 0, 1, 0x10, 0xff, 0, 0]) : Buffer.alloc(0);
  return Buffer.concat([head, extension, payload]);
}

function record(udpPayload: Buffer, protocol = 17): Buffer {
  const udp = Buffer.alloc(8);
  udp.writeUInt16BE(40000, 0);
  udp.writeUInt16BE(40002, 2);
  udp.writeUInt16BE(8 + udpPayload.length, 4);
  const ip = Buffer.alloc(20);
  ip[0] = 0x45;
  ip[9] = protocol;
  ip.writeUInt16BE(20 + 8 + udpPayload.length, 2);
  const ethernet = Buffer.alloc(14);
  ethernet.writeUInt16BE(0x0800, 12);
  const frame = Buffer.concat([ethernet, ip, udp, udpPayload]);
  const head = Buffer.alloc(16);
  head.writeUInt32LE(frame.length, 8);
  head.writeUInt32LE(frame.length, 12);
  return Buffer.concat([head, frame]);
}

describe('rtp capture reader', () => {
  it('decodes G.711 µ-law back to the sample it encodes, within its step', () => {
    for (const sample of [0, 100, -100, 1000, -5000, 12000, -32000]) {
      expect(Math.abs(muLawDecode(muLaw(sample)) * 32768 - sample)).toBeLessThanOrEqual(
        Math.max(8, Math.abs(sample) / 16),
      );
    }
  });

  it('reads the PCMU tone of the RTP packets, skips other packets and an unfinished record', () => {
    const tone = pcmuTone(440, 1);
    const packets: Buffer[] = [];
    for (let i = 0; i < 50; i++) {
      packets.push(record(rtp(i, 0, tone.subarray(i * 160, (i + 1) * 160), i % 7 === 0)));
    }
    packets.push(record(Buffer.from('not rtp at all')));
    packets.push(record(rtp(99, 101, Buffer.from([1, 0, 0, 160]))));
    packets.push(record(rtp(100, 0, Buffer.alloc(160)), 6));
    const whole = Buffer.concat([pcapHeader(), ...packets]);
    const cut = record(rtp(50, 0, tone.subarray(0, 160))).subarray(0, 40);

    const read = parsePcapRtp(Buffer.concat([whole, cut]));
    expect(read).toHaveLength(51);
    expect(read.filter((p) => p.payloadType === 0).map((p) => p.sequence)).toEqual(
      Array.from({ length: 50 }, (_, i) => i),
    );
    const samples = pcmuSamples(read);
    expect(samples).toHaveLength(8000);
    expect(windowsWithTone(samples, 8000, 440, 0.2)).toBe(10);
    expect(windowsWithTone(samples, 8000, 1000, 0.02)).toBe(0);
  });

  it('refuses what is not a pcap file, and a link type it cannot unwrap', () => {
    expect(() => parsePcapRtp(Buffer.alloc(40, 1))).toThrow(/not a pcap/);
    expect(() => parsePcapRtp(pcapHeader(105))).toThrow(/link type 105/);
    expect(parsePcapRtp(Buffer.alloc(10))).toEqual([]);
  });
});
