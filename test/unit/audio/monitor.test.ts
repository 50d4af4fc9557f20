// The quality monitor with fake timers and a scripted stats source: the no-audio warning after
// 3 s without packets on an active call (not when held here; with the hold sentence when the
// other side holds), ICE warnings, clearing when audio returns, and the history summary.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  QualityAccumulator,
  QualityMonitor,
  warningFor,
  type MonitorSource,
  type QualityWarning,
} from '../../../src-renderer/src/lib/audio/quality-monitor';
import { mosFromR, type QualityFigures } from '../../../src-renderer/src/lib/audio/quality';

/** A stats source whose packet counter and states the test controls. */
class Script implements MonitorSource {
  packets = 0;
  flowing = true;
  ice: string | null = 'connected';
  state = { active: true, heldLocal: false, heldRemote: false };
  t = 0;
  jitter = 0.004;
  getStats(): Promise<unknown[]> {
    this.t += 1000;
    if (this.flowing) {
      this.packets += 50;
    }
    return Promise.resolve([
      {
        id: 'C',
        type: 'codec',
        timestamp: this.t,
        mimeType: 'audio/opus',
        clockRate: 48000,
        channels: 2,
      },
      {
        id: 'I',
        type: 'inbound-rtp',
        kind: 'audio',
        timestamp: this.t,
        codecId: 'C',
        packetsReceived: this.packets,
        packetsLost: 0,
        bytesReceived: this.packets * 80,
        jitter: this.jitter,
        jitterBufferDelay: this.packets * 960 * 0.04,
        jitterBufferEmittedCount: this.packets * 960,
        concealedSamples: 0,
        totalSamplesReceived: this.packets * 960,
      },
      {
        id: 'R',
        type: 'remote-inbound-rtp',
        kind: 'audio',
        timestamp: this.t,
        roundTripTime: 0.01,
      },
    ]);
  }
  iceState(): string | null {
    return this.ice;
  }
  callState(): { active: boolean; heldLocal: boolean; heldRemote: boolean } {
    return this.state;
  }
}

