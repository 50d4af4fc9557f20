// Device identity: lists from enumerateDevices (with and without labels), a saved choice found
// by id, then by label after a replug changed the id, the system default, and the
// lost/back transitions the DeviceManager reports on devicechange.
import { describe, expect, it } from 'vitest';
import {
  DeviceManager,
  listAudioDevices,
  resolveChoice,
  transitionOf,
  type DeviceTransition,
} from '../../../src-renderer/src/lib/audio/devices';
import { dev, FakeMediaDevices, flush } from './fakes';

// What Chromium's fake devices look like (ids shortened).
const CHROMIUM = [
  dev('audioinput', 'default', 'Fake Default Audio Input'),
  dev('audioinput', 'in1', 'Fake Audio Input 1'),
  dev('audioinput', 'in2', 'Fake Audio Input 2'),
  { kind: 'videoinput', deviceId: 'v1', label: 'fake_device_0', groupId: 'gv' },
  dev('audiooutput', 'default', 'Fake Default Audio Output'),
  dev('audiooutput', 'out1', 'Fake Audio Output 1'),
  dev('audiooutput', 'out2', 'Fake Audio Output 2'),
];
const HEADSET_IN = dev('audioinput', 'hs-in', 'Jabra Evolve 65 (0b0e:030c)', 'g-hs');
const HEADSET_OUT = dev('audiooutput', 'hs-out', 'Jabra Evolve 65 (0b0e:030c)', 'g-hs');

describe('listAudioDevices', () => {
  it('lists real audio devices, not the default pseudo-device or video', () => {
    const lists = listAudioDevices(CHROMIUM);
    expect(lists.inputs.map((d) => d.label)).toEqual(['Fake Audio Input 1', 'Fake Audio Input 2']);
    expect(lists.outputs.map((d) => d.id)).toEqual(['out1', 'out2']);
    expect(lists.labelsAvailable).toBe(true);
    expect(lists.defaultInputLabel).toBe('Fake Default Audio Input');
  });

  it('names devices by position while labels are hidden (no permission yet)', () => {
    const hidden = [
      dev('audioinput', 'a', ''),
      dev('audioinput', 'b', ''),
      dev('audiooutput', 'c', ''),
    ];
    const lists = listAudioDevices(hidden);
    expect(lists.labelsAvailable).toBe(false);
    expect(lists.inputs.map((d) => d.label)).toEqual(['Microphone 1', 'Microphone 2']);
    expect(lists.outputs.map((d) => d.label)).toEqual(['Speaker 1']);
    // Chromium without permission gives one entry per kind with an empty id: nothing to pick.
    expect(listAudioDevices([dev('audioinput', '', '')]).inputs).toEqual([]);
  });

  it('strips Chromium\'s "Default - " prefix from the default label', () => {
    const lists = listAudioDevices([dev('audioinput', 'default', 'Default - USB Headset')]);
    expect(lists.defaultInputLabel).toBe('USB Headset');
  });
});

describe('resolveChoice', () => {
  const inputs = listAudioDevices([...CHROMIUM, HEADSET_IN]).inputs;

  it('treats null, "default" and an empty id as the system default', () => {
    expect(resolveChoice(null, inputs)).toEqual({ status: 'default' });
    expect(resolveChoice({ id: 'default', label: 'x' }, inputs).status).toBe('default');
    expect(resolveChoice({ id: '', label: 'x' }, inputs).status).toBe('default');
  });

  it('finds a device by id first', () => {
    const r = resolveChoice({ id: 'hs-in', label: 'old name' }, inputs);
    expect(r).toMatchObject({ status: 'found', by: 'id', device: { id: 'hs-in' } });
  });

  it('finds a replugged device by its label when the id changed', () => {
    const r = resolveChoice({ id: 'stale-id', label: 'Jabra Evolve 65 (0b0e:030c)' }, inputs);
    expect(r).toMatchObject({ status: 'found', by: 'label', device: { id: 'hs-in' } });
    // A label saved from Chromium's default entry still matches the real device.
    const prefixed = resolveChoice(
      { id: 'gone', label: 'Default - Jabra Evolve 65 (0b0e:030c)' },
      inputs,
    );
    expect(prefixed).toMatchObject({ status: 'found', device: { id: 'hs-in' } });
  });

  it('reports a device that is not there as missing, or unknown while labels are hidden', () => {
    expect(resolveChoice({ id: 'x', label: 'Unplugged' }, inputs)).toEqual({ status: 'missing' });
    expect(resolveChoice({ id: 'x', label: 'Unplugged' }, [], false)).toEqual({
      status: 'unknown',
    });
  });
});

