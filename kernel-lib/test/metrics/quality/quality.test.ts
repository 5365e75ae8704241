import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeMidi } from '../../../src/formats/midi-write.js';
import { parseMidi } from '../../../src/formats/midi-read.js';
import type { MidiNote, MidiScore } from '../../../src/formats/types.js';
import {
  emptyBeatRate,
  grooveConsistency,
  noteDensity,
  pitchClassEntropy,
  pitchInScaleRate,
  pitchRange,
  polyphony,
  qualityMetrics,
  scaleConsistency,
  scoreView,
} from '../../../src/metrics/quality/index.js';

const n = (pitch: number, start: number, end: number, channel = 0): MidiNote => ({
  pitch,
  start,
  end,
  channel,
  velocity: 80,
  track: 0,
});
const score = (notes: MidiNote[], ticksPerBeat = 4): MidiScore => ({
  ticksPerBeat,
  notes,
  tempos: [],
  timeSignatures: [{ tick: 0, numerator: 4, denominator: 4 }],
  keySignatures: [],
  drumChannels: [],
  maxTick: Math.max(0, ...notes.map((x) => x.end)),
});

// 4 ticks per beat. C4+E4 on beat 0, G4 on beat 1, nothing on beat 2, C5 on beat 3.
const TRIAD = score([n(60, 0, 3), n(64, 0, 3), n(67, 4, 7), n(72, 12, 15)]);

describe('pitch metrics (muspy definitions)', () => {
  const v = scoreView(TRIAD);
  it('pitch range is highest minus lowest pitch', () => expect(pitchRange(v)).toBe(12));
  it('pitch-class entropy of counts C:2 E:1 G:1 is 1.5 bits', () => expect(pitchClassEntropy(v)).toBeCloseTo(1.5, 12));
  it('scale consistency is 1 when every note fits C major', () => expect(scaleConsistency(v)).toBe(1));
  it('scale consistency is exactly the largest pitch-in-scale rate over the 24 scales (muspy), on any notes', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 127 }), { minLength: 1, maxLength: 60 }), (pitches) => {
        const view = scoreView(score(pitches.map((p, i) => n(p, i, i + 2))));
        const rates = (['major', 'minor'] as const).flatMap((mode) =>
          Array.from({ length: 12 }, (_, root) => pitchInScaleRate(view, root, mode)),
        );
        expect(scaleConsistency(view)).toBe(Math.max(...rates));
      }),
    );
  });
  it('pitch-in-scale rate counts the notes in a given scale', () => {
    // C# major = C# D# F F# G# A# C (B#): of C, E, G, C only the two Cs are in it.
    expect(pitchInScaleRate(v, 1, 'major')).toBe(0.5);
  });
  it('polyphony is sounding pitch-ticks over ticks with sound: 12 / 9', () =>
    expect(polyphony(v)).toBeCloseTo(12 / 9, 12));
  it('is NaN (entropy, scale, polyphony) or 0 (range) without notes, as muspy', () => {
    const e = scoreView(score([]));
    expect(pitchRange(e)).toBe(0);
    expect(Number.isNaN(pitchClassEntropy(e))).toBe(true);
    expect(Number.isNaN(scaleConsistency(e))).toBe(true);
    expect(Number.isNaN(polyphony(e))).toBe(true);
  });
  it('counts a repeated overlapping pitch once per tick (binary piano roll)', () => {
    expect(polyphony(scoreView(score([n(60, 0, 4), n(60, 2, 6)])))).toBe(1);
  });
});

describe('rhythm metrics (muspy definitions)', () => {
  it('empty-beat rate: beats 0, 1, 3 sound, beat 2 is empty -> 1/4', () =>
    expect(emptyBeatRate(scoreView(TRIAD))).toBe(0.25));
  it('a note ending on a beat line also fills the next beat, as in muspy', () => {
    expect(emptyBeatRate(scoreView(score([n(60, 0, 4), n(62, 12, 13)])))).toBe(0.25); // beats 0,1,3 of 4
  });
  it('drums fill beats but do not count for pitch metrics', () => {
    const withDrum = scoreView(score([...TRIAD.notes, n(36, 8, 9, 9)]));
    expect(emptyBeatRate(withDrum)).toBe(0);
    expect(pitchRange(withDrum)).toBe(12);
    expect(noteDensity(withDrum)).toBeCloseTo(4 / (15 / 4), 12);
  });
  it('groove consistency: two 16-tick measures whose onsets differ at 2 positions -> 1 - 2/16', () => {
    const notes = [0, 4, 8, 12, 16, 20, 24, 30].map((t) => n(60, t, t + 1));
    expect(grooveConsistency(scoreView(score(notes)))).toBeCloseTo(0.875, 12);
  });
  it('groove consistency is 1 for identical measures and NaN for a single measure', () => {
    const same = [0, 8, 16, 24].map((t) => n(60, t, t + 1));
    expect(grooveConsistency(scoreView(score(same)))).toBe(1);
    expect(Number.isNaN(grooveConsistency(scoreView(TRIAD)))).toBe(true);
  });
  it('note density is pitched notes per beat of length', () =>
    expect(noteDensity(scoreView(TRIAD))).toBeCloseTo(16 / 15, 12));
});

describe('qualityMetrics', () => {
  it('rescales to 24 ticks per beat by default (muspy adjust_resolution) so PPQ does not change results', () => {
    const fine = score(
      TRIAD.notes.map((x) => ({ ...x, start: x.start * 120, end: x.end * 120 })),
      480,
    );
    const a = qualityMetrics(fine);
    const b = qualityMetrics(TRIAD);
    expect(a).toEqual(b);
    expect(scoreView(fine, 24).notes[2]).toMatchObject({ start: 24, end: 42 });
  });
  it('measures a tiny hand-made MIDI file read back through the MIDI reader', () => {
    const bytes = encodeMidi({
      ticksPerBeat: 4,
      notes: TRIAD.notes,
      timeSignatures: [{ tick: 0, numerator: 4, denominator: 4 }],
    });
    const q = qualityMetrics(parseMidi(bytes, 'triad.mid'), { resolution: null });
    expect(q).toMatchObject({ pitch_range: 12, scale_consistency: 1, empty_beat_rate: 0.25 });
    expect(q.pitch_class_entropy).toBeCloseTo(1.5, 12);
    expect(q.polyphony).toBeCloseTo(12 / 9, 12);
    expect(Number.isNaN(q.groove_consistency)).toBe(true);
  });
});
