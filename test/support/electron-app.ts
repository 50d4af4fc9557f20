// Launching the real app in Electron for the Playwright `_electron` specs (test/electron).
// Two targets: the dev binary with the test variant of the app (out-test/, test hooks compiled
// in), or a PACKAGED test build (SOFTPHONE_ELECTRON_APP=<its executable>, made by
// `npm run test:electron:packaged`). Finds the Electron binary WITHOUT calling
// require('electron') when it is missing (that call would try to download it), gives each
// launch its own user data folder, and provides a virtual display on Linux.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication } from 'playwright-core';
import type { AppSettings } from '../../src-main/shared/settings-types';
import type { SoftphoneTestHooks } from '../../src-main/testing/test-hooks';

export const ROOT = resolve(import.meta.dirname, '../..');
export const TEST_MAIN = join(ROOT, 'out-test/main/index.js');

/** What the specs launch: an Electron binary (+ out-test) or a packaged app's executable. */
export interface ElectronTarget {
  path: string;
  packaged: boolean;
}

/** The Electron binary (or the packaged test build), or why there is none. */
export function findElectron(): ElectronTarget | { reason: string } {
  const packagedApp = process.env.SOFTPHONE_ELECTRON_APP;
  if (packagedApp) {
    try {
      accessSync(packagedApp, constants.X_OK);
      return { path: packagedApp, packaged: true };
    } catch {
      return { reason: `SOFTPHONE_ELECTRON_APP=${packagedApp} is not an executable` };
    }
  }
  const pkg = join(ROOT, 'node_modules/electron');
  const pathFile = join(pkg, 'path.txt');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : 'electron';
  const binary = override ? join(override, relative) : join(pkg, 'dist', relative);
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    return {
      reason:
        `no Electron binary at ${binary} (installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1, or the ` +
        'download failed); install it or set ELECTRON_OVERRIDE_DIST_PATH to run these specs',
    };
  }
  // Safe now: the binary exists, so require('electron') only returns its path.
  const reported = createRequire(import.meta.url)('electron') as unknown;
  return { path: typeof reported === 'string' ? reported : binary, packaged: false };
}

/** Builds out-test/ (the app with the test hooks compiled in). */
export function buildTestApp(): void {
  execFileSync('npx', ['electron-vite', 'build'], {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, SOFTPHONE_TEST_HOOKS: '1' },
  });
}

/** A virtual X display when there is none (Linux CI); returns the env to launch with. */
export async function ensureDisplay(): Promise<{ env: NodeJS.ProcessEnv; stop(): void }> {
  if (process.platform !== 'linux' || process.env.DISPLAY) {
    return { env: {}, stop: () => {} };
  }
  // -displayfd: Xvfb picks a free display and writes its number to fd 3 once it accepts clients.
  const xvfb: ChildProcess = spawn(
    'Xvfb',
    ['-displayfd', '3', '-nolisten', 'tcp', '-screen', '0', '1280x800x24'],
    {
      stdio: ['ignore', 'ignore', 'ignore', 'pipe'],
    },
  );
  const display = await new Promise<string>((ready, fail) => {
    let text = '';
    const fd3 = xvfb.stdio[3] as NodeJS.ReadableStream | null;
    fd3?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) {
        ready(`:${text.trim()}`);
      }
    });
    xvfb.once('error', fail);
    xvfb.once('exit', (code) =>
      fail(new Error(`Xvfb exited (${String(code)}) before it was ready`)),
    );
  });
  return { env: { DISPLAY: display }, stop: () => void xvfb.kill('SIGTERM') };
}

/** Writes a settings file into a fresh user data folder. */
export function seedUserData(dir: string, settings: Partial<AppSettings>): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'settings.json'), JSON.stringify({ version: 1, ...settings }, null, 2));
}

export interface LaunchOptions {
  target: ElectronTarget;
  userData: string;
  /** DISPLAY, the session bus and anything else the launch needs. */
  env: NodeJS.ProcessEnv;
  /** Chromium switches for this launch (e.g. fake media devices). */
  switches?: string[];
  /** Arguments after the app (e.g. ['--', 'tel:+15550100']). */
  args?: string[];
}

function chromiumArgs(): string[] {
  // Running as root (containers) requires --no-sandbox for Chromium to start at all.
  return process.getuid?.() === 0 ? ['--no-sandbox'] : [];
}

export function launchEnv(opts: LaunchOptions): NodeJS.ProcessEnv {
  return {
    ...process.env,
    ...opts.env,
    SOFTPHONE_USER_DATA: opts.userData,
    ELECTRON_DISABLE_SECURITY_WARNINGS: undefined,
  };
}

/** The command line: switches, then the app (out-test in dev; built in when packaged), then args. */
export function appArgs(opts: LaunchOptions): string[] {
  const app = opts.target.packaged ? [] : [TEST_MAIN];
  return [...chromiumArgs(), ...(opts.switches ?? []), ...app, ...(opts.args ?? [])];
}

export function launchApp(opts: LaunchOptions): Promise<ElectronApplication> {
  return _electron.launch({
    executablePath: opts.target.path,
    args: appArgs(opts),
    env: launchEnv(opts) as Record<string, string>,
    cwd: ROOT,
    timeout: 60_000,
  });
}

/** Calls a test hook inside the main process. */
export function hook<K extends keyof SoftphoneTestHooks>(
  app: ElectronApplication,
  name: K,
  ...args: Parameters<SoftphoneTestHooks[K]>
): Promise<ReturnType<SoftphoneTestHooks[K]>> {
  return app.evaluate(
    (_electron, [hookName, hookArgs]) => {
      const hooks = (
        globalThis as unknown as { __softphoneTest?: Record<string, (...a: unknown[]) => unknown> }
      ).__softphoneTest;
      if (!hooks) {
        throw new Error('test hooks missing: was out-test built with SOFTPHONE_TEST_HOOKS=1?');
      }
      return hooks[hookName]?.(...hookArgs);
    },
    [name, args] as [string, unknown[]],
  ) as Promise<ReturnType<SoftphoneTestHooks[K]>>;
}

/** Runs a second instance of the app (same user data) and waits for it to exit. */
export function runSecondInstance(opts: LaunchOptions): Promise<number | null> {
  return new Promise((done, fail) => {
    const child = spawn(opts.target.path, appArgs(opts), {
      cwd: ROOT,
      env: launchEnv(opts),
      stdio: 'ignore',
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error('the second instance did not exit: it did not see the first one'));
    }, 30_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      done(code);
    });
  });
}
