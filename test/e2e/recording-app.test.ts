// Issue 17 through the real app: a lab call between two phones (the built renderer), recorded
// with the call view's Record button, written by the REAL main-process RecordingService behind
// the real IPC router. Proves: the call view shows REC, the tray summary carries it, pausing
// shows it paused, the file holds both sides (our 440 Hz and their 880 Hz), the call's history
// entry lists the recording with its file, and the in-app player loads it through main's
// recordings route (served by id with Range support); deleting it from the entry moves the
// file away and takes it off the entry.
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECORDING } from '@shared/settings-types';
import { createRecordingHandlers } from '../../src-main/recording/recording-handlers';
import { serveRecording } from '../../src-main/recording/recording-route';
import { RecordingService } from '../../src-main/recording/recording-service';
import { connect, registerAll, useE2eEnv } from '../support/e2e-env';
import { PhonePage } from '../support/phone-page';
import { TestBridge } from '../support/test-bridge';
import { useLab } from '../support/use-lab';
import { readWav, sliceSeconds, windowsWithTone } from '../support/wav';

const lab = useLab({ name: 'e2e-recording-app', rtpengine: false });
const env = useE2eEnv();

interface Rig {
  bridge: TestBridge;
  service: RecordingService;
  folder: string;
  trashed: string[];
}

/** A bridge whose recording/* channels reach a real RecordingService writing into a temp folder. */
async function recordingBridge(root: string, url: string): Promise<Rig> {
  const folder = join(root, 'recordings');
  mkdirSync(folder);
  const trashed: string[] = [];
  let service: RecordingService | null = null;
  const bridge = await TestBridge.create({
    appUrl: url,
    dir: join(root, 'settings'),
    recordings: (settings) => {
      service = new RecordingService({
        indexPath: join(root, 'recordings.json'),
        settings: () => settings.get().recording,
        accountLabel: (id) => settings.get().accounts.find((a) => a.id === id)?.label ?? '',
        defaultFolder: () => folder,
        forbidden: [],
        platform: process.platform,
        notifyFailure: () => {},
      });
      return createRecordingHandlers({
        service,
        settings,
        desktop: {
          chooseFolder: async () => null,
          chooseAudioFile: async () => null,
          reveal: () => {},
          // shell.trashItem moves the file away; here it is removed and remembered.
          removeFile: async (path) => {
            trashed.push(path);
            rmSync(path);
          },
        },
        defaultFolder: () => folder,
        forbidden: [],
        platform: process.platform,
      });
    },
  });
  if (!service) {
    throw new Error('no recording service');
  }
  await bridge.settings.update({
    recording: { ...DEFAULT_RECORDING, format: 'wav', announce: false, folder },
  });
  return { bridge, service, folder, trashed };
}

describe('recording a call in the app', () => {
  it('records with the button, shows REC, and the file is on the call’s history entry', async () => {
    const root = mkdtempSync(join(tmpdir(), 'e2e-recording-app-'));
    const rig = await recordingBridge(root, env.server.url);
    const alice = await PhonePage.open(await env.browser(440), env.server, { bridge: rig.bridge });
    const bob = await PhonePage.open(await env.browser(880), env.server);
    try {
      // The app's recordings route, as main's app:// handler answers it (by id, with Range).
      await alice.page.route('**/recordings/*', async (route) => {
        const request = route.request();
        const response = await serveRecording(
          new Request(request.url(), { method: request.method(), headers: request.headers() }),
          { find: (id) => rig.service.playable(id) },
        );
        if (!response) {
          await route.fallback();
          return;
        }
        await route.fulfill({
          status: response.status,
          headers: Object.fromEntries(response.headers),
          body: Buffer.from(await response.arrayBuffer()),
        });
      });
      // For reading the history as stored (IndexedDB).
      await alice.installAudioProbe();
      await registerAll(lab.lab, [alice, 'alice'], [bob, 'bob']);
      await connect(alice, bob, 'bob');
      await bob.waitForCallStatus('active');
      // Both directions flow before recording starts.
      await alice.waitForAudio(undefined, { present: [880] });
      await bob.waitForAudio(undefined, { present: [440] });

      const record = alice.page.getByTestId('record-button');
      await expect.poll(() => record.isEnabled()).toBe(true);
      await record.click();
      const rec = (phase: string) =>
        alice.page
          .locator(`[data-testid="rec-indicator"][data-phase="${phase}"]`)
          .waitFor({ timeout: 20_000 });
      await rec('recording');
      await expect.poll(() => alice.bridge.shell.summaries.at(-1)?.recording).toBe('recording');
      // Let both sides be written for a while: 1.5 s of 48 kHz 16-bit mono on disk.
      const [running] = await rig.service.list();
      expect(running).toMatchObject({ state: 'recording', format: 'wav' });
      await expect
        .poll(() => (running && existsSync(running.path) ? statSync(running.path).size : 0))
        .toBeGreaterThan(44 + 1.5 * 48_000 * 2);

      // Pause and resume with the R key.
      await alice.page.keyboard.press('r');
      await rec('paused');
      await expect.poll(() => alice.bridge.shell.summaries.at(-1)?.recording).toBe('paused');
      await alice.page.keyboard.press('r');
      await rec('recording');

      await alice.hangup();
      await bob.waitForEnded();
      await expect.poll(() => alice.bridge.shell.summaries.at(-1)?.recording).toBeUndefined();

      // The file: closed, both sides in it.
      await expect.poll(async () => (await rig.service.list())[0]?.state).toBe('done');
      const [entry] = await rig.service.list();
      expect(entry).toMatchObject({ state: 'done', format: 'wav', exists: true });
      if (!entry) {
        throw new Error('no recording');
      }
      expect(entry.path.startsWith(rig.folder)).toBe(true);
      const wav = readWav(entry.path);
      expect(wav.durationSec).toBeGreaterThan(1.5);
      const end = wav.durationSec - 0.2;
      const heard = (freq: number): number =>
        windowsWithTone(sliceSeconds(wav.samples, wav.sampleRate, 0.5, end), 48000, freq, 0.02);
      expect(heard(440)).toBeGreaterThanOrEqual(3);
      expect(heard(880)).toBeGreaterThanOrEqual(3);

      // The history entry lists it, and the in-app player loads it from main's route.
      await expect
        .poll(async () => (await alice.historyEntries())[0]?.recordings)
        .toEqual([entry.id]);
      await alice.page.getByRole('tab', { name: /Recent/ }).click();
      await alice.page.getByRole('listbox', { name: 'Calls' }).getByRole('option').first().click();
      const item = alice.page.locator(`[data-testid="call-recording"][data-id="${entry.id}"]`);
      await item.waitFor();
      expect(await item.innerText()).toContain(entry.fileName);
      const player = item.getByTestId('recording-player');
      await expect
        .poll(() => player.evaluate((el) => (el as HTMLAudioElement).duration || 0))
        .toBeGreaterThan(1.5);

      // Delete from the entry: asked first, then the file goes and the entry no longer lists it.
      await item.getByRole('button', { name: 'Delete recording…' }).click();
      await alice.page.getByRole('button', { name: 'Delete recording', exact: true }).click();
      await item.waitFor({ state: 'detached' });
      expect(rig.trashed).toEqual([entry.path]);
      expect(existsSync(entry.path)).toBe(false);
      expect(alice.errors).toEqual([]);
    } finally {
      await alice.close();
      await bob.close();
      rmSync(root, { recursive: true, force: true });
    }
  });
});
