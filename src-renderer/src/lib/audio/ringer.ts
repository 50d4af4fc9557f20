// A tone player on its own output device: Web Audio synthesis into a
// MediaStreamAudioDestinationNode, played by an <audio> element whose setSinkId picks the
// device. That is how the phone rings on the speakers while calls go to the headset. start()
// and stop() are idempotent; stop() silences at once (the voice is disconnected, not faded),
// lets the element go of its stream and suspends the AudioContext: a suspended context renders
// nothing and holds no output stream (Web Audio: suspend() halts "audio hardware access",
// reducing CPU and battery use), so a phone that is not ringing runs no audio. The next start()
// resumes it, ~1 ms of the main thread where a new context cost 3–20 ms (4–5 ms for the
// constructor, as much again for its first nodes): that cost fell on the moment a call starts to
// ring, on both ends. A context that fails to resume, or reports an error (its device gone), is
// closed, and a new one is built at once. The element is kept, with its output device.
import { TypedEmitter } from '../emitter';
import { createLogger } from '../logger';
import { notesBetween, renderNote, volumeToGain, type TonePattern } from './tones';

const log = createLogger('ringer');

/** How far ahead notes are put on the audio clock, and how often the scheduler wakes. */
const LOOKAHEAD_S = 1.5;
const TICK_MS = 250;
/** Delay before the first note, so the element is playing when it sounds. */
const LEAD_IN_S = 0.05;

/** The parts of HTMLAudioElement the player uses. */
export interface ToneElement {
  srcObject: MediaProvider | null;
  play(): Promise<void>;
  pause(): void;
  setSinkId?(sinkId: string): Promise<void>;
  readonly sinkId?: string;
}

/** Browser pieces, injectable (tests, or to share one AudioContext). */
export interface RingerPorts {
  createContext(): AudioContext;
  createElement(): ToneElement;
}

/** What the player is doing, for the UI and the tests. */
export interface RingerState {
  /** Id of the pattern playing, or null. */
  playing: string | null;
  /** The output device ('' = system default). */
  sinkId: string;
  /** 0..1 as set (the gain applied is perceptual: see volumeToGain). */
  volume: number;
}

/** The real browser. */
export function browserRingerPorts(): RingerPorts {
  return {
    createContext: () => new AudioContext({ latencyHint: 'interactive' }),
    createElement: () => new Audio(),
  };
}

interface Voice {
  pattern: TonePattern;
  gain: GainNode;
  origin: number;
  scheduledUntil: number;
  oscillators: Set<OscillatorNode>;
  timer: ReturnType<typeof setInterval>;
}

interface Graph {
  ctx: AudioContext;
  master: GainNode;
  dest: MediaStreamAudioDestinationNode;
  /** Built for the tone now starting, not resumed: one that fails is not built again. */
  fresh: boolean;
}

/** Plays ringtones and telephone tones on one chosen output. */
/** What a ringer reports. */
export interface RingerEvents {
  /** After every start/stop/volume/sink change (the reactive layer mirrors state). */
  changed: undefined;
}

export class Ringer extends TypedEmitter<RingerEvents> {
  readonly #ports: RingerPorts;
  #graph: Graph | null = null;
  #element: ToneElement | null = null;
  /** The signal of the last graph (silent once it is closed), for meters and tests. */
  #stream: MediaStream | null = null;
  #voice: Voice | null = null;
  #sinkId = '';
  #volume = 1;

  constructor(ports: RingerPorts = browserRingerPorts()) {
    super();
    this.#ports = ports;
  }

