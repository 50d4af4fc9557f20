// Makes sure Electron's binary is there before `npm start` / `npm run dev` (and right after
// `npm install`). Electron 45 no longer downloads it at install time: it does so lazily on the
// first require('electron') or `npx install-electron`, while electron-vite only reads
// node_modules/electron/path.txt and fails with "Electron uninstall" when it is missing. This
// runs Electron's own installer (node_modules/electron/install.js: @electron/get, which honours
// ELECTRON_MIRROR, electron_use_remote_checksums, the cache folder and the proxy settings)
// when the binary is missing, and explains in plain words what to do when that fails.
//
//   tsx scripts/ensure-electron.ts            before start/dev: a failure stops the command
//   tsx scripts/ensure-electron.ts --install  after npm install: a failure only warns
//
// ELECTRON_SKIP_BINARY_DOWNLOAD=1 skips the download (CI installs without Electron);
// ELECTRON_EXEC_PATH (read by electron-vite) points at a binary you already have.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The Node version Electron 45's tooling (@electron/get, the electron package) declares. */
export const NODE_MINIMUM = [22, 12] as const;
/** The download gets this long before it counts as failed (slow links still fit). */
const DOWNLOAD_LIMIT_MS = Number(process.env.SOFTPHONE_ELECTRON_DOWNLOAD_MS ?? 15 * 60_000);

export interface ElectronPackage {
  dir: string;
  version: string;
}

/** The installed electron package (its folder and version), without loading it. */
export function electronPackage(from = import.meta.url): ElectronPackage {
  const pkgJson = createRequire(from).resolve('electron/package.json');
  const { version } = JSON.parse(readFileSync(pkgJson, 'utf8')) as { version: string };
  return { dir: dirname(pkgJson), version };
}

/** The binary electron-vite will start, when it is there; null when it must be fetched. */
export function installedBinary(pkg: ElectronPackage, env = process.env): string | null {
  if (env.ELECTRON_EXEC_PATH) {
    return existsSync(env.ELECTRON_EXEC_PATH) ? env.ELECTRON_EXEC_PATH : null;
  }
  const pathFile = join(pkg.dir, 'path.txt');
  const versionFile = join(pkg.dir, 'dist', 'version');
  if (!existsSync(pathFile) || !existsSync(versionFile)) {
    return null;
  }
  const binary = join(pkg.dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  const version = readFileSync(versionFile, 'utf8').trim().replace(/^v/, '');
  return version === pkg.version && existsSync(binary) ? binary : null;
}

/** Whether an environment flag is set to something truthy. */
export function flagSet(value: string | undefined): boolean {
  return value !== undefined && value !== '' && value !== '0' && value.toLowerCase() !== 'false';
}

/** The first line of the installer's output that says what went wrong. */
export function failureReason(output: string): string {
  const lines = output.split('\n').map((l) => l.trim());
  const error = lines.find((l) => /^(\w*Error|Error)\b.*:/.test(l) || /\bE[A-Z]{3,}\b/.test(l));
  return (error ?? lines.find((l) => l !== '') ?? 'no reason given').slice(0, 300);
}

/** Where @electron/get downloads from (its default, or ELECTRON_MIRROR). */
export function downloadBase(env = process.env): string {
  return (
    env.npm_config_electron_mirror ||
    env.ELECTRON_MIRROR ||
    'https://github.com/electron/electron/releases/download/'
  );
}

const NETWORK_CAUSES: Record<string, string> = {
  ENOTFOUND: 'its name does not resolve: offline, or DNS blocked',
  EAI_AGAIN: 'its name does not resolve: offline, or DNS blocked',
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was cut',
  ETIMEDOUT: 'the connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  ENETUNREACH: 'the network is unreachable',
  EHOSTUNREACH: 'the host is unreachable',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate is not trusted (an intercepting proxy?)',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is not trusted (an intercepting proxy?)',
};

/**
 * Why the download server cannot be reached, in words (the installer only says "fetch
 * failed"; the cause is in the error it does not print). Null when it answers.
 */
export async function diagnoseServer(base: string, timeoutMs = 10_000): Promise<string | null> {
  let host = base;
  try {
    host = new URL(base).host;
    await fetch(base, { method: 'HEAD', signal: AbortSignal.timeout(timeoutMs) });
    return null;
  } catch (error: unknown) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const code = cause?.code;
    if (code) {
      return `cannot reach ${host}: ${NETWORK_CAUSES[code] ?? code} (${code})`;
    }
    const detail = cause?.message ?? (error instanceof Error ? error.message : String(error));
    return `cannot reach ${host}: ${detail}`;
  }
}

