// An AudioContext for processing only (recording mixes, the consent mix, noise suppression): at
// 48 kHz, the rate RNNoise and Opus work at (Chromium resamples microphone and remote tracks to
// it), and without an output device (`sinkId: {type: 'none'}`, Chromium 110+), so it never
// opens or holds the speaker; it renders on its own clock. Where that option is refused, a
// normal context at 48 kHz is used.

/** The sample rate every processing graph runs at. */
export const PROCESSING_RATE = 48_000;

export type AudioContextFactory = () => AudioContext;

/** A 48 kHz context that plays nowhere. */
export function createProcessingContext(): AudioContext {
  try {
    // AudioSinkOptions is not in TypeScript's DOM typings yet.
    return new AudioContext({
      sampleRate: PROCESSING_RATE,
      latencyHint: 'interactive',
      sinkId: { type: 'none' },
    } as AudioContextOptions);
  } catch {
    return new AudioContext({ sampleRate: PROCESSING_RATE, latencyHint: 'interactive' });
  }
}

/** Resumes a context that started suspended (no user gesture yet); resolves once running. */
export async function ensureRunning(context: AudioContext): Promise<void> {
  if (context.state === 'suspended') {
    await context.resume();
  }
}
