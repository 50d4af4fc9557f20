// Synthesised tones: the ringtones, the call-waiting tone, ringback (ETSI, North America, UK)
// and the speaker test, as plain data; the pure scheduling and envelope maths; and the one
// function that turns a note into Web Audio oscillators. Nothing here holds state.

/** One sine component of a note. */
export interface TonePartial {
  freq: number;
  /** Relative amplitude; the partials of a note should sum to at most 1. */
  gain: number;
}

/** One sounding event in a pattern. */
export interface ToneNote {
  /** Start, in seconds from the beginning of the pattern's cycle. */
  at: number;
  /** Length in seconds (the last oscillator stops then). */
  duration: number;
  partials: TonePartial[];
  /** 'flat': attack, hold, release (telephone tones). 'bell': attack then exponential decay. */
  envelope: 'flat' | 'bell';
  /** Seconds (default 0.015). */
  attack?: number;
  /** Seconds, flat envelope only (default 0.03). */
  release?: number;
  /** Time constant of a bell's decay, seconds (default 0.3). */
  decay?: number;
}

/** A repeating (or one-shot) sequence of notes. */
export interface TonePattern {
  id: string;
  /** Shown in the ringtone picker. */
  label: string;
  /** Cycle length in seconds. */
  period: number;
  notes: ToneNote[];
  /** Overall level 0..1 before the player's volume. */
  gain: number;
  /** Repeats until stopped (default true). */
  repeat?: boolean;
}

/** A note placed on the audio clock. */
export interface ScheduledNote {
  note: ToneNote;
  /** Audio-clock time (s) the note starts. */
  start: number;
  cycle: number;
}

/** One automation step of a note's gain. */
export type EnvelopeStep =
  | { kind: 'set'; value: number; time: number }
  | { kind: 'linear'; value: number; time: number }
  | { kind: 'target'; value: number; time: number; timeConstant: number };

const sine = (freq: number, gain = 1): TonePartial => ({ freq, gain });
const dual = (a: number, b: number): TonePartial[] => [sine(a, 0.5), sine(b, 0.5)];
/** A struck-bar timbre: the fundamental with a quiet 4th and 10th partial (marimba-like). */
const bar = (freq: number): TonePartial[] => [
  sine(freq, 0.8),
  sine(freq * 3.93, 0.14),
  sine(freq * 9.2, 0.04),
];
/** A soft bell: fundamental with a little octave and twelfth. */
const bell = (freq: number): TonePartial[] => [
  sine(freq, 0.75),
  sine(freq * 2, 0.18),
  sine(freq * 3, 0.07),
];

const flat = (at: number, duration: number, partials: TonePartial[]): ToneNote => ({
  at,
  duration,
  partials,
  envelope: 'flat',
  attack: 0.02,
  release: 0.04,
});
const struck = (at: number, partials: TonePartial[], decay: number): ToneNote => ({
  at,
  duration: decay * 6,
  partials,
  envelope: 'bell',
  attack: 0.005,
  decay,
});

// Note frequencies (equal temperament, A4 = 440 Hz).
const C5 = 523.25;
const E5 = 659.25;
const G5 = 783.99;
const C6 = 1046.5;

/** The ringtones offered in the settings; ids are what AudioSettings.ringtone stores. */
export const RINGTONES: readonly TonePattern[] = [
  {
    id: 'chime',
    label: 'Soft chime',
    period: 4,
    gain: 0.55,
    notes: [
      struck(0, bell(E5), 0.35),
      struck(0.45, bell(C5), 0.45),
      struck(1.5, bell(E5), 0.35),
      struck(1.95, bell(C5), 0.45),
    ],
  },
  {
    // North-American cadence (2 s on, 4 s off, 440 + 480 Hz), with soft edges.
    id: 'classic',
    label: 'Classic ring',
    period: 6,
    gain: 0.4,
    notes: [flat(0, 2, dual(440, 480))],
  },
  {
    // British double ring: 400 + 450 Hz, 0.4 s on, 0.2 s off, 0.4 s on, 2 s off.
    id: 'double',
    label: 'Double ring',
    period: 3,
    gain: 0.4,
    notes: [flat(0, 0.4, dual(400, 450)), flat(0.6, 0.4, dual(400, 450))],
  },
  {
    id: 'marimba',
    label: 'Marimba',
    period: 3,
    gain: 0.6,
    notes: [
      struck(0, bar(C5), 0.18),
      struck(0.15, bar(E5), 0.18),
      struck(0.3, bar(G5), 0.18),
      struck(0.45, bar(C6), 0.3),
      struck(1.0, bar(G5), 0.18),
      struck(1.15, bar(C6), 0.35),
    ],
  },
];

/** The ringtone used when the saved id is unknown. */
export const DEFAULT_RINGTONE_ID = 'chime';

/** The ringtone with this id, or the default one. */
export function ringtoneById(id: string): TonePattern {
  const found =
    RINGTONES.find((t) => t.id === id) ?? RINGTONES.find((t) => t.id === DEFAULT_RINGTONE_ID);
  if (!found) {
    throw new Error('no default ringtone');
  }
  return found;
}

/**
 * Call waiting: two short, quiet 440 Hz beeps every 5 s, played in the call's own output so
 * the user hears it in the headset without the other party hearing anything.
 */
