// "Test microphone" and "test speaker" in the settings: record a few seconds from the chosen
// microphone and play them back on the chosen speaker; play a short arpeggio on an output.
import { Ringer, type RingerPorts } from './ringer';
import { SPEAKER_TEST } from './tones';

/** The parts of an audio element a playback needs. */
export interface ClipElement {
  src: string;
  play(): Promise<void>;
  pause(): void;
  setSinkId?(sinkId: string): Promise<void>;
  addEventListener(type: 'ended' | 'error', listener: () => void, opts?: { once: boolean }): void;
}

/** Records `stream` for `ms` milliseconds (MediaRecorder); resolves to the clip. */
export function recordClip(
  stream: MediaStream,
  ms: number,
  createRecorder: (stream: MediaStream) => MediaRecorder = (s) => new MediaRecorder(s),
): Promise<Blob> {
  return new Promise<Blob>((resolve, reject) => {
    const recorder = createRecorder(stream);
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => {
      if (event.data.size > 0) {
        chunks.push(event.data);
      }
    };
    recorder.onstop = () => resolve(new Blob(chunks, { type: recorder.mimeType }));
    recorder.onerror = () => reject(new Error('The recording failed.'));
    recorder.start();
    setTimeout(() => {
      if (recorder.state !== 'inactive') {
        recorder.stop();
      }
    }, ms);
  });
}

/** Plays a recorded clip on `sinkId` (null = system default); resolves when it ended. */
export async function playClip(
  clip: Blob,
  sinkId: string | null,
  createElement: () => ClipElement = () => new Audio(),
): Promise<void> {
  const url = URL.createObjectURL(clip);
  const element = createElement();
  try {
    if (sinkId && element.setSinkId) {
      await element.setSinkId(sinkId);
    }
    element.src = url;
    const done = new Promise<void>((resolve, reject) => {
      element.addEventListener('ended', () => resolve(), { once: true });
      element.addEventListener('error', () => reject(new Error('The clip could not be played.')), {
        once: true,
      });
    });
    await element.play();
    await done;
  } finally {
    element.pause();
    URL.revokeObjectURL(url);
  }
}

/**
 * Plays the speaker-test arpeggio on `sinkId` (null = system default) for `ms` milliseconds
 * at `volume`; resolves when it stopped. Rejects when the device cannot be used.
 */
export async function playSpeakerTest(
  sinkId: string | null,
  opts: { ms?: number; volume?: number; ports?: RingerPorts } = {},
): Promise<void> {
  const player = new Ringer(opts.ports);
  try {
    player.setVolume(opts.volume ?? 0.8);
    await player.setSink(sinkId);
    player.start(SPEAKER_TEST);
    await new Promise((resolve) => setTimeout(resolve, opts.ms ?? 2400));
  } finally {
    await player.dispose();
  }
}
