// The Windows app, checked offline on Linux. THE ELECTRON IN THIS BUILD IS A PLACEHOLDER
// (scripts/packaging/placeholder-electron.ts): electron.exe is an empty PE image carrying a
// version resource and Electron's fuse wire. electron-builder builds the x64 `dir` target
// from it with electron-builder.yml, doing on that exe exactly what it does on Electron's:
// rename, icon and version strings, the asar integrity resource Electron checks on Windows,
// and the fuses. The NSIS installer around it needs electron-builder's downloaded NSIS and
// 7-Zip; its script is checked in windows-installer.test.ts. (keytar.node here is the Linux
// build: npmRebuild is off offline; a Windows build rebuilds it for Windows.)
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import asar from '@electron/asar';
import { NtExecutable, NtExecutableResource, Resource } from 'resedit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIco } from '../../scripts/packaging/icon-containers';
import { loadBuilderConfig, TRAY_FILES } from '../../scripts/packaging/offline-build';
import type { OfflineBuildResult } from '../../scripts/packaging/offline-build';
import { PLACEHOLDER_MARKER } from '../../scripts/packaging/placeholder-electron';
import {
  EXPECTED_FUSES,
  listFiles,
  offlineBuild,
  readFusesWithCli,
  removeTempDirs,
  REPO,
} from './support';

let build: OfflineBuildResult;
let app: string;
let resources: NtExecutableResource;

beforeAll(() => {
  build = offlineBuild('win');
  app = build.apps.x64!;
  console.log(
    `[win] built with a PLACEHOLDER Electron in ${build.outDir} (KEEP_PACKAGING_OUTPUT=1 keeps it)`,
  );
  const exe = NtExecutable.from(readFileSync(join(app, 'open-softphone.exe')));
  resources = NtExecutableResource.from(exe);
});

afterAll(removeTempDirs);

describe('windows dir target (placeholder Electron)', () => {
  it('renames electron.exe to open-softphone.exe', () => {
    expect(existsSync(join(app, PLACEHOLDER_MARKER))).toBe(true);
    expect(existsSync(join(app, 'open-softphone.exe'))).toBe(true);
    expect(existsSync(join(app, 'electron.exe'))).toBe(false);
  });

  it('stamps product name, description and copyright into the version resource', () => {
    const [info] = Resource.VersionInfo.fromEntries(resources.entries);
    expect(info!.getStringValues({ lang: 1033, codepage: 1200 })).toMatchObject({
      ProductName: 'Open Softphone',
      FileDescription: 'Open Softphone',
      LegalCopyright: '© 2026 Open Softphone contributors',
      InternalName: 'open-softphone',
    });
  });

  it('embeds every image of resources/icon.ico as the exe icon', () => {
    const icons = resources.entries.filter((e) => e.type === 3); // RT_ICON
    const ico = readIco(readFileSync(join(REPO, 'resources/icon.ico')));
    expect(icons.map((e) => Buffer.from(e.bin))).toEqual(ico.map((e) => e.png));
  });

  it('adds the asar integrity resource Electron validates on Windows, with a Windows path', () => {
    const entry = resources.entries.find((e) => e.type === 'INTEGRITY' && e.id === 'ELECTRONASAR');
    const { headerString } = asar.getRawHeader(join(app, 'resources/app.asar'));
    expect(JSON.parse(Buffer.from(entry!.bin).toString())).toEqual([
      {
        file: 'resources\\app.asar',
        alg: 'SHA256',
        value: createHash('sha256').update(headerString).digest('hex'),
      },
    ]);
  });

  it('flips the configured fuses in the exe (read back with @electron/fuses)', () => {
    const fuses = readFusesWithCli(join(app, 'open-softphone.exe'));
    for (const [name, state] of EXPECTED_FUSES) {
      expect(fuses.get(name), name).toBe(state);
    }
  });

  it('unpacks only keytar.node and ships tray icons, licences and the kept locales', () => {
    expect(listFiles(join(app, 'resources/app.asar.unpacked'))).toEqual([
      'node_modules/keytar/build/Release/keytar.node',
    ]);
    expect(listFiles(join(app, 'resources/tray'))).toEqual([...TRAY_FILES].sort());
    expect(existsSync(join(app, 'resources/LICENSE.txt'))).toBe(true);
    const wanted = loadBuilderConfig().electronLanguages as string[];
    expect(listFiles(join(app, 'locales'))).toEqual(wanted.map((l) => `${l}.pak`).sort());
  });
});
