// The main-process recording writer on real files in a temp folder: WAV header sizes follow
// the data at every flush, a header that was never patched (crash) still decodes and is
// repaired at the next start, WebM chunks are appended in order, names never overwrite, the
// app's own folders are refused, out-of-order or torn chunks stop the recording with a reason,
// and the list/delete/reveal answers go through the real IPC router with schema checks.
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_RECORDING_CHUNK_BYTES } from '@shared/ipc-contract';
import { invokeSchemas } from '@shared/ipc-schemas';
import { createIpcRouter, type Handlers } from '../../../src-main/ipc/router';
import { createRecordingHandlers } from '../../../src-main/recording/recording-handlers';
import { forbiddenFolders, refuseFolder } from '../../../src-main/recording/folder-policy';
import { RecordingService } from '../../../src-main/recording/recording-service';
import { SettingsStore } from '../../../src-main/settings/settings-store';
import { readWav, toneAmplitude } from '../../support/wav';
import { serviceRig, startRequest, STEREO, tonePcm, type ServiceRig } from './support';

const rigs: ServiceRig[] = [];
function rig(options: Parameters<typeof serviceRig>[0] = {}): ServiceRig {
  const r = serviceRig(options);
  rigs.push(r);
  return r;
}
afterEach(() => {
  for (const r of rigs.splice(0)) {
    rmSync(r.root, { recursive: true, force: true });
  }
});

const header = (path: string): { riff: number; data: number; size: number } => {
  const bytes = readFileSync(path);
  return { riff: bytes.readUInt32LE(4), data: bytes.readUInt32LE(40), size: bytes.length };
};

describe('WAV recordings', () => {
  it('writes a valid stereo WAV whose header sizes follow each flush; both tones decode', async () => {
    const { service } = rig();
    const started = await service.start(startRequest());
    expect(started.fileName).toBe('outgoing Alice.wav');
    expect(header(started.path)).toEqual({ riff: 36, data: 0, size: 44 });
    await service.append(started.id, 0, tonePcm(STEREO, [440, 1000], 0.5));
    await service.flush(started.id);
    expect(header(started.path)).toEqual({ riff: 36 + 96_000, data: 96_000, size: 44 + 96_000 });
    await service.append(started.id, 1, tonePcm(STEREO, [440, 1000], 0.5, 24_000));
    const entry = await service.stop(started.id);
    expect(entry).toMatchObject({ state: 'done', bytes: 44 + 192_000, durationMs: 1000 });
    const wav = readWav(started.path);
    expect(wav).toMatchObject({ sampleRate: 48000, channels: 2, durationSec: 1 });
    const [left, right] = wav.channelData as [Float32Array, Float32Array];
    expect(toneAmplitude(left, 48000, 440)).toBeGreaterThan(0.45);
    expect(toneAmplitude(left, 48000, 1000)).toBeLessThan(0.01);
    expect(toneAmplitude(right, 48000, 1000)).toBeGreaterThan(0.45);
  });

  it('after a crash the stale header still decodes (up to the last flush) and the next start repairs it', async () => {
    const first = rig();
    const started = await first.service.start(startRequest());
    await first.service.append(started.id, 0, tonePcm(STEREO, [440, 440], 1));
    await first.service.flush(started.id);
    await first.service.append(started.id, 1, tonePcm(STEREO, [440, 440], 1));
    // A torn last frame, as a power cut mid-write leaves.
    writeFileSync(started.path, Buffer.from([1, 2, 3]), { flag: 'a' });
    // The app dies here: no stop(), no close().
    expect(readWav(started.path).durationSec).toBe(1);
    const second = new RecordingService({
      indexPath: join(first.userData, 'recordings.json'),
      settings: () => first.settings,
      accountLabel: () => '',
      defaultFolder: () => first.folder,
      forbidden: [],
      platform: process.platform,
      notifyFailure: () => {},
    });
    const notices = await second.load();
    expect(notices).toEqual([
      'The recording "outgoing Alice.wav" was interrupted when the app stopped; the part recorded until then was kept.',
    ]);
    expect(header(started.path)).toEqual({ riff: 36 + 384_000, data: 384_000, size: 44 + 384_000 });
    expect(readWav(started.path).durationSec).toBe(2);
    const [entry] = await second.list();
    expect(entry).toMatchObject({ state: 'interrupted', durationMs: 2000, exists: true });
  });

  it('refuses chunks that are out of order or not whole frames, and stops the recording with the reason', async () => {
    const { service, failures } = rig();
    const a = await service.start(startRequest());
    await service.append(a.id, 0, tonePcm(STEREO, [440, 440], 0.1));
    await expect(service.append(a.id, 2, tonePcm(STEREO, [440, 440], 0.1))).rejects.toThrow(
      /went missing \(piece 2 arrived where piece 1 was expected\)/,
    );
    await expect(service.append(a.id, 1, new Uint8Array(4))).rejects.toThrow(/has already stopped/);
    const b = await service.start(startRequest());
    await expect(service.append(b.id, 0, new Uint8Array(3))).rejects.toThrow(/whole frames/);
    // Each recording main stopped is reported once, with the sentence the chunk reply had.
    expect(failures.map((f) => f.id)).toEqual([a.id, b.id]);
    expect(failures[0]?.message).toMatch(/went missing .* Recording stopped/);
    expect(readWav(a.path).durationSec).toBeCloseTo(0.1, 5);
    expect((await service.entry(a.id)).state).toBe('failed');
  });
});

