// Linux packaging, checked offline. THE ELECTRON IN THIS BUILD IS A PLACEHOLDER
// (scripts/packaging/placeholder-electron.ts): the Electron distribution cannot be downloaded
// on the build machines. electron-builder runs for real with electron-builder.yml on that
// placeholder, so everything the project controls is checked on real output: the asar, the
// unpacked keytar module, extra resources, locale filtering, the fuse configuration (flipped
// on the placeholder's fuse wire: proves the configuration is applied, not that Electron
// enforces it), the desktop entries electron-builder generates for deb, rpm and AppImage, and
// the sizes and size levers.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, sep } from 'node:path';
import asar from '@electron/asar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM_LOCALES,
  DEFAULT_FUSES,
  PLACEHOLDER_MARKER,
} from '../../scripts/packaging/placeholder-electron';
import { loadBuilderConfig, TRAY_FILES } from '../../scripts/packaging/offline-build';
import type { OfflineBuildResult } from '../../scripts/packaging/offline-build';
import {
  bytes,
  compressionSizes,
  desktopEntryKeys,
  EXPECTED_FUSES,
  human,
  listFiles,
  offlineBuild,
  readFusesWithCli,
  removeTempDirs,
  REPO,
  run,
  tempDir,
  validateDesktopEntry,
} from './support';

const SCHEMES_MIME =
  'x-scheme-handler/tel;x-scheme-handler/sip;x-scheme-handler/sips;x-scheme-handler/callto;';
const KEYTAR_NODE = 'node_modules/keytar/build/Release/keytar.node';

let build: OfflineBuildResult;
let app: string;
let archive: string;

beforeAll(() => {
  build = offlineBuild('linux');
  app = build.apps.x64!;
  archive = join(app, 'resources/app.asar');
  console.log(
    `[linux] built with a PLACEHOLDER Electron in ${build.outDir} (KEEP_PACKAGING_OUTPUT=1 keeps it)`,
  );
  if (build.trayFixture) {
    console.log('[linux] resources/tray is not on this branch yet: stand-in PNGs were packaged');
  }
});

afterAll(removeTempDirs);

