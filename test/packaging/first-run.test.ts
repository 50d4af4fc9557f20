// Issue 12 §1: the README's first command, `npm install && npm start`, on a machine without
// Electron's binary, proven without internet. A copy of the project (node_modules hard-linked,
// except what npm or Electron's installer write) gets a loopback HTTP server as ELECTRON_MIRROR
// serving a PLACEHOLDER "Electron" zip and its SHASUMS256.txt (electron_use_remote_checksums:
// the bundled checksums are for the real zips). The placeholder binary only records its argv
// and working folder. Shown: npm install downloads, verifies and unpacks it (postinstall),
// npm start builds the app and launches the placeholder with it; ELECTRON_SKIP_BINARY_DOWNLOAD
// skips the download and `npm start` then says how to fix it; an unreachable mirror and a bad
// checksum end in a plain message naming the fix, launching nothing. This runs on Node 20 here,
// so it also shows `npm install` does not fail on the engines field (>= 22.12).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  linkSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { zip } from '../support/zip';
import { removeTempDirs, REPO, tempDir } from './support';

const VERSION = (
  JSON.parse(readFileSync(join(REPO, 'node_modules/electron/package.json'), 'utf8')) as {
    version: string;
  }
).version;
const ZIP_NAME = `electron-v${VERSION}-${platform()}-${arch()}.zip`;
// What the placeholder "Electron" does: write its arguments and folder, then exit.
const PLACEHOLDER = [
  '#!/bin/sh',
  '# PLACEHOLDER, not Electron (test/packaging/first-run.test.ts)',
  'printf "%s\\n" "$@" > "$FIRST_RUN_RECORD"',
  'printf "cwd=%s\\n" "$(pwd)" >> "$FIRST_RUN_RECORD"',
  'exit 0',
  '',
].join('\n');

interface Mirror {
  url: string;
  requests: string[];
  checksum: 'right' | 'wrong';
  close(): Promise<void>;
}

