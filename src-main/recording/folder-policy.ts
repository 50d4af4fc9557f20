// Where recordings may go: the folder the user picked, or the OS music folder (documents when
// there is none); never inside the app itself (the bundle, its resources or the install
// folder), where an update would wipe them and where writing needs rights it should not have.
import { mkdir, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';

/** Folders recordings must never be written into (resolved at start-up by the composition root). */
export interface AppLocations {
  /** app.getAppPath(): the asar or the project folder in dev. */
  appPath: string;
  /** process.resourcesPath. */
  resourcesPath: string;
  /** process.execPath. */
  execPath: string;
  platform: NodeJS.Platform;
}

/** The folders to refuse: app path, resources, install folder and a macOS .app bundle. */
export function forbiddenFolders(where: AppLocations): string[] {
  const roots = [where.appPath, where.resourcesPath, dirname(where.execPath)];
  const bundle = where.execPath.split(sep).findIndex((part) => part.endsWith('.app'));
  if (where.platform === 'darwin' && bundle > 0) {
    roots.push(
      where.execPath
        .split(sep)
        .slice(0, bundle + 1)
        .join(sep),
    );
  }
  // resourcesPath is undefined outside Electron (unit tests run main code in plain Node).
  return roots.filter((r): r is string => typeof r === 'string' && r !== '');
}

/** Whether `child` is `parent` or below it (case-insensitive where the OS usually is). */
export function isInside(child: string, parent: string, platform: NodeJS.Platform): boolean {
  const fold = (p: string): string =>
    platform === 'win32' || platform === 'darwin' ? p.toLowerCase() : p;
  const rel = relative(fold(parent), fold(child));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

async function real(path: string): Promise<string> {
  try {
    return await realpath(path);
  } catch {
    return resolve(path);
  }
}

/** Why `folder` cannot hold recordings, or null when it can (symlinks are followed). */
export async function refuseFolder(
  folder: string,
  forbidden: readonly string[],
  platform: NodeJS.Platform,
): Promise<string | null> {
  if (!isAbsolute(folder)) {
    return 'The recordings folder must be a full path.';
  }
  const target = await real(folder);
  for (const root of forbidden) {
    if (isInside(target, await real(root), platform) || isInside(folder, root, platform)) {
      return `Recordings cannot be kept inside the app's own folder (${root}): an update would delete them. Pick another folder.`;
    }
  }
  return null;
}

/**
 * The folder to record into now: the user's folder as it is (a missing one is an error the
 * caller reports), or the default folder, created when missing.
 */
export async function recordingFolder(
  chosen: string | null,
  defaultFolder: () => string,
): Promise<string> {
  if (chosen !== null) {
    return chosen;
  }
  const folder = defaultFolder();
  await mkdir(folder, { recursive: true });
  return folder;
}
