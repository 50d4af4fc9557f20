// The consent announcement: "this call is being recorded" (the built-in chime + speech, or a
// file the user picked) mixed into what the other side hears when recording starts. It is an
// overlay stage of the call's outgoing chain (audio/outgoing-chain.ts): the chain feeds it
// whatever the call sends (the voice, a conference mix) and sends its mix instead
// (RTCRtpSender.replaceTrack: no renegotiation); a microphone switch, noise suppression or a
// conference during the notice change only its input. When the notice has played, the overlay
// is taken out again. The user's voice stays in the mix, a little lower.
import {
  createProcessingContext,
  ensureRunning,
  type AudioContextFactory,
} from '../audio/processing-context';
import type { OverlaySlot, TrackProcessor } from '../audio/outgoing-chain';
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
}

/** The notice as a chain stage: its input (what the call sends) mixed with the notice. */
export interface NoticeMix extends TrackProcessor {
  /** The notice's length in seconds. */
  readonly seconds: number;
  /** Settles once the notice has played (started by `play`), or its time is up. */
  readonly played: Promise<void>;
  play(): void;
  close(): Promise<void>;
}

/** One announcement in progress; `done` settles when the overlay is gone again. */
export interface Announcement {
  /** The notice's length in seconds. */
  readonly seconds: number;
  readonly done: Promise<void>;
  /** Ends it now (the call ended or recording was stopped) and takes the overlay out. */
  cancel(): Promise<void>;
}

/** Decodes the notice and builds its mix; rejects with a sentence when it cannot be decoded. */
export async function createNoticeMix(options: AnnouncementOptions = {}): Promise<NoticeMix> {
  const context = (options.createContext ?? createProcessingContext)();
  let buffer: AudioBuffer;
  try {
    buffer = await context.decodeAudioData(options.file ?? builtInNotice());
  } catch {
    await context.close();
    throw new Error('The announcement file could not be decoded as audio.');
  }
  const mix = context.createMediaStreamDestination();
  const voice = new GainNode(context, { gain: VOICE_UNDER_NOTICE });
  voice.connect(mix);
  const notice = new AudioBufferSourceNode(context, { buffer });
  notice.connect(mix);
  await ensureRunning(context);
  const output = mix.stream.getAudioTracks()[0];
  if (!output) {
    await context.close();
    throw new Error('The announcement produced no audio track.');
  }
  let source: MediaStreamAudioSourceNode | null = null;
  let input: MediaStreamTrack | null = null;
  let limit: ReturnType<typeof setTimeout> | undefined;
  let release: () => void = () => {};
  const played = new Promise<void>((resolve) => {
    release = resolve;
    notice.addEventListener('ended', () => resolve());
  });
  return {
    output,
    seconds: buffer.duration,
    played,
    setInput(track) {
      if (track === input) {
        return;
      }
      input = track;
      source?.disconnect();
      source = track ? context.createMediaStreamSource(new MediaStream([track])) : null;
      source?.connect(voice);
    },
    play() {
      notice.start();
      limit = setTimeout(release, buffer.duration * 1000 + END_MARGIN_MS);
    },
    async close() {
      clearTimeout(limit);
      release();
      source?.disconnect();
      output.stop();
      await context.close().catch(() => {});
    },
  };
}

/**
 * Plays the notice to the other side over what `slot` (a call's outgoing chain) sends.
 * Resolves once the mix is being sent; a notice that cannot be decoded rejects before
 * anything changes.
 */
export async function announceRecording(
  slot: OverlaySlot,
  options: AnnouncementOptions = {},
): Promise<Announcement> {
  const mix = await createNoticeMix(options);
  await slot.setOverlay(mix);
  mix.play();
  let finishing: Promise<void> | null = null;
  const finish = (): Promise<void> => {
    finishing ??= (async () => {
      // Only take the overlay out if it is still ours.
      if (slot.overlay === mix) {
        await slot.setOverlay(null);
      }
      await mix.close();
    })();
    return finishing;
  };
  const done = mix.played.then(finish);
  return { seconds: mix.seconds, done, cancel: finish };
}
