// Shared helpers of the packaging checks: run the offline build in a child process, read an
// asar, read fuses back with the @electron/fuses CLI, validate desktop entries with Debian's
// desktop-file-validate, and measure what was built.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { OfflineBuildResult, OfflinePlatform } from '../../scripts/packaging/offline-build';
import { REPO } from '../../scripts/packaging/offline-build';

export { REPO };

let root: string | null = null;

/** A fresh directory under this test file's temporary root. */
export function tempDir(prefix: string): string {
  root ??= mkdtempSync(join(tmpdir(), 'osp-packaging-'));
  return mkdtempSync(join(root, `${prefix}-`));
}

/** Removes this test file's temporary root; KEEP_PACKAGING_OUTPUT=1 keeps it to inspect. */
export function removeTempDirs(): void {
  if (root !== null && process.env.KEEP_PACKAGING_OUTPUT !== '1') {
    rmSync(root, { recursive: true, force: true });
  }
  root = null;
}

/** Runs a command, returning its output; throws with everything it printed if it fails. */
export function run(cmd: string, args: readonly string[], env?: NodeJS.ProcessEnv): string {
  const r = spawnSync(cmd, args, { cwd: REPO, encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.error) {
    throw r.error;
  }
  if (r.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited ${r.status}\n${r.stdout}\n${r.stderr}`);
  }
  return `${r.stdout}${r.stderr}`;
}

/** True when an executable is on PATH. */
export function hasTool(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** Builds `platform` offline (placeholder Electron) in a fresh temp dir, in a child process. */
export function offlineBuild(platform: OfflinePlatform, baseline = false): OfflineBuildResult {
  const out = tempDir(`build-${platform}${baseline ? '-baseline' : ''}`);
  const script = 'scripts/packaging/offline-build.ts';
  const log = run(process.execPath, [
    '--import',
    'tsx',
    script,
    '--platform',
    platform,
    ...(baseline ? ['--baseline'] : []),
    '--out',
    out,
  ]);
  writeFileSync(join(out, 'electron-builder.log'), log);
  return JSON.parse(readFileSync(join(out, 'offline-build.json'), 'utf8')) as OfflineBuildResult;
}

/** Fuse name → 'Enabled' | 'Disabled' | …, as printed by `electron-fuses read`. */
export function readFusesWithCli(appPath: string): Map<string, string> {
  const out = run(process.execPath, [
    join(REPO, 'node_modules/@electron/fuses/dist/bin.js'),
    'read',
    '--app',
    appPath,
  ]);
  // eslint-disable-next-line no-control-regex -- strip the CLI's colours
  const plain = out.replace(/\u001b\[[0-9;]*m/g, '');
  const fuses = new Map<string, string>();
  for (const m of plain.matchAll(/^\s+(\S+) is (\S+)$/gm)) {
    fuses.set(m[1]!, m[2]!);
  }
  return fuses;
}

/** The fuse states electron-builder.yml asks for, by @electron/fuses name. */
export const EXPECTED_FUSES: ReadonlyMap<string, string> = new Map([
  ['RunAsNode', 'Disabled'],
  ['EnableCookieEncryption', 'Enabled'],
  ['EnableNodeOptionsEnvironmentVariable', 'Disabled'],
  ['EnableNodeCliInspectArguments', 'Disabled'],
  ['EnableEmbeddedAsarIntegrityValidation', 'Enabled'],
  ['OnlyLoadAppFromAsar', 'Enabled'],
  ['GrantFileProtocolExtraPrivileges', 'Disabled'],
]);

/** Runs desktop-file-validate on an entry saved under its real file name; returns its output. */
export function validateDesktopEntry(fileName: string, entry: string): string {
  const dir = tempDir('desktop-entry');
  const path = join(dir, fileName);
  writeFileSync(path, entry);
  return run('desktop-file-validate', [path]);
}

/** Parses the [Desktop Entry] group of a desktop file into key → value. */
export function desktopEntryKeys(entry: string): Map<string, string> {
  const keys = new Map<string, string>();
  let inMain = false;
  for (const line of entry.split('\n')) {
    if (line.startsWith('[')) {
      inMain = line === '[Desktop Entry]';
    } else if (inMain && line.includes('=')) {
      keys.set(line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1));
    }
  }
  return keys;
}

/** All regular files below `dir`, relative, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        walk(p);
      } else if (e.isFile()) {
        out.push(relative(dir, p));
      }
    }
  };
  walk(dir);
  return out.sort();
}

/** Total bytes of the regular files below `dir` (or of one file). */
export function bytes(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) {
    return st.size;
  }
  return listFiles(path).reduce((sum, f) => sum + statSync(join(path, f)).size, 0);
}

/** The files below `dir` concatenated in path order: a stand-in for an archive's payload. */
function payload(dir: string): Buffer {
  return Buffer.concat(listFiles(dir).map((f) => readFileSync(join(dir, f))));
}

function compressWith(tool: string, args: string[], input: Buffer): number {
  const r = spawnSync(tool, args, { input, maxBuffer: 1 << 30 });
  if (r.status !== 0) {
    throw new Error(`${tool} failed: ${r.stderr.toString()}`);
  }
  return r.stdout.length;
}

/**
 * Compressed size of a directory's payload with the codecs electron-builder's `compression`
 * selects: `normal` → gzip/zlib (AppImage squashfs default, dmg UDZO), `maximum` → xz
 * (AppImage) and bzip2 (dmg UDBZ). NSIS (7z -mx=9) and deb (xz) do not change with it.
 */
export function compressionSizes(dir: string): Record<string, number> {
  const data = payload(dir);
  return {
    store: data.length,
    'normal (gzip -9)': gzipSync(data, { level: 9 }).length,
    'maximum, AppImage (xz -9)': compressWith('xz', ['-9', '-c', '-T1'], data),
    'maximum, dmg (bzip2 -9)': compressWith('bzip2', ['-9', '-c'], data),
  };
}

/** Human-readable size. */
export function human(n: number): string {
  if (n < 1024) {
    return `${n} B`;
  }
  if (n < 1024 * 1024) {
    return `${(n / 1024).toFixed(1)} KiB`;
  }
  return `${(n / 1024 / 1024).toFixed(2)} MiB`;
}
