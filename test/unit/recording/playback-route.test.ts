// Main's side of playing, closing and marking recordings: the app:// recordings route (by id
// only, Range per RFC 9110 §14), the last step of quitting (files closed before the process
// ends, bounded), a page lost mid-recording (its recordings closed and marked interrupted), and
// the REC fields of the IPC schemas (tray summary, incoming-call popup).
import { writeFileSync } from 'node:fs';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { invokeSchemas } from '@shared/ipc-schemas';
import { recordingIdOf, recordingPath } from '@shared/recording-route';
import { closeRecordingsOnQuit } from '../../../src-main/recording/quit';
import { parseRange, serveRecording } from '../../../src-main/recording/recording-route';
import { popupUrl } from '../../../src-main/windows/incoming-popup';
import { preventable } from '../../support/fake-emitter';
import { serviceRig, startRequest, STEREO, tonePcm, type ServiceRig } from './support';

const ID = '0f8fad5b-d9cb-469f-a165-70867728950e';
let rig: ServiceRig | null = null;
afterEach(() => {
  if (rig) {
    rmSync(rig.root, { recursive: true, force: true });
  }
  rig = null;
  vi.useRealTimers();
});

describe('recordings route', () => {
  it('names a recording by its id only', () => {
    expect(recordingPath(ID.toUpperCase())).toBe(`/recordings/${ID}`);
    expect(() => recordingPath('../../etc/passwd')).toThrow('not a recording id');
    expect(recordingIdOf(`/recordings/${ID}`)).toBe(ID);
    expect(recordingIdOf('/recordings/x')).toBeNull();
    expect(recordingIdOf(`/recordings/${ID}/..`)).toBeNull();
    expect(recordingIdOf('/index.html')).toBeNull();
  });

  it('parses one byte range; ignores several; says when none fits', () => {
    expect(parseRange(null, 100)).toBeNull();
    expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
    expect(parseRange('bytes=50-500', 100)).toEqual({ start: 50, end: 99 });
    expect(parseRange('bytes=0-1,5-6', 100)).toBeNull();
    expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
    expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
  });

  it('serves the file main lists under the id: whole, a range, past the end, unknown', async () => {
    rig = serviceRig();
    const path = join(rig.folder, 'a.wav');
    writeFileSync(path, Buffer.from('0123456789'));
    const deps = {
      find: async (id: string) => (id === ID ? { path, format: 'wav' as const } : null),
    };
    const get = (headers: Record<string, string> = {}, id = ID) =>
      serveRecording(new Request(`app://softphone/recordings/${id}`, { headers }), deps);

    const whole = await get();
    expect(whole?.status).toBe(200);
    expect(whole?.headers.get('content-type')).toBe('audio/wav');
    expect(whole?.headers.get('accept-ranges')).toBe('bytes');
    expect(await whole?.text()).toBe('0123456789');
    const part = await get({ range: 'bytes=2-4' });
    expect(part?.status).toBe(206);
    expect(part?.headers.get('content-range')).toBe('bytes 2-4/10');
    expect(await part?.text()).toBe('234');
    const past = await get({ range: 'bytes=20-' });
    expect(past?.status).toBe(416);
    expect(past?.headers.get('content-range')).toBe('bytes */10');
    expect((await get({}, '1f8fad5b-d9cb-469f-a165-70867728950e'))?.status).toBe(404);
    expect(await serveRecording(new Request('app://softphone/index.html'), deps)).toBeNull();
  });

  it('plays only recordings whose file is still there', async () => {
    rig = serviceRig();
    const started = await rig.service.start(startRequest());
    await rig.service.stop(started.id);
    expect(await rig.service.playable(started.id)).toEqual({ path: started.path, format: 'wav' });
    rmSync(started.path);
    expect(await rig.service.playable(started.id)).toBeNull();
    expect(await rig.service.playable('nope')).toBeNull();
  });
});

describe('a page lost mid-recording', () => {
  it('closes its recordings where they stand and marks them interrupted', async () => {
    rig = serviceRig();
    const started = await rig.service.start(startRequest());
    await rig.service.append(started.id, 0, tonePcm(STEREO, [440, 880], 0.5));
    await rig.service.interruptAll();
    const [entry] = await rig.service.list();
    expect(entry).toMatchObject({ id: started.id, state: 'interrupted', exists: true });
    expect(entry?.message).toMatch(/window stopped/);
    expect(entry?.durationMs).toBe(500);
  });
});

describe('quitting', () => {
  function fakeApp() {
    const listeners: ((event: ReturnType<typeof preventable>) => void)[] = [];
    const app = {
      quits: 0,
      on: (_event: 'will-quit', listener: (typeof listeners)[number]) => listeners.push(listener),
      quit: () => {
        app.quits += 1;
      },
      willQuit: () => {
        const event = preventable();
        listeners.forEach((l) => l(event));
        return event;
      },
    };
    return app;
  }

  it('holds the quit until recordings are closed, then quits once', async () => {
    const app = fakeApp();
    let close: () => void = () => {};
    const stopAll = vi.fn(() => new Promise<void>((resolve) => (close = resolve)));
    closeRecordingsOnQuit(app, { stopAll });
    expect(app.willQuit().defaultPrevented).toBe(true);
    expect(app.willQuit().defaultPrevented).toBe(true); // a second quit while closing waits too
    expect(stopAll).toHaveBeenCalledTimes(1);
    expect(app.quits).toBe(0);
    close();
    await vi.waitFor(() => expect(app.quits).toBe(1));
    expect(app.willQuit().defaultPrevented).toBe(false);
  });

  it('quits anyway when closing takes longer than the bound', async () => {
    vi.useFakeTimers();
    const app = fakeApp();
    const log: string[] = [];
    closeRecordingsOnQuit(
      app,
      { stopAll: () => new Promise<void>(() => {}) },
      { timeoutMs: 3000, log: (t) => log.push(t) },
    );
    app.willQuit();
    await vi.advanceTimersByTimeAsync(2999);
    expect(app.quits).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(app.quits).toBe(1);
    expect(log).toEqual(['recordings did not close in time; quitting anyway']);
  });
});

describe('REC over IPC', () => {
  const summary = {
    registration: 'registered',
    registrationText: 'Registered',
    call: 'in-call',
    party: 'Bob',
    muted: false,
    doNotDisturb: false,
    missedCount: 0,
    unreadMessages: 0,
    recentNumbers: [],
    voicemailWaiting: false,
    voicemailNew: 0,
  };
  const notice = { callId: 'c1', name: null, number: '100', accountLabel: 'Office' };

  it('the tray summary and the popup notice carry REC, and nothing else', () => {
    const tray = invokeSchemas['phone/state-changed'];
    expect(tray.safeParse({ ...summary, recording: 'paused' }).success).toBe(true);
    expect(tray.safeParse(summary).success).toBe(true);
    expect(tray.safeParse({ ...summary, recording: 'on' }).success).toBe(false);
    const popup = invokeSchemas['notify/incoming-call'];
    expect(popup.safeParse({ ...notice, recording: 'will-record' }).success).toBe(true);
    expect(popup.safeParse({ ...notice, recording: '<b>x</b>' }).success).toBe(false);
  });

  it('the popup URL says REC only when asked to', () => {
    expect(popupUrl('app://softphone/index.html', { ...notice, recording: 'in-progress' })).toMatch(
      /rec=in-progress/,
    );
    expect(popupUrl('app://softphone/index.html', notice)).not.toMatch(/rec=/);
  });
});
