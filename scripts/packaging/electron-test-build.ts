// Runs the Electron suite (test/electron) against a PACKAGED build, not only the dev binary:
// 1. builds the test variant of the app (SOFTPHONE_TEST_HOOKS=1 → out-test/, hooks compiled in);
// 2. packs it with electron-builder and the project's electron-builder.yml for this OS (the
//    unpacked `dir` target, real Electron from node_modules/electron/dist or
//    ELECTRON_OVERRIDE_DIST_PATH), changing one fuse: EnableNodeCliInspectArguments stays ON.
//    Playwright's _electron.launch drives the app through --inspect / the remote debugging
//    port; with that fuse off, as shipped, Electron ignores them and Playwright cannot attach.
//    Everything else (asar only, RunAsNode off, NODE_OPTIONS off, cookie encryption, asar
//    integrity, no file:// privileges) is the release's;
// 3. runs `vitest --project electron` with SOFTPHONE_ELECTRON_APP pointing at the executable.
// Usage: npm run test:electron:packaged   (output in release-test/, never shipped)
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Arch, build, Platform, type Configuration } from 'electron-builder';
import { loadBuilderConfig, REPO } from './offline-build';

const OUT = 'release-test';

/** The real Electron distribution to pack, or why there is none. */
export function electronDist(env = process.env): { dir: string } | { reason: string } {
  const dir = env.ELECTRON_OVERRIDE_DIST_PATH ?? join(REPO, 'node_modules/electron/dist');
  const version = join(dir, 'version');
  if (!existsSync(version)) {
    return {
      reason:
        `no Electron distribution in ${dir}: run \`npm install\` (it downloads Electron) or set ` +
        'ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron',
    };
  }
  if (existsSync(join(dir, 'PLACEHOLDER-NOT-ELECTRON.txt'))) {
    return { reason: `${dir} is the packaging checks' placeholder, not Electron` };
  }
  return { dir };
}

/** electron-builder.yml for the test package: out-test, Playwright's fuse, nothing signed. */
export function testPackageConfig(base: Configuration, dist: string): Configuration {
  const files = (base.files as string[]).map((f) => f.replace(/^out\//, 'out-test/'));
  return {
    ...base,
    directories: { ...base.directories, output: OUT },
    electronDist: dist,
    files,
    extraMetadata: { ...(base.extraMetadata as object), main: './out-test/main/index.js' },
    electronFuses: { ...base.electronFuses, enableNodeCliInspectArguments: true },
    mac: { ...base.mac, identity: null, notarize: false },
    publish: null,
  };
}

/** The packed app's executable on this OS. */
export function packedExecutable(platform = process.platform, arch = process.arch): string {
  switch (platform) {
    case 'darwin': {
      const folder = arch === 'arm64' ? 'mac-arm64' : 'mac';
      return join(REPO, OUT, folder, 'Open Softphone.app/Contents/MacOS/Open Softphone');
    }
    case 'win32':
      return join(REPO, OUT, 'win-unpacked/open-softphone.exe');
    default:
      return join(REPO, OUT, 'linux-unpacked/open-softphone');
  }
}

async function main(): Promise<number> {
  const dist = electronDist();
  if ('reason' in dist) {
    console.error(`Cannot build the packaged test app: ${dist.reason}.`);
    return 1;
  }
  execFileSync('npx', ['electron-vite', 'build'], {
    cwd: REPO,
    stdio: 'inherit',
    env: { ...process.env, SOFTPHONE_TEST_HOOKS: '1' },
  });
  const platform = { darwin: Platform.MAC, win32: Platform.WINDOWS }[process.platform as string];
  const target = (platform ?? Platform.LINUX).createTarget(
    ['dir'],
    process.arch === 'arm64' ? Arch.arm64 : Arch.x64,
  );
  await build({
    projectDir: REPO,
    config: testPackageConfig(loadBuilderConfig(), dist.dir),
    targets: target,
    publish: 'never',
  });
  const executable = packedExecutable();
  const version = readFileSync(join(dist.dir, 'version'), 'utf8').trim();
  console.log(`Packed the test app with Electron ${version}: ${executable}`);
  const run = spawnSync('npx', ['vitest', 'run', '--project', 'electron'], {
    cwd: REPO,
    stdio: 'inherit',
    env: { ...process.env, SOFTPHONE_ELECTRON_APP: executable },
  });
  return run.status ?? 1;
}

if (process.argv[1]?.endsWith('electron-test-build.ts')) {
  process.exitCode = await main();
}
