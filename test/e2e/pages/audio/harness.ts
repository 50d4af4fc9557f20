// What the audio test page exposes on window.__audio (types only, shared by the page and the
// tests that drive it through page.evaluate).
import type { AudioSettings } from '@shared/settings-types';
import type { AudioState } from '../../../../src-renderer/src/lib/state/audio.svelte';
import type { CallQualitySummary } from '../../../../src-renderer/src/lib/audio/quality-monitor';
import type { Ringer } from '../../../../src-renderer/src/lib/audio/ringer';
import type { CallSnapshot, PhoneCall } from '../../../../src-renderer/src/lib/phone';

/** A level and the strongest frequency measured on a stream. */
export interface Tap {
  rms: number;
  frequency: number;
}

export interface AudioHarness {
  audio: AudioState;
  /** The ringer (own device) and the call-tone player (call output). */
  ringer: Ringer;
  callTones: Ringer;
  /** Every saveAudio call, in order. */
  saves: AudioSettings[];
  /** The audio elements the engine created for remote audio. */
  elements: HTMLAudioElement[];
  /** History summaries of ended calls, by call id. */
  summaries: Record<string, CallQualitySummary | null>;
  /** Registers a PhoneEngine with a lab account; resolves once registered. */
  register(ws: string, uri: string, password: string): Promise<void>;
  dial(target: string): string;
  /** Answers a ringing call and brings the tones up to date, as the lines and the root do. */
  answer(id: string): void;
  /** The call objects, by id. */
  call(id: string): PhoneCall;
  snapshots(): CallSnapshot[];
  /** Mounts the call audio strip for a call (done on answer). */
  showCall(id: string): void;
  /** Listens to `stream` for `ms` and measures it. */
  tap(stream: MediaStream, ms: number): Promise<Tap>;
}

declare global {
  interface Window {
    __audio: AudioHarness;
  }
}
