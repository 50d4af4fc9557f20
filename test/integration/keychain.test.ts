// The credential store against a REAL gnome-keyring (DESIGN.md §5): a script runs inside
// `dbus-run-session` with an unlocked keyring and exercises KeytarStore and the account
// handlers (store, read, update, delete, several accounts); the same script without a session
// bus must fall back to session-only memory (safeStorage's basic_text refused); the keyring
// daemon stopped (SIGSTOP) must not hold a read or start-up past their bounds. Afterwards no
// file in the temporary home or user data folder contains any of the passwords.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPT = resolve(import.meta.dirname, 'keychain/keychain-script.ts');
const home = mkdtempSync(join(tmpdir(), 'softphone-keyring-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

const secrets = Array.from({ length: 4 }, () => `pw-${randomBytes(12).toString('hex')}`);

interface ScriptResult {
  backend: string;
  message: string | null;
  remaining: string[];
  logs: string[];
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<ScriptResult> {
  return new Promise((done, fail) => {
    execFile(command, args, { cwd: ROOT, env, timeout: 45_000 }, (error, stdout, stderr) => {
      if (error) {
        fail(new Error(`${command} failed: ${error.message}\n${stderr}`));
        return;
      }
      const last = stdout.trim().split('\n').at(-1) ?? '';
      done(JSON.parse(last) as ScriptResult);
    });
  });
}

/** A minimal environment: no inherited session bus, display or keyring sockets. */
function baseEnv(name: string): NodeJS.ProcessEnv {
  const dir = join(home, name);
  const runtime = join(dir, 'run');
  mkdirSync(runtime, { recursive: true, mode: 0o700 });
  return {
    PATH: process.env.PATH,
    HOME: dir,
    XDG_DATA_HOME: join(dir, 'data'),
    XDG_CONFIG_HOME: join(dir, 'config'),
    XDG_RUNTIME_DIR: runtime,
    TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.node.json'),
    SOFTPHONE_USER_DATA: join(dir, 'userData'),
    SOFTPHONE_TEST_SECRETS: JSON.stringify(secrets),
  };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      return filesUnder(path);
    }
    return entry.isFile() ? [path] : [];
  });
}

describe('credentials in the real gnome-keyring', () => {
  it('stores, reads, updates and deletes secrets of several accounts (keychain backend)', async () => {
    const env = baseEnv('keychain');
    const inner =
      'printf %s "$KEYRING_PW" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && ' +
      `exec node --import tsx ${JSON.stringify(SCRIPT)} keychain`;
    const result = await run('dbus-run-session', ['--', 'sh', '-c', inner], {
      ...env,
      KEYRING_PW: 'keyring-unlock-pw',
    });
    expect(result.backend).toBe('keychain');
    expect(result.message).toBeNull();
    // a2 was deleted with its account; a1's TURN credential and a3 remain.
    expect(result.remaining).toEqual(['sip:a1', 'sip:a3', 'turn:a1']);
    const keyrings = readdirSync(join(env.XDG_DATA_HOME ?? '', 'keyrings'));
    expect(keyrings.some((f) => f.endsWith('.keyring'))).toBe(true);
  });

  it('gives up on a keyring that does not answer, with a sentence, and reads again once it does', async () => {
    const env = baseEnv('stalled');
    const inner =
      'printf %s "$KEYRING_PW" | gnome-keyring-daemon --unlock --components=secrets >/dev/null && ' +
      `exec node --import tsx ${JSON.stringify(SCRIPT)} stalled`;
    const result = await run('dbus-run-session', ['--', 'sh', '-c', inner], {
      ...env,
      KEYRING_PW: 'keyring-unlock-pw',
    });
    expect(result.backend).toBe('keychain');
    // The script's "message" is the stalled read's answer to the window.
    expect(result.message).toBe(
      'The system keychain did not answer within 2 seconds. It may be locked and asking for its ' +
        'password in another window: unlock it and try again.',
    );
    expect(result.logs.join(' ')).toMatch(/did not answer its probe within 2000 ms/);
  });

  it('falls back to session-only memory without a session bus (basic_text refused)', async () => {
    const env = baseEnv('no-bus');
    expect(env.DBUS_SESSION_BUS_ADDRESS).toBeUndefined();
    const result = await run('node', ['--import', 'tsx', SCRIPT, 'no-bus'], env);
    expect(result.backend).toBe('session');
    expect(result.message).toMatch(/kept only until you quit/);
    expect(result.logs.join(' ')).toMatch(/keychain unavailable/);
  });

  it('leaves no password in any file (settings, backups, keyring, home)', () => {
    const files = filesUnder(home);
    expect(files.some((f) => f.endsWith('settings.json'))).toBe(true);
    for (const file of files) {
      if (statSync(file).size > 50_000_000) {
        continue;
      }
      const bytes = readFileSync(file);
      for (const secret of secrets) {
        expect(bytes.includes(secret), `${secret} found in ${file}`).toBe(false);
        expect(
          bytes.includes(Buffer.from(secret, 'utf16le')),
          `${secret} (UTF-16) in ${file}`,
        ).toBe(false);
      }
    }
  });
});
