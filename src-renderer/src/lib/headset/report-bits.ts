// Owns reading and writing one field of a HID report: fields are packed least significant bit
// first, little-endian across bytes (HID 1.11 §8.4), `bitOffset` counted from the first byte
// after the report id (WebHID hands reports without it). A field is at most 32 bits.

/** The unsigned value of `bitSize` bits at `bitOffset`; bits past the end read as 0. */
export function readBits(data: DataView, bitOffset: number, bitSize: number): number {
  let value = 0;
  for (let i = 0; i < bitSize; i++) {
    const bit = bitOffset + i;
    const byte = bit >> 3;
    if (byte >= data.byteLength) {
      break;
    }
    if ((data.getUint8(byte) >> (bit & 7)) & 1) {
      value += 2 ** i;
    }
  }
  return value;
}

/** The field read as signed (two's complement) when its logical minimum is negative. */
export function readField(
  data: DataView,
  field: { bitOffset: number; bitSize: number; logicalMinimum: number },
): number {
  const raw = readBits(data, field.bitOffset, field.bitSize);
  if (field.logicalMinimum >= 0 || field.bitSize === 0) {
    return raw;
  }
  const limit = 2 ** (field.bitSize - 1);
  return raw >= limit ? raw - 2 ** field.bitSize : raw;
}

/** Writes the low `bitSize` bits of `value` (two's complement for negatives) at `bitOffset`. */
export function writeBits(
  bytes: Uint8Array,
  bitOffset: number,
  bitSize: number,
  value: number,
): void {
  const unsigned = value < 0 ? 2 ** bitSize + value : value;
  for (let i = 0; i < bitSize; i++) {
    const bit = bitOffset + i;
    const byte = bit >> 3;
    if (byte >= bytes.length) {
      throw new RangeError(`bit ${bit} is outside a ${bytes.length}-byte report`);
    }
    const mask = 1 << (bit & 7);
    const set = Math.floor(unsigned / 2 ** i) % 2 === 1;
    bytes[byte] = set ? (bytes[byte] ?? 0) | mask : (bytes[byte] ?? 0) & ~mask;
  }
}
