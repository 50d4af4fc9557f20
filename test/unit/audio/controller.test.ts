// The sound logic with fakes at the browser edge: choosing devices saves them and moves live
// calls (replaceTrack / setSinkId through the call's API), a headset unplugged mid-call falls
// back to the default with a notice and comes back when replugged, and the ringer follows the
// calls: it rings on its own device and stops as soon as the incoming call is answered.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_AUDIO, type AudioSettings } from '@shared/settings-types';
import {
  AudioController,
  type LiveCallAudio,
} from '../../../src-renderer/src/lib/audio/controller';
import type { MicrophoneOptions } from '../../../src-renderer/src/lib/phone';
import type { PolicyCall } from '../../../src-renderer/src/lib/audio/ring-policy';
import { dev, FakeMediaDevices, fakeRingerPorts, flush } from './fakes';

const BASE = [
  dev('audioinput', 'default', 'Default - Built-in Microphone'),
  dev('audioinput', 'builtin-in', 'Built-in Microphone'),
  dev('audiooutput', 'default', 'Default - Built-in Speakers'),
  dev('audiooutput', 'builtin-out', 'Built-in Speakers'),
];
const HEADSET = [
  dev('audioinput', 'hs-in', 'USB Headset'),
  dev('audiooutput', 'hs-out', 'USB Headset'),
];

class FakeCall implements LiveCallAudio {
  readonly mics: MicrophoneOptions[] = [];
  readonly speakers: (string | null)[] = [];
  async switchMicrophone(options: MicrophoneOptions): Promise<void> {
    this.mics.push(options);
  }
  async setSpeaker(sinkId: string | null): Promise<void> {
    this.speakers.push(sinkId);
  }
}

const incoming: PolicyCall = {
  status: 'incoming',
  direction: 'incoming',
  earlyMedia: false,
  hold: { local: false, remote: false },
};
const active: PolicyCall = { ...incoming, status: 'active' };

