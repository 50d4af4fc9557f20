// Run by keychain.test.ts inside `dbus-run-session` with an unlocked gnome-keyring (mode
// "keychain"), or with no session bus at all (mode "no-bus"). Exercises the real KeytarStore
// and chooseSecretStore, then the real account handlers with settings in SOFTPHONE_USER_DATA.
// Mode "stalled" then stops the keyring daemon (SIGSTOP: it keeps its bus name and answers
// nothing, like a keychain waiting on an unseen unlock prompt) and checks that reading and the
// start-up probe end within their bounds, and that the password is read again once it answers.
// Asserts with node:assert and prints one JSON line with what it saw.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_ACCOUNT, type AccountSettings } from '@shared/settings-types';
import { chooseSecretStore, type ChosenStore } from '../../../src-main/credentials/choose-store';
import type { SafeStorageLike } from '../../../src-main/credentials/safe-storage-store';
import {
  KEYCHAIN_SERVICE,
  KeytarStore,
  secretKey,
  type KeytarLike,
} from '../../../src-main/credentials/secret-store';
import { createHandlers } from '../../../src-main/ipc/handlers';
import { createIpcRouter } from '../../../src-main/ipc/router';
import { SettingsStore } from '../../../src-main/settings/settings-store';
import { recordingPorts } from '../../support/shell-ports';

const mode = process.argv[2];
const userData = process.env.SOFTPHONE_USER_DATA ?? '';
const secrets = JSON.parse(process.env.SOFTPHONE_TEST_SECRETS ?? '[]') as string[];
assert.ok(
  mode === 'keychain' || mode === 'no-bus' || mode === 'stalled',
  `unknown mode ${String(mode)}`,
);
assert.ok(userData && secrets.length >= 4, 'SOFTPHONE_USER_DATA and four secrets are required');
const [pw1 = '', pw2 = '', pw3 = '', pw1b = ''] = secrets;

// Electron's safeStorage on Linux without a keyring: encryption "available" with a hard-coded key.
const basicText: SafeStorageLike = {
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from(s, 'utf8'),
  decryptString: (b) => b.toString('utf8'),
  getSelectedStorageBackend: () => 'basic_text',
};

async function loadKeytar(): Promise<KeytarLike> {
  return (await import('keytar')).default;
}

function account(id: string): AccountSettings {
  return {
    ...DEFAULT_ACCOUNT,
    id,
    label: `Account ${id}`,
    websocketUri: 'wss://pbx.example.com/ws',
    sipUri: `sip:${id}@pbx.example.com`,
  };
}

async function exerciseKeytarStore(): Promise<void> {
  const store = new KeytarStore(await loadKeytar());
  const keys = ['sip:k1', 'sip:k2', 'turn:k1'];
  await store.set(keys[0] ?? '', pw1);
  await store.set(keys[1] ?? '', pw2);
  await store.set(keys[2] ?? '', pw3);
  assert.equal(await store.get('sip:k1'), pw1);
  assert.equal(await store.get('sip:k2'), pw2);
  assert.equal(await store.get('turn:k1'), pw3);
  await store.set('sip:k1', pw1b);
  assert.equal(await store.get('sip:k1'), pw1b, 'update replaces the secret');
  await store.delete('sip:k2');
  assert.equal(await store.get('sip:k2'), null, 'delete removes the secret');
  assert.equal(await store.get('sip:k1'), pw1b, 'other accounts are untouched');
  await store.delete('sip:k2');
  await store.delete('sip:k1');
  await store.delete('turn:k1');
  assert.equal(await store.get('turn:k1'), null);
}

/** chooseSecretStore as the app calls it at start, on Linux with basic_text safeStorage. */
function choose(logs: string[], probeWaitMs?: number): ReturnType<typeof chooseSecretStore> {
  return chooseSecretStore({
    loadKeytar,
    safeStorage: basicText,
    platform: 'linux',
    safeStorageFile: join(userData, 'secrets.enc.json'),
    log: (t) => logs.push(t),
    ...(probeWaitMs === undefined ? {} : { probeWaitMs }),
  });
}