/** What to tell the user when the download failed. */
export function failureMessage(version: string, reason: string, starting: boolean): string {
  return [
    `Could not download Electron ${version} (${reason}).`,
    starting
      ? 'Open Softphone runs in Electron, so it cannot start without it.'
      : '`npm start` needs it and will try again.',
    'To fix it:',
    '  - Offline? Connect to the internet and run `npm start` again.',
    '  - Behind a proxy? Set HTTPS_PROXY (and NO_PROXY) and ELECTRON_GET_USE_PROXY=1, then retry.',
    '  - GitHub blocked? Point ELECTRON_MIRROR at a mirror, e.g.',
    '    ELECTRON_MIRROR=https://npmmirror.com/mirrors/electron/ npm start',
    '  - Have Electron already? Set ELECTRON_EXEC_PATH to its binary.',
  ].join('\n');
}

/** A note when Node is older than Electron's tooling supports (it may still work). */
export function nodeNote(version = process.versions.node): string | null {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  const [wantMajor, wantMinor] = NODE_MINIMUM;
  if (major > wantMajor || (major === wantMajor && minor >= wantMinor)) {
    return null;
  }
  return (
    `Note: Node ${version} is older than ${wantMajor}.${wantMinor}, which Electron ${electronPackage().version}'s ` +
    'tools require. If the download or the start fails, install Node 22.12 or newer.'
  );
}

function runInstaller(pkg: ElectronPackage): Promise<{ ok: boolean; output: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [join(pkg.dir, 'install.js')], {
      cwd: pkg.dir,
      env: process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill();
      output += `\nError: the download did not finish within ${Math.round(DOWNLOAD_LIMIT_MS / 60_000)} minutes`;
    }, DOWNLOAD_LIMIT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      done({ ok: false, output: `${output}\n${error.message}` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ ok: code === 0, output });
    });
  });
}

async function main(): Promise<number> {
  const starting = !process.argv.includes('--install');
  const pkg = electronPackage();
  if (installedBinary(pkg)) {
    return 0;
  }
  if (flagSet(process.env.ELECTRON_SKIP_BINARY_DOWNLOAD)) {
    if (!starting) {
      console.log('Electron binary not downloaded: ELECTRON_SKIP_BINARY_DOWNLOAD is set.');
      return 0;
    }
    console.error(
      `Electron ${pkg.version} is not installed, and ELECTRON_SKIP_BINARY_DOWNLOAD is set, so it ` +
        'is not downloaded. Unset it (or set ELECTRON_EXEC_PATH to an Electron binary) and run ' +
        '`npm start` again.',
    );
    return 1;
  }
  const note = nodeNote();
  if (note) {
    console.warn(note);
  }
  console.log(`Downloading Electron ${pkg.version}…`);
  const result = await runInstaller(pkg);
  if (result.ok && installedBinary(pkg)) {
    console.log(`Electron ${pkg.version} is ready.`);
    return 0;
  }
  let reason = result.ok
    ? 'the download had no Electron binary for this system in it'
    : failureReason(result.output);
  if (/fetch failed/i.test(reason)) {
    reason = (await diagnoseServer(downloadBase())) ?? reason;
  }
  const message = failureMessage(pkg.version, reason, starting);
  (starting ? console.error : console.warn)(message);
  return starting ? 1 : 0;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/'))) {
  process.exitCode = await main();
}
