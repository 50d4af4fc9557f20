// Tone scheduling: every note of a pattern is scheduled exactly once whatever the scheduler's
// tick boundaries, one-shot patterns stop after a cycle, envelopes start and end silent, the
// catalog is sane; and the Ringer on a fake Web Audio graph: idempotent start, immediate stop,
// volume and sink.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  CALL_WAITING,
  envelopeOf,
  notesBetween,
  ringbackTone,
  ringtoneById,
  RINGTONES,
  SPEAKER_TEST,
  volumeToGain,
  type TonePattern,
} from '../../../src-renderer/src/lib/audio/tones';
import { Ringer } from '../../../src-renderer/src/lib/audio/ringer';
import { tonePlan, type PolicyCall } from '../../../src-renderer/src/lib/audio/ring-policy';
import { fakeRingerPorts } from './fakes';

const ALL: TonePattern[] = [
  ...RINGTONES,
  CALL_WAITING,
  ringbackTone('etsi'),
  ringbackTone('north-america'),
  ringbackTone('uk'),
  SPEAKER_TEST,
];

describe('notesBetween', () => {
  it('yields each note once over consecutive windows of any size', () => {
    for (const pattern of ALL) {
      const origin = 3.21;
      const expected = Math.floor(20 / pattern.period) * pattern.notes.length;
      for (const step of [0.05, 0.25, 0.7, 1.9]) {
        const starts: number[] = [];
        for (let t = origin; t < origin + 20 - 1e-9; t += step) {
          const to = Math.min(t + step, origin + Math.floor(20 / pattern.period) * pattern.period);
          starts.push(...notesBetween(pattern, origin, t, to).map((n) => n.start));
        }
        expect(starts.length, `${pattern.id} step ${step}`).toBe(expected);
        expect(new Set(starts.map((s) => s.toFixed(6))).size).toBe(expected);
      }
    }
  });

  it('places notes at origin + cycle × period + at', () => {
    const notes = notesBetween(ringbackTone('etsi'), 10, 10, 20);
    expect(notes.map((n) => [n.start, n.cycle])).toEqual([
      [10, 0],
      [15, 1],
    ]);
    expect(notes[0]?.note.partials).toEqual([{ freq: 425, gain: 1 }]);
  });

  it('plays a one-shot pattern once', () => {
    const once = { ...CALL_WAITING, repeat: false };
    expect(notesBetween(once, 0, 0, 60)).toHaveLength(2);
  });

  it('schedules nothing before the origin or for an empty window', () => {
    expect(notesBetween(CALL_WAITING, 5, 0, 5)).toEqual([]);
    expect(notesBetween(CALL_WAITING, 0, 3, 3)).toEqual([]);
  });
});

describe('the tone catalog', () => {
  it('has a default and a few ringtones, the one saved by default included', () => {
    expect(RINGTONES.map((t) => t.id)).toEqual(['chime', 'classic', 'double', 'marimba']);
    expect(ringtoneById('classic').id).toBe('classic'); // DEFAULT_AUDIO.ringtone
    expect(ringtoneById('no-such-tone').id).toBe('chime');
  });

  it('keeps notes inside their cycle and partial gains at most 1', () => {
    for (const pattern of ALL) {
      for (const note of pattern.notes) {
        expect(note.at, pattern.id).toBeLessThan(pattern.period);
        expect(
          note.partials.reduce((a, p) => a + p.gain, 0),
          pattern.id,
        ).toBeLessThanOrEqual(1.0001);
      }
      expect(pattern.gain).toBeLessThanOrEqual(1);
    }
  });

  it('uses the standard telephone frequencies and cadences', () => {
    expect(ringbackTone('north-america').notes[0]!.partials.map((p) => p.freq)).toEqual([440, 480]);
    expect(ringbackTone('north-america').period).toBe(6);
    expect(ringbackTone().notes[0]!.partials[0]!.freq).toBe(425);
    // Call waiting: soft, short 440 Hz beeps every few seconds, quieter than any ringtone.
    expect(CALL_WAITING.notes.every((n) => n.duration <= 0.3 && n.partials[0]!.freq === 440)).toBe(
      true,
    );
    expect(CALL_WAITING.gain).toBeLessThan(Math.min(...RINGTONES.map((t) => t.gain)));
  });
});

describe('envelopeOf', () => {
  it('ramps a flat note up and back to silence at its end', () => {
    const steps = envelopeOf(ringbackTone().notes[0]!, 2, 0.3);
    expect(steps[0]).toEqual({ kind: 'set', value: 0, time: 2 });
    expect(steps.at(-1)).toEqual({ kind: 'linear', value: 0, time: 3 });
    expect(Math.max(...steps.map((s) => s.value))).toBe(0.3);
  });

  it('lets a struck note decay exponentially with no final ramp', () => {
    const steps = envelopeOf(RINGTONES[0]!.notes[0]!, 0, 1);
    expect(steps.map((s) => s.kind)).toEqual(['set', 'linear', 'target']);
  });

  it('never makes the attack longer than half the note', () => {
    const steps = envelopeOf(
      { at: 0, duration: 0.01, partials: [], envelope: 'flat', attack: 1 },
      0,
      1,
    );
    expect(steps[1]!.time).toBeCloseTo(0.005);
  });
});

