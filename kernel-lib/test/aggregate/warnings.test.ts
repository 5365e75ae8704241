import { describe, expect, it } from 'vitest';
import { buildExtendedResults, type ExtendedRunInput } from '../../src/aggregate/extended-results.js';
import { songIdentity } from '../../src/aggregate/song-identity.js';
import type { MidiNote } from '../../src/formats/types.js';
import type { NoteAdherence } from '../../src/metrics/note-adherence.js';
import type { QualityMetrics } from '../../src/metrics/quality/index.js';

const quality = (x: number): QualityMetrics => ({
  pitch_class_entropy: x,
  scale_consistency: 1,
  pitch_range: 12 + x,
  polyphony: 1,
  empty_beat_rate: 0,
  groove_consistency: 1,
  note_density: 2 + x,
});
/** A five-note song; the seed sets its intervals and its velocity, so different seeds are different songs. */
const melody = (seed: number, shift = 0, velocity = 40 + seed): MidiNote[] =>
  [0, 2, 4, 5, 7].map((p, i) => ({
    pitch: 60 + shift + ((p * (seed + 1)) % 12),
    start: i * 240,
    end: i * 240 + 240,
    velocity,
    channel: 0,
    track: 0,
  }));
const adherence = (matches: number, steps: number): NoteAdherence => ({
  token: 'velocity',
  targetIndex: 5,
  targetLabel: 'Velocity_100',
  noteSteps: steps,
  matches,
  ratio: matches / steps,
  allSteps: { matches, total: steps * 2 },
  distance: null,
  histogram: [],
  otherSteps: [],
});

interface SongSpec {
  notes: MidiNote[];
  matches?: number;
  key?: string;
  emotion?: number;
  q?: number;
}

function run(
  mode: string,
  emotion: number,
  key: string,
  songs: SongSpec[],
  velocity = 'Velocity_100',
): ExtendedRunInput {
  const out = `${mode}-${emotion}-${key}-${velocity}`;
  return {
    run: {
      model: 'scratch',
      mode,
      emotion,
      key,
      subset: ['velocity'],
      conditions: { velocity },
      out_dir: out,
      returncode: 0,
    },
    tokenFiles: songs.map((s, i) => ({
      meta: `/x/${out}/s${i}.meta.json`,
      midi: `/x/${out}/s${i}.mid`,
      note: [adherence(s.matches ?? 10, 10)],
    })),
    midiFiles: songs.map((s, i) => ({
      midi: `/x/${out}/s${i}.mid`,
      quality: quality(s.q ?? i),
      keyReference: s.key ?? key,
      keyBest: s.key ?? key,
      identity: songIdentity(s.notes),
      emotion: s.emotion ?? emotion,
    })),
    problems: [],
  };
}

describe('songIdentity', () => {
  it('gives a transposed copy the same transposition-free stream and a different exact one', () => {
    const a = songIdentity(melody(1));
    const t = songIdentity(melody(1, 9));
    expect(t.transposed).toBe(a.transposed);
    expect(t.exact).not.toBe(a.exact);
    expect(songIdentity([...melody(1)].reverse())).toEqual(a); // order of notes in the file does not matter
    expect(songIdentity(melody(1, 0, 81)).transposed).not.toBe(a.transposed); // velocity is part of the stream
  });
});