export const CALL_WAITING: TonePattern = {
  id: 'call-waiting',
  label: 'Call waiting',
  period: 5,
  gain: 0.18,
  notes: [flat(0, 0.2, [sine(440)]), flat(0.4, 0.2, [sine(440)])],
};

/** Ringback conventions: what a caller hears while the far end rings. */
export type RingbackStyle = 'etsi' | 'north-america' | 'uk';

const RINGBACKS: Record<RingbackStyle, TonePattern> = {
  // ETSI ES 201 970 / most of Europe: 425 Hz, 1 s on, 4 s off.
  etsi: {
    id: 'ringback-etsi',
    label: 'Ringback (Europe)',
    period: 5,
    gain: 0.3,
    notes: [flat(0, 1, [sine(425)])],
  },
  // North America: 440 + 480 Hz, 2 s on, 4 s off.
  'north-america': {
    id: 'ringback-na',
    label: 'Ringback (North America)',
    period: 6,
    gain: 0.3,
    notes: [flat(0, 2, dual(440, 480))],
  },
  // UK: 400 + 450 Hz double ring.
  uk: {
    id: 'ringback-uk',
    label: 'Ringback (UK)',
    period: 3,
    gain: 0.3,
    notes: [flat(0, 0.4, dual(400, 450)), flat(0.6, 0.4, dual(400, 450))],
  },
};

/** The local ringback tone for outgoing calls that get no early media. */
export function ringbackTone(style: RingbackStyle = 'etsi'): TonePattern {
  return RINGBACKS[style];
}

/** A short rising arpeggio for "test speaker", repeated until stopped. */
export const SPEAKER_TEST: TonePattern = {
  id: 'speaker-test',
  label: 'Speaker test',
  period: 1.2,
  gain: 0.5,
  notes: [flat(0, 0.25, [sine(C5)]), flat(0.3, 0.25, [sine(E5)]), flat(0.6, 0.4, [sine(G5)])],
};

/**
 * The notes of `pattern` (started at `origin` on the audio clock) whose start falls in
 * [from, to). Calling it for consecutive windows yields every note exactly once.
 */
export function notesBetween(
  pattern: TonePattern,
  origin: number,
  from: number,
  to: number,
): ScheduledNote[] {
  const out: ScheduledNote[] = [];
  if (to <= from || pattern.period <= 0) {
    return out;
  }
  const repeat = pattern.repeat ?? true;
  const firstCycle = Math.max(0, Math.floor((from - origin) / pattern.period) - 1);
  const lastCycle = repeat ? Math.floor((to - origin) / pattern.period) : 0;
  for (let cycle = firstCycle; cycle <= lastCycle; cycle += 1) {
    for (const note of pattern.notes) {
      const start = origin + cycle * pattern.period + note.at;
      if (start >= from && start < to) {
        out.push({ note, start, cycle });
      }
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** The gain automation of one note starting at `start`, peaking at `level`. */
export function envelopeOf(note: ToneNote, start: number, level: number): EnvelopeStep[] {
  const end = start + note.duration;
  const attack = Math.min(note.attack ?? 0.015, note.duration / 2);
  if (note.envelope === 'bell') {
    return [
      { kind: 'set', value: 0, time: start },
      { kind: 'linear', value: level, time: start + attack },
      // No final ramp: a ramp after setTarget would replace the decay (Web Audio spec); at
      // 6 time constants the level is 0.25 % of the peak, so stopping there does not click.
      { kind: 'target', value: 0, time: start + attack, timeConstant: note.decay ?? 0.3 },
    ];
  }
  const release = Math.min(note.release ?? 0.03, note.duration / 2);
  return [
    { kind: 'set', value: 0, time: start },
    { kind: 'linear', value: level, time: start + attack },
    { kind: 'set', value: level, time: end - release },
    { kind: 'linear', value: 0, time: end },
  ];
}

/** Perceptual volume: a slider at 0.5 should sound about half as loud, not barely quieter. */
export function volumeToGain(volume: number): number {
  const v = Math.min(1, Math.max(0, Number.isFinite(volume) ? volume : 0));
  return v * v;
}

/**
 * Plays one scheduled note into `out`; returns its oscillators so a player can stop them at
 * once. Each note gets its own envelope gain, so overlapping bell notes ring out naturally.
 */
export function renderNote(
  ctx: BaseAudioContext,
  out: AudioNode,
  scheduled: ScheduledNote,
  level: number,
): OscillatorNode[] {
  const { note, start } = scheduled;
  const env = ctx.createGain();
  for (const step of envelopeOf(note, start, level)) {
    applyStep(env.gain, step);
  }
  env.connect(out);
  return note.partials.map((partial) => {
    const osc = ctx.createOscillator();
    osc.frequency.value = partial.freq;
    const g = ctx.createGain();
    g.gain.value = partial.gain;
    osc.connect(g).connect(env);
    osc.start(start);
    osc.stop(start + note.duration);
    return osc;
  });
}

function applyStep(param: AudioParam, step: EnvelopeStep): void {
  switch (step.kind) {
    case 'set':
      param.setValueAtTime(step.value, step.time);
      break;
    case 'linear':
      param.linearRampToValueAtTime(step.value, step.time);
      break;
    case 'target':
      param.setTargetAtTime(step.value, step.time, step.timeConstant);
      break;
  }
}
