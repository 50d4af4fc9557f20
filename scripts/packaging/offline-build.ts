// Runs electron-builder with the project's real electron-builder.yml against a PLACEHOLDER
// Electron distribution (see placeholder-electron.ts), for machines that cannot download
// Electron or electron-builder's tools:
//   linux  the unpacked `dir` target (asar, unpacked keytar, fuses, locales, extra
//          resources), plus deb, rpm and AppImage up to the point where electron-builder
//          has computed their desktop entry and package metadata. Those three stop there
//          (through electron-builder's effectiveOptionComputed hook): assembling them needs
//          fpm and the AppImage runtime, which electron-builder downloads from GitHub.
//   mac    the unpacked .app for x64 and arm64 (Info.plist, fuses in the framework).
//   win    the unpacked x64 app: the exe electron-builder renames and edits (icon, version
//          strings, asar integrity resource, fuses). The NSIS installer itself needs
//          electron-builder's downloaded NSIS and 7-Zip.
//   baseline  (linux, `--baseline`) the dir target with the size levers undone (electron-
//          builder's default file selection and unpacking, every locale) to measure them.
// Usage: tsx scripts/packaging/offline-build.ts --platform linux|mac|win [--baseline] --out <dir>
// Writes <out>/offline-build.json (OfflineBuildResult) for the packaging checks.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Arch, build, Platform, type Configuration } from 'electron-builder';
import { parse } from 'yaml';
import {
  createDarwinPlaceholder,
  createLinuxPlaceholder,
  createWindowsPlaceholder,
} from './placeholder-electron';
import { TRAY_STATES } from '../../src-main/tray/tray-states';
import { encodePng } from '../lib/png';

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Tray icon files the desktop shell draws into resources/tray, per state and variant. */
export const TRAY_FILES = TRAY_STATES.flatMap((s) => [
  `${s}.png`,
  `${s}@2x.png`,
  `${s}Template.png`,
  `${s}Template@2x.png`,
]);

/** What a Linux package target computed before it would have called fpm/appimagetool. */
export interface CapturedPackage {
  readonly desktopFileName: string;
  readonly desktopEntry: string;
  /** fpm arguments (deb/rpm only). */
  readonly fpmArgs?: readonly string[];
}

export type OfflinePlatform = 'linux' | 'mac' | 'win';

export interface OfflineBuildResult {
  readonly platform: OfflinePlatform;
  readonly baseline: boolean;
  readonly outDir: string;
  readonly placeholderDist: string;
  readonly electronVersion: string;
  /** True when resources/tray was absent and stand-in PNGs with the expected names were used. */
  readonly trayFixture: boolean;
  readonly trayDir: string;
  /** linux/win: { x64: <unpacked dir> }; mac: { x64: <.app>, arm64: <.app> } */
  readonly apps: Readonly<Record<string, string>>;
  readonly packages: Readonly<Record<string, CapturedPackage>>;
}

/** The project's electron-builder.yml, parsed. */
export function loadBuilderConfig(): Configuration {
  return parse(readFileSync(join(REPO, 'electron-builder.yml'), 'utf8')) as Configuration;
}

/** Writes 1x1 stand-in PNGs named like the shell's tray icons. */
function writeTrayFixture(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const pixel = encodePng({ width: 1, height: 1, data: new Uint8Array([0, 0, 0, 255]) });
  for (const name of TRAY_FILES) {
    writeFileSync(join(dir, name), pixel);
  }
}

/** The config with the size levers undone: default files and unpacking, all locales. */
function withoutSizeLevers(base: Configuration): Configuration {
  const {
    files: _files,
    asar: _asar,
    asarUnpack: _unpack,
    electronLanguages: _langs,
    ...rest
  } = base;
  return { ...rest, files: ['out/**', 'package.json'] };
}

/** The real config with only what the offline run must change. */
function offlineConfig(base: Configuration, outDir: string, dist: string, tray: string) {
  const extraResources = (base.extraResources as Array<{ from: string; to: string }>).map((r) =>
    r.to === 'tray' ? { ...r, from: tray } : r,
  );
  return {
    ...base,
    extends: null,
    directories: { ...base.directories, output: outDir },
    electronDist: dist,
    // keytar is N-API: the module npm built for this host is the one a linux-x64 build ships.
    // A rebuild would fetch Electron headers, which these machines cannot do.
    npmRebuild: false,
    extraResources,
    mac: { ...base.mac, identity: null, notarize: false }, // never sign or notarize here
    publish: null,
  } satisfies Configuration;
}

