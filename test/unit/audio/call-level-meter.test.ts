// The call's level meter without an AudioContext (issue 19): while the microphone is live it
// reads the sender's media-source energy 4 times a second and turns the energy between two
// readings into an RMS level; only while muted does it run the analyser meter (the "talking
// while muted" hint needs the microphone itself), and it stops that again on unmute; once
// stopped nothing is left running.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  CallLevelMeter,
  READ_INTERVAL_MS,
  mediaSourceEnergy,
  rmsBetween,
} from '../../../src-renderer/src/lib/audio/call-level-meter';
import type {
  LevelMeter,
  LevelMeterOptions,
} from '../../../src-renderer/src/lib/audio/level-meter';
import type { LevelReading } from '../../../src-renderer/src/lib/audio/level-reading';

/** A sender whose source plays a constant RMS level; counts its stats calls. */
function fakeSender(rms: number) {
  let seconds = 0;
  const sender = {
    calls: 0,
    rms,
    /** Time passes for the source (the energy counters grow). */
    advance(s: number) {
      seconds += s;
      energy += sender.rms * sender.rms * s;
    },
    stats(): Promise<RTCStatsReport> {
      sender.calls += 1;
      const report = new Map([
        ['ms', { type: 'outbound-rtp', kind: 'audio' }],
        [
          'src',
          {
            type: 'media-source',
            kind: 'audio',
            totalAudioEnergy: energy,
            totalSamplesDuration: seconds,
            audioLevel: sender.rms,
          },
        ],
      ]);
      return Promise.resolve(report as unknown as RTCStatsReport);
    },
  };
  let energy = 0;
  return sender;
}

/** A stand-in for the analyser meter: records whether it runs and lets the test feed it. */
function fakeMutedMeters() {
  const made: { opts: LevelMeterOptions; stopped: boolean }[] = [];
  const factory = (_track: MediaStreamTrack, opts: LevelMeterOptions): LevelMeter => {
    const entry = { opts, stopped: false };
    made.push(entry);
    return {
      stop: () => (entry.stopped = true),
      setTrack: () => {},
    } as unknown as LevelMeter;
  };
  return { made, factory };
}

const track = (enabled = true) => ({ enabled }) as unknown as MediaStreamTrack;