describe('QualityMonitor', () => {
  let script: Script;
  let monitor: QualityMonitor;
  let warnings: (QualityWarning | null)[];

  beforeEach(() => {
    vi.useFakeTimers();
    script = new Script();
    monitor = new QualityMonitor(script, { now: () => Date.now() });
    warnings = [];
    monitor.on('warning', (w) => warnings.push(w));
    monitor.start();
  });
  afterEach(() => {
    monitor.stop();
    vi.useRealTimers();
  });

  const seconds = async (n: number): Promise<void> => {
    await vi.advanceTimersByTimeAsync(n * 1000);
  };

  it('warns after 3 s without audio and clears when audio comes back', async () => {
    await seconds(3);
    expect(monitor.warning).toBeNull();
    script.flowing = false;
    await seconds(2);
    expect(monitor.warning).toBeNull();
    await seconds(2);
    expect(monitor.warning).toMatchObject({
      kind: 'no-audio',
      message:
        'No sound has arrived from the other side for 3 seconds. The connection may be interrupted.',
    });
    script.flowing = true;
    await seconds(1);
    expect(monitor.warning).toBeNull();
    expect(warnings.map((w) => w?.kind ?? null)).toEqual(['no-audio', null]);
  });

  it('stays quiet while the call is on hold here, and counts again from the resume', async () => {
    script.state = { active: true, heldLocal: true, heldRemote: false };
    script.flowing = false;
    await seconds(6);
    expect(monitor.warning).toBeNull();
    script.state = { active: true, heldLocal: false, heldRemote: false };
    await seconds(2);
    expect(monitor.warning).toBeNull();
    await seconds(2);
    expect(monitor.warning?.kind).toBe('no-audio');
  });

  it('says the other side holds the call when that is why nothing arrives', async () => {
    script.flowing = false;
    script.state = { active: true, heldLocal: false, heldRemote: true };
    await seconds(5);
    expect(monitor.warning?.message).toBe(
      'No sound for 3 seconds: the other side has put the call on hold.',
    );
  });

  it('warns at once when ICE disconnects or fails', async () => {
    await seconds(1);
    script.ice = 'disconnected';
    await seconds(1);
    expect(monitor.warning?.kind).toBe('ice-disconnected');
    script.ice = 'failed';
    await seconds(1);
    expect(monitor.warning).toMatchObject({
      kind: 'ice-failed',
      message: 'The connection to the other side failed. Audio cannot get through.',
    });
    script.ice = 'connected';
    await seconds(1);
    expect(monitor.warning).toBeNull();
  });

  it('keeps the call summary for the history with exactly the agreed fields', async () => {
    script.jitter = 0.002;
    await seconds(2);
    script.jitter = 0.009;
    await seconds(1);
    script.jitter = 0.003;
    await seconds(2);
    const summary = monitor.summary;
    expect(Object.keys(summary).sort()).toEqual([
      'codec',
      'concealedPct',
      'jitterMs',
      'lossPct',
      'mos',
      'rttMs',
    ]);
    expect(summary).toMatchObject({
      codec: 'opus/48000/2',
      jitterMs: 9,
      lossPct: 0,
      rttMs: 10,
      concealedPct: 0,
    });
    // 40 ms jitter buffer + 5 ms (RTT/2) + 20 ms packetisation = 65 ms one way.
    expect(summary.mos).toBeCloseTo(mosFromR(93.2 - 0.024 * 65), 2);
    expect(monitor.details.samples).toBeGreaterThanOrEqual(4);
  });

  it('sums up a two-day call: the mean, the lowest and the highest of every second', () => {
    const acc = new QualityAccumulator();
    const figures = (second: number): QualityFigures =>
      ({
        mos: second === 5000 ? 2.5 : 4 + (second % 2) * 0.2,
        rttMs: second % 2 ? 30 : 10,
        jitterMs: second === 70_000 ? 25 : 3,
        totalLossPct: 0.5,
        totalConcealedPct: 1,
        codec: { mimeType: 'audio/opus', clockRate: 48000, channels: 2 },
      }) as unknown as QualityFigures;
    const days = 2 * 86_400; // a sample a second; Math.min(...samples) threw past ~130,000
    for (let second = 0; second < days; second += 1) {
      acc.add(figures(second));
    }
    const details = acc.details;
    expect(details.samples).toBe(days);
    expect(details.minMos).toBe(2.5);
    expect(details.avgMos).toBeCloseTo((4 * (days / 2) + 4.2 * (days / 2) - 1.5) / days, 2);
    expect(details.rttMs).toBe(20);
    expect(details.maxJitterMs).toBe(25);
    expect(acc.summary).toEqual({
      mos: details.avgMos,
      jitterMs: 25,
      lossPct: 0.5,
      rttMs: 20,
      codec: 'opus/48000/2',
      concealedPct: 1,
    });
  });

  it('reports no figures before the first sample', () => {
    expect(new QualityAccumulator().details).toMatchObject({
      samples: 0,
      mos: null,
      minMos: null,
      avgMos: null,
      rttMs: null,
      jitterMs: null,
    });
  });

  it('does nothing before the call has a peer connection', async () => {
    monitor.stop();
    const idle = new QualityMonitor({
      getStats: () => null,
      iceState: () => null,
      callState: () => ({ active: false, heldLocal: false, heldRemote: false }),
    });
    await idle.poll();
    expect(idle.figures).toBeNull();
    expect(idle.warning).toBeNull();
  });
});

describe('warningFor', () => {
  const base = {
    now: 10_000,
    ice: 'connected',
    active: true,
    heldLocal: false,
    heldRemote: false,
    lastAudioAt: 9_000,
    noAudioMs: 3000,
  };

  it('is silent for calls that are not active', () => {
    expect(warningFor({ ...base, active: false, ice: 'failed', lastAudioAt: 0 })).toBeNull();
  });

  it('puts ICE problems before missing audio', () => {
    expect(warningFor({ ...base, ice: 'disconnected', lastAudioAt: 0 })?.kind).toBe(
      'ice-disconnected',
    );
  });

  it('warns exactly from the threshold on', () => {
    expect(warningFor({ ...base, lastAudioAt: 7_001 })).toBeNull();
    expect(warningFor({ ...base, lastAudioAt: 7_000 })?.kind).toBe('no-audio');
  });
});