describe('WebM recordings and names', () => {
  it('appends chunks byte for byte, in order', async () => {
    const { service } = rig();
    const started = await service.start(startRequest({ format: 'webm', pcm: null }));
    expect(started.fileName).toBe('outgoing Alice.webm');
    const parts = [Uint8Array.of(0x1a, 0x45, 0xdf, 0xa3), Uint8Array.of(1, 2, 3), Uint8Array.of(9)];
    for (const [seq, part] of parts.entries()) {
      await service.append(started.id, seq, part);
    }
    await service.pause(started.id);
    await service.resume(started.id);
    const entry = await service.stop(started.id);
    expect([...readFileSync(started.path)]).toEqual(parts.flatMap((p) => [...p]));
    expect(entry).toMatchObject({ state: 'done', bytes: 8, format: 'webm' });
  });

  it('never overwrites: the same name gets (2), (3); a hostile party stays inside the folder', async () => {
    const { service, folder } = rig();
    await mkdir(folder, { recursive: true });
    writeFileSync(join(folder, 'outgoing Alice.wav'), 'precious');
    const a = await service.start(startRequest());
    const b = await service.start(startRequest());
    expect([a.fileName, b.fileName]).toEqual(['outgoing Alice (2).wav', 'outgoing Alice (3).wav']);
    expect(readFileSync(join(folder, 'outgoing Alice.wav'), 'utf8')).toBe('precious');
    const evil = await service.start(startRequest({ party: '../../escape\u202E' }));
    expect(evil.path).toBe(join(folder, 'outgoing .._.._escape.wav'));
    await Promise.all([a, b, evil].map((r) => service.stop(r.id)));
  });

  it('creates the default folder when none is chosen', async () => {
    const r = rig();
    r.settings = { ...r.settings, folder: null };
    const started = await r.service.start(startRequest());
    expect(started.path).toContain(join('default-music', 'Open Softphone recordings'));
    await r.service.stop(started.id);
    expect(existsSync(started.path)).toBe(true);
  });

  it('refuses a folder inside the app (resources, install folder, a macOS bundle)', async () => {
    const app = '/Applications/Open Softphone.app/Contents/MacOS/Open Softphone';
    const forbidden = forbiddenFolders({
      appPath: '/Applications/Open Softphone.app/Contents/Resources/app.asar',
      resourcesPath: '/Applications/Open Softphone.app/Contents/Resources',
      execPath: app,
      platform: 'darwin',
    });
    expect(forbidden).toContain('/Applications/Open Softphone.app');
    expect(
      await refuseFolder('/applications/open softphone.app/Contents/x', forbidden, 'darwin'),
    ).toMatch(/cannot be kept inside the app's own folder/);
    expect(await refuseFolder('/Users/me/Music', forbidden, 'darwin')).toBeNull();
    expect(await refuseFolder('relative/folder', forbidden, 'linux')).toMatch(/full path/);
    const r = rig();
    const inside = rig({ folder: join(r.folder, 'resources', 'sub'), forbidden: [r.folder] });
    await expect(inside.service.start(startRequest())).rejects.toThrow(/app's own folder/);
  });
});

describe('recording IPC', () => {
  it('validates chunks: bytes only, not empty, at most 1 MiB; start needs a PCM layout for WAV', () => {
    const schema = invokeSchemas['recording/chunk'];
    const id = '0b5c8a3e-7d1f-4c47-9a51-3f0b9d8c1e2a';
    expect(schema.safeParse({ id, seq: 0, data: new Uint8Array(10) }).success).toBe(true);
    expect(schema.safeParse({ id, seq: 0, data: [1, 2, 3] }).success).toBe(false);
    expect(schema.safeParse({ id, seq: 0, data: { 0: 1, length: 1 } }).success).toBe(false);
    expect(schema.safeParse({ id, seq: 0, data: new Uint8Array(0) }).success).toBe(false);
    const big = new Uint8Array(MAX_RECORDING_CHUNK_BYTES + 1);
    expect(schema.safeParse({ id, seq: 0, data: big }).success).toBe(false);
    expect(schema.safeParse({ id: '../x', seq: 0, data: new Uint8Array(1) }).success).toBe(false);
    const start = invokeSchemas['recording/start'];
    expect(start.safeParse(startRequest()).success).toBe(true);
    expect(start.safeParse(startRequest({ pcm: null })).success).toBe(false);
    expect(start.safeParse(startRequest({ format: 'webm' })).success).toBe(false);
  });

  it('lists, reveals and deletes recordings by id only, through the router', async () => {
    const r = rig();
    const revealed: string[] = [];
    const removed: string[] = [];
    const settings = new SettingsStore(r.userData);
    await settings.update({ recording: r.settings });
    const handlers = createRecordingHandlers({
      service: r.service,
      settings,
      defaultFolder: () => r.folder,
      forbidden: [],
      platform: process.platform,
      desktop: {
        chooseFolder: async () => null,
        chooseAudioFile: async () => null,
        reveal: (path) => revealed.push(path),
        removeFile: async (path) => {
          removed.push(path);
          rmSync(path);
        },
      },
    });
    // Only the recording channels are answered here; the others are not part of this test.
    const router = createIpcRouter(handlers as unknown as Handlers, () => true);
    const send = (channel: string, payload: unknown) =>
      router.dispatch(channel, payload, { url: 'x' });
    const started = await send('recording/start', startRequest());
    expect(started.ok).toBe(true);
    const { id, path } = (started as { value: { id: string; path: string } }).value;
    expect(await send('recording/chunk', { id, seq: 0, data: [0, 0, 0, 0] })).toMatchObject({
      ok: false,
      error: expect.stringContaining('must be bytes'),
    });
    expect(
      await send('recording/chunk', { id, seq: 0, data: tonePcm(STEREO, [1, 1], 0.01) }),
    ).toEqual({
      ok: true,
      value: null,
    });
    expect(await send('recording/delete', { id })).toEqual({
      ok: false,
      error: 'Stop the recording before deleting it.',
    });
    expect(await send('recording/stop', { id })).toMatchObject({
      ok: true,
      value: { state: 'done' },
    });
    expect(await send('recording/list', null)).toMatchObject({
      ok: true,
      value: [{ id, exists: true }],
    });
    expect(await send('recording/reveal', { id })).toEqual({ ok: true, value: null });
    expect(revealed).toEqual([path]);
    expect(await send('recording/delete', { id })).toEqual({ ok: true, value: null });
    expect(removed).toEqual([path]);
    expect(statSync(r.folder).isDirectory()).toBe(true);
    expect(await send('recording/list', null)).toEqual({ ok: true, value: [] });
    expect(await send('recording/reveal', { id })).toEqual({
      ok: false,
      error: 'That recording is not known.',
    });
  });
});
