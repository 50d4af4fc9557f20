// Issue 19: a phone that waits costs nothing. With fakes at the browser edge that count what
// is alive: no AudioContext runs and no timer is pending before any call, after the ringer has
// rung and stopped, after ringback and call waiting have played, and after the call's level
// meter and quality monitor were stopped. The tone players keep their graph suspended (built
// ahead by the warm-up, or by their first tone), so ringing again resumes it at once, with no
// new context (ringing is never delayed), on the same output device; a kept context that fails
// is closed and replaced. The quality monitor slows down
// and speeds up on request.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_AUDIO } from '@shared/settings-types';
import { AudioController } from '../../../src-renderer/src/lib/audio/controller';
import { LevelMeter } from '../../../src-renderer/src/lib/audio/level-meter';
import { QualityMonitor } from '../../../src-renderer/src/lib/audio/quality-monitor';
import type { PolicyCall } from '../../../src-renderer/src/lib/audio/ring-policy';
import { dev, FakeMediaDevices, fakeRingerPorts, flush } from './fakes';

const call = (status: PolicyCall['status'], direction: PolicyCall['direction']): PolicyCall => ({
  status,
  direction,
  earlyMedia: false,
  hold: { local: false, remote: false },
});

/** AudioContexts made through the ports that are not closed, and those running. */
function alive(ports: ReturnType<typeof fakeRingerPorts>): { open: number; running: number } {
  return {
    open: ports.contexts.filter((c) => c.state !== 'closed').length,
    running: ports.contexts.filter((c) => c.state === 'running').length,
  };
}

