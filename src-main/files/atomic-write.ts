// The one way the main process replaces a file on disk (settings, safeStorage ciphertext, the
// Linux autostart entry): write a temp file next to it, fsync it, rename it over the target,
// then fsync the folder where the OS allows it. A failure at any step leaves the old file as it
// was and removes the temp file, so neither a half-written file nor a stray copy stays behind.
import { open, rename, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { dirname } from 'node:path';

/** The file operations used, injectable so tests can fail each step. */
export interface AtomicWriteFs {
  open: typeof open;
  rename: typeof rename;
  rm: typeof rm;
}

const NODE_FS: AtomicWriteFs = { open, rename, rm };

export interface AtomicWriteOptions {
  /** Permissions of the new file (default 0o600: what the app writes is the user's alone). */
  mode?: number;
  fs?: AtomicWriteFs;
  platform?: NodeJS.Platform;
}

/** A temp name in the same folder (rename is only atomic within one file system). */
export function tempPathFor(path: string): string {
  return `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
}

/** Replaces `path` with `data` atomically (temp file, fsync, rename, folder fsync). */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const fs = options.fs ?? NODE_FS;
  const temp = tempPathFor(path);
  try {
    // 'wx': never follow or reuse something that already sits at the temp name.
    const handle = await fs.open(temp, 'wx', options.mode ?? 0o600);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (error: unknown) {
    await fs.rm(temp, { force: true }).catch(() => {});
    throw error;
  }
  await syncFolder(dirname(path), fs, options.platform ?? process.platform);
}

// The rename itself is durable only once the folder's entry is on disk. Windows cannot open a
// folder for fsync (EISDIR/EPERM), and NTFS journals the rename anyway; elsewhere a failure
// here is not worth failing a write that already replaced the file.
async function syncFolder(
  folder: string,
  fs: AtomicWriteFs,
  platform: NodeJS.Platform,
): Promise<void> {
  if (platform === 'win32') {
    return;
  }
  try {
    const handle = await fs.open(folder, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort (see above)
  }
}
