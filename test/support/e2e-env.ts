// Shared e2e wiring: the served renderer build, tone files for the fake microphones, and
// browsers that are always closed. Requires `npm run build` first (npm test does it).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { launchPhoneBrowser } from './chromium';
import { RENDERER_DIR, serveStatic, type StaticServer } from './static-server';
import { writeToneWav } from './wav';
import type { Lab, LabAccount } from '../lab/lab';
import type { PhonePage } from './phone-page';

export interface E2eEnv {
  readonly server: StaticServer;
  /** A browser whose microphone plays a steady tone of `freq` Hz (launched once per frequency). */
  browser(freq: number): Promise<Browser>;
  readonly dir: string;
}

/** Starts the renderer server before the file's tests; closes browsers and server after. */
export function useE2eEnv(): E2eEnv {
  let server: StaticServer | undefined;
  const browsers = new Map<number, Promise<Browser>>();
  const dir = mkdtempSync(join(tmpdir(), 'softphone-tones-'));
  beforeAll(async () => {
    if (!existsSync(join(RENDERER_DIR, 'index.html'))) {
      throw new Error(`No renderer build in ${RENDERER_DIR}: run "npm run build" first.`);
    }
    server = await serveStatic();
  });
  afterAll(async () => {
    for (const browser of browsers.values()) {
      await (await browser).close();
    }
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    get server(): StaticServer {
      if (!server) {
        throw new Error('e2e env not started');
      }
      return server;
    },
    browser(freq: number): Promise<Browser> {
      let browser = browsers.get(freq);
      if (!browser) {
        const wav = join(dir, `tone-${freq}.wav`);
        writeToneWav(wav, { freq, seconds: 10, amplitude: 0.5 });
        browser = launchPhoneBrowser({ microphoneWav: wav });
        browsers.set(freq, browser);
      }
      return browser;
    },
    dir,
  };
}

/** Seeds a lab account into a phone through the real accounts/save handler, then reloads it. */
export async function signIn(
  phone: PhonePage,
  account: LabAccount,
  password = account.password,
  wsUrl = account.wsUrl,
): Promise<void> {
  await phone.bridge.seedAccount(
    { label: `${account.user}@${account.domain}`, websocketUri: wsUrl, sipUri: account.uri },
    password,
  );
  await phone.page.reload();
}

/** Asserts a frequency is within `tolerance` Hz of `expected`. */
export function near(actual: number, expected: number, tolerance = 15): boolean {
  return Math.abs(actual - expected) <= tolerance;
}

/** Signs each phone in as its lab user and waits until all are registered. */
export async function registerAll(lab: Lab, ...phones: [PhonePage, string][]): Promise<void> {
  for (const [phone, user] of phones) {
    await signIn(phone, lab.account(user));
  }
  for (const [phone] of phones) {
    await phone.waitForRegistration('registered');
  }
}

/** `caller` dials `dial`, `callee` answers; resolves once the caller is in the call. */
export async function connect(caller: PhonePage, callee: PhonePage, dial: string): Promise<void> {
  await caller.dial(dial);
  await callee.waitForIncoming();
  await callee.answer();
  await caller.waitForCallStatus('active');
}

/**
 * Runs the file's tests as in an X11 session: main picks its hotkey refusal sentences by session
 * type, and the tests' fake globalShortcut is an X11 one. The variable is put back afterwards.
 */
export function useX11Session(): void {
  const sessionType = process.env.XDG_SESSION_TYPE;
  beforeAll(() => {
    process.env.XDG_SESSION_TYPE = 'x11';
  });
  afterAll(() => {
    if (sessionType === undefined) {
      delete process.env.XDG_SESSION_TYPE;
    } else {
      process.env.XDG_SESSION_TYPE = sessionType;
    }
  });
}