describe('songs as the unit: duplicated songs', () => {
  // A deterministic mode that repeats itself: every run holds the same song twice, A:maj is C:maj transposed.
  const det = [1, 2].flatMap((e) => [
    run('inference-deterministic', e, 'C:maj', [{ notes: melody(e) }, { notes: melody(e) }]),
    run('inference-deterministic', e, 'A:maj', [
      { notes: melody(e, 9), key: 'G:maj' },
      { notes: melody(e, 9), key: 'G:maj' },
    ]),
  ]);
  const primed = [1, 2].flatMap((e) =>
    ['C:maj', 'A:maj'].map((k, j) =>
      run('inference-primed', e, k, [{ notes: melody(10 * e + j) }, { notes: melody(10 * e + j + 5) }]),
    ),
  );
  const ext = buildExtendedResults([...det, ...primed], { seed: 2, resamples: 300 });

  it('counts 8 songs but 2 distinct ones, and only distinct songs as interval units', () => {
    const mode = ext.modes.find((m) => m.mode === 'inference-deterministic')!;
    expect(mode).toMatchObject({ n_songs: 8, n_distinct: 2 });
    expect(mode.figures.velocity_note_adherence).toMatchObject({ n: 2, n_songs: 8 });
    // Key figures keep transposed copies apart (4 exact streams) but still merge exact copies.
    expect(mode.figures.key_adherence).toMatchObject({ n: 4, n_songs: 8 });
    const p = ext.modes.find((m) => m.mode === 'inference-primed')!;
    expect(p).toMatchObject({ n_songs: 8, n_distinct: 8 });
  });

  it('raises identical-outputs naming the cells that hold one song', () => {
    const w = ext.warnings.find((x) => x.code === 'identical-outputs')!;
    expect(w).toMatchObject({ songs: 16, distinct: 10 });
    const groups = w.groups as Array<{ kind: string; songs: number; cells: string[] }>;
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatchObject({ kind: 'transposed', songs: 4 });
    expect(groups[0]!.cells).toEqual([
      'scratch inference-deterministic Q1 C:maj velocity=Velocity_100',
      'scratch inference-deterministic Q1 A:maj velocity=Velocity_100',
    ]);
    expect(w.message).toContain(
      'scratch inference-deterministic Q1 C:maj velocity=Velocity_100 = scratch inference-deterministic Q1 A:maj velocity=Velocity_100',
    );
  });

  it('raises constant-figure for a figure with zero spread over >= 5 songs', () => {
    const c = ext.warnings
      .filter((x) => x.code === 'constant-figure' && x.mode === 'inference-deterministic')
      .map((x) => x.figure);
    expect(c).toContain('velocity_note_adherence');
    expect(c).toContain('emotion_adherence');
    expect(c).not.toContain('quality_pitch_class_entropy'); // 0 and 1 alternate
  });

  it('pairs grid cells (condition values included) and reports the songs behind each test', () => {
    const t = ext.paired.find((x) => x.metric === 'velocity_note_adherence')!;
    expect(t.comparison.n).toBe(4);
    expect(t.comparison.verdict).toBe('too few pairs');
    expect(t).toMatchObject({ n_songs: 16, n_distinct: 10 });
    expect(Number.isFinite(t.comparison.p_adjusted)).toBe(true);
  });
});

