// The consent announcement: "this call is being recorded" (the built-in chime + speech, or a
// file the user picked) mixed into what the other side hears when recording starts. The track
// being sent (microphone or a conference mix) and the notice are mixed with Web Audio, the mix
// replaces the sending track (RTCRtpSender.replaceTrack: no renegotiation), and when the notice
// has played the previous track is put back. The user's voice stays in the mix, a little lower.
import {
  createProcessingContext,
  ensureRunning,
  type AudioContextFactory,
} from '../audio/processing-context';
import type { TrackTarget } from '../audio/track-target';
import noticeBase64 from '../../assets/recording-notice.ogg?base64';

/** How loud the user's own voice stays under the notice. */
export const VOICE_UNDER_NOTICE = 0.5;
/** Extra time allowed past the notice's length before giving up waiting for its end. */
const END_MARGIN_MS = 3000;

/** The built-in notice's encoded bytes (inlined in this lazily loaded chunk: no fetch, no CSP change). */
export function builtInNotice(): ArrayBuffer {
  const binary = atob(noticeBase64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) {
    bytes[i] = binary.charCodeAt(i);
  }
  return bytes.buffer;
}

export interface AnnouncementOptions {
  /** Encoded audio of the user's own notice (recording/read-announcement); null = built-in. */
  file?: ArrayBuffer | null;
  createContext?: AudioContextFactory;
  /** Called with the mixed track when it goes out, and with the restored one when it ends. */
  onTrack?: (track: MediaStreamTrack | null) => void;
}

/** One announcement in progress; `done` settles when the previous track is back. */
export interface Announcement {
  /** The notice's length in seconds. */
  readonly seconds: number;
  readonly done: Promise<void>;
  /** Ends it now (the call ended or recording was stopped) and puts the previous track back. */
  cancel(): Promise<void>;
}

/**
 * Starts playing the notice to the other side. Resolves once the mix is being sent; a notice
 * that cannot be decoded rejects before anything is replaced.
 */
export async function announceRecording(
  target: TrackTarget,
  options: AnnouncementOptions = {},
): Promise<Announcement> {
  const context = (options.createContext ?? createProcessingContext)();
  let buffer: AudioBuffer;
  try {
    buffer = await context.decodeAudioData(options.file ?? builtInNotice());
  } catch {
    await context.close();
    throw new Error('The announcement file could not be decoded as audio.');
  }
  const previous = target.current();
  const mix = context.createMediaStreamDestination();
  // A clone keeps the voice in the mix even while the call's own track is replaced.
  const voice = previous?.clone() ?? null;
  if (voice) {
    const gain = new GainNode(context, { gain: VOICE_UNDER_NOTICE });
    context
      .createMediaStreamSource(new MediaStream([voice]))
      .connect(gain)
      .connect(mix);
  }
  const notice = new AudioBufferSourceNode(context, { buffer });
  notice.connect(mix);
  await ensureRunning(context);
  const track = mix.stream.getAudioTracks()[0] ?? null;
  await target.replace(track);
  options.onTrack?.(track);

  let finished = false;
  let limit: ReturnType<typeof setTimeout> | undefined;
  const finish = async (): Promise<void> => {
    if (finished) {
      return;
    }
    finished = true;
    clearTimeout(limit);
    // Only put the previous track back if nobody replaced ours meanwhile.
    if (target.current() === track) {
      await target.replace(previous);
      options.onTrack?.(previous);
    }
    voice?.stop();
    track?.stop();
    await context.close().catch(() => {});
  };
  const ended = new Promise<void>((resolve) => notice.addEventListener('ended', () => resolve()));
  const timedOut = new Promise<void>((resolve) => {
    limit = setTimeout(resolve, buffer.duration * 1000 + END_MARGIN_MS);
  });
  notice.start();
  const done = Promise.race([ended, timedOut]).then(finish);
  return { seconds: buffer.duration, done, cancel: finish };
}
