// Writes every app icon the installers need from the one drawing in icon-art.ts:
//   resources/icons/<N>x<N>.png  Linux hicolor set (deb, rpm, AppImage), 16..1024 px
//   resources/icon.png           1024 px master
//   resources/icon.ico           Windows (exe, installer, shortcuts), PNG entries 16..256 px
//   resources/icon.icns          macOS, Apple's icon grid, 16..1024 px incl. Retina variants
// Run with `npm run package:icons`; `npm run package:check` verifies the committed files
// still match this generator.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { renderAppIcon } from './icon-art';
import { buildIcns, buildIco, ICNS_TYPES } from './icon-containers';
import { encodePng } from '../lib/png';

export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;
export const ICO_SIZES = [16, 20, 24, 32, 40, 48, 64, 256] as const;

/** Relative path (under resources/) → file bytes, for every generated icon. */
export function renderIconFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const png = (size: number): Buffer => encodePng(renderAppIcon(size));
  for (const size of LINUX_SIZES) {
    files.set(`icons/${size}x${size}.png`, png(size));
  }
  files.set('icon.png', png(1024));
  files.set('icon.ico', buildIco(ICO_SIZES.map((size) => ({ size, png: png(size) }))));
  const macSizes = new Set(ICNS_TYPES.map((t) => t.size));
  const macPngs = new Map([...macSizes].map((s) => [s, encodePng(renderAppIcon(s, 'mac'))]));
  files.set('icon.icns', buildIcns(macPngs));
  return files;
}

/** Writes all icons below `resourcesDir` and returns the written paths. */
export function generateIcons(resourcesDir: string): string[] {
  const written: string[] = [];
  for (const [rel, bytes] of renderIconFiles()) {
    const path = join(resourcesDir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    written.push(path);
  }
  return written;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const out = process.argv[2] ?? join(repo, 'resources');
  for (const path of generateIcons(out)) {
    process.stdout.write(`wrote ${path}\n`);
  }
}