describe('transitionOf', () => {
  const choice = { id: 'hs-in', label: 'Jabra Evolve 65 (0b0e:030c)' };
  const found = {
    status: 'found',
    by: 'id',
    device: { ...listAudioDevices([HEADSET_IN]).inputs[0]! },
  } as const;

  it('reports a lost device with a fallback to the default and a plain sentence', () => {
    const t = transitionOf('microphone', choice, found, { status: 'missing' });
    expect(t).toEqual({
      role: 'microphone',
      change: 'lost',
      choice,
      deviceId: null,
      notice:
        'Jabra Evolve 65 (0b0e:030c) was disconnected. The microphone is now the system default.',
    });
  });

  it('reports a device that came back with the id to move to', () => {
    const t = transitionOf('speaker', choice, { status: 'missing' }, found);
    expect(t?.change).toBe('back');
    expect(t?.deviceId).toBe('hs-in');
    expect(t?.notice).toMatch(/is back/);
  });

  it('reports nothing for the system default or unchanged states', () => {
    expect(transitionOf('microphone', null, found, { status: 'missing' })).toBeNull();
    expect(transitionOf('microphone', choice, found, found)).toBeNull();
    expect(
      transitionOf('microphone', choice, { status: 'missing' }, { status: 'missing' }),
    ).toBeNull();
  });
});

describe('DeviceManager', () => {
  async function started(devices: FakeMediaDevices): Promise<{
    manager: DeviceManager;
    transitions: DeviceTransition[];
  }> {
    const manager = new DeviceManager(devices);
    const transitions: DeviceTransition[] = [];
    manager.on('transition', (t) => transitions.push(t));
    manager.setChoices({
      microphone: { id: 'hs-in', label: HEADSET_IN.label },
      speaker: { id: 'hs-out', label: HEADSET_OUT.label },
      ringer: { id: 'out2', label: 'Fake Audio Output 2' },
    });
    await manager.start();
    return { manager, transitions };
  }

  it('follows unplugging and replugging of a headset (new ids after the replug)', async () => {
    const media = new FakeMediaDevices([...CHROMIUM, HEADSET_IN, HEADSET_OUT]);
    const { manager, transitions } = await started(media);
    expect(manager.deviceIdFor('microphone')).toBe('hs-in');

    media.plug(CHROMIUM);
    await flush();
    expect(transitions.map((t) => [t.role, t.change, t.deviceId])).toEqual([
      ['microphone', 'lost', null],
      ['speaker', 'lost', null],
    ]);
    expect(manager.deviceIdFor('microphone')).toBeNull();
    expect(manager.deviceIdFor('ringer')).toBe('out2');

    media.plug([
      ...CHROMIUM,
      { ...HEADSET_IN, deviceId: 'hs-in-2' },
      { ...HEADSET_OUT, deviceId: 'hs-out-2' },
    ]);
    await flush();
    expect(transitions.slice(2).map((t) => [t.role, t.change, t.deviceId])).toEqual([
      ['microphone', 'back', 'hs-in-2'],
      ['speaker', 'back', 'hs-out-2'],
    ]);
    manager.stop();
    expect(media.listenerCount).toBe(0);
  });

  it('keeps only the newest enumeration when devicechange events come in a burst', async () => {
    const media = new FakeMediaDevices([...CHROMIUM, HEADSET_IN]);
    const { manager, transitions } = await started(media);
    media.plug(CHROMIUM);
    media.plug([...CHROMIUM, HEADSET_IN]);
    await flush();
    expect(transitions).toEqual([]);
    expect(manager.lists.inputs).toHaveLength(3);
  });

  it('reports a changed OS default device', async () => {
    const media = new FakeMediaDevices(CHROMIUM);
    const manager = new DeviceManager(media);
    const kinds: string[] = [];
    manager.on('default-changed', (kind) => kinds.push(kind));
    await manager.start();
    media.plug(
      CHROMIUM.map((d) =>
        d.kind === 'audioinput' && d.deviceId === 'default'
          ? { ...d, label: 'Default - Headset' }
          : d,
      ),
    );
    await flush();
    expect(kinds).toEqual(['audioinput']);
  });

  it('does not report a loss while labels are hidden', async () => {
    const media = new FakeMediaDevices([...CHROMIUM, HEADSET_IN]);
    const { transitions } = await started(media);
    media.plug([dev('audioinput', '', ''), dev('audiooutput', '', '')]);
    await flush();
    expect(transitions).toEqual([]);
  });
});
