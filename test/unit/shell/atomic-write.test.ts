// The one atomic-write helper (issue 11): the new content replaces the old in one rename after
// an fsync, a failure at any step leaves the old file untouched and no temp file behind, and the
// folder is synced where the OS allows it (not on Windows, which cannot open a folder).
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, type AtomicWriteFs } from '../../../src-main/files/atomic-write';

const tmp = mkdtempSync(join(tmpdir(), 'softphone-atomic-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
function folder(): string {
  n += 1;
  return mkdtempSync(join(tmp, `case-${n}-`));
}

/** Real fs calls, recorded in order; `fail` makes one step throw. */
function recordingFs(fail?: 'write' | 'sync' | 'rename'): { fs: AtomicWriteFs; steps: string[] } {
  const steps: string[] = [];
  const fs: AtomicWriteFs = {
    open: (async (path: string, flags: string, mode?: number) => {
      const handle = await open(path, flags, mode);
      const kind = flags === 'r' ? 'folder' : 'file';
      steps.push(`open ${kind}`);
      return {
        writeFile: async (data: string | Uint8Array) => {
          steps.push('write');
          if (fail === 'write') {
            throw new Error('ENOSPC: no space left on device');
          }
          await handle.writeFile(data);
        },
        sync: async () => {
          steps.push(`sync ${kind}`);
          if (fail === 'sync' && kind === 'file') {
            throw new Error('EIO: i/o error');
          }
          await handle.sync();
        },
        close: async () => {
          steps.push(`close ${kind}`);
          await handle.close();
        },
      };
    }) as unknown as AtomicWriteFs['open'],
    rename: async (from, to) => {
      steps.push('rename');
      if (fail === 'rename') {
        throw new Error('EXDEV: cross-device link not permitted');
      }
      await rename(from, to);
    },
    rm: async (path, options) => {
      steps.push('rm temp');
      await rm(path, options);
    },
  };
  return { fs, steps };
}

describe('writeFileAtomic', () => {
  it('writes, fsyncs and closes the temp file, renames it, then syncs the folder', async () => {
    const dir = folder();
    const file = join(dir, 'settings.json');
    writeFileSync(file, 'old');
    const { fs, steps } = recordingFs();
    await writeFileAtomic(file, 'new', { fs, platform: 'linux' });
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(steps).toEqual([
      'open file',
      'write',
      'sync file',
      'close file',
      'rename',
      'open folder',
      'sync folder',
      'close folder',
    ]);
    expect(readdirSync(dir)).toEqual(['settings.json']);
  });

  it('creates the file private to the user unless told otherwise', async () => {
    const dir = folder();
    await writeFileAtomic(join(dir, 'secret.json'), '{}');
    await writeFileAtomic(join(dir, 'entry.desktop'), '[Desktop Entry]', { mode: 0o644 });
    if (process.platform !== 'win32') {
      expect(statSync(join(dir, 'secret.json')).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, 'entry.desktop')).mode & 0o777).toBe(0o644);
    }
  });

  it('does not sync the folder on Windows (a folder cannot be opened there)', async () => {
    const dir = folder();
    const { fs, steps } = recordingFs();
    await writeFileAtomic(join(dir, 'a.json'), 'x', { fs, platform: 'win32' });
    expect(steps).not.toContain('open folder');
  });

  it.each(['write', 'sync', 'rename'] as const)(
    'a failed %s keeps the old file and removes the temp file',
    async (step) => {
      const dir = folder();
      const file = join(dir, 'settings.json');
      writeFileSync(file, 'old');
      const { fs, steps } = recordingFs(step);
      await expect(writeFileAtomic(file, 'new', { fs, platform: 'linux' })).rejects.toThrow();
      expect(readFileSync(file, 'utf8')).toBe('old');
      expect(readdirSync(dir)).toEqual(['settings.json']);
      expect(steps.at(-1)).toBe('rm temp');
      expect(steps).not.toContain('open folder');
    },
  );

  it('two writers never share a temp file', async () => {
    const dir = folder();
    const file = join(dir, 'x.json');
    await Promise.all([writeFileAtomic(file, 'a'), writeFileAtomic(file, 'b')]);
    expect(['a', 'b']).toContain(readFileSync(file, 'utf8'));
    expect(readdirSync(dir)).toEqual(['x.json']);
  });
});
