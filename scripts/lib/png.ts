// A small, dependency-free PNG codec for 8-bit RGBA images: the app and tray icon generators
// encode with it, the packaging and tray checks decode with it. Only what they need (colour
// type 6, no interlacing), with per-row filter choice so gradients compress well.
import { crc32, deflateSync, inflateSync } from 'node:zlib';

/** An 8-bit RGBA image, rows top to bottom, 4 bytes per pixel. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const BPP = 4;

function chunk(type: string, body: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), body])), 0);
  return Buffer.concat([head, body, crc]);
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const pa = Math.abs(p - a);
  const pb = Math.abs(p - b);
  const pc = Math.abs(p - c);
  if (pa <= pb && pa <= pc) {
    return a;
  }
  return pb <= pc ? b : c;
}

/** Applies filter `type` to one row (`prev` is the previous raw row, zeros for the first). */
function filterRow(type: number, row: Uint8Array, prev: Uint8Array): Uint8Array {
  const out = new Uint8Array(row.length);
  for (let i = 0; i < row.length; i++) {
    const left = i >= BPP ? row[i - BPP]! : 0;
    const up = prev[i]!;
    const upLeft = i >= BPP ? prev[i - BPP]! : 0;
    const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][type]!;
    out[i] = (row[i]! - predictor) & 0xff;
  }
  return out;
}

function rowCost(row: Uint8Array): number {
  let sum = 0;
  for (const b of row) {
    sum += b < 128 ? b : 256 - b;
  }
  return sum;
}

/** Encodes an RGBA image as PNG (minimum-sum-of-absolute-differences filter per row). */
export function encodePng(image: RgbaImage): Buffer {
  const { width, height, data } = image;
  if (data.length !== width * height * BPP) {
    throw new Error(`RGBA buffer is ${data.length} bytes, expected ${width * height * BPP}`);
  }
  const stride = width * BPP;
  const raw = Buffer.alloc((stride + 1) * height);
  let prev: Uint8Array = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const row = data.subarray(y * stride, (y + 1) * stride);
    let best = { type: 0, bytes: filterRow(0, row, prev) };
    for (let type = 1; type <= 4; type++) {
      const bytes = filterRow(type, row, prev);
      if (rowCost(bytes) < rowCost(best.bytes)) {
        best = { type, bytes };
      }
    }
    raw[y * (stride + 1)] = best.type;
    raw.set(best.bytes, y * (stride + 1) + 1);
    prev = row;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

/** Decodes an 8-bit RGBA, non-interlaced PNG (the only kind this project writes). */
export function decodePng(png: Uint8Array): RgbaImage {
  const buf = Buffer.from(png);
  if (!buf.subarray(0, 8).equals(SIGNATURE)) {
    throw new Error('not a PNG file');
  }
  let offset = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString('ascii', offset + 4, offset + 8);
    const body = buf.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') {
      width = body.readUInt32BE(0);
      height = body.readUInt32BE(4);
      const [depth, colour, , , interlace] = body.subarray(8);
      if (depth !== 8 || colour !== 6 || interlace !== 0) {
        throw new Error(`unsupported PNG (depth ${depth}, colour type ${colour})`);
      }
    } else if (type === 'IDAT') {
      idat.push(body);
    }
    offset += length + 12;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * BPP;
  const data = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const type = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      const left = i >= BPP ? data[y * stride + i - BPP]! : 0;
      const up = y > 0 ? data[(y - 1) * stride + i]! : 0;
      const upLeft = i >= BPP && y > 0 ? data[(y - 1) * stride + i - BPP]! : 0;
      const predictor = [0, left, up, (left + up) >> 1, paeth(left, up, upLeft)][type];
      if (predictor === undefined) {
        throw new Error(`bad PNG filter type ${type}`);
      }
      data[y * stride + i] = (line[i]! + predictor) & 0xff;
    }
  }
  return { width, height, data };
}
