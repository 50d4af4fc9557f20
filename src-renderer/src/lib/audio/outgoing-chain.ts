// What one call sends, as a small chain with one owner of the sending track:
//
//   microphone ─► [voice processor: noise suppression] ─► voice ─┐
//                                      conference mix (override) ─┴─► base ─► [overlay: consent
//                                                                     notice mix] ─► sender
//
// Each stage can come and go at any time (a microphone switch, noise suppression toggled, a
// conference merged or split, the recording notice starting and ending) and the others keep
// working: a processor has a stable output track and takes a new input, so a microphone
// switch under noise suppression or a conference joined during the notice needs no rebuild.
// Only the end of the chain reaches the RTCRtpSender (replaceTrack: no renegotiation), in
// order, always with the newest state. Mute and hold are applied where they belong: mute
// silences the voice (so the notice is still heard while muted), hold silences what is sent.
// Framework-free and free of Web Audio: the processors own their graphs.
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import type { TrackTarget } from './track-target';

const log = createLogger('outgoing-chain');

/** A stage of the chain: processes its input into an output track that never changes. */
export interface TrackProcessor {
  /** What the stage produces; the same track for the stage's whole life. */
  readonly output: MediaStreamTrack;
  /** Feeds the stage another input (null = silence). */
  setInput(track: MediaStreamTrack | null): void;
}

/** Where a voice processor (noise suppression) is plugged in. */
export interface VoiceSlot {
  setVoiceProcessor(processor: TrackProcessor | null): Promise<void>;
}

/** Where an overlay (the consent notice mixed over what is sent) is plugged in. */
export interface OverlaySlot {
  /** The overlay in place, if any. */
  readonly overlay: TrackProcessor | null;
  setOverlay(processor: TrackProcessor | null): Promise<void>;
}

export interface OutgoingChainEvents {
  /** The voice track changed (microphone opened or switched, noise suppression on or off). */
  voice: MediaStreamTrack | null;
  /** The track the sender sends changed (after replaceTrack resolved). */
  sending: MediaStreamTrack | null;
}

export class OutgoingChain extends TypedEmitter<OutgoingChainEvents> implements VoiceSlot {
  #sink: TrackTarget | null = null;
  #microphone: MediaStreamTrack | null = null;
  #processor: TrackProcessor | null = null;
  #override: MediaStreamTrack | null = null;
  #overlay: TrackProcessor | null = null;
  #muted = false;
  #held = false;
  #voice: MediaStreamTrack | null = null;
  #sent: MediaStreamTrack | null = null;
  #queue: Promise<void> = Promise.resolve();
  #closed = false;

  /** The microphone track, as opened. */
  get microphone(): MediaStreamTrack | null {
    return this.#microphone;
  }
  /** The user's voice: the microphone, or the noise suppressor's output. */
  get voice(): MediaStreamTrack | null {
    return this.#processor?.output ?? this.#microphone;
  }
  /** What the call sends before any overlay: the conference mix, else the voice. */
  get base(): MediaStreamTrack | null {
    return this.#override ?? this.voice;
  }
  /** What the sender should send: the overlay's output, else the base. */
  get target(): MediaStreamTrack | null {
    return this.#overlay?.output ?? this.base;
  }
  /** What the sender sends now (the last replaceTrack that went through). */
  get sending(): MediaStreamTrack | null {
    return this.#sent;
  }
  get overlay(): TrackProcessor | null {
    return this.#overlay;
  }
  get voiceProcessor(): TrackProcessor | null {
    return this.#processor;
  }

  /** The sender the chain drives (null: none yet, or its peer connection is gone). */
  setSink(sink: TrackTarget | null): Promise<void> {
    this.#sink = sink;
    this.#sent = sink?.current() ?? null;
    return this.#apply();
  }

  /** A new microphone track (opened or switched); the old one is the caller's to stop. */
  setMicrophone(track: MediaStreamTrack | null): Promise<void> {
    this.#microphone = track;
    return this.#apply();
  }

  /** Puts a voice processor (noise suppression) between the microphone and the rest; null removes it. */
  setVoiceProcessor(processor: TrackProcessor | null): Promise<void> {
    const previous = this.#processor;
    this.#processor = processor;
    if (previous && previous !== processor) {
      previous.setInput(null);
    }
    return this.#apply();
  }

  /** Sends `track` (a conference mix) instead of the voice; null goes back to the voice. */
  setOverride(track: MediaStreamTrack | null): Promise<void> {
    this.#override = track;
    return this.#apply();
  }

  /** Mixes an overlay over what is sent (the consent notice); null removes it. */
  setOverlay(processor: TrackProcessor | null): Promise<void> {
    const previous = this.#overlay;
    this.#overlay = processor;
    if (previous && previous !== processor) {
      previous.setInput(null);
    }
    return this.#apply();
  }

  /** Mute silences the voice; hold silences everything sent. */
  setGate(muted: boolean, held: boolean): void {
    this.#muted = muted;
    this.#held = held;
    this.#gate();
  }

  /** Stops driving the sender (the call is over); stages are their owners' to close. */
  close(): void {
    this.#closed = true;
    this.#sink = null;
    this.#processor?.setInput(null);
    this.#overlay?.setInput(null);
  }

  // Wires the stages, gates the tracks, then brings the sender up to date (queued, in order).
  #apply(): Promise<void> {
    if (this.#closed) {
      return Promise.resolve();
    }
    this.#processor?.setInput(this.#microphone);
    this.#overlay?.setInput(this.base);
    this.#gate();
    const voice = this.voice;
    if (voice !== this.#voice) {
      this.#voice = voice;
      this.emit('voice', voice);
    }
    this.#queue = this.#queue.then(() => this.#sync());
    return this.#queue;
  }

  async #sync(): Promise<void> {
    const sink = this.#sink;
    const track = this.target;
    if (!sink || this.#closed) {
      return;
    }
    if (sink.current() === track && this.#sent === track) {
      return;
    }
    try {
      await sink.replace(track);
    } catch (error: unknown) {
      // A closed peer connection refuses replaceTrack; the call is ending anyway.
      log.warn(`could not replace the sending track: ${String(error)}`);
      return;
    }
    if (this.#sink === sink && this.#sent !== track) {
      this.#sent = track;
      this.emit('sending', track);
    }
  }

  #gate(): void {
    const voiceOn = !this.#muted && !this.#held;
    const microphone = this.#microphone;
    if (microphone) {
      // Under a processor the microphone keeps feeding it; the processor's output is gated.
      microphone.enabled = this.#processor ? true : voiceOn;
    }
    if (this.#processor) {
      this.#processor.output.enabled = voiceOn;
    }
    if (this.#override) {
      // A conference mix carries its own per-party mute (gains); only hold silences it.
      this.#override.enabled = !this.#held;
    }
    if (this.#overlay) {
      this.#overlay.output.enabled = !this.#held;
    }
  }
}
