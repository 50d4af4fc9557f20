// The recording writer against real failing file systems (needs root, as CI runs): a 64 KiB
// tmpfs that fills up mid-recording (ENOSPC), a folder removed while recording, an immutable
// folder (EPERM, even for root) and a read-only mount (EROFS). Each time the recording stops
// with a plain sentence sent to the renderer, and what was written before stays a valid WAV.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readWav, toneAmplitude } from '../support/wav';
import { serviceRig, startRequest, STEREO, tonePcm } from '../unit/recording/support';

const root = mkdtempSync(join(tmpdir(), 'softphone-rec-disk-'));
const mounts: string[] = [];
const immutable: string[] = [];

function mountTmpfs(name: string, options: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  mounts.push(dir);
  return dir;
}

beforeAll(() => {
  if (process.getuid?.() !== 0) {
    throw new Error(
      'These tests mount a tiny tmpfs and set chattr +i: run them as root (CI does).',
    );
  }
});

afterAll(() => {
  for (const dir of immutable) {
    execFileSync('chattr', ['-i', dir]);
  }
  for (const dir of mounts) {
    execFileSync('umount', [dir]);
  }
  rmSync(root, { recursive: true, force: true });
});

describe('recording on a failing disk', () => {
  it('disk full: stops with a message, tells the renderer, and the part written is a valid WAV', async () => {
    const folder = mountTmpfs('full', 'size=64k');
    const rig = serviceRig({ root, folder });
    const started = await rig.service.start(startRequest());
    const tenth = 0.1;
    let seq = 0;
    let error: unknown = null;
    // 64 KiB holds ~0.34 s of 48 kHz stereo; the loop is bounded well past that.
    while (error === null && seq < 50) {
      try {
        await rig.service.append(started.id, seq, tonePcm(STEREO, [440, 1000], tenth, seq * 4800));
        seq += 1;
      } catch (e: unknown) {
        error = e;
      }
    }
    expect(String(error)).toMatch(/is full, so recording stopped\. The call goes on/);
    expect(rig.failures).toEqual([{ id: started.id, message: (error as Error).message }]);
    const bytes = readFileSync(started.path);
    expect(bytes.readUInt32LE(40)).toBe(bytes.length - 44);
    expect(bytes.readUInt32LE(4)).toBe(bytes.length - 8);
    expect((bytes.length - 44) % 4).toBe(0);
    const wav = readWav(started.path);
    expect(wav.durationSec).toBeGreaterThan(0.2);
    expect(toneAmplitude(wav.channelData[1]!, 48000, 1000)).toBeGreaterThan(0.4);
    expect(await rig.service.entry(started.id)).toMatchObject({ state: 'failed', exists: true });
    await expect(rig.service.append(started.id, seq + 1, new Uint8Array(4))).rejects.toThrow(
      /already stopped\. The disk .* is full/,
    );
  });

  it('folder removed mid-recording: the next sync notices and stops with a message', async () => {
    const rig = serviceRig({ root, folder: join(root, 'removed', 'recordings') });
    const started = await rig.service.start(startRequest({ format: 'webm', pcm: null }));
    await rig.service.append(started.id, 0, Uint8Array.of(1, 2, 3, 4));
    await rig.service.flush(started.id);
    expect(rig.failures).toEqual([]);
    rmSync(join(root, 'removed'), { recursive: true, force: true });
    // Writes to the open file still succeed on Linux; only the check can tell.
    await rig.service.append(started.id, 1, Uint8Array.of(5));
    await rig.service.flush(started.id);
    expect(rig.failures).toHaveLength(1);
    expect(rig.failures[0]?.message).toMatch(/recordings folder .* is gone: it was removed/);
    expect(await rig.service.entry(started.id)).toMatchObject({ state: 'failed', exists: false });
    await expect(rig.service.start(startRequest())).rejects.toThrow(/is gone/);
  });

  it('no permission (immutable folder, EPERM even for root): refuses to start with a message', async () => {
    const rig = serviceRig({ root, folder: join(root, 'locked') });
    execFileSync('chattr', ['+i', rig.folder]);
    immutable.push(rig.folder);
    await expect(rig.service.start(startRequest())).rejects.toThrow(
      /not allowed to write in the recordings folder/,
    );
  });

  it('read-only disk: refuses to start with a message', async () => {
    const folder = mountTmpfs('readonly', 'size=64k,ro');
    const rig = serviceRig({ root, folder });
    await expect(rig.service.start(startRequest())).rejects.toThrow(/on a read-only disk/);
  });
});
