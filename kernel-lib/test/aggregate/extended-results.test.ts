import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  buildExtendedResults,
  collectExtendedInputs,
  writeExtendedResults,
  type ExtendedRunInput,
} from '../../src/aggregate/extended-results.js';
import { encodeMidi } from '../../src/formats/midi-write.js';
import { encodeNpy } from '../../src/formats/npy.js';
import type { MidiNote, Word2Event } from '../../src/formats/types.js';
import type { NoteAdherence } from '../../src/metrics/note-adherence.js';
import type { QualityMetrics } from '../../src/metrics/quality/index.js';

const q = (entropy: number): QualityMetrics => ({
  pitch_class_entropy: entropy,
  scale_consistency: 1,
  pitch_range: 12,
  polyphony: 1,
  empty_beat_rate: 0,
  groove_consistency: NaN,
  note_density: 2,
});
const adh = (matches: number, noteSteps: number, all: [number, number], meanDistance: number): NoteAdherence => ({
  token: 'duration',
  targetIndex: 3,
  targetLabel: 'Note_Duration_1080',
  noteSteps,
  matches,
  ratio: matches / noteSteps,
  allSteps: { matches: all[0], total: all[1] },
  distance: { n: noteSteps, mean: meanDistance, median: 0, min: 0, max: 0, std: 0, values: [] },
  histogram: [
    { index: 3, label: 'Note_Duration_1080', count: matches, value: 1080, isTarget: true },
    { index: 2, label: 'Note_Duration_120', count: noteSteps - matches, value: 120, isTarget: false },
  ],
  otherSteps: [{ index: 0, count: all[1] - noteSteps }],
});
const run = (mode: string, emotion: number) => ({
  model: 'scratch',
  mode,
  emotion,
  key: 'C:maj',
  subset: ['duration'],
  out_dir: `${mode}-${emotion}`,
  returncode: 0,
});

function input(mode: string, emotion: number, m: number): ExtendedRunInput {
  return {
    run: run(mode, emotion),
    tokenFiles: [{ meta: `${mode}-${emotion}.meta.json`, note: [adh(m, 10, [m, 20], 100 * (10 - m))] }],
    midiFiles: [
      { midi: `${mode}-${emotion}.mid`, quality: q(m / 4), keyReference: m > 5 ? 'C:maj' : 'G:maj', keyBest: 'C:maj' },
    ],
    emotion: { matches: m > 5 ? 1 : 0, total: 1 },
    problems: [],
  };
}

describe('buildExtendedResults', () => {
  const inputs = [1, 2, 3, 4].flatMap((e) => [input('inference-primed', e, 8), input('inference-deterministic', e, 3)]);
  const ext = buildExtendedResults(inputs, { seed: 5, resamples: 500 });

  it('keeps one row per (model, mode, emotion, key, subset); one song gives pooled counts but no interval', () => {
    expect(ext.rows).toHaveLength(8);
    const row = ext.rows.find((r) => r.mode === 'inference-primed' && r.emotion === 1)!;
    expect(row).toMatchObject({ n_songs: 1, n_distinct: 1 });
    expect(row.figures.duration_note_adherence).toMatchObject({
      estimate: 0.8,
      successes: 8,
      trials: 10,
      method: 'cluster-bootstrap',
      n: 1,
      n_songs: 1,
    });
    expect(row.figures.duration_adherence).toMatchObject({ estimate: 0.4, successes: 8, trials: 20 });
    expect(row.figures.duration_note_adherence!.lower).toBeNaN(); // 10 steps of one song are not 10 observations
  });

  it("scores keys under the reference notebook's and the recommended method, exact and MIREX", () => {
    const det = ext.modes.find((m) => m.mode === 'inference-deterministic')!;
    expect(det.figures.key_adherence).toMatchObject({ successes: 0, trials: 4 });
    expect(det.figures.key_mirex!.estimate).toBe(0.5); // G:maj for C:maj is a fifth
    expect(det.figures.key_adherence_best).toMatchObject({ successes: 4, trials: 4 });
  });

  it('summarises each mode over its cells with bootstrap means for quality metrics', () => {
    const primed = ext.modes.find((m) => m.mode === 'inference-primed')!;
    expect(primed).toMatchObject({ cells: 4, n_songs: 4, n_distinct: 4 });
    expect(primed.figures.quality_pitch_class_entropy).toMatchObject({ estimate: 2, lower: 2, upper: 2, n: 4 });
    expect(primed.figures.quality_groove_consistency!.n).toBe(0); // NaN per file is dropped, not averaged
  });

  it('pairs modes over the same grid cells and finds the consistent difference', () => {
    const c = ext.paired.find((p) => p.metric === 'duration_note_adherence')!;
    expect(c).toMatchObject({ model: 'scratch', a: 'inference-primed', b: 'inference-deterministic' });
    expect(c.comparison.n).toBe(4);
    expect(c.comparison.difference.estimate).toBeCloseTo(0.5, 12);
    expect(c.comparison.sign).toMatchObject({ positive: 4, negative: 0 });
    expect(c.comparison.sign.pValue).toBeCloseTo(0.125, 12);
  });

  it('sums per-run histograms of generated values against the target', () => {
    const h = ext.histograms.find((x) => x.mode === 'inference-primed' && x.emotion === 2)!;
    expect(h.target).toEqual({ index: 3, label: 'Note_Duration_1080' });
    expect(h.histogram.map((x) => [x.index, x.count, x.isTarget])).toEqual([
      [2, 2, false],
      [3, 8, true],
    ]);
  });

  it('is deterministic for a seed', () => {
    expect(buildExtendedResults(inputs, { seed: 5, resamples: 500 })).toEqual(ext);
  });
});

