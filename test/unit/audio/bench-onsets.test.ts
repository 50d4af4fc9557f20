// The latency benchmark's pure parts: pairing sent and received burst onsets, the irregular
// burst file, and merging interleaved rounds.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchOnsets, writeIrregularBursts } from '../../bench/pages/audio/onsets';
import { aggregate } from '../../bench/pages/audio/report';
import { detectBursts, readWav } from '../../support/wav';

describe('matchOnsets', () => {
  it('pairs each received onset with the latest sent one before it', () => {
    expect(matchOnsets([0, 500, 1000], [60, 555, 1070], 400)).toEqual([60, 55, 70]);
  });

  it('skips lost bursts, spurious onsets and delays beyond the limit', () => {
    // 500 was lost; 700 is a spurious onset after 500 (200 ms), 1600 is 600 ms late.
    expect(matchOnsets([0, 500, 1000], [60, 1070, 1600], 400)).toEqual([60, 70]);
    expect(matchOnsets([0, 500], [30, 40], 400)).toEqual([30]);
    expect(matchOnsets([100], [50], 400)).toEqual([]);
  });
});

describe('writeIrregularBursts', () => {
  it('writes bursts where it says, with gaps in the given range', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bursts-'));
    try {
      const path = join(dir, 'b.wav');
      const starts = writeIrregularBursts(path, {
        freq: 1000,
        burstMs: 60,
        minGapMs: 350,
        maxGapMs: 650,
        count: 12,
      });
      const wav = readWav(path);
      const found = detectBursts(wav.samples, wav.sampleRate, { threshold: 0.05 });
      expect(found).toHaveLength(12);
      found.forEach((b, i) => expect(Math.abs(b.startSec - starts[i]!)).toBeLessThan(0.011));
      const gaps = starts.slice(1).map((s, i) => s - starts[i]!);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(0.41);
      expect(Math.max(...gaps)).toBeLessThanOrEqual(0.71);
      expect(new Set(gaps.map((g) => g.toFixed(3))).size).toBeGreaterThan(6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('aggregate', () => {
  it('merges the rounds of one setup and target', () => {
    const cells = aggregate([
      { setup: 'app-app', jitterBufferTarget: null, delays: [50, 60], sent: 2, jitterBufferMs: 40 },
      { setup: 'baseline', jitterBufferTarget: null, delays: [45], sent: 1, jitterBufferMs: 35 },
      { setup: 'app-app', jitterBufferTarget: null, delays: [70], sent: 2, jitterBufferMs: 60 },
    ]);
    expect(cells).toHaveLength(2);
    expect(cells[0]).toMatchObject({ setup: 'app-app', sent: 4, jitterBufferMs: [40, 60] });
    expect(cells[0]!.delay).toMatchObject({ n: 3, p50: 60, min: 50, max: 70 });
  });
});
