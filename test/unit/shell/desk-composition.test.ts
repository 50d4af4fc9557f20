// The desk services as the composition root wires them, with the `electron` module faked:
// hotkeys off at start and registered once turned on, released on will-quit; the HID session
// events listened to; a headset picked through select-hid-device is remembered, granted by the
// device permission handler, and survives as a setting.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { HeadsetChoiceRequest } from '@shared/ipc-contract';
import { DEFAULT_HOTKEYS } from '@shared/settings-types';
import { setLogSink } from '../../../src-main/logger';
import * as fake from '../../support/fake-electron';
import { preventable } from '../../support/fake-emitter';

vi.mock('electron', async () => await import('../../support/fake-electron'));

const home = mkdtempSync(join(tmpdir(), 'softphone-desk-compose-'));
const saved = { XDG_CONFIG_HOME: process.env.XDG_CONFIG_HOME, argv: process.argv };
let window: fake.FakeBrowserWindow;

const JABRA = {
  deviceId: 'hid-7',
  name: 'Jabra BIZ 2400 II',
  vendorId: 0x0b0e,
  productId: 0x2453,
  serialNumber: 'SN1',
  collections: [{ usagePage: 0x0b, usage: 0x05, type: 1, children: [] }],
};

beforeAll(async () => {
  setLogSink(() => {});
  process.env.XDG_CONFIG_HOME = join(home, 'config');
  process.argv = [process.execPath, join(home, 'app')];
  fake.app.userData = join(home, 'userData');
  await import('../../../src-main/index');
  fake.fireReady();
  window = await fake.windowLoaded;
});

afterAll(() => {
  process.env.XDG_CONFIG_HOME = saved.XDG_CONFIG_HOME;
  process.argv = saved.argv;
  rmSync(home, { recursive: true, force: true });
});

describe('desk services in the app', () => {
  it('listens to the session’s HID events and registers no hotkey by default', () => {
    for (const event of [
      'select-hid-device',
      'hid-device-added',
      'hid-device-removed',
      'hid-device-revoked',
    ]) {
      expect(fake.calls).toContain(`session.on ${event}`);
    }
    expect(fake.globalShortcut.count).toBe(0);
  });

  it('registers the hotkeys when turned on, and releases them on will-quit', async () => {
    const reply = await fake.invoke('settings/update', {
      hotkeys: { ...DEFAULT_HOTKEYS, enabled: true },
    });
    expect(reply.ok).toBe(true);
    expect(fake.globalShortcut.count).toBe(5);
    const status = await fake.invoke('hotkeys/get-status', null);
    expect(status.ok && (status.value as { state: string }[]).map((s) => s.state)).toEqual(
      Array(5).fill('registered'),
    );
    fake.app.emit('will-quit', preventable());
    expect(fake.globalShortcut.count).toBe(0);
  });

  it('lets our page use WebHID and grants the headset picked in its picker', async () => {
    const session = fake.session.defaultSession;
    expect(session.checkHandler?.(null, 'hid', 'app://softphone', { isMainFrame: true })).toBe(
      true,
    );
    const grant = () =>
      session.deviceHandler?.({ deviceType: 'hid', origin: 'app://softphone', device: JABRA });
    expect(grant()).toBe(false);

    window.webContents.sent.length = 0;
    let chosen: string | null | undefined = 'not yet';
    session.emit(
      'select-hid-device',
      preventable(),
      { deviceList: [JABRA], frame: { url: 'app://softphone/index.html' } },
      (id?: string | null) => (chosen = id),
    );
    const offer = window.webContents.sent.find((s) => s.channel === 'headset/choose-device');
    const { requestId } = offer?.payload as HeadsetChoiceRequest;
    const saved = new Promise<void>((resolve) =>
      window.webContents.on('test:sent', (channel: string) => {
        if (channel === 'settings/changed') {
          resolve();
        }
      }),
    );
    const answer = await fake.invoke('headset/device-chosen', { requestId, deviceId: 'hid-7' });
    expect(answer.ok).toBe(true);
    expect(chosen).toBe('hid-7');
    expect(grant()).toBe(true);
    await saved; // main saved the pick and told the page
    const settings = await fake.invoke('settings/get', null);
    expect(settings.ok && (settings.value as { headset: unknown }).headset).toEqual({
      device: { vendorId: 0x0b0e, productId: 0x2453, serialNumber: 'SN1', name: JABRA.name },
    });
    expect(fake.globalShortcut.count).toBe(0); // that settings change came after will-quit
  });
});