describe('idle audio', () => {
  let ports: ReturnType<typeof fakeRingerPorts>;
  let ctl: AudioController;

  beforeEach(async () => {
    vi.useFakeTimers();
    ports = fakeRingerPorts();
    const devices = new FakeMediaDevices([
      dev('audioinput', 'default', 'Default'),
      dev('audiooutput', 'default', 'Default'),
      dev('audiooutput', 'speakers', 'Speakers'),
    ]);
    ctl = new AudioController(
      {
        devices,
        ringerPorts: ports,
        saveAudio: async () => {},
        liveCalls: () => [],
        setCallDefaults: () => {},
      },
      { ...DEFAULT_AUDIO, ringer: { id: 'speakers', label: 'Speakers' } },
    );
    await ctl.start();
    await flush();
  });
  afterEach(async () => {
    await ctl.dispose();
    vi.useRealTimers();
  });

  it('holds no AudioContext and no timer before any call', () => {
    expect(ports.contexts).toHaveLength(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('suspends the ringer graph, lets its element go and clears its timer when the ringing stops', async () => {
    ctl.syncCalls([call('incoming', 'incoming')]);
    expect(alive(ports)).toEqual({ open: 1, running: 1 });
    expect(vi.getTimerCount()).toBe(1); // the ringer's scheduler
    ctl.syncCalls([call('answering', 'incoming')]);
    await flush();
    // Kept, but suspended: it renders nothing and holds no output stream.
    expect(alive(ports)).toEqual({ open: 1, running: 0 });
    expect(ports.contexts[0]!.state).toBe('suspended');
    expect(ctl.ringer.active).toBe(false);
    expect(ctl.ringer.built).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(ports.elements[0]!.srcObject).toBeNull();
    expect(ports.elements[0]!.playing).toBe(false);
  });

  it('rings again at once on the same graph, resumed, with the same element and device', async () => {
    ctl.syncCalls([call('incoming', 'incoming')]);
    ctl.syncCalls([]);
    await flush();
    const before = ports.contexts[0]!.oscillators.length;
    ctl.syncCalls([call('incoming', 'incoming')]);
    // Synchronously: no new context, the kept one runs again and its first notes are scheduled.
    expect(ports.contexts).toHaveLength(1);
    expect(ports.contexts[0]!.state).toBe('running');
    expect(ports.contexts[0]!.oscillators.length).toBeGreaterThan(before);
    expect(ports.elements).toHaveLength(1);
    expect(ports.elements[0]!.sinkId).toBe('speakers');
    expect(ports.elements[0]!.srcObject).toBe(ports.contexts[0]!.dest.stream);
    expect(ports.elements[0]!.playing).toBe(true);
    expect(ctl.ringer.outputStream).toBe(ports.contexts[0]!.dest.stream);
    ctl.syncCalls([]);
    await flush();
    expect(alive(ports)).toEqual({ open: 1, running: 0 });
  });

  it('warms both players with graphs it suspends at once, which ringing and ringback then resume', async () => {
    ctl.warmOutput();
    await flush();
    expect(ports.contexts).toHaveLength(2);
    expect(alive(ports)).toEqual({ open: 2, running: 0 });
    expect(ports.elements.map((e) => [e.srcObject, e.playing])).toEqual([
      [null, false],
      [null, false],
    ]);
    // The ringer's element is on its device before any ring.
    expect(ports.elements[0]!.sinkId).toBe('speakers');
    expect(vi.getTimerCount()).toBe(0);
    expect(ctl.ringer.active || ctl.callTones.active).toBe(false);
    // Ringing afterwards makes no context: the ringer's runs, at once, with its notes.
    ctl.syncCalls([call('incoming', 'incoming')]);
    expect(ports.contexts).toHaveLength(2);
    expect(ports.contexts[0]!.state).toBe('running');
    expect(ports.contexts[0]!.oscillators.length).toBeGreaterThan(0);
    ctl.syncCalls([]);
    // Nor ringback.
    ctl.syncCalls([call('ringing', 'outgoing')]);
    expect(ports.contexts).toHaveLength(2);
    expect(ports.contexts[1]!.state).toBe('running');
    expect(ports.contexts[1]!.oscillators.length).toBeGreaterThan(0);
    ctl.syncCalls([]);
    await flush();
    expect(alive(ports)).toEqual({ open: 2, running: 0 });
  });

  it('does not warm a player whose graph exists (a tone plays on it)', () => {
    ctl.syncCalls([call('incoming', 'incoming')]);
    ctl.warmOutput();
    // The ringer keeps its running graph; only the call tones get one, suspended.
    expect(ports.contexts).toHaveLength(2);
    expect(ports.contexts.map((c) => c.state)).toEqual(['running', 'suspended']);
    ctl.warmOutput();
    expect(ports.contexts).toHaveLength(2);
    // Ringback: the ringer's graph is suspended, the call tones' runs.
    ctl.syncCalls([call('ringing', 'outgoing')]);
    expect(ctl.callTones.state.playing).toMatch(/^ringback/);
    expect(ports.contexts.map((c) => c.state)).toEqual(['suspended', 'running']);
  });

  it('closes a kept context that cannot resume and rings at once on a new one', async () => {
    ctl.warmOutput();
    await flush();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    ports.contexts[0]!.failResume = new DOMException('device gone', 'InvalidStateError');
    ctl.syncCalls([call('incoming', 'incoming')]);
    await flush();
    expect(warn.mock.calls.flat().join(' ')).toContain('device gone');
    warn.mockRestore();
    expect(ports.contexts).toHaveLength(3);
    expect(ports.contexts[0]!.state).toBe('closed');
    expect(ports.contexts[2]!.state).toBe('running');
    expect(ports.contexts[2]!.oscillators.length).toBeGreaterThan(0);
    expect(ctl.ringer.state.playing).toBe(ctl.settings.ringtone);
    expect(ports.elements[0]!.srcObject).toBe(ports.contexts[2]!.dest.stream);
    expect(vi.getTimerCount()).toBe(1);
    // A context built for the ring playing now is not built again when it fails too: no loop.
    ports.contexts[2]!.fail();
    expect(ports.contexts).toHaveLength(3);
    ctl.syncCalls([]);
    await flush();
    expect(alive(ports)).toEqual({ open: 2, running: 0 });
  });

  it('closes a kept context that reports an error; the next ring builds a new one', async () => {
    ctl.syncCalls([call('incoming', 'incoming')]);
    ctl.syncCalls([]);
    await flush();
    ports.contexts[0]!.fail();
    expect(ports.contexts[0]!.state).toBe('closed');
    expect(ctl.ringer.built).toBe(false);
    ctl.syncCalls([call('incoming', 'incoming')]);
    expect(ports.contexts).toHaveLength(2);
    expect(ports.contexts[1]!.state).toBe('running');
    expect(ports.elements).toHaveLength(1);
    expect(ports.elements[0]!.srcObject).toBe(ports.contexts[1]!.dest.stream);
  });

  it('logs and goes on when no context can be made (no output device)', () => {
    const failing = new AudioController(
      {
        devices: new FakeMediaDevices([]),
        ringerPorts: {
          createContext: () => {
            throw new DOMException('no output device', 'NotSupportedError');
          },
          createElement: () => ports.createElement(),
        },
        saveAudio: async () => {},
        liveCalls: () => [],
      },
      DEFAULT_AUDIO,
    );
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(() => failing.warmOutput()).not.toThrow();
    expect(warn.mock.calls.flat().join(' ')).toContain('audio output unavailable');
    warn.mockRestore();
  });

  it('runs nothing after ringback and call waiting', async () => {
    ctl.syncCalls([call('ringing', 'outgoing')]);
    expect(ctl.callTones.state.playing).toMatch(/^ringback/);
    ctl.syncCalls([call('active', 'outgoing'), call('incoming', 'incoming')]);
    expect(ctl.callTones.state.playing).toBe('call-waiting');
    ctl.syncCalls([call('active', 'outgoing')]);
    ctl.syncCalls([]);
    await flush();
    expect(ctl.ringer.active || ctl.callTones.active).toBe(false);
    expect(alive(ports)).toEqual({ open: 1, running: 0 });
    expect(vi.getTimerCount()).toBe(0);
  });

  it('closes the kept graphs when disposed', async () => {
    ctl.warmOutput();
    await flush();
    await ctl.dispose();
    expect(ports.contexts.map((c) => c.state)).toEqual(['closed', 'closed']);
    expect(ctl.ringer.built || ctl.callTones.built).toBe(false);
  });
});

describe('call meters stop completely', () => {
  afterEach(() => vi.useRealTimers());

  it('a level meter reads at 10 Hz and leaves no context or timer once stopped', async () => {
    vi.useFakeTimers();
    const ports = fakeRingerPorts();
    const readings: number[] = [];
    const clone = { enabled: false, stop: vi.fn() };
    const track = { enabled: true, clone: () => clone } as unknown as MediaStreamTrack;
    vi.stubGlobal(
      'MediaStream',
      class {
        constructor(readonly tracks: unknown[]) {}
      },
    );
    const meter = new LevelMeter(track, {
      createContext: () => {
        const ctx = ports.createContext() as unknown as Record<string, unknown>;
        ctx.createMediaStreamSource = () => ({ connect: () => {}, disconnect: () => {} });
        ctx.createAnalyser = () => ({
          fftSize: 0,
          getFloatTimeDomainData: (b: Float32Array) => b.fill(0.1),
        });
        return ctx as unknown as AudioContext;
      },
      onReading: (r) => readings.push(r.rms),
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(readings).toHaveLength(10);
    expect(alive(ports)).toEqual({ open: 1, running: 1 });
    meter.stop();
    await flush();
    expect(alive(ports)).toEqual({ open: 0, running: 0 });
    expect(clone.stop).toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
    vi.unstubAllGlobals();
  });

  it('a quality monitor polls at the rate asked, and not at all once stopped', async () => {
    vi.useFakeTimers();
    let polls = 0;
    const monitor = new QualityMonitor(
      {
        getStats: () => {
          polls += 1;
          return Promise.resolve([]);
        },
        iceState: () => 'connected',
        callState: () => ({ active: true, heldLocal: false, heldRemote: false }),
      },
      { intervalMs: 1000 },
    );
    monitor.start();
    await vi.advanceTimersByTimeAsync(3000);
    expect(polls).toBe(4); // at start, then each second
    monitor.setPollInterval(10_000); // the window was hidden
    await vi.advanceTimersByTimeAsync(9000);
    expect(polls).toBe(4);
    await vi.advanceTimersByTimeAsync(1000);
    expect(polls).toBe(5);
    monitor.setPollInterval(1000);
    await vi.advanceTimersByTimeAsync(2000);
    expect(polls).toBe(7);
    monitor.stop();
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(5000);
    expect(polls).toBe(7);
  });
});