function readElectronVersion(): string {
  const path = join(REPO, 'node_modules/electron/package.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { version: string }).version;
}

/** Records what deb/rpm/AppImage computed, and tells electron-builder to stop there. */
function captureHook(packages: Record<string, CapturedPackage>) {
  return (options: unknown): Promise<boolean> => {
    if (Array.isArray(options) && Array.isArray(options[0]) && typeof options[1] === 'string') {
      const fpmArgs = options[0] as string[];
      const target = fpmArgs[fpmArgs.indexOf('--package') + 1]?.endsWith('.rpm') ? 'rpm' : 'deb';
      const desktopMapping = fpmArgs.find((a) => a.includes('=/usr/share/applications/')) ?? '';
      packages[target] = {
        desktopFileName: desktopMapping.split('/').pop() ?? '',
        desktopEntry: readFileSync(options[1], 'utf8'),
        fpmArgs,
      };
      return Promise.resolve(true);
    }
    const appImage = options as { desktop?: string; desktopFileName?: string };
    if (typeof appImage.desktop === 'string') {
      packages.AppImage = {
        desktopFileName: appImage.desktopFileName ?? '',
        desktopEntry: appImage.desktop,
      };
      return Promise.resolve(true);
    }
    return Promise.resolve(false);
  };
}

/** Builds with the placeholder dist into `outDir` and returns what was produced. */
export async function offlineBuild(
  platform: OfflinePlatform,
  outDir: string,
  baseline = false,
): Promise<OfflineBuildResult> {
  const electronVersion = readElectronVersion();
  const dist = join(outDir, `placeholder-electron-${platform}`);
  const create = {
    linux: createLinuxPlaceholder,
    mac: createDarwinPlaceholder,
    win: createWindowsPlaceholder,
  }[platform];
  create(dist, electronVersion);
  const realTray = join(REPO, 'resources/tray');
  const trayFixture = !existsSync(realTray);
  const trayDir = trayFixture ? join(outDir, 'tray-fixture') : realTray;
  if (trayFixture) {
    writeTrayFixture(trayDir);
  }
  const configFile = join(outDir, 'electron-builder.offline.json');
  const base = baseline ? withoutSizeLevers(loadBuilderConfig()) : loadBuilderConfig();
  const config = offlineConfig(base, join(outDir, 'dist'), dist, trayDir);
  writeFileSync(configFile, JSON.stringify(config, null, 2));
  const packages: Record<string, CapturedPackage> = {};
  const linuxTargets = baseline ? ['dir'] : ['dir', 'deb', 'rpm', 'AppImage'];
  const targets = {
    linux: () => Platform.LINUX.createTarget(linuxTargets, Arch.x64),
    mac: () => Platform.MAC.createTarget(['dir'], Arch.x64, Arch.arm64),
    win: () => Platform.WINDOWS.createTarget(['dir'], Arch.x64),
  }[platform]();
  await build({
    projectDir: REPO,
    config: configFile,
    targets,
    publish: 'never',
    effectiveOptionComputed: captureHook(packages),
  });
  const apps: Record<string, string> = {
    linux: { x64: join(outDir, 'dist/linux-unpacked') },
    win: { x64: join(outDir, 'dist/win-unpacked') },
    mac: {
      x64: join(outDir, 'dist/mac/Open Softphone.app'),
      arm64: join(outDir, 'dist/mac-arm64/Open Softphone.app'),
    },
  }[platform];
  const result = {
    platform,
    baseline,
    outDir,
    placeholderDist: dist,
    electronVersion,
    trayFixture,
    trayDir,
    apps,
    packages,
  };
  writeFileSync(join(outDir, 'offline-build.json'), JSON.stringify(result, null, 2));
  return result;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      platform: { type: 'string' },
      out: { type: 'string' },
      baseline: { type: 'boolean', default: false },
    },
  });
  const platform = values.platform as OfflinePlatform | undefined;
  if (!['linux', 'mac', 'win'].includes(platform ?? '') || values.out === undefined) {
    process.stderr.write(
      'usage: offline-build.ts --platform linux|mac|win [--baseline] --out <dir>\n',
    );
    process.exit(2);
  }
  mkdirSync(values.out, { recursive: true });
  const result = await offlineBuild(platform!, resolve(values.out), values.baseline);
  process.stdout.write(`offline build done: ${join(result.outDir, 'offline-build.json')}\n`);
}
