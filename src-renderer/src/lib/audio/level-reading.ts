// One reading of a microphone level meter and the silent one, apart from the meter itself so
// the app's state can hold readings without loading the meter (it loads with the first call).

/** One reading of the level. */
export interface LevelReading {
  /** Root mean square of the last analyser window, 0..1 (full-scale sine ≈ 0.707). */
  rms: number;
  /** Largest absolute sample of the window, 0..1. */
  peak: number;
  /** dBFS of the RMS (−Infinity for silence). */
  db: number;
  /** 0..1 for a bar: −60 dBFS and below is 0, 0 dBFS is 1. */
  level: number;
  /** Speech-like level for longer than the hold time while the microphone is muted. */
  speakingWhileMuted: boolean;
}

export const SILENT_READING: LevelReading = {
  rms: 0,
  peak: 0,
  db: -Infinity,
  level: 0,
  speakingWhileMuted: false,
};