describe('AudioController', () => {
  let media: FakeMediaDevices;
  let saved: AudioSettings[];
  let calls: FakeCall[];
  let defaults: [MicrophoneOptions, string | null][];
  let ports: ReturnType<typeof fakeRingerPorts>;

  function controller(initial: AudioSettings = DEFAULT_AUDIO): AudioController {
    return new AudioController(
      {
        devices: media,
        saveAudio: async (s) => void saved.push(s),
        liveCalls: () => calls,
        setCallDefaults: (mic, speaker) => void defaults.push([mic, speaker]),
        ringerPorts: ports,
      },
      initial,
    );
  }

  beforeEach(() => {
    media = new FakeMediaDevices([...BASE, ...HEADSET]);
    saved = [];
    calls = [new FakeCall()];
    defaults = [];
    ports = fakeRingerPorts();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('saves a chosen microphone by id and label and moves the live call to it', async () => {
    const ctl = controller();
    await ctl.start();
    await ctl.chooseDevice('microphone', 'hs-in');
    expect(saved.at(-1)?.microphone).toEqual({ id: 'hs-in', label: 'USB Headset' });
    expect(calls[0]!.mics).toEqual([
      { deviceId: 'hs-in', echoCancellation: true, noiseSuppression: true, autoGainControl: true },
    ]);
    expect(defaults.at(-1)?.[0].deviceId).toBe('hs-in');
    await ctl.chooseDevice('speaker', 'hs-out');
    expect(calls[0]!.speakers).toEqual(['hs-out']);
    await ctl.chooseDevice('speaker', null);
    expect(saved.at(-1)?.speaker).toBeNull();
    expect(calls[0]!.speakers.at(-1)).toBeNull();
  });

  it('falls back to the default when the headset is unplugged mid-call, and back on replug', async () => {
    const ctl = controller({
      ...DEFAULT_AUDIO,
      microphone: { id: 'hs-in', label: 'USB Headset' },
      speaker: { id: 'hs-out', label: 'USB Headset' },
    });
    await ctl.start();
    media.plug(BASE);
    await flush();
    expect(calls[0]!.mics.at(-1)?.deviceId).toBeNull();
    expect(calls[0]!.speakers.at(-1)).toBeNull();
    expect(ctl.notice).toBe('USB Headset was disconnected. The speaker is now the system default.');
    // The choice is remembered while the device is away.
    expect(ctl.settings.microphone?.id).toBe('hs-in');
    expect(ctl.statusOf('microphone')).toEqual({ status: 'missing' });

    // Replugged: the OS gave it new ids; the call moves back and the new ids are saved.
    media.plug([
      ...BASE,
      { ...HEADSET[0]!, deviceId: 'hs-in-2' },
      { ...HEADSET[1]!, deviceId: 'hs-out-2' },
    ]);
    await flush();
    expect(calls[0]!.mics.at(-1)?.deviceId).toBe('hs-in-2');
    expect(calls[0]!.speakers.at(-1)).toBe('hs-out-2');
    expect(ctl.notice).toMatch(/USB Headset is back/);
    expect(saved.at(-1)?.microphone?.id).toBe('hs-in-2');
    expect(saved.at(-1)?.speaker?.id).toBe('hs-out-2');
  });

  it('reopens the microphone of calls on "system default" when the OS default changes', async () => {
    const ctl = controller();
    await ctl.start();
    media.plug(
      BASE.map((d) =>
        d.deviceId === 'default' && d.kind === 'audioinput'
          ? { ...d, label: 'Default - USB Headset' }
          : d,
      ),
    );
    await flush();
    expect(calls[0]!.mics).toEqual([expect.objectContaining({ deviceId: null })]);
  });

  it('reopens the microphone of live calls with new processing switches', async () => {
    const ctl = controller();
    await ctl.start();
    await ctl.setProcessing('echoCancellation', false);
    expect(saved.at(-1)?.echoCancellation).toBe(false);
    expect(calls[0]!.mics.at(-1)).toMatchObject({
      echoCancellation: false,
      noiseSuppression: true,
    });
  });

  it('rings on the ringer device and stops the moment the call is answered', async () => {
    const ctl = controller({
      ...DEFAULT_AUDIO,
      ringer: { id: 'builtin-out', label: 'Built-in Speakers' },
      ringtone: 'marimba',
    });
    await ctl.start();
    ctl.syncCalls([incoming]);
    expect(ctl.ringer.state).toMatchObject({ playing: 'marimba', sinkId: 'builtin-out' });
    expect(ports.elements[0]?.sinkId).toBe('builtin-out');
    expect(ctl.callTones.state.playing).toBeNull();

    ctl.syncCalls([{ ...incoming, status: 'answering' }]);
    expect(ctl.ringer.state.playing).toBeNull();
    expect(ports.contexts[0]!.oscillators.every((o) => o.stoppedNow || o.stopAt !== null)).toBe(
      true,
    );
  });

  it('plays the call-waiting tone in the call output instead of ringing during a call', async () => {
    const ctl = controller({ ...DEFAULT_AUDIO, speaker: { id: 'hs-out', label: 'USB Headset' } });
    await ctl.start();
    ctl.syncCalls([active, incoming]);
    expect(ctl.ringer.state.playing).toBeNull();
    expect(ctl.callTones.state.playing).toBe('call-waiting');
    await flush();
    expect(ctl.callTones.state.sinkId).toBe('hs-out');
    ctl.syncCalls([active]);
    expect(ctl.callTones.state.playing).toBeNull();
  });

  it('previews a ringtone for a few seconds; pressing again stops it', async () => {
    vi.useFakeTimers();
    const ctl = controller();
    await ctl.start();
    ctl.previewRingtone('double');
    expect(ctl.ringer.state.playing).toBe('double');
    ctl.previewRingtone('double');
    expect(ctl.ringer.state.playing).toBeNull();
    ctl.previewRingtone('chime');
    vi.advanceTimersByTime(4000);
    expect(ctl.ringer.state.playing).toBeNull();
  });

  it('follows a dragged ring-volume slider at once and saves it once, on release', async () => {
    const ctl = controller();
    await ctl.start();
    saved.length = 0;
    for (const step of [0.9, 0.75, 0.6, 0.45]) {
      await ctl.setRingVolume(step, false);
    }
    expect(saved).toEqual([]);
    expect(ctl.ringer.state.volume).toBe(0.45);
    expect(ctl.settings.ringVolume).toBe(0.45);
    await ctl.setRingVolume(0.45);
    expect(saved.map((s) => s.ringVolume)).toEqual([0.45]);
  });

  it('says so when the settings cannot be saved, and keeps the choice for this session', async () => {
    const ctl = new AudioController({
      devices: media,
      saveAudio: async () => {
        throw new Error('disk full');
      },
      liveCalls: () => [],
      ringerPorts: ports,
    });
    await ctl.start();
    await ctl.setRingVolume(0.3);
    expect(ctl.notice).toBe('The audio settings could not be saved: disk full');
    expect(ctl.settings.ringVolume).toBe(0.3);
  });

  // Main answers a save (the reply reaches load() before the save resolves, as
  // SettingsState.update does) and echoes every save; the echo can come after later replies.
  function slowMain(): { ctl: AudioController; answer(): Promise<void>; saved: AudioSettings[] } {
    const waiting: (() => void)[] = [];
    const mainSaved: AudioSettings[] = [];
    const ctl: AudioController = new AudioController({
      devices: media,
      saveAudio: (s) =>
        new Promise<void>((resolve) =>
          waiting.push(() => {
            mainSaved.push(s);
            ctl.load(s);
            resolve();
          }),
        ),
      liveCalls: () => calls,
      ringerPorts: ports,
    });
    return {
      ctl,
      saved: mainSaved,
      answer: async () => {
        waiting.shift()!();
        await flush();
      },
    };
  }

  it('builds the next save from its own choice while main still answers with an older copy', async () => {
    const { ctl, answer, saved: inMain } = slowMain();
    await ctl.start();
    const speaker = ctl.chooseDevice('speaker', 'hs-out');
    await answer();
    await speaker;
    const speakerOnly = inMain.at(-1)!;
    // The ringer is picked; before main answers, the echo of the speaker's save comes in, and
    // the ringtone is changed.
    const ringer = ctl.chooseDevice('ringer', 'builtin-out');
    ctl.load(speakerOnly);
    expect(ctl.settings.ringer?.id).toBe('builtin-out');
    const ringtone = ctl.setRingtone('marimba');
    await answer();
    await answer();
    await Promise.all([ringer, ringtone]);
    expect(inMain.at(-1)).toMatchObject({
      speaker: { id: 'hs-out' },
      ringer: { id: 'builtin-out' },
      ringtone: 'marimba',
    });
    expect(ctl.settings).toEqual(inMain.at(-1));
    expect(ctl.ringer.state.sinkId).toBe('builtin-out');
  });

  it('keeps its choice against a copy heard while the save is on its way; takes later changes at once', async () => {
    const { ctl, answer } = slowMain();
    await ctl.start();
    const choice = ctl.chooseDevice('microphone', 'hs-in');
    // A file import changed the ring volume in main while the save was on its way.
    ctl.load({ ...DEFAULT_AUDIO, ringVolume: 0.2 });
    expect(ctl.settings.microphone?.id).toBe('hs-in');
    await answer();
    await choice;
    expect(ctl.settings.microphone?.id).toBe('hs-in');
    // A change main makes after the last answer is taken at once.
    ctl.load({ ...ctl.settings, ringVolume: 0.2 });
    expect(ctl.settings.ringVolume).toBe(0.2);
    expect(ctl.ringer.state.volume).toBe(0.2);
  });

  it('moves the ringer when its choice changes elsewhere (another window, a file import)', async () => {
    const ctl = controller();
    await ctl.start();
    ctl.syncCalls([incoming]);
    expect(ports.elements[0]?.sinkId).toBe('');
    ctl.load({ ...DEFAULT_AUDIO, ringer: { id: 'hs-out', label: 'USB Headset' } });
    await flush();
    expect(ctl.ringer.state.sinkId).toBe('hs-out');
    expect(ports.elements[0]?.sinkId).toBe('hs-out');
    ctl.load(DEFAULT_AUDIO);
    await flush();
    expect(ports.elements[0]?.sinkId).toBe('');
  });

  it('reports a call that could not switch its microphone', async () => {
    const ctl = controller();
    await ctl.start();
    calls[0]!.switchMicrophone = () => Promise.reject(new Error('device busy'));
    await ctl.chooseDevice('microphone', 'hs-in');
    expect(ctl.notice).toBe('The microphone could not be switched during the call: device busy');
  });
});
