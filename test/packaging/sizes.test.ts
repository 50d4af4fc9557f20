// Sizes of what can be built here, and the effect of the size levers, measured on two offline
// Linux builds: electron-builder.yml as is, and the same with the levers undone (default file
// selection and unpacking, every locale). THE ELECTRON IN BOTH IS A PLACEHOLDER, so only the
// app's own payload has real sizes; the locale lever is shown as a count here and in bytes by
// the real-binary check. Compression is measured on the app payload with the codecs that
// electron-builder's `compression` switches between.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OfflineBuildResult } from '../../scripts/packaging/offline-build';
import { loadBuilderConfig } from '../../scripts/packaging/offline-build';
import { CHROMIUM_LOCALES } from '../../scripts/packaging/placeholder-electron';
import { bytes, compressionSizes, human, offlineBuild } from './support';

let ours: OfflineBuildResult;
let baseline: OfflineBuildResult;

const resources = (b: OfflineBuildResult): string => join(b.apps.x64!, 'resources');
const appBytes = (b: OfflineBuildResult): number =>
  bytes(join(resources(b), 'app.asar')) + bytes(join(resources(b), 'app.asar.unpacked'));
const locales = (b: OfflineBuildResult): number => readdirSync(join(b.apps.x64!, 'locales')).length;

beforeAll(() => {
  ours = offlineBuild('linux');
  baseline = offlineBuild('linux', true);
});

describe('sizes (placeholder Electron: the app payload is real, Electron is not)', () => {
  it('reports the app payload and the asar lever', () => {
    const rows = [
      ['app.asar', bytes(join(resources(ours), 'app.asar'))],
      ['app.asar.unpacked (keytar.node)', bytes(join(resources(ours), 'app.asar.unpacked'))],
      ['resources/ total (asar, unpacked, tray, licence)', bytes(resources(ours))],
      ['asar + unpacked with electron-builder defaults', appBytes(baseline)],
    ] as const;
    console.log('\n[sizes] app payload, linux-x64 dir target');
    for (const [what, n] of rows) {
      console.log(`  ${what.padEnd(52)} ${human(n).padStart(10)}`);
    }
    const saved = appBytes(baseline) - appBytes(ours);
    console.log(`  lever "only what runs" saves ${human(saved)} per install`);
    expect(appBytes(ours)).toBeLessThan(appBytes(baseline));
  });

  it('reports the locale lever', () => {
    const wanted = (loadBuilderConfig().electronLanguages as string[]).length;
    console.log(
      `\n[sizes] locale packs: ${locales(ours)} kept of ${locales(baseline)} ` +
        `(${locales(baseline) - locales(ours)} removed; bytes: see the real-binary check)`,
    );
    expect(locales(baseline)).toBe(CHROMIUM_LOCALES.length);
    expect(locales(ours)).toBe(wanted);
  });

  it('reports compression of the app payload by electron-builder level', () => {
    const sizes = compressionSizes(resources(ours));
    console.log('\n[sizes] app payload (resources/) compressed, by `compression` level');
    for (const [codec, n] of Object.entries(sizes)) {
      const pct = ((100 * n) / sizes.store!).toFixed(1);
      console.log(`  ${codec.padEnd(28)} ${human(n).padStart(10)}  ${pct.padStart(5)} %`);
    }
    expect(loadBuilderConfig().compression).toBe('normal');
  });
});