  get state(): RingerState {
    return { playing: this.#voice?.pattern.id ?? null, sinkId: this.#sinkId, volume: this.#volume };
  }

  /**
   * The synthesised signal (for level meters and tests): the one playing, else the last one
   * (silent); null before the first start.
   */
  get outputStream(): MediaStream | null {
    return this.#stream;
  }

  /** Whether its audio graph runs now: only while something plays (else it is suspended). */
  get active(): boolean {
    return this.#voice !== null;
  }

  /** Whether it keeps an audio graph (an AudioContext, suspended while nothing plays). */
  get built(): boolean {
    return this.#graph !== null;
  }

  /** The element that plays on the device (tests read its sinkId). */
  get element(): ToneElement | null {
    return this.#element;
  }

  /** 0..1; applies at once, also while playing. */
  setVolume(volume: number): void {
    this.#volume = Math.min(1, Math.max(0, volume));
    if (this.#graph) {
      this.#graph.master.gain.value = volumeToGain(this.#volume);
    }
    this.emit('changed', undefined);
  }

  /** Moves the output to `sinkId` (null = system default), also while playing. */
  async setSink(sinkId: string | null): Promise<void> {
    this.#sinkId = sinkId ?? '';
    const element = this.#element;
    if (element?.setSinkId) {
      await element.setSinkId(this.#sinkId);
    }
    this.emit('changed', undefined);
  }

  /** Starts `pattern`; a no-op when it already plays, a switch when another one does. */
  start(pattern: TonePattern): void {
    if (this.#voice?.pattern.id === pattern.id) {
      return;
    }
    this.#silence();
    const graph = this.#ensureGraph();
    this.#play(graph, pattern);
    this.emit('changed', undefined);
  }

  #play(graph: Graph, pattern: TonePattern): void {
    const gain = graph.ctx.createGain();
    gain.connect(graph.master);
    const origin = graph.ctx.currentTime + LEAD_IN_S;
    const voice: Voice = {
      pattern,
      gain,
      origin,
      scheduledUntil: origin,
      oscillators: new Set(),
      timer: setInterval(() => this.#schedule(voice), TICK_MS),
    };
    this.#voice = voice;
    this.#schedule(voice);
    graph.ctx.resume().catch((error: unknown) => {
      log.warn(`audio context: ${String(error)}`);
      this.#rebuild(graph, voice);
    });
    this.#element?.play().catch((error: unknown) => log.warn(`tone playback: ${String(error)}`));
  }

  // A kept context could not resume or suspend, or reported an error (its device gone): it is
  // closed, and the tone playing on it starts again at once on a new one. A context built for
  // the tone playing now is left as it is (logged only): building again could loop.
  #rebuild(graph: Graph, voice: Voice | null): void {
    if (this.#graph !== graph || graph.fresh) {
      return;
    }
    this.#graph = null;
    graph.ctx.close().catch(() => {});
    if (!voice || this.#voice !== voice) {
      return;
    }
    this.#silence();
    try {
      this.#play(this.#ensureGraph(), voice.pattern);
    } catch (error) {
      log.warn(`audio output unavailable: ${String(error)}`);
    }
    this.emit('changed', undefined);
  }

  /**
   * Builds the audio graph ahead, while nothing plays, and suspends it. The browser's first
   * AudioContext starts its audio service and output device: 100–260 ms of the main thread,
   * once per browser run; each later one 3–20 ms. Done ahead (AudioController.warmOutput),
   * neither lands on a call's ringing. A no-op while a graph exists; a context that cannot be
   * made (no output device) is logged, and ringing will try again.
   */
  warm(): void {
    if (this.#graph) {
      return;
    }
    let graph: Graph;
    try {
      graph = this.#ensureGraph();
    } catch (error) {
      log.warn(`audio output unavailable: ${String(error)}`);
      return;
    }
    this.#detach();
    this.#suspend(graph);
  }

  /** Stops at once and suspends the audio graph; a no-op when nothing plays. */
  stop(): void {
    if (!this.#voice) {
      return;
    }
    this.#silence();
    this.#detach();
    if (this.#graph) {
      this.#suspend(this.#graph);
    }
    this.emit('changed', undefined);
  }

  // From now on the graph is kept: the next tone resumes it. One that cannot be suspended was
  // closed (see #rebuild).
  #suspend(graph: Graph): void {
    graph.fresh = false;
    graph.ctx.suspend().catch(() => this.#rebuild(graph, this.#voice));
  }

  /** Stops, closes the audio context and lets the element go of its stream. */
  async dispose(): Promise<void> {
    this.#silence();
    this.#detach();
    const graph = this.#graph;
    this.#graph = null;
    this.emit('changed', undefined);
    await graph?.ctx.close().catch(() => {});
  }

  // The element lets go of the stream, so nothing holds an output stream while nothing plays.
  #detach(): void {
    if (this.#element) {
      this.#element.pause();
      this.#element.srcObject = null;
    }
  }

  #silence(): void {
    const voice = this.#voice;
    if (!voice) {
      return;
    }
    this.#voice = null;
    clearInterval(voice.timer);
    voice.gain.disconnect();
    for (const osc of voice.oscillators) {
      try {
        osc.stop();
      } catch {
        // Already stopped.
      }
    }
    voice.oscillators.clear();
  }

  #schedule(voice: Voice): void {
    const graph = this.#graph;
    if (!graph || this.#voice !== voice) {
      return;
    }
    // After a stall (suspended context, busy main thread) never schedule into the past.
    const from = Math.max(voice.scheduledUntil, graph.ctx.currentTime);
    const until = graph.ctx.currentTime + LOOKAHEAD_S;
    for (const note of notesBetween(voice.pattern, voice.origin, from, until)) {
      for (const osc of renderNote(graph.ctx, voice.gain, note, voice.pattern.gain)) {
        voice.oscillators.add(osc);
        osc.onended = () => voice.oscillators.delete(osc);
      }
    }
    voice.scheduledUntil = Math.max(voice.scheduledUntil, until);
  }

  // The kept graph (a context closed behind the player's back is replaced), attached to the
  // element.
  #ensureGraph(): Graph {
    let graph = this.#graph;
    if (graph?.ctx.state === 'closed') {
      this.#graph = graph = null;
    }
    if (!graph) {
      const ctx = this.#ports.createContext();
      const master = ctx.createGain();
      master.gain.value = volumeToGain(this.#volume);
      const dest = ctx.createMediaStreamDestination();
      master.connect(dest);
      const built: Graph = { ctx, master, dest, fresh: true };
      // A device error (the output gone): see #rebuild.
      ctx.addEventListener('error', () => this.#rebuild(built, this.#voice));
      this.#graph = graph = built;
      this.#stream = dest.stream;
    }
    if (this.#element) {
      if (this.#element.srcObject !== graph.dest.stream) {
        this.#element.srcObject = graph.dest.stream;
      }
      return graph;
    }
    const element = this.#ports.createElement();
    this.#element = element;
    element.srcObject = graph.dest.stream;
    if (this.#sinkId !== '' && element.setSinkId) {
      element.setSinkId(this.#sinkId).catch((error: unknown) => {
        log.warn(`could not play tones on the chosen device: ${String(error)}`);
      });
    }
    return graph;
  }
}
