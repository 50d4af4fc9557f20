// Fake headsets for the driver tests: a FakeHidDevice whose collections are what Chromium
// builds from the real descriptor (the parser is checked against a hand-written WebHID
// structure in report-descriptor.test.ts) and whose output report lengths are decoded by hand.
import { descriptorFromHex } from '../../../src-renderer/src/lib/headset/descriptor-items';
import { parseReportDescriptor } from '../../../src-renderer/src/lib/headset/report-descriptor';
import { FakeHidDevice } from '../../support/fake-hid';
import { DESCRIPTORS } from './descriptors.corpus';

/** Output report lengths (bytes, without the id) read off each descriptor by hand. */
export const OUTPUT_BYTES = {
  jabraBiz2400II: { 2: 2, 5: 63 },
  polyBlackwireC5220: { 1: 61, 9: 1, 0x17: 1, 0x18: 1, 0x1a: 1, 0x20: 1, 0x2a: 1 },
  eposImpactD1: { 3: 1 },
  yealinkWh66: { 2: 2 },
  logitechG535: {},
} as const;

export type FakeKey = keyof typeof OUTPUT_BYTES;

export function fakeHeadset(key: FakeKey, extra: { failOpen?: boolean } = {}): FakeHidDevice {
  const d = DESCRIPTORS[key];
  return new FakeHidDevice({
    vendorId: d.vendorId,
    productId: d.productId,
    productName: d.name,
    collections: parseReportDescriptor(descriptorFromHex(d.hex)).collections,
    outputReportBytes: OUTPUT_BYTES[key],
    ...extra,
  });
}

/** A device from a hand-made descriptor (hex) with the given output report lengths. */
export function syntheticHeadset(
  hex: string,
  outputReportBytes: Record<number, number>,
): FakeHidDevice {
  return new FakeHidDevice({
    vendorId: 0x1234,
    productId: 0x5678,
    productName: 'Test headset',
    collections: parseReportDescriptor(descriptorFromHex(hex)).collections,
    outputReportBytes,
  });
}

/** The Jabra BIZ 2400 II's report 2, byte 0, read off its descriptor by hand. */
export const JABRA_BITS = {
  // input: bit0 hook, bit1 line busy, bit2 mute, bit3 flash, bit4 redial
  HOOK: 0x01,
  BUSY: 0x02,
  MUTE: 0x04,
  FLASH: 0x08,
  REDIAL: 0x10,
  // output: bit0 off-hook, bit1 mute, bit2 ring, bit3 hold, bit4 mic, bit5 ringer
  L_OFFHOOK: 0x01,
  L_MUTE: 0x02,
  L_RING: 0x04,
  L_HOLD: 0x08,
  L_RINGER: 0x20,
} as const;