/** The account handlers behind the IPC router, with settings in SOFTPHONE_USER_DATA. */
async function routerFor(
  secrets: ChosenStore,
  keychainWaitMs?: number,
): Promise<ReturnType<typeof createIpcRouter>> {
  const settings = new SettingsStore(userData);
  await settings.load();
  return createIpcRouter(
    createHandlers({
      settings,
      secrets,
      settingsNotices: [],
      version: 'test',
      platform: 'linux',
      shell: recordingPorts(),
      ...(keychainWaitMs === undefined ? {} : { keychainWaitMs }),
    }),
    () => true,
  );
}

/** The process that owns org.freedesktop.secrets on this session bus (the keyring daemon). */
function secretServicePid(): number {
  const out = execFileSync('gdbus', [
    'call',
    '--session',
    '--dest',
    'org.freedesktop.DBus',
    '--object-path',
    '/org/freedesktop/DBus',
    '--method',
    'org.freedesktop.DBus.GetConnectionUnixProcessID',
    'org.freedesktop.secrets',
  ]).toString();
  const pid = Number(/\(uint32 (\d+),\)/.exec(out)?.[1]);
  assert.ok(pid > 0, `no pid in ${out}`);
  return pid;
}

// The keyring stops answering: a read and the start-up probe end within their (short, here)
// bounds with the user's sentence; once it answers again, the password is read.
async function stalled(
  call: (channel: string, payload: unknown) => Promise<unknown>,
  logs: string[],
): Promise<string> {
  await call('accounts/save', { account: account('s1'), secret: pw1, turnCredential: null });
  const waitMs = 2000;
  const short = await routerFor(
    { store: new KeytarStore(await loadKeytar()), info: { backend: 'keychain', message: null } },
    waitMs,
  );
  const daemon = secretServicePid();
  process.kill(daemon, 'SIGSTOP');
  let error: string;
  try {
    const reply = await short.dispatch(
      'accounts/get-credentials',
      { id: 's1' },
      { url: 'app://softphone/index.html' },
    );
    assert.ok(!reply.ok, 'a stopped keyring cannot have answered');
    error = reply.error;
    const probe = await choose(logs, waitMs);
    assert.equal(probe.info.backend, 'keychain', 'a keychain that is slow is still the keychain');
  } finally {
    process.kill(daemon, 'SIGCONT');
  }
  assert.deepEqual(await call('accounts/get-credentials', { id: 's1' }), {
    accountId: 's1',
    secret: pw1,
    turnCredential: null,
  });
  await call('accounts/delete', { id: 's1' });
  return error;
}

async function main(): Promise<void> {
  const logs: string[] = [];
  const chosen = await choose(logs);
  if (mode === 'keychain' || mode === 'stalled') {
    await exerciseKeytarStore();
  }
  const router = await routerFor(chosen);
  const sender = { url: 'app://softphone/index.html' };
  const call = async (channel: string, payload: unknown): Promise<unknown> => {
    const reply = await router.dispatch(channel, payload, sender);
    assert.ok(reply.ok, `${channel}: ${reply.ok ? '' : reply.error}`);
    return reply.value;
  };
  if (mode === 'stalled') {
    const stalledError = await stalled(call, logs);
    process.stdout.write(
      `${JSON.stringify({ backend: chosen.info.backend, message: stalledError, remaining: [], logs })}\n`,
    );
    return;
  }
  for (const [id, pw] of [
    ['a1', pw1],
    ['a2', pw2],
    ['a3', pw3],
  ] as const) {
    await call('accounts/save', { account: account(id), secret: pw, turnCredential: null });
  }
  await call('accounts/save', { account: account('a1'), secret: pw1b, turnCredential: pw3 });
  assert.deepEqual(await call('accounts/get-credentials', { id: 'a1' }), {
    accountId: 'a1',
    secret: pw1b,
    turnCredential: pw3,
  });
  assert.deepEqual(await call('accounts/get-credentials', { id: 'a2' }), {
    accountId: 'a2',
    secret: pw2,
    turnCredential: null,
  });
  await call('accounts/delete', { id: 'a2' });
  assert.equal(await chosen.store.get(secretKey('a2', 'sip')), null);
  let remaining: string[] = [];
  if (chosen.info.backend === 'keychain') {
    const found = await (await import('keytar')).default.findCredentials(KEYCHAIN_SERVICE);
    remaining = found.map((c) => c.account).sort();
  }
  process.stdout.write(
    `${JSON.stringify({ backend: chosen.info.backend, message: chosen.info.message, remaining, logs })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
