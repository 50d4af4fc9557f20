// Windows .ico and macOS .icns containers holding PNG images, written and read without any
// tool: electron-builder only converts icons with a toolset it downloads, which the build
// machines cannot fetch. Both formats are a small header plus a table of embedded PNGs.

/** One image of a container: its pixel size and its PNG bytes. */
export interface IconEntry {
  readonly size: number;
  readonly png: Buffer;
}

/**
 * ICO with PNG-compressed entries (Windows Vista and later read these at every size).
 * Header: reserved 0, type 1, count; then one 16-byte directory entry per image.
 */
export function buildIco(entries: readonly IconEntry[]): Buffer {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(entries.length, 4);
  const dir = Buffer.alloc(16 * entries.length);
  let offset = 6 + dir.length;
  entries.forEach((entry, i) => {
    if (entry.size > 256) {
      throw new Error(`ICO entries are at most 256 px, got ${entry.size}`);
    }
    const o = i * 16;
    dir[o] = entry.size % 256; // 0 means 256
    dir[o + 1] = entry.size % 256;
    dir[o + 2] = 0; // palette size
    dir[o + 3] = 0; // reserved
    dir.writeUInt16LE(1, o + 4); // colour planes
    dir.writeUInt16LE(32, o + 6); // bits per pixel
    dir.writeUInt32LE(entry.png.length, o + 8);
    dir.writeUInt32LE(offset, o + 12);
    offset += entry.png.length;
  });
  return Buffer.concat([header, dir, ...entries.map((e) => e.png)]);
}

/** Reads the directory of an ICO file back: size and PNG bytes of every entry. */
export function readIco(ico: Buffer): IconEntry[] {
  if (ico.readUInt16LE(0) !== 0 || ico.readUInt16LE(2) !== 1) {
    throw new Error('not an ICO file');
  }
  const count = ico.readUInt16LE(4);
  return Array.from({ length: count }, (_, i) => {
    const o = 6 + i * 16;
    const size = ico[o] === 0 ? 256 : ico[o]!;
    const length = ico.readUInt32LE(o + 8);
    const start = ico.readUInt32LE(o + 12);
    return { size, png: ico.subarray(start, start + length) };
  });
}

/**
 * ICNS element types that hold PNG data, by pixel size. Retina variants (`ic11`..`ic14`,
 * `ic10`) carry the same pixels as the next size up; macOS picks by point size and scale.
 */
export const ICNS_TYPES: ReadonlyArray<{ type: string; size: number }> = [
  { type: 'icp4', size: 16 },
  { type: 'ic11', size: 32 }, // 16 pt @2x
  { type: 'icp5', size: 32 },
  { type: 'ic12', size: 64 }, // 32 pt @2x
  { type: 'icp6', size: 64 },
  { type: 'ic07', size: 128 },
  { type: 'ic13', size: 256 }, // 128 pt @2x
  { type: 'ic08', size: 256 },
  { type: 'ic14', size: 512 }, // 256 pt @2x
  { type: 'ic09', size: 512 },
  { type: 'ic10', size: 1024 }, // 512 pt @2x
];

/** ICNS: 'icns' + total length, then (type, length including the 8-byte header, PNG). */
export function buildIcns(pngBySize: ReadonlyMap<number, Buffer>): Buffer {
  const elements = ICNS_TYPES.map(({ type, size }) => {
    const png = pngBySize.get(size);
    if (png === undefined) {
      throw new Error(`ICNS needs a ${size} px PNG for ${type}`);
    }
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const body = Buffer.concat(elements);
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(body.length + 8, 4);
  return Buffer.concat([head, body]);
}

/** Reads the elements of an ICNS file back as (type, data). */
export function readIcns(icns: Buffer): Array<{ type: string; data: Buffer }> {
  if (icns.toString('ascii', 0, 4) !== 'icns' || icns.readUInt32BE(4) !== icns.length) {
    throw new Error('not an ICNS file (bad magic or length)');
  }
  const out: Array<{ type: string; data: Buffer }> = [];
  let offset = 8;
  while (offset < icns.length) {
    const type = icns.toString('ascii', offset, offset + 4);
    const length = icns.readUInt32BE(offset + 4);
    out.push({ type, data: icns.subarray(offset + 8, offset + length) });
    offset += length;
  }
  return out;
}
