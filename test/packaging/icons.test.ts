// The committed app icons: they must be what scripts/packaging/generate-icons.ts draws today
// (pixels compared, ±1 per channel for floating-point differences between Node versions), and
// the containers must be well formed with every size electron-builder and the OSes look for.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ICO_SIZES, LINUX_SIZES, renderIconFiles } from '../../scripts/packaging/generate-icons';
import { ICNS_TYPES, readIcns, readIco } from '../../scripts/packaging/icon-containers';
import { decodePng, type RgbaImage } from '../../scripts/lib/png';
import { REPO } from './support';

const resources = join(REPO, 'resources');

function maxPixelDifference(a: RgbaImage, b: RgbaImage): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let max = 0;
  for (let i = 0; i < a.data.length; i++) {
    max = Math.max(max, Math.abs(a.data[i]! - b.data[i]!));
  }
  return max;
}

describe('app icons', () => {
  const generated = renderIconFiles();

  it.each([...generated.keys()])('%s matches the generator', (rel) => {
    const committed = readFileSync(join(resources, rel));
    const fresh = generated.get(rel)!;
    if (rel.endsWith('.png')) {
      expect(maxPixelDifference(decodePng(committed), decodePng(fresh))).toBeLessThanOrEqual(1);
      return;
    }
    const entries = (buf: Buffer) =>
      rel.endsWith('.ico')
        ? readIco(buf).map((e) => decodePng(e.png))
        : readIcns(buf).map((e) => decodePng(e.data));
    const [a, b] = [entries(committed), entries(fresh)];
    expect(a).toHaveLength(b.length);
    a.forEach((img, i) => expect(maxPixelDifference(img, b[i]!)).toBeLessThanOrEqual(1));
  });

  it('has the Linux hicolor set, named NxN.png, each really N px', () => {
    const names = readdirSync(join(resources, 'icons')).sort();
    expect(names).toEqual(LINUX_SIZES.map((s) => `${s}x${s}.png`).sort());
    for (const size of LINUX_SIZES) {
      const img = decodePng(readFileSync(join(resources, `icons/${size}x${size}.png`)));
      expect([img.width, img.height]).toEqual([size, size]);
    }
    expect(decodePng(readFileSync(join(resources, 'icon.png'))).width).toBe(1024);
  });

  it('has a PNG-in-ICO with 16-256 px entries (electron-builder requires 256)', () => {
    const entries = readIco(readFileSync(join(resources, 'icon.ico')));
    expect(entries.map((e) => e.size)).toEqual([...ICO_SIZES]);
    for (const e of entries) {
      expect(decodePng(e.png).width).toBe(e.size);
    }
  });

  it('has an ICNS with every element type from 16 px to 1024 px (512 pt @2x)', () => {
    const elements = readIcns(readFileSync(join(resources, 'icon.icns')));
    expect(elements.map((e) => e.type)).toEqual(ICNS_TYPES.map((t) => t.type));
    elements.forEach((e, i) => expect(decodePng(e.data).width).toBe(ICNS_TYPES[i]!.size));
  });

  it('is opaque in the middle and transparent in the corners (a rounded square)', () => {
    const img = decodePng(readFileSync(join(resources, 'icon.png')));
    const alpha = (x: number, y: number) => img.data[(y * img.width + x) * 4 + 3];
    expect(alpha(512, 512)).toBe(255);
    expect(alpha(2, 2)).toBe(0);
    expect(alpha(1021, 1021)).toBe(0);
  });
});