describe('validity warnings from what the analysis knows', () => {
  const ok = [
    run('inference-primed', 1, 'C:maj', [
      { notes: melody(1), matches: 3 },
      { notes: melody(2), matches: 6 },
    ]),
  ];
  it('gives no warning for distinct, varying songs over a complete grid', () => {
    expect(
      buildExtendedResults(ok, { resamples: 100, runs: ok.map((r) => r.run), planned: ok.map((r) => r.run) }).warnings,
    ).toEqual([]);
  });

  it('names songs whose classifier inputs lie outside the training range, per mode', () => {
    const r = run('inference-primed', 1, 'C:maj', [{ notes: melody(1) }, { notes: melody(2) }]);
    r.midiFiles[0]!.outOfRange = [{ feature: 'velocity_std', value: 0, lo: 3.1, hi: 25 }];
    r.midiFiles[1]!.outOfRange = [];
    const w = buildExtendedResults([r], { resamples: 100, classifier: 'external' }).warnings.find(
      (x) => x.code === 'classifier-out-of-range',
    )!;
    expect(w).toMatchObject({ mode: 'inference-primed', songs: 2, songs_out_of_range: 1, classifier: 'external' });
    expect(w.message).toContain('velocity_std: 1 song, 0..0 vs trained 3.10..25');
    expect(
      buildExtendedResults([r], { resamples: 100 }).warnings.some((x) => x.code === 'classifier-out-of-range'),
    ).toBe(false); // no classifier, no check
  });

  it('says the embedded generator judged by the built-in classifier that tuned it is partly true by construction', () => {
    const judged = [run('inference-primed', 1, 'C:maj', [{ notes: melody(1) }, { notes: melody(2), emotion: 2 }])];
    const tuned = (o: { committedClassifier?: boolean; generator?: 'embedded' | 'external' }) =>
      buildExtendedResults(judged, { resamples: 100, classifier: 'builtin', ...o }).warnings.filter(
        (w) => w.code === 'tuned-with-classifier',
      );
    const [w, ...rest] = tuned({ committedClassifier: true, generator: 'embedded' });
    expect(rest).toEqual([]);
    expect(w).toMatchObject({ figure: 'emotion_adherence', modes: [{ model: 'scratch', mode: 'inference-primed' }] });
    expect(w!.message).toMatch(/^Emotion adherence of 1 mode \(scratch inference-primed\) is the embedded generator/);
    expect(w!.message).toContain('partly true by construction');
    // Another judge (an external classifier, or the built-in one with another model), another generator, or no
    // emotion figure: nothing to say.
    expect(tuned({ committedClassifier: false, generator: 'embedded' })).toEqual([]);
    expect(tuned({ generator: 'embedded' })).toEqual([]);
    expect(tuned({ committedClassifier: true, generator: 'external' })).toEqual([]);
    expect(tuned({ committedClassifier: true })).toEqual([]);
    const unjudged = run('inference-primed', 1, 'C:maj', [{ notes: melody(1) }]);
    delete unjudged.midiFiles[0]!.emotion;
    expect(
      buildExtendedResults([unjudged], {
        resamples: 100,
        classifier: 'builtin',
        committedClassifier: true,
        generator: 'embedded',
      }).warnings.some((x) => x.code === 'tuned-with-classifier'),
    ).toBe(false);
  });

  it('names figures that leave out songs for which their measure is undefined (NaN), with how many and which', () => {
    const r = run('inference-primed', 1, 'C:maj', [{ notes: melody(1) }, { notes: melody(2) }, { notes: melody(3) }]);
    r.midiFiles[1]!.quality = { ...r.midiFiles[1]!.quality!, groove_consistency: NaN };
    const out = buildExtendedResults([r], { resamples: 100 });
    const w = out.warnings.find((x) => x.code === 'undefined-values')!;
    expect(w).toMatchObject({
      model: 'scratch',
      mode: 'inference-primed',
      figures: { quality_groove_consistency: { songs: 3, undefined: [r.midiFiles[1]!.midi] } },
    });
    expect(w.message).toMatch(/1 figure leaves out songs .*quality_groove_consistency: 1 of 3 songs/);
    // The figure itself counts the other two songs.
    expect(out.modes[0]!.figures.quality_groove_consistency!.n_songs).toBe(2);
    // A count with no trials (no note of the conditioned kind) leaves nothing out: no warning for it.
    const none = run('inference-primed', 1, 'C:maj', [{ notes: melody(1) }, { notes: melody(2) }]);
    none.tokenFiles[1]!.note = [adherence(0, 0)];
    expect(buildExtendedResults([none], { resamples: 100 }).warnings.some((x) => x.code === 'undefined-values')).toBe(
      false,
    );
  });

  it('lists planned cells without results: failed, empty, never run', () => {
    const failed = {
      ...ok[0]!.run,
      conditions: { velocity: 'Velocity_60' },
      out_dir: 'f',
      returncode: 1,
      status: 'failed',
      reason: 'exit code 1',
    };
    const empty = { ...ok[0]!.run, emotion: 2, out_dir: 'e' };
    const never = { ...ok[0]!.run, emotion: 3 };
    const w = buildExtendedResults(ok, {
      resamples: 100,
      runs: [ok[0]!.run, failed, empty],
      planned: [ok[0]!.run, failed, empty, never],
    }).warnings.find((x) => x.code === 'incomplete-grid')!;
    expect(w.planned).toBe(4);
    expect(w.cells).toEqual([
      { cell: 'scratch inference-primed Q1 C:maj velocity=Velocity_60', reason: 'failed: exit code 1' },
      {
        cell: 'scratch inference-primed Q2 C:maj velocity=Velocity_100',
        reason: 'the run succeeded but left no readable song',
      },
      { cell: 'scratch inference-primed Q3 C:maj velocity=Velocity_100', reason: 'planned but never run' },
    ]);
  });

  it('names a cell whose results come from a run that did not complete (invalid, songs missing)', () => {
    const invalid = { ...ok[0]!.run, status: 'invalid', reason: '3 of 5 songs written' };
    const w = buildExtendedResults(ok, { resamples: 100, runs: [invalid], planned: [invalid] }).warnings.find(
      (x) => x.code === 'incomplete-grid',
    )!;
    expect(w.cells).toEqual([
      {
        cell: 'scratch inference-primed Q1 C:maj velocity=Velocity_100',
        reason: 'invalid: 3 of 5 songs written; its figures rest on the songs it left',
      },
    ]);
    expect(w.message).toMatch(/^1 of 1 grid cells rest on a run that did not complete \(/);
    // The same cell retried and complete: its latest state counts, so no warning.
    const retried = { ...ok[0]!.run, status: 'ok' };
    expect(
      buildExtendedResults(ok, { resamples: 100, runs: [invalid, retried] }).warnings.some(
        (x) => x.code === 'incomplete-grid',
      ),
    ).toBe(false);
  });

  it('lists files that could not be read or classified', () => {
    const r = { ...ok[0]!, problems: [{ file: '/x/bad.mid', reason: 'not a MIDI file' }] };
    const w = buildExtendedResults([r], {
      resamples: 100,
      analysisProblems: [{ file: '/x/q.mid', reason: 'classifier time-out', stage: 'emotion' }],
    }).warnings.find((x) => x.code === 'analysis-problems')!;
    expect(w.problems).toHaveLength(2);
    expect(w.message).toContain('2 files could not be read or classified');
  });
});