async function startMirror(archive: Buffer): Promise<Mirror> {
  const requests: string[] = [];
  const mirror = { checksum: 'right' as 'right' | 'wrong' };
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    if (req.url === `/v${VERSION}/${ZIP_NAME}`) {
      res.writeHead(200, { 'content-type': 'application/zip' }).end(archive);
      return;
    }
    if (req.url === `/v${VERSION}/SHASUMS256.txt`) {
      const sum =
        mirror.checksum === 'right'
          ? createHash('sha256').update(archive).digest('hex')
          : '0'.repeat(64);
      res.writeHead(200).end(`${sum} *${ZIP_NAME}\n`);
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return Object.assign(mirror, {
    url: `http://127.0.0.1:${port}/`,
    requests,
    close: () => new Promise<void>((done) => server.close(() => done())),
  });
}

/** Hard-links a tree (files shared, folders and symlinks new), like `cp -al`. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    const source = join(from, name);
    const target = join(to, name);
    const stat = lstatSync(source);
    if (stat.isSymbolicLink()) {
      symlinkSync(readlinkSync(source), target);
    } else if (stat.isDirectory()) {
      linkTree(source, target);
    } else {
      linkSync(source, target);
    }
  }
}

/** A copy of the project that can be installed and started without touching this checkout. */
function copyProject(dir: string): void {
  for (const name of [
    'package.json',
    'package-lock.json',
    '.npmrc',
    'electron.vite.config.ts',
    'svelte.config.js',
    ...readdirSync(REPO).filter((name) => /^tsconfig.*\.json$/.test(name)),
  ]) {
    cpSync(join(REPO, name), join(dir, name));
  }
  for (const folder of ['src-main', 'src-renderer', 'scripts', 'resources']) {
    cpSync(join(REPO, folder), join(dir, folder), { recursive: true });
  }
  linkTree(join(REPO, 'node_modules'), join(dir, 'node_modules'));
  // Files written in place must not be shared with this checkout: npm rewrites its hidden
  // lockfile, Electron's installer writes path.txt and dist/ into the electron package.
  for (const own of ['.package-lock.json', 'electron']) {
    rmSync(join(dir, 'node_modules', own), { recursive: true, force: true });
    cpSync(join(REPO, 'node_modules', own), join(dir, 'node_modules', own), {
      recursive: true,
      filter: (src) => !/[/\\]electron[/\\](dist|path\.txt)/.test(src),
    });
  }
}

/** A loopback port nothing listens on (bound, then closed). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

interface Run {
  code: number | null;
  output: string;
}

/** Runs a shell command line in the project copy (the README's commands, as a user types them). */
function sh(dir: string, line: string, env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn('sh', ['-c', line], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

describe('npm install && npm start on a machine without Electron', () => {
  let dir = '';
  let mirror: Mirror;
  let record = '';
  let env: NodeJS.ProcessEnv = {};

  beforeAll(async () => {
    dir = tempDir('first-run');
    copyProject(dir);
    record = join(dir, 'placeholder-argv.txt');
    const binary = platform() === 'darwin' ? 'Electron.app/Contents/MacOS/Electron' : 'electron';
    mirror = await startMirror(
      zip([
        { name: binary, data: PLACEHOLDER, mode: 0o755 },
        { name: 'version', data: `v${VERSION}` },
        { name: 'PLACEHOLDER-NOT-ELECTRON.txt', data: 'Nothing here is Electron.\n' },
      ]),
    );
    const base = { ...process.env };
    for (const name of [
      'ELECTRON_SKIP_BINARY_DOWNLOAD',
      'ELECTRON_EXEC_PATH',
      'ELECTRON_OVERRIDE_DIST_PATH',
    ]) {
      delete base[name];
    }
    env = {
      ...base,
      ELECTRON_MIRROR: mirror.url,
      electron_use_remote_checksums: '1',
      electron_config_cache: join(dir, 'electron-cache'),
      FIRST_RUN_RECORD: record,
      npm_config_audit: 'false',
      npm_config_fund: 'false',
      npm_config_update_notifier: 'false',
    };
  }, 120_000);

  afterAll(async () => {
    await mirror?.close();
    removeTempDirs();
  });

  const installed = (): boolean => existsSync(join(dir, 'node_modules/electron/path.txt'));

  it('with ELECTRON_SKIP_BINARY_DOWNLOAD=1, npm install downloads nothing and npm start says how to fix it', async () => {
    const skip = { ...env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1' };
    const install = await sh(dir, 'npm install --offline', skip);
    expect(install.code, install.output).toBe(0);
    expect(install.output).toContain(
      'Electron binary not downloaded: ELECTRON_SKIP_BINARY_DOWNLOAD is set.',
    );
    const start = await sh(dir, 'npm start', skip);
    expect(start.code).not.toBe(0);
    expect(start.output).toContain('ELECTRON_SKIP_BINARY_DOWNLOAD is set');
    expect(start.output).toMatch(/Unset it .* and run `npm start` again/s);
    expect(start.output).not.toContain('Electron uninstall');
    expect(mirror.requests).toEqual([]);
    expect(installed()).toBe(false);
    expect(existsSync(record)).toBe(false);
  });

  it('an unreachable download ends in a plain message naming the fixes, and nothing starts', async () => {
    const offline = { ...env, ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/` };
    const start = await sh(dir, 'npm start', offline);
    expect(start.code).not.toBe(0);
    expect(start.output).toContain(`Could not download Electron ${VERSION} (`);
    expect(start.output).toMatch(/cannot reach 127\.0\.0\.1:\d+: the connection was refused/);
    for (const fix of ['Offline?', 'HTTPS_PROXY', 'ELECTRON_MIRROR', 'ELECTRON_EXEC_PATH']) {
      expect(start.output).toContain(fix);
    }
    expect(start.output).not.toContain('Electron uninstall');
    expect(installed()).toBe(false);
    expect(existsSync(record)).toBe(false);
  });

  it('a download whose checksum does not match is refused', async () => {
    mirror.checksum = 'wrong';
    const start = await sh(dir, 'npm start', env);
    mirror.checksum = 'right';
    expect(start.code).not.toBe(0);
    expect(start.output).toContain(`Could not download Electron ${VERSION} (`);
    expect(start.output).toMatch(/checksum|sha256/i);
    expect(installed()).toBe(false);
    expect(existsSync(record)).toBe(false);
  });

  it('npm install downloads and unpacks Electron; npm start builds the app and launches it', async () => {
    mirror.requests.length = 0;
    const install = await sh(dir, 'npm install --offline', env);
    expect(install.code, install.output).toBe(0);
    expect(install.output).toContain(`Electron ${VERSION} is ready.`);
    expect(mirror.requests).toEqual([`/v${VERSION}/${ZIP_NAME}`, `/v${VERSION}/SHASUMS256.txt`]);
    expect(installed()).toBe(true);
    expect(lstatSync(join(dir, 'node_modules/electron/dist/electron')).mode & 0o111).not.toBe(0);

    const start = await sh(dir, 'npm start', env);
    expect(start.code, start.output).toBe(0);
    expect(start.output).not.toContain('Downloading Electron'); // already there
    const [appArg, ...rest] = readFileSync(record, 'utf8').trim().split('\n');
    expect(appArg).toBe('.');
    expect(rest.at(-1)).toBe(`cwd=${dir}`);
    // '.' is the project, whose package.json main is the main bundle npm start just built.
    const main = (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { main: string })
      .main;
    expect(existsSync(join(dir, main))).toBe(true);
    expect(existsSync(join(dir, 'out/preload/index.cjs'))).toBe(true);
    expect(existsSync(join(dir, 'out/renderer/index.html'))).toBe(true);
  });
});