describe('collectExtendedInputs + writeExtendedResults', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('reads meta, tokens and MIDI from a run folder and writes JSON with null for NaN', async () => {
    dir = await mkdtemp(join(tmpdir(), 'emotune-ext-'));
    const w2e: Word2Event = {
      type: { '0': 0, '1': 'Metrical', '2': 'Note' },
      duration: { '0': 0, '1': 'CONTI', '2': 'Note_Duration_120', '3': 'Note_Duration_1080' },
    };
    await writeFile(join(dir, 'song.npy'), encodeNpy([4, 2], [1, 1, 2, 3, 2, 2, 2, 3]));
    const notes: MidiNote[] = [60, 64, 67].map((pitch, i) => ({
      pitch,
      start: i * 480,
      end: i * 480 + 480,
      velocity: 80,
      channel: 0,
      track: 0,
    }));
    await writeFile(join(dir, 'song.mid'), encodeMidi({ ticksPerBeat: 480, notes }));
    await writeFile(
      join(dir, 'song.meta.json'),
      JSON.stringify({
        paths: { npy: 'song.npy', midi: 'song.mid' },
        conditions_indices: { duration: 3 },
        vocab_order: ['type', 'duration'],
      }),
    );
    const r = {
      model: 'm',
      mode: 'inference-primed',
      emotion: 1,
      key: 'C:maj',
      subset: ['duration'],
      out_dir: dir,
      returncode: 0,
    };
    const inputs = await collectExtendedInputs(
      {
        tokenReports: [{ run: r, files: [{ meta: join(dir, 'song.meta.json'), adherence: {}, num_tokens: 4 }] }],
        emotionKeyReports: [
          {
            run: r,
            emotion_adherence: { matches: 1, total: 1, predictions: [], failures: [] },
            key_adherence: null,
            num_files: 1,
          },
        ],
      },
      { expDir: dir, word2eventByModel: { m: w2e } },
    );
    expect(inputs).toHaveLength(1);
    expect(inputs[0]!.tokenFiles[0]!.note[0]).toMatchObject({ noteSteps: 3, matches: 2 });
    expect(inputs[0]!.midiFiles[0]!.keyReference).toBe('C:maj');
    const ext = buildExtendedResults(inputs, { seed: 1, resamples: 200 });
    const out = join(dir, 'evaluation_results_extended.json');
    await writeExtendedResults(out, ext);
    const back = JSON.parse(await readFile(out, 'utf8'));
    expect(back.rows[0].figures.duration_note_adherence.successes).toBe(2);
    expect(back.rows[0].figures.quality_groove_consistency.estimate).toBeNull(); // one measure: undefined
  });
});
