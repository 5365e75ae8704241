import { writeMidi } from 'midi-file';
import { describe, expect, it } from 'vitest';
import { EmotuneError } from '../../../src/errors.js';
import { parseMidi } from '../../../src/formats/midi-read.js';
import { computeFeatures, FEATURE_DOCS, FEATURE_NAMES } from '../../../src/metrics/emotion-builtin/features.js';
import { fitKeyProfiles, KK_MINOR } from '../../../src/metrics/emotion-builtin/key-profile.js';
import { note, score, TPB } from './helpers.js';

/** Eight quarter-note Cs, velocities alternating 80 and 100. */
const eightQuarters = () => Array.from({ length: 8 }, (_, i) => note(60, i, 1, i % 2 === 0 ? 80 : 100));

describe('emotion features on hand-made scores', () => {
  it('measures density, velocity and note length of eight quarter notes at 120 BPM', () => {
    const f = computeFeatures(score(eightQuarters()));
    expect(f.notes_per_second).toBeCloseTo(2, 10); // 8 notes in 4 s
    expect(f.onsets_per_second).toBeCloseTo(2, 10);
    expect(f.notes_per_beat).toBeCloseTo(1, 10);
    expect(f.tempo_bpm).toBe(120);
    expect(f.velocity_mean).toBe(90);
    expect(f.velocity_std).toBe(10);
    expect(f.velocity_range).toBe(20);
    expect(f.duration_log_mean).toBeCloseTo(-1, 10); // 0.5 s
    expect(f.duration_log_std).toBeCloseTo(0, 10);
    expect(f.pitch_mean).toBe(60);
    expect(f.pitch_std).toBe(0);
    expect(f.pitch_range).toBe(0);
    expect(f.polyphony).toBeCloseTo(1, 10);
    expect(f.articulation).toBeCloseTo(1, 10); // each note lasts until the next
    expect(f.interval_mean).toBe(0);
    expect(f.pc_entropy).toBe(0);
  });

  it('follows the tempo map: at 60 BPM the same notes are half as dense per second, not per beat', () => {
    const f = computeFeatures(score(eightQuarters(), [{ tick: 0, bpm: 60 }]));
    expect(f.notes_per_second).toBeCloseTo(1, 10);
    expect(f.notes_per_beat).toBeCloseTo(1, 10);
    expect(f.duration_log_mean).toBeCloseTo(0, 10); // 1 s notes
    expect(f.tempo_bpm).toBe(60);
  });

  it('handles a tempo change: 4 beats at 120 then 4 at 60 take 6 s', () => {
    const f = computeFeatures(
      score(eightQuarters(), [
        { tick: 0, bpm: 120 },
        { tick: 4 * TPB, bpm: 60 },
      ]),
    );
    expect(f.notes_per_second).toBeCloseTo(8 / 6, 10);
    expect(f.tempo_bpm).toBeCloseTo(90, 10); // beat-weighted
  });

  it('reads a held C major triad as three-voice, consonant and major', () => {
    const f = computeFeatures(score([note(60, 0, 4), note(64, 0, 4), note(67, 0, 4)]));
    expect(f.polyphony).toBeCloseTo(3, 10);
    expect(f.onsets_per_second).toBeCloseTo(0.5, 10); // one attack in 2 s
    expect(f.dissonance).toBe(0);
    expect(f.major_minor).toBeGreaterThan(0);
    expect(f.minor_chord_share).toBe(0);
    expect(f.bass_register).toBe(60);
    expect(f.top_register).toBe(67);
  });

  it('reads a held A minor triad as minor', () => {
    const f = computeFeatures(score([note(57, 0, 4), note(60, 0, 4), note(64, 0, 4)]));
    expect(f.major_minor).toBeLessThan(0);
    expect(f.minor_chord_share).toBe(1);
  });

  it('counts every interval of a chromatic cluster as dissonant', () => {
    const f = computeFeatures(score([note(60, 0, 2), note(61, 0, 2), note(62, 0, 2)]));
    expect(f.dissonance).toBe(1);
  });

  it('measures staccato articulation and melody intervals', () => {
    // C4 E4 G4 C5, each an eighth note long on quarter-note attacks.
    const f = computeFeatures(score([note(60, 0, 0.5), note(64, 1, 0.5), note(67, 2, 0.5), note(72, 3, 0.5)]));
    expect(f.articulation).toBeCloseTo(0.5, 10);
    expect(f.interval_mean).toBeCloseTo(4, 10); // 4, 3, 5
    expect(f.interval_leap_share).toBeCloseTo(1 / 3, 10);
    expect(f.ioi_log_std).toBeCloseTo(0, 10);
  });

  it('gives the full pitch-class entropy to a chromatic scale', () => {
    const f = computeFeatures(score(Array.from({ length: 12 }, (_, i) => note(60 + i, i, 1))));
    expect(f.pc_entropy).toBeCloseTo(Math.log2(12), 10);
    expect(f.pitch_mean).toBeCloseTo(65.5, 10);
  });

  it('ignores drum-channel notes', () => {
    const melodic = [note(60, 0, 1), note(64, 1, 1, 70)];
    const withDrums = [...melodic, note(36, 0, 0.25, 127, 9), note(42, 0.5, 0.25, 127, 9)];
    expect(computeFeatures(score(withDrums))).toEqual(computeFeatures(score(melodic)));
  });

  it('rejects a score without pitched notes, naming the file', () => {
    expect(() => computeFeatures(score([]), 'empty.mid')).toThrow(EmotuneError);
    expect(() => computeFeatures(score([note(36, 0, 1, 100, 9)]), 'drums.mid')).toThrow(
      /drums\.mid: notes: no pitched notes/,
    );
    try {
      computeFeatures(score([]), 'empty.mid');
    } catch (e) {
      expect((e as EmotuneError).code).toBe('classify.empty');
    }
  });

  it('gives the same features for a score written to MIDI bytes and read back', () => {
    const notes = [note(60, 0, 1, 90), note(64, 1, 0.5, 60), note(67, 1.5, 2, 100), note(48, 0, 4, 50)];
    const events = [
      ...notes.flatMap((n) => [
        { tick: n.start, ev: { type: 'noteOn' as const, channel: 0, noteNumber: n.pitch, velocity: n.velocity } },
        { tick: n.end, ev: { type: 'noteOff' as const, channel: 0, noteNumber: n.pitch, velocity: 0 } },
      ]),
    ].sort((a, b) => a.tick - b.tick || (a.ev.type === 'noteOff' ? -1 : 1));
    let last = 0;
    const track = [
      { deltaTime: 0, meta: true as const, type: 'setTempo' as const, microsecondsPerBeat: 750000 },
      ...events.map((e) => {
        const d = e.tick - last;
        last = e.tick;
        return { deltaTime: d, ...e.ev };
      }),
      { deltaTime: 0, meta: true as const, type: 'endOfTrack' as const },
    ];
    const bytes = Uint8Array.from(
      writeMidi({ header: { format: 0, numTracks: 1, ticksPerBeat: TPB }, tracks: [track] }),
    );
    const fromBytes = computeFeatures(parseMidi(bytes, 'x.mid'));
    const direct = computeFeatures(score(notes, [{ tick: 0, bpm: 80 }]));
    for (const name of FEATURE_NAMES) expect(fromBytes[name], name).toBeCloseTo(direct[name], 9);
    expect(fromBytes.tempo_bpm).toBeCloseTo(80, 9);
  });

  it('reads an A minor progression in the bass, the melody and every stretch as minor', () => {
    // i – iv – V – i in A minor, a bar each, a half-note melody on top.
    const chords = [
      [45, 57, 60, 64],
      [50, 57, 62, 65],
      [52, 56, 59, 64],
      [45, 57, 60, 64],
    ];
    const melody = [72, 71, 74, 72, 71, 68, 69, 69];
    const notes = [
      ...chords.flatMap((c, bar) => c.map((p) => note(p, bar * 4, 4))),
      ...melody.map((p, i) => note(p + 12, i * 2, 2)),
    ];
    const f = computeFeatures(score(notes));
    expect(f.bass_major_minor).toBeLessThan(0);
    expect(f.mode_aarden).toBeLessThan(0);
    expect(f.local_minor_share).toBe(1);
    expect(f.local_key_changes).toBe(0);
    expect(f.tonic_share).toBeGreaterThan(0.1);
    // The chords alone: roots move a–d (a fourth), d–E (a step), E–a (a fourth), two of three changes.
    const blocks = computeFeatures(score(chords.flatMap((c, bar) => c.map((p) => note(p, bar * 4, 4)))));
    expect(blocks.chord_fifth_moves).toBeCloseTo(2 / 3, 10);
    expect(f.melody_repeat_share).toBeCloseTo(1 / 7, 10); // the two final As
    expect(f.melody_legato).toBe(1);
    expect(f.long_note_share).toBe(1);
  });

  it('measures register, octave doublings and chord span from the notes of each attack', () => {
    // C2+C3 octaves, then a C4 alone: two attacks, one doubled; spans 12 and 0.
    const f = computeFeatures(score([note(36, 0, 1), note(48, 0, 1), note(60, 1, 1)]));
    expect(f.octave_share).toBe(0.5);
    expect(f.onset_span).toBe(6);
    expect(f.low_attack_rate).toBeCloseTo(1, 10); // one note below C3 over 1 s
    expect(f.bass_p10).toBeCloseTo(38.4, 10); // lowest notes 36 and 60
    expect(f.pitch_weighted_mean).toBeCloseTo(48, 10);
  });

  it('measures how evenly attacks spread over 2-second stretches', () => {
    const even = computeFeatures(score(Array.from({ length: 16 }, (_, i) => note(60, i, 1))));
    expect(even.density_cv).toBeCloseTo(0, 10);
    expect(even.density_p90).toBeCloseTo(2, 10);
    expect(even.ioi_entropy).toBe(0);
    // 8 sixteenths in the first 2 s, then 2 half notes: a burst then calm.
    const burst = computeFeatures(
      score([...Array.from({ length: 8 }, (_, i) => note(60, i / 4, 0.25)), note(60, 4, 2), note(60, 6, 2)]),
    );
    expect(burst.density_cv).toBeGreaterThan(0.5);
    expect(burst.ioi_entropy).toBeGreaterThan(0);
  });

  it('documents every feature it computes', () => {
    const f = computeFeatures(score(eightQuarters()));
    expect(Object.keys(f).sort()).toEqual(Object.keys(FEATURE_DOCS).sort());
    for (const name of FEATURE_NAMES) expect(Number.isFinite(f[name]), name).toBe(true);
  });
});

describe('key-profile fit', () => {
  it('finds the tonic and mode of a rotated Krumhansl-Kessler profile, and refuses a histogram without 12 bins', () => {
    const aMinor = KK_MINOR.map((_, pc) => KK_MINOR[(pc + 3) % 12]!);
    expect(fitKeyProfiles(aMinor)).toMatchObject({ tonic: 9, minor: true });
    expect(fitKeyProfiles(aMinor).bestMinor).toBeCloseTo(1, 12);
    expect(() => fitKeyProfiles([1, 2, 3])).toThrow(/12 bins, got 3/);
  });
});