describe('call level meter', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reads the level from the sender every 250 ms, without an analyser', async () => {
    const sender = fakeSender(0.1);
    const muted = fakeMutedMeters();
    const readings: LevelReading[] = [];
    const meter = new CallLevelMeter(track(), {
      stats: () => sender.stats(),
      onReading: (r) => readings.push(r),
      mutedMeter: muted.factory,
    });
    for (let i = 0; i < 4; i += 1) {
      sender.advance(0.25);
      await vi.advanceTimersByTimeAsync(READ_INTERVAL_MS);
    }
    expect(READ_INTERVAL_MS).toBe(250);
    expect(sender.calls).toBe(5); // one at once, then 4 per second
    expect(muted.made).toHaveLength(0);
    const last = readings.at(-1)!;
    expect(last.rms).toBeCloseTo(0.1, 6);
    expect(last.db).toBeCloseTo(-20, 3);
    expect(last.level).toBeCloseTo(40 / 60, 3);
    expect(last.speakingWhileMuted).toBe(false);
    meter.stop();
    expect(vi.getTimerCount()).toBe(0);
  });

  it('takes a report the quality monitor read as a reading, and skips its next read of the sender', async () => {
    const sender = fakeSender(0.1);
    const readings: LevelReading[] = [];
    const meter = new CallLevelMeter(track(), {
      stats: () => sender.stats(),
      onReading: (r) => readings.push(r),
    });
    await vi.advanceTimersByTimeAsync(0);
    expect(sender.calls).toBe(1);
    const before = readings.length;
    // Between two ticks, the monitor reads the whole peer connection at another level.
    sender.rms = 0.5;
    sender.advance(0.1);
    const calls = sender.calls;
    meter.offer(await sender.stats());
    sender.calls = calls; // that read was the monitor's, not the meter's
    expect(readings).toHaveLength(before + 1);
    expect(readings.at(-1)!.rms).toBeCloseTo(0.5, 6);
    // The next tick does not ask the sender; the one after does again.
    sender.advance(0.15);
    await vi.advanceTimersByTimeAsync(READ_INTERVAL_MS);
    expect(sender.calls).toBe(1);
    sender.advance(0.25);
    await vi.advanceTimersByTimeAsync(READ_INTERVAL_MS);
    expect(sender.calls).toBe(2);
    expect(readings.at(-1)!.rms).toBeCloseTo(0.5, 6);
    const shown = readings.length;
    meter.stop();
    meter.offer(await sender.stats());
    expect(readings).toHaveLength(shown);
  });

  it('follows a change of level between two readings, not since the call began', async () => {
    const sender = fakeSender(0.5);
    const readings: LevelReading[] = [];
    const meter = new CallLevelMeter(track(), {
      stats: () => sender.stats(),
      onReading: (r) => readings.push(r),
    });
    sender.advance(10);
    await vi.advanceTimersByTimeAsync(READ_INTERVAL_MS);
    sender.rms = 0.01;
    sender.advance(0.2);
    await vi.advanceTimersByTimeAsync(READ_INTERVAL_MS);
    expect(readings.at(-1)!.rms).toBeCloseTo(0.01, 6);
    meter.stop();
  });

  it('runs the analyser only while muted, and stops it on unmute', async () => {
    const sender = fakeSender(0.1);
    const muted = fakeMutedMeters();
    let isMuted = false;
    const readings: LevelReading[] = [];
    const meter = new CallLevelMeter(track(), {
      stats: () => sender.stats(),
      isMuted: () => isMuted,
      onReading: (r) => readings.push(r),
      mutedMeter: muted.factory,
    });
    await vi.advanceTimersByTimeAsync(READ_INTERVAL_MS);
    expect(meter.listening).toBe(false);

    isMuted = true;
    await vi.advanceTimersByTimeAsync(READ_INTERVAL_MS);
    expect(meter.listening).toBe(true);
    expect(muted.made).toHaveLength(1);
    const callsWhileMuted = sender.calls;
    const hint: LevelReading = {
      rms: 0.2,
      peak: 0.3,
      db: -14,
      level: 0.77,
      speakingWhileMuted: true,
    };
    muted.made[0]!.opts.onReading!(hint);
    expect(meter.reading).toEqual(hint);
    expect(muted.made[0]!.opts.isMuted!()).toBe(true);
    await vi.advanceTimersByTimeAsync(1000);
    expect(sender.calls).toBe(callsWhileMuted); // no stats while muted
    expect(muted.made).toHaveLength(1); // one analyser, not one per tick

    isMuted = false;
    await vi.advanceTimersByTimeAsync(READ_INTERVAL_MS);
    expect(muted.made[0]!.stopped).toBe(true);
    expect(meter.listening).toBe(false);
    expect(sender.calls).toBeGreaterThan(callsWhileMuted);
    expect(readings.at(-1)!.speakingWhileMuted).toBe(false);
    meter.stop();
  });

  it('leaves nothing running once stopped, even while muted', async () => {
    const sender = fakeSender(0.1);
    const muted = fakeMutedMeters();
    const meter = new CallLevelMeter(track(false), {
      stats: () => sender.stats(),
      mutedMeter: muted.factory,
    });
    await vi.advanceTimersByTimeAsync(READ_INTERVAL_MS);
    expect(meter.listening).toBe(true); // a disabled track counts as muted by default
    meter.stop();
    expect(muted.made[0]!.stopped).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    expect(meter.reading.level).toBe(0);
  });

  it('shows silence, not an error, while the call has no sender yet', async () => {
    const readings: LevelReading[] = [];
    const meter = new CallLevelMeter(track(), {
      stats: () => null,
      onReading: (r) => readings.push(r),
    });
    await vi.advanceTimersByTimeAsync(1000);
    expect(readings).toHaveLength(0);
    expect(meter.reading.level).toBe(0);
    meter.stop();
  });
});

describe('energy to level', () => {
  it('finds the audio media-source report', () => {
    const report = new Map([
      ['a', { type: 'media-source', kind: 'video', totalAudioEnergy: 9 }],
      [
        'b',
        {
          type: 'media-source',
          kind: 'audio',
          totalAudioEnergy: 2,
          totalSamplesDuration: 8,
          audioLevel: 0.3,
        },
      ],
    ]) as unknown as RTCStatsReport;
    expect(mediaSourceEnergy(report)).toEqual({ energy: 2, duration: 8, level: 0.3 });
    expect(mediaSourceEnergy(new Map() as unknown as RTCStatsReport)).toBeNull();
  });

  it('is the RMS between two readings, or audioLevel without an interval', () => {
    const now = { energy: 1.25, duration: 10, level: 0.4 };
    expect(rmsBetween({ energy: 1, duration: 9, level: 0 }, now)).toBeCloseTo(0.5, 9);
    expect(rmsBetween(null, now)).toBe(0.4);
    // Counters that went back (a new source): the instantaneous level.
    expect(rmsBetween({ energy: 5, duration: 20, level: 0 }, now)).toBe(0.4);
  });
});
