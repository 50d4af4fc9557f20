// The settings' "test microphone": record a few seconds from the chosen microphone while
// metering it, then play the clip back on the chosen speaker, and say whether anything was heard.
import { playClip, recordClip, type ClipElement } from './device-check';
import { LevelMeter, type LevelReading } from './level-meter';

/** Below this level (dBFS RMS) the test reports that it heard nothing. */
export const HEARD_DB = -55;

export interface MicTestOptions {
  /** Opens the microphone (getUserMedia with the call's constraints). */
  open(): Promise<MediaStream>;
  /** Where to play the clip back (null = system default). */
  sinkId: string | null;
  durationMs?: number;
  onPhase?(phase: 'recording' | 'playing'): void;
  onReading?(reading: LevelReading): void;
  createElement?: () => ClipElement;
}

/** Runs the test; resolves with whether the microphone picked up any sound. */
export async function runMicTest(
  opts: MicTestOptions,
): Promise<{ heard: boolean; peakDb: number }> {
  opts.onPhase?.('recording');
  const stream = await opts.open();
  const track = stream.getAudioTracks()[0];
  let peakDb = -Infinity;
  const meter = track
    ? new LevelMeter(track, {
        onReading: (r) => {
          peakDb = Math.max(peakDb, r.db);
          opts.onReading?.(r);
        },
      })
    : null;
  let clip: Blob;
  try {
    clip = await recordClip(stream, opts.durationMs ?? 3000);
  } finally {
    meter?.stop();
    for (const t of stream.getTracks()) {
      t.stop();
    }
  }
  opts.onPhase?.('playing');
  await playClip(clip, opts.sinkId, opts.createElement);
  return { heard: peakDb > HEARD_DB, peakDb };
}
