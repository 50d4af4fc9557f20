// What the page and the PCM recorder worklet say to each other (kept apart from the worklet so
// importing it never pulls the worklet's registerProcessor call into the page's bundle).

/** The name the page creates the node with. */
export const PCM_PROCESSOR = 'softphone-pcm-recorder';

export interface PcmProcessorOptions {
  channels: 1 | 2;
  /** Frames per chunk posted to the page. */
  chunkFrames: number;
}

/** Worklet → page. */
export type PcmMessage = { type: 'pcm'; buffer: ArrayBuffer; frames: number } | { type: 'flushed' };

/** Page → worklet. */
export type PcmCommand = 'pause' | 'resume' | 'flush';