describe('volumeToGain', () => {
  it('is perceptual and clamped', () => {
    expect(volumeToGain(1)).toBe(1);
    expect(volumeToGain(0.5)).toBe(0.25);
    expect(volumeToGain(-1)).toBe(0);
    expect(volumeToGain(Number.NaN)).toBe(0);
  });
});

describe('tonePlan', () => {
  const call = (status: PolicyCall['status'], extra: Partial<PolicyCall> = {}): PolicyCall => ({
    status,
    direction: status === 'incoming' ? 'incoming' : 'outgoing',
    earlyMedia: false,
    hold: { local: false, remote: false },
    ...extra,
  });

  it('rings for an incoming call and stops once it is answered or gone', () => {
    expect(tonePlan([call('incoming')])).toEqual({ ringer: 'ringtone', callTone: null });
    expect(tonePlan([call('answering', { direction: 'incoming' })])).toEqual({
      ringer: null,
      callTone: null,
    });
    expect(tonePlan([])).toEqual({ ringer: null, callTone: null });
  });

  it('plays call waiting during a call, but rings when that call is on hold here', () => {
    expect(tonePlan([call('active'), call('incoming')]).callTone).toBe('call-waiting');
    expect(
      tonePlan([call('active', { hold: { local: true, remote: false } }), call('incoming')]),
    ).toEqual({
      ringer: 'ringtone',
      callTone: null,
    });
  });

  it('plays ringback for an outgoing call that rings without early media', () => {
    expect(tonePlan([call('ringing')]).callTone).toBe('ringback');
    expect(tonePlan([call('ringing', { earlyMedia: true })]).callTone).toBeNull();
    expect(tonePlan([call('dialing')]).callTone).toBeNull();
  });
});

describe('Ringer', () => {
  afterEach(() => vi.useRealTimers());

  it('starts once, schedules ahead on the audio clock, and stops at once', () => {
    vi.useFakeTimers();
    const ports = fakeRingerPorts();
    const ringer = new Ringer(ports);
    ringer.start(ringbackTone('north-america'));
    ringer.start(ringbackTone('north-america'));
    const ctx = ports.contexts[0]!;
    expect(ports.contexts).toHaveLength(1);
    expect(ctx.oscillators.map((o) => o.frequency.value)).toEqual([440, 480]);
    expect(ctx.oscillators[0]!.startAt).toBeCloseTo(0.05);
    expect(ports.elements[0]!.playing).toBe(true);

    for (let tick = 1; tick <= 24; tick += 1) {
      ctx.currentTime = tick * 0.25;
      vi.advanceTimersByTime(250);
    }
    expect(ctx.oscillators).toHaveLength(4); // the second cycle, at 6.05 s
    expect(ctx.oscillators[2]!.startAt).toBeCloseTo(6.05);
    ringer.stop();
    expect(ringer.state.playing).toBeNull();
    expect(ctx.oscillators.every((o) => o.stoppedNow)).toBe(true);
    expect(ports.elements[0]!.playing).toBe(false);
    ctx.currentTime = 20;
    vi.advanceTimersByTime(5000);
    expect(ctx.oscillators).toHaveLength(4);
  });

  it('switches pattern, applies volume and sink also while playing', async () => {
    const ports = fakeRingerPorts();
    const ringer = new Ringer(ports);
    ringer.setVolume(0.5);
    await ringer.setSink('ringer-id');
    ringer.start(RINGTONES[0]!);
    ringer.start(CALL_WAITING);
    expect(ringer.state).toEqual({ playing: 'call-waiting', sinkId: 'ringer-id', volume: 0.5 });
    await Promise.resolve();
    expect(ports.elements[0]!.sinkId).toBe('ringer-id');
    await ringer.setSink(null);
    expect(ports.elements[0]!.sinkId).toBe('');
    await ringer.dispose();
    expect(ports.contexts[0]!.state).toBe('closed');
  });

  it('sets the master gain perceptually, also while playing', () => {
    const ports = fakeRingerPorts();
    const ringer = new Ringer(ports);
    ringer.setVolume(0.5);
    ringer.start(CALL_WAITING);
    const ctx = ports.contexts[0]!;
    const master = ctx.gains[0]!; // created with the graph, feeds the stream destination
    expect(master.outputs.has(ctx.dest)).toBe(true);
    expect(master.gain.value).toBe(0.25);
    ringer.setVolume(0.8);
    expect(master.gain.value).toBeCloseTo(0.64);
  });
});
