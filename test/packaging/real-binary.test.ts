// The real-binary packaging check: every installer target of this OS built with a REAL
// Electron distribution, the fuses read back from the real binary with `electron-fuses read`,
// and the sizes of the real artifacts. It runs where an Electron distribution exists:
//   ELECTRON_DIST=<unpacked Electron 45 for this OS/arch>   (this arch only), or
//   node_modules/electron/dist (then electron-builder downloads what else it needs).
// Elsewhere it prints one line saying why it did not run. electron-builder also downloads
// its tools (fpm, AppImage runtime, NSIS), so it needs the network the dist came from.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBuilderConfig } from '../../scripts/packaging/offline-build';
import { PLACEHOLDER_MARKER } from '../../scripts/packaging/placeholder-electron';
import {
  bytes,
  desktopEntryKeys,
  EXPECTED_FUSES,
  human,
  listFiles,
  readFusesWithCli,
  removeTempDirs,
  REPO,
  run,
  tempDir,
  validateDesktopEntry,
} from './support';

type Os = 'linux' | 'mac' | 'win';
const OS: Os | null =
  process.platform === 'linux'
    ? 'linux'
    : process.platform === 'darwin'
      ? 'mac'
      : process.platform === 'win32'
        ? 'win'
        : null;

/** The Electron distribution to use, or why there is none. */
function findDist(): { dist: string; explicit: boolean } | { reason: string } {
  if (OS === null) {
    return { reason: `no installer targets for ${process.platform}` };
  }
  const fromEnv = process.env.ELECTRON_DIST;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!existsSync(fromEnv)) {
      return { reason: `ELECTRON_DIST=${fromEnv} does not exist` };
    }
    if (existsSync(join(fromEnv, PLACEHOLDER_MARKER))) {
      return { reason: `ELECTRON_DIST=${fromEnv} is the offline placeholder, not Electron` };
    }
    return { dist: fromEnv, explicit: true };
  }
  const installed = join(REPO, 'node_modules/electron/dist');
  if (existsSync(installed)) {
    return { dist: installed, explicit: false };
  }
  return {
    reason:
      'no Electron distribution: node_modules/electron/dist is missing (the electron package ' +
      'could not download it, no access to github.com) and ELECTRON_DIST is not set',
  };
}

const found = findDist();
if ('reason' in found) {
  console.log(`[real-binary] not run: ${found.reason}`);
}

/** Unpacked app → path electron-fuses reads, per OS (x64 unless noted). */
function unpackedApps(out: string): string[] {
  const exe = {
    linux: ['linux-unpacked/open-softphone'],
    win: ['win-unpacked/open-softphone.exe'],
    mac: ['mac/Open Softphone.app', 'mac-arm64/Open Softphone.app'],
  }[OS!];
  return exe.map((p) => join(out, p)).filter((p) => existsSync(p));
}

describe.runIf(!('reason' in found))('real Electron packaging', () => {
  const dist = 'dist' in found ? found : null;
  let out = '';

  beforeAll(() => {
    out = tempDir('real');
    const targets = {
      linux: ['--linux', 'AppImage', 'deb', 'rpm'],
      mac: ['--mac', 'dmg'],
      win: ['--win', 'nsis'],
    }[OS!];
    // One dist is one architecture: with ELECTRON_DIST build that one; otherwise every arch
    // the config lists (electron-builder downloads the others).
    const arch = dist?.explicit
      ? [`--${process.arch}`]
      : OS === 'mac'
        ? ['--x64', '--arm64']
        : ['--x64'];
    const log = run(process.execPath, [
      join(REPO, 'node_modules/electron-builder/cli.js'),
      ...targets,
      ...arch,
      '--publish',
      'never',
      `--config.directories.output=${out}`,
      ...(dist?.explicit ? [`--config.electronDist=${dist.dist}`] : []),
    ]);
    console.log(`[real-binary] electron-builder (KEEP_PACKAGING_OUTPUT=1 keeps ${out})`);
    console.log(log.slice(-2000));
  }, 30 * 60_000);
  afterAll(removeTempDirs);

  it('builds every installer target of this OS', () => {
    const artifacts = readdirSync(out);
    const expected = {
      linux: [/\.AppImage$/, /_amd64\.deb$/, /\.x86_64\.rpm$/],
      mac: [/-x64\.dmg$/, /-arm64\.dmg$/],
      win: [/-setup\.exe$/],
    }[OS!];
    for (const pattern of dist?.explicit ? expected.slice(0, 1) : expected) {
      expect(
        artifacts.some((a) => pattern.test(a)),
        String(pattern),
      ).toBe(true);
    }
  });

  it('flips the fuses in the real binary (electron-fuses read)', () => {
    const apps = unpackedApps(out);
    expect(apps.length).toBeGreaterThan(0);
    for (const app of apps) {
      const fuses = readFusesWithCli(app);
      for (const [name, state] of EXPECTED_FUSES) {
        expect(fuses.get(name), `${app}: ${name}`).toBe(state);
      }
    }
  });

  // Only a Linux host builds the .deb; elsewhere vitest lists this suite as skipped, its title
  // saying why (the same printed-reason pattern as the whole suite's).
  describe.runIf(OS === 'linux')(
    `the .deb${OS === 'linux' ? '' : ' (skipped: only Linux hosts build it)'}`,
    () => {
      it('installs a valid desktop entry from the .deb', () => {
        const deb = readdirSync(out).find((a) => a.endsWith('.deb'))!;
        const root = tempDir('deb');
        run('dpkg-deb', ['-x', join(out, deb), root]);
        const entry = readFileSync(
          join(root, 'usr/share/applications/open-softphone.desktop'),
          'utf8',
        );
        expect(validateDesktopEntry('open-softphone.desktop', entry)).toBe('');
        expect(desktopEntryKeys(entry).get('Exec')).toBe(
          '"/opt/Open Softphone/open-softphone" -- %u',
        );
        expect(existsSync(join(root, 'opt/Open Softphone/resources/app.asar.unpacked'))).toBe(true);
        const info = spawnSync('dpkg-deb', ['-f', join(out, deb), 'Depends'], { encoding: 'utf8' });
        expect(info.stdout).toContain('libsecret-1-0');
      });
    },
  );

  it('reports artifact sizes and the locale lever in bytes', () => {
    console.log('\n[real-binary] sizes');
    for (const a of readdirSync(out).filter((f) => /\.(AppImage|deb|rpm|dmg|exe)$/.test(f))) {
      console.log(`  ${a.padEnd(48)} ${human(bytes(join(out, a))).padStart(10)}`);
    }
    for (const app of unpackedApps(out)) {
      const dir = OS === 'mac' ? app : join(app, '..');
      console.log(
        `  ${dir.slice(out.length + 1).padEnd(48)} ${human(bytes(dir)).padStart(10)} unpacked`,
      );
    }
    if (dist !== null && OS !== 'mac') {
      const all = bytes(join(dist.dist, 'locales'));
      const kept = bytes(join(unpackedApps(out)[0]!, '..', 'locales'));
      const wanted = (loadBuilderConfig().electronLanguages as string[]).length;
      console.log(`  locales: ${human(kept)} kept (${wanted} packs) of ${human(all)}`);
      expect(listFiles(join(unpackedApps(out)[0]!, '..', 'locales'))).toHaveLength(wanted);
    }
  });
});
