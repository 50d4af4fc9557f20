// Audio for one call: the microphone, opened only for the call and released after it (even
// when the call ends before the device answers), and the remote audio played on the chosen
// output. The environment (getUserMedia, audio elements) is injected so tests can fake it.

/** What the engine needs from the browser's media stack. */
export interface MediaEnvironment {
  getUserMedia(constraints: MediaStreamConstraints): Promise<MediaStream>;
  /** A fresh element that plays remote audio; in the browser, `new Audio()`. */
  createAudioElement(): RemoteAudioElement;
}

/** The parts of HTMLAudioElement used for playback. */
export interface RemoteAudioElement {
  srcObject: MediaProvider | null;
  autoplay: boolean;
  play(): Promise<void>;
  pause(): void;
  setSinkId?(sinkId: string): Promise<void>;
}

/** Microphone options (from the audio settings). */
export interface MicrophoneOptions {
  deviceId: string | null;
  echoCancellation: boolean;
  noiseSuppression: boolean;
  autoGainControl: boolean;
}

export const DEFAULT_MICROPHONE: MicrophoneOptions = {
  deviceId: null,
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
};

/** getUserMedia constraints for a call's microphone. */
export function microphoneConstraints(options: MicrophoneOptions): MediaStreamConstraints {
  return {
    audio: {
      ...(options.deviceId ? { deviceId: { exact: options.deviceId } } : {}),
      echoCancellation: options.echoCancellation,
      noiseSuppression: options.noiseSuppression,
      autoGainControl: options.autoGainControl,
    },
    video: false,
  };
}

/** A plain sentence for why the microphone could not be opened. */
export function describeMicrophoneError(error: unknown): string {
  const name = error instanceof Error || error instanceof DOMException ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access was denied. Allow the microphone for this app and call again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found. Connect one or pick another in the audio settings.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The microphone could not be started; another application may be using it.';
    default:
      return 'The microphone could not be opened.';
  }
}

/** The default environment: the real browser. */
export function browserMediaEnvironment(): MediaEnvironment {
  return {
    getUserMedia: (constraints) => navigator.mediaDevices.getUserMedia(constraints),
    createAudioElement: () => new Audio(),
  };
}

/** Media of one call. */
export class CallMedia {
  readonly #env: MediaEnvironment;
  #local: MediaStream | null = null;
  #audio: RemoteAudioElement | null = null;
  #released = false;
  #sinkId: string | null = null;

  constructor(env: MediaEnvironment) {
    this.#env = env;
  }

  /** The microphone stream while the call holds it. */
  get localStream(): MediaStream | null {
    return this.#local;
  }

  /** Opens the microphone; resolves to its track. Stops it at once if the call ended meanwhile. */
  async openMicrophone(options: MicrophoneOptions): Promise<MediaStreamTrack> {
    const stream = await this.#env.getUserMedia(microphoneConstraints(options));
    if (this.#released) {
      stopStream(stream);
      throw new DOMException('The call ended before the microphone opened.', 'AbortError');
    }
    const track = stream.getAudioTracks()[0];
    if (!track) {
      stopStream(stream);
      throw new DOMException('The microphone gave no audio track.', 'NotFoundError');
    }
    this.#local = stream;
    return track;
  }

  /**
   * Opens another microphone and stops the previous one once the new one is live; resolves to
   * the new track. The caller swaps the sending track (RTCRtpSender.replaceTrack).
   */
  async replaceMicrophone(options: MicrophoneOptions): Promise<MediaStreamTrack> {
    const previous = this.#local;
    this.#local = null;
    try {
      const track = await this.openMicrophone(options);
      if (previous) {
        stopStream(previous);
      }
      return track;
    } catch (error: unknown) {
      this.#local = previous;
      throw error;
    }
  }

  /** Plays the remote stream on the chosen output (null = system default). */
  playRemote(stream: MediaStream, sinkId: string | null): void {
    if (this.#released) {
      return;
    }
    const audio = this.#audio ?? this.#env.createAudioElement();
    this.#audio = audio;
    audio.autoplay = true;
    audio.srcObject = stream;
    void this.setOutput(sinkId);
    audio.play().catch(() => {
      // Autoplay refusals are retried by the element's autoplay once the page is activated.
    });
  }

  /** Moves remote playback to another output device at once. */
  async setOutput(sinkId: string | null): Promise<void> {
    this.#sinkId = sinkId;
    if (this.#audio?.setSinkId) {
      await this.#audio.setSinkId(sinkId ?? '');
    }
  }

  get outputId(): string | null {
    return this.#sinkId;
  }

  /** Stops the microphone and the playback. Safe to call more than once. */
  release(): void {
    this.#released = true;
    if (this.#local) {
      stopStream(this.#local);
      this.#local = null;
    }
    if (this.#audio) {
      this.#audio.pause();
      this.#audio.srcObject = null;
      this.#audio = null;
    }
  }
}

function stopStream(stream: MediaStream): void {
  for (const track of stream.getTracks()) {
    track.stop();
  }
}
