// Owns splitting a HID report descriptor into its items (HID 1.11 §6.2.2.2-3): short items with
// 0, 1, 2 or 4 data bytes (little-endian), long items (skipped by every parser that matters),
// and reading descriptors written as hex. Pure.

const TYPES = ['main', 'global', 'local', 'reserved'] as const;

/** One item as it appears in the descriptor. */
export interface DescriptorItem {
  offset: number;
  type: 'main' | 'global' | 'local' | 'reserved' | 'long';
  tag: number;
  /** Payload as an unsigned little-endian value (0 for long items). */
  value: number;
  size: number;
}

/** Splits a descriptor into items; stops (with a warning) at an item that runs past the end. */
export function descriptorItems(bytes: Uint8Array): {
  items: DescriptorItem[];
  warnings: string[];
} {
  const items: DescriptorItem[] = [];
  const warnings: string[] = [];
  let i = 0;
  while (i < bytes.length) {
    const prefix = bytes[i] ?? 0;
    if (prefix === 0xfe) {
      const dataSize = bytes[i + 1] ?? 0;
      if (i + 3 + dataSize > bytes.length) {
        warnings.push(`a long item at byte ${i} runs past the end; the rest was ignored`);
        break;
      }
      items.push({ offset: i, type: 'long', tag: bytes[i + 2] ?? 0, value: 0, size: dataSize });
      i += 3 + dataSize;
      continue;
    }
    const size = [0, 1, 2, 4][prefix & 3] ?? 0;
    if (i + 1 + size > bytes.length) {
      warnings.push(`an item at byte ${i} runs past the end; the rest was ignored`);
      break;
    }
    let value = 0;
    for (let b = 0; b < size; b++) {
      value += (bytes[i + 1 + b] ?? 0) * 2 ** (8 * b);
    }
    const type = TYPES[(prefix >> 2) & 3] ?? 'reserved';
    items.push({ offset: i, type, tag: prefix >> 4, value, size });
    i += 1 + size;
  }
  return { items, warnings };
}

/** Reads "05 0b 09 05 …", "0x05, 0x0b, …" or "050b0905…" (usbhid-dump, hid-recorder, xxd -p). */
export function descriptorFromHex(text: string): Uint8Array {
  const hex = text.replace(/0x/gi, '').replace(/[\s,]/g, '');
  if (!/^(?:[0-9a-f]{2})*$/i.test(hex)) {
    throw new Error('a hex descriptor may only hold pairs of hex digits, spaces, commas and 0x');
  }
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) {
    bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  }
  return bytes;
}
