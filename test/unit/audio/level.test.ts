// Level maths and the "talking while muted" detector (level above the threshold for more than
// 300 ms while muted), and the jitter-buffer helper on fake receivers.
import { describe, expect, it } from 'vitest';
import {
  measureLevel,
  meterLevel,
  MutedSpeechDetector,
  toDb,
} from '../../../src-renderer/src/lib/audio/level-meter';
import { applyJitterBufferTarget } from '../../../src-renderer/src/lib/audio/jitter-buffer';

describe('level maths', () => {
  it('measures RMS and peak', () => {
    const sine = Float32Array.from(
      { length: 4800 },
      (_, i) => 0.5 * Math.sin((2 * Math.PI * 440 * i) / 48000),
    );
    const { rms, peak } = measureLevel(sine);
    expect(rms).toBeCloseTo(0.5 / Math.SQRT2, 3);
    expect(peak).toBeCloseTo(0.5, 2);
    expect(measureLevel(new Float32Array(0))).toEqual({ rms: 0, peak: 0 });
  });

  it('maps dBFS onto a 60 dB meter', () => {
    expect(toDb(1)).toBe(0);
    expect(toDb(0)).toBe(-Infinity);
    expect(meterLevel(0)).toBe(1);
    expect(meterLevel(-30)).toBe(0.5);
    expect(meterLevel(-80)).toBe(0);
    expect(meterLevel(-Infinity)).toBe(0);
  });
});

describe('MutedSpeechDetector', () => {
  /** Feeds readings every 33 ms; returns when the hint appeared (ms) or null. */
  function run(
    d: MutedSpeechDetector,
    db: (t: number) => number,
    muted: (t: number) => boolean,
    until: number,
  ): number | null {
    for (let t = 0; t <= until; t += 33) {
      if (d.update(db(t), muted(t), t)) {
        return t;
      }
    }
    return null;
  }

  it('shows the hint after more than 300 ms of speech while muted', () => {
    const at = run(
      new MutedSpeechDetector(),
      () => -20,
      () => true,
      2000,
    );
    expect(at).toBeGreaterThanOrEqual(300);
    expect(at).toBeLessThan(400);
  });

  it('ignores short noises, quiet rooms and unmuted speech', () => {
    const clicks = (t: number): number => (t % 1000 < 200 ? -20 : -70);
    expect(run(new MutedSpeechDetector(), clicks, () => true, 5000)).toBeNull();
    expect(
      run(
        new MutedSpeechDetector(),
        () => -55,
        () => true,
        5000,
      ),
    ).toBeNull();
    expect(
      run(
        new MutedSpeechDetector(),
        () => -20,
        () => false,
        5000,
      ),
    ).toBeNull();
  });

  it('hides the hint at once on unmute, and after a quiet spell', () => {
    const d = new MutedSpeechDetector({ releaseMs: 1000 });
    for (let t = 0; t <= 500; t += 33) {
      d.update(-20, true, t);
    }
    expect(d.active).toBe(true);
    expect(d.update(-70, true, 600)).toBe(true);
    expect(d.update(-70, true, 1700)).toBe(false);
    d.update(-20, true, 2000);
    d.update(-20, true, 2400);
    expect(d.active).toBe(true);
    expect(d.update(-20, false, 2433)).toBe(false);
  });
});

describe('applyJitterBufferTarget', () => {
  const receiver = (kind: string, field: 'jitterBufferTarget' | 'playoutDelayHint' | null) => {
    const r: Record<string, unknown> = { track: { kind } };
    if (field) {
      r[field] = null;
    }
    return r;
  };

  it('sets the target on audio receivers, clamped to 0..4000 ms, and null restores the default', () => {
    const audio = receiver('audio', 'jitterBufferTarget');
    const video = receiver('video', 'jitterBufferTarget');
    const pc = { getReceivers: () => [audio, video] as unknown as RTCRtpReceiver[] };
    expect(applyJitterBufferTarget(pc, 50)).toBe(true);
    expect(audio.jitterBufferTarget).toBe(50);
    expect(video.jitterBufferTarget).toBeNull();
    applyJitterBufferTarget(pc, 9000);
    expect(audio.jitterBufferTarget).toBe(4000);
    applyJitterBufferTarget(pc, -5);
    expect(audio.jitterBufferTarget).toBe(0);
    applyJitterBufferTarget(pc, null);
    expect(audio.jitterBufferTarget).toBeNull();
  });

  it('falls back to playoutDelayHint (seconds), and says when nothing can be set', () => {
    const old = receiver('audio', 'playoutDelayHint');
    expect(
      applyJitterBufferTarget({ getReceivers: () => [old] as unknown as RTCRtpReceiver[] }, 150),
    ).toBe(true);
    expect(old.playoutDelayHint).toBe(0.15);
    const none = { getReceivers: () => [receiver('audio', null)] as unknown as RTCRtpReceiver[] };
    expect(applyJitterBufferTarget(none, 150)).toBe(false);
  });
});
