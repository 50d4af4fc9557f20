// The pickers behind recording/choose-folder, choose-announcement and read-announcement, with
// the desktop (Electron's dialog) faked and settings on disk: a folder inside the app is
// refused and not saved; a chosen folder and file are saved in the settings (and the change
// announced); a cancelled picker changes nothing; an announcement file too large or gone is
// refused with a sentence; its bytes come back as a plain Uint8Array.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppSettings } from '@shared/settings-types';
import {
  createRecordingHandlers,
  MAX_ANNOUNCEMENT_BYTES,
} from '../../../src-main/recording/recording-handlers';
import { SettingsStore } from '../../../src-main/settings/settings-store';
import { serviceRig, type ServiceRig } from './support';

let rig: ServiceRig;
let settings: SettingsStore;
let changed: AppSettings[];
let app: string;
const picked: { folder: string | null; file: string | null } = { folder: null, file: null };

beforeEach(() => {
  rig = serviceRig();
  settings = new SettingsStore(rig.userData);
  changed = [];
  // The store announces each saved change (the shell sends it to the page).
  settings.onChange((next) => changed.push(next));
  app = join(rig.root, 'app');
  mkdirSync(join(app, 'resources'), { recursive: true });
  picked.folder = null;
  picked.file = null;
});
afterEach(() => rmSync(rig.root, { recursive: true, force: true }));

function handlers() {
  return createRecordingHandlers({
    service: rig.service,
    desktop: {
      chooseFolder: async () => picked.folder,
      chooseAudioFile: async () => picked.file,
      reveal: () => {},
      removeFile: async () => {},
    },
    settings,
    defaultFolder: () => rig.folder,
    forbidden: [app],
    platform: process.platform,
  });
}

describe('recording pickers', () => {
  it('refuses a folder inside the app, saves another one', async () => {
    picked.folder = join(app, 'resources');
    await expect(handlers()['recording/choose-folder'](null)).rejects.toThrow(
      /cannot be kept inside the app's own folder/,
    );
    expect(settings.get().recording.folder).toBeNull();
    expect(changed).toEqual([]);
    picked.folder = join(rig.root, 'calls');
    expect(await handlers()['recording/choose-folder'](null)).toBe(picked.folder);
    expect(settings.get().recording.folder).toBe(picked.folder);
    expect(changed.at(-1)?.recording.folder).toBe(picked.folder);
  });

  it('a cancelled picker changes nothing', async () => {
    expect(await handlers()['recording/choose-folder'](null)).toBeNull();
    expect(await handlers()['recording/choose-announcement'](null)).toBeNull();
    expect(await handlers()['recording/read-announcement'](null)).toBeNull();
    expect(settings.get().recording).toMatchObject({ folder: null, announcementFile: null });
    expect(changed).toEqual([]);
  });

  it('keeps an announcement file and returns its bytes; refuses one too large or gone', async () => {
    const notice = join(rig.root, 'notice.wav');
    writeFileSync(notice, Buffer.from([1, 2, 3, 4]));
    picked.file = notice;
    expect(await handlers()['recording/choose-announcement'](null)).toBe(notice);
    const bytes = await handlers()['recording/read-announcement'](null);
    expect(bytes).toBeInstanceOf(Uint8Array);
    expect(Buffer.isBuffer(bytes)).toBe(false);
    expect([...(bytes ?? [])]).toEqual([1, 2, 3, 4]);
    rmSync(notice);
    await expect(handlers()['recording/read-announcement'](null)).rejects.toThrow(
      /cannot be read .* The built-in announcement is used instead/,
    );
    picked.file = join(rig.root, 'big.wav');
    writeFileSync(picked.file, Buffer.alloc(MAX_ANNOUNCEMENT_BYTES + 1));
    await expect(handlers()['recording/choose-announcement'](null)).rejects.toThrow(
      /larger than 10 MB/,
    );
    expect(settings.get().recording.announcementFile).toBe(notice);
  });
});