describe('linux dir target (placeholder Electron)', () => {
  it('was built from the placeholder, under the executable name', () => {
    expect(existsSync(join(app, PLACEHOLDER_MARKER))).toBe(true);
    expect(existsSync(join(app, 'open-softphone'))).toBe(true);
    expect(existsSync(join(app, 'electron'))).toBe(false);
    expect(existsSync(join(app, 'resources/default_app.asar'))).toBe(false);
  });

  it('puts only main, preload, renderer, package.json and keytar’s loader in the asar', () => {
    const files = asar
      .listPackage(archive, { isPack: false })
      .map((p) => p.slice(1))
      .filter((p) => !('files' in asar.statFile(archive, p))); // files, not folders
    const outFiles = listFiles(join(REPO, 'out')).map((f) => `out/${f}`);
    expect(outFiles.some((f) => f.startsWith('out/main/'))).toBe(true);
    expect(outFiles.some((f) => f.startsWith('out/preload/'))).toBe(true);
    expect(outFiles.some((f) => f.startsWith('out/renderer/'))).toBe(true);
    expect(files.sort()).toEqual(
      [
        ...outFiles.filter((f) => !f.endsWith('.map')),
        'package.json',
        'node_modules/keytar/package.json',
        'node_modules/keytar/lib/keytar.js',
        'node_modules/keytar/LICENSE.md',
        KEYTAR_NODE,
      ].sort(),
    );
    expect(files.filter((f) => f.endsWith('.map') || /\.(ts|svelte)$/.test(f))).toEqual([]);
  });

  it('ships a package.json that starts out/main and names the desktop file', () => {
    const pkg = JSON.parse(asar.extractFile(archive, 'package.json').toString()) as Record<
      string,
      unknown
    >;
    expect(pkg.main).toBe('./out/main/index.js');
    expect(pkg.desktopName).toBe('open-softphone.desktop');
    expect(pkg.productName).toBe('Open Softphone');
  });

  it('unpacks exactly keytar.node (the header marks it unpacked)', () => {
    const unpacked = join(app, 'resources/app.asar.unpacked');
    expect(listFiles(unpacked)).toEqual([KEYTAR_NODE]);
    const entries = asar.listPackage(archive, { isPack: false }).map((p) => p.slice(1));
    const unpackedInHeader = entries.filter(
      (p) => 'unpacked' in asar.statFile(archive, p) && asar.statFile(archive, p).unpacked === true,
    );
    expect(unpackedInHeader).toEqual([KEYTAR_NODE]);
    const binary = readFileSync(join(unpacked, KEYTAR_NODE));
    expect(binary.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46])); // ELF
  });

  it('the main bundle loads keytar with createRequire, which works from ESM inside app.asar', () => {
    const main = asar.extractFile(archive, 'out/main/index.js').toString();
    expect(main).toMatch(/createRequire\(import\.meta\.url\)/);
    expect(main).toMatch(/require\(["']keytar["']\)/);
    expect(main).not.toMatch(/import\(["']keytar["']\)|from ["']keytar["']/);
  });

  it('keytar loads from app.asar with its .node from app.asar.unpacked, the way Electron does it', () => {
    // Electron reads files inside app.asar through its fs patch, and loads a native module the
    // header marks "unpacked" from the sibling app.asar.unpacked (its process.dlopen wrapper).
    // Node has neither, so the archive is laid out as a folder named app.asar (the unpacked
    // file present there only as an empty stand-in, so that require() finds it, as Electron's
    // patched fs does from the header) and process.dlopen is wrapped the same way, driven by
    // the real header. Then an ES module inside it does what src-main/index.ts does.
    const resources = join(tempDir('asar-layout'), 'resources');
    const inside = join(resources, 'app.asar');
    for (const entry of asar.listPackage(archive, { isPack: false }).map((p) => p.slice(1))) {
      const stat = asar.statFile(archive, entry) as { files?: unknown; unpacked?: boolean };
      const target = join(inside, entry);
      if (stat.files) {
        mkdirSync(target, { recursive: true });
      } else {
        mkdirSync(join(target, '..'), { recursive: true });
        writeFileSync(target, stat.unpacked ? '' : asar.extractFile(archive, entry));
      }
    }
    cpSync(join(app, 'resources/app.asar.unpacked'), join(resources, 'app.asar.unpacked'), {
      recursive: true,
    });
    const unpacked = asar
      .listPackage(archive, { isPack: false })
      .map((p) => p.slice(1))
      .filter((p) => (asar.statFile(archive, p) as { unpacked?: boolean }).unpacked === true);
    const probe = join(inside, 'out/main/keytar-probe.mjs');
    writeFileSync(
      probe,
      [
        "import { createRequire } from 'node:module';",
        'const require = createRequire(import.meta.url);',
        "console.log(Object.keys(require('keytar')).sort().join(','));",
      ].join('\n'),
    );
    const preload = join(resources, 'asar-dlopen.cjs');
    writeFileSync(
      preload,
      [
        "const path = require('node:path');",
        `const inside = ${JSON.stringify(inside + sep)};`,
        `const unpacked = new Set(${JSON.stringify(unpacked)});`,
        'const dlopen = process.dlopen;',
        'process.dlopen = (module, file, ...rest) => {',
        '  const rel = file.startsWith(inside) ? file.slice(inside.length).split(path.sep).join("/") : null;',
        '  const real = rel && unpacked.has(rel) ? file.replace("app.asar" + path.sep, "app.asar.unpacked" + path.sep) : file;',
        '  process.stdout.write("dlopen " + path.relative(' +
          JSON.stringify(resources) +
          ', real) + "\\n");',
        '  return dlopen(module, real, ...rest);',
        '};',
      ].join('\n'),
    );
    const out = run(process.execPath, ['--require', preload, probe]);
    expect(out).toContain(`dlopen ${join('app.asar.unpacked', KEYTAR_NODE)}`);
    expect(out.trim().split('\n').at(-1)).toBe(
      'deletePassword,findCredentials,findPassword,getPassword,setPassword',
    );
  });

  it('flips the configured fuses (read back with @electron/fuses) and leaves the rest', () => {
    const fuses = readFusesWithCli(join(app, 'open-softphone'));
    for (const [name, state] of EXPECTED_FUSES) {
      expect(fuses.get(name), name).toBe(state);
    }
    // Not configured: must keep Electron's default.
    const defaults = DEFAULT_FUSES as Record<string, string>;
    for (const name of ['LoadBrowserProcessSpecificV8Snapshot']) {
      expect(fuses.get(name), name).toBe(defaults[name] === '1' ? 'Enabled' : 'Disabled');
    }
  });

  it('keeps only the configured Chromium locales', () => {
    const wanted = loadBuilderConfig().electronLanguages as string[];
    const kept = listFiles(join(app, 'locales')).map((f) => f.replace(/\.pak$/, ''));
    expect(kept.sort()).toEqual([...wanted].sort());
  });

  it('packages the tray icons to resources/tray and the licences', () => {
    expect(listFiles(join(app, 'resources/tray'))).toEqual([...TRAY_FILES].sort());
    expect(readFileSync(join(app, 'resources/LICENSE.txt'), 'utf8')).toContain(
      'GNU GENERAL PUBLIC LICENSE',
    );
    expect(existsSync(join(app, 'LICENSE.electron.txt'))).toBe(true);
    expect(existsSync(join(app, 'LICENSES.chromium.html'))).toBe(true);
  });
});

describe('linux desktop entries, as electron-builder generates them for deb, rpm, AppImage', () => {
  it.each(['deb', 'rpm', 'AppImage'])('%s: valid, all four schemes, Network;Telephony;', (t) => {
    const pkg = build.packages[t]!;
    expect(pkg.desktopFileName).toBe('open-softphone.desktop');
    expect(validateDesktopEntry(pkg.desktopFileName, pkg.desktopEntry)).toBe('');
    const keys = desktopEntryKeys(pkg.desktopEntry);
    expect(keys.get('MimeType')).toBe(SCHEMES_MIME);
    expect(keys.get('Categories')).toBe('Network;Telephony;');
    expect(keys.get('Name')).toBe('Open Softphone');
    expect(keys.get('Icon')).toBe('open-softphone');
    expect(keys.get('StartupWMClass')).toBe('open-softphone');
  });

  it.each(['deb', 'rpm'])('%s: Exec runs the installed binary with the link after --', (t) => {
    const exec = desktopEntryKeys(build.packages[t]!.desktopEntry).get('Exec');
    expect(exec).toBe('"/opt/Open Softphone/open-softphone" -- %u');
    expect(exec?.endsWith('%u')).toBe(true);
  });

  it('AppImage: Exec keeps the sandbox and puts the link after -- (%U is electron-builder’s)', () => {
    expect(desktopEntryKeys(build.packages.AppImage!.desktopEntry).get('Exec')).toBe(
      'AppRun -- %U',
    );
  });

  it.each(['deb', 'rpm'])('%s: fpm gets the icons, the desktop file and the metadata', (t) => {
    const args = build.packages[t]!.fpmArgs!;
    const value = (flag: string): string | undefined => args[args.indexOf(flag) + 1];
    expect(value('--name')).toBe('open-softphone');
    expect(value('--license')).toBe('GPL-3.0-or-later');
    expect(value('--maintainer')).toMatch(/^Open Softphone contributors <.+@.+>$/);
    expect(args).toContain(`${app}/=/opt/Open Softphone`);
    for (const size of [16, 32, 48, 64, 128, 256, 512]) {
      expect(args).toContain(
        `${REPO}/resources/icons/${size}x${size}.png=/usr/share/icons/hicolor/${size}x${size}/apps/open-softphone.png`,
      );
    }
    expect(args.some((a) => a.endsWith('=/usr/share/applications/open-softphone.desktop'))).toBe(
      true,
    );
    expect(value('--package')).toMatch(t === 'deb' ? /_0\.1\.0_amd64\.deb$/ : /\.x86_64\.rpm$/);
  });
});

let ours: OfflineBuildResult;
let baseline: OfflineBuildResult;

const resources = (b: OfflineBuildResult): string => join(b.apps.x64!, 'resources');
const appBytes = (b: OfflineBuildResult): number =>
  bytes(join(resources(b), 'app.asar')) + bytes(join(resources(b), 'app.asar.unpacked'));
const locales = (b: OfflineBuildResult): number => readdirSync(join(b.apps.x64!, 'locales')).length;

// Sizes of what can be built here and the effect of the size levers: this build against the
// same with the levers undone (default file selection and unpacking, every locale). Only the
// app's own payload has real sizes (Electron is the placeholder); the locale lever is a count
// here and bytes in the real-binary check. Compression is measured on the app payload with
// the codecs electron-builder's `compression` switches between.
describe('sizes (placeholder Electron: the app payload is real, Electron is not)', () => {
  beforeAll(() => {
    ours = build;
    baseline = offlineBuild('linux', true);
  });

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
