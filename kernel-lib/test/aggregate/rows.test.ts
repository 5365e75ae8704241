import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  aggregateRows,
  formatResultsJson,
  readResultsFile,
  writeResultsFile,
  type EmotionKeyReport,
  type RunLike,
  type TokenReport,
} from '../../src/aggregate/rows.js';
import type { EmotionAdherence, KeyAdherence } from '../../src/metrics/emotion-key-adherence.js';
import type { TokenAdherence } from '../../src/metrics/token-adherence.js';
import { tempDir } from '../helpers.js';

const run = (over: Partial<RunLike> = {}): RunLike => ({
  model: 'scratch',
  mode: 'inference-primed',
  emotion: 1,
  key: 'A:maj',
  subset: ['duration'],
  out_dir: 'x',
  returncode: 0,
  ...over,
});
const tok = (ratio: number, mean?: number, numeric = mean !== undefined): TokenAdherence => ({
  adherence_ratio: ratio,
  matches: 0,
  total: 1,
  target_index: 2,
  target_label: 'Note_Duration_1080',
  is_numeric: numeric,
  ...(mean === undefined ? {} : { mean_distance: mean }),
});
const emo = (ratio?: number): EmotionAdherence => ({
  matches: 0,
  total: ratio === undefined ? 0 : 1,
  predictions: [],
  failures: [],
  ...(ratio === undefined ? {} : { adherence_ratio: ratio }),
});
const key = (ratio?: number, corr?: number): KeyAdherence => ({
  matches: 0,
  total: 1,
  key_distribution: {},
  files: [],
  failures: [],
  ...(ratio === undefined ? {} : { adherence_ratio: ratio }),
  ...(corr === undefined ? {} : { mean_correlation: corr }),
});

describe("aggregateRows (the reference notebook's aggregation)", () => {
  it('averages per-file figures of every run in a (model, mode, emotion, key, subset) group', () => {
    const a = run();
    const b = run({ out_dir: 'y' }); // same group, another run
    const tokens: TokenReport[] = [
      {
        run: a,
        files: [
          { meta: 'm1', num_tokens: 1, adherence: { duration: tok(0.5, 100) } },
          { meta: 'm2', num_tokens: 1, adherence: { duration: tok(0.25, 300) } },
        ],
      },
      { run: b, files: [{ meta: 'm3', num_tokens: 1, adherence: { duration: tok(0, undefined, true) } }] },
    ];
    const ek: EmotionKeyReport[] = [
      { run: a, emotion_adherence: emo(1), key_adherence: key(0, 0.5), num_files: 2 },
      { run: b, emotion_adherence: emo(), key_adherence: key(1, 0.7), num_files: 1 },
    ];
    const rows = aggregateRows(tokens, ek);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toEqual({
      model: 'scratch',
      mode: 'inference-primed',
      emotion: 1,
      key: 'A:maj',
      subset: ['duration'],
      duration_adherence: 0.25,
      duration_distance: 200,
      emotion_adherence: 1,
      key_adherence: 0.5,
      key_correlation: 0.6,
    });
    expect(Object.keys(rows[0]!)).toEqual([
      'model',
      'mode',
      'emotion',
      'key',
      'subset',
      'duration_adherence',
      'duration_distance',
      'emotion_adherence',
      'key_adherence',
      'key_correlation',
    ]);
  });

  it('gives forced runs (no token reports) a row with only emotion and key figures', () => {
    const f = run({ mode: 'inference-forced' });
    const rows = aggregateRows([], [{ run: f, emotion_adherence: emo(0.5), key_adherence: key(0, 0.8), num_files: 2 }]);
    expect(rows).toEqual([
      {
        model: 'scratch',
        mode: 'inference-forced',
        emotion: 1,
        key: 'A:maj',
        subset: ['duration'],
        emotion_adherence: 0.5,
        key_adherence: 0,
        key_correlation: 0.8,
      },
    ]);
  });

  it('makes no row for a run with no figure at all, and keeps key null for models without keys', () => {
    const p = run({ model: 'pretrained', key: null });
    expect(
      aggregateRows(
        [{ run: p, files: [{ meta: 'm', num_tokens: 3, adherence: {} }] }],
        [{ run: p, emotion_adherence: emo(), key_adherence: null, num_files: 0 }],
      ),
    ).toEqual([]);
    const rows = aggregateRows(
      [],
      [
        {
          run: run({ model: 'pretrained', key: undefined }),
          emotion_adherence: emo(0),
          key_adherence: null,
          num_files: 1,
        },
      ],
    );
    expect(rows[0]!.key).toBeNull();
    expect(rows[0]).not.toHaveProperty('key_adherence');
  });

  it('separates groups that differ in any part of the key', () => {
    const rows = aggregateRows(
      [],
      [
        { run: run(), emotion_adherence: emo(1), key_adherence: null, num_files: 1 },
        { run: run({ emotion: 2 }), emotion_adherence: emo(1), key_adherence: null, num_files: 1 },
        { run: run({ key: 'C:maj' }), emotion_adherence: emo(1), key_adherence: null, num_files: 1 },
        { run: run({ subset: ['velocity'] }), emotion_adherence: emo(1), key_adherence: null, num_files: 1 },
        { run: run({ mode: 'inference-deterministic' }), emotion_adherence: emo(1), key_adherence: null, num_files: 1 },
      ],
    );
    expect(rows).toHaveLength(5);
  });
});

describe('the results file', () => {
  it('is written as json.dump(indent=2) with figures as floats, and reads back', async () => {
    const rows = aggregateRows(
      [],
      [{ run: run(), emotion_adherence: emo(1), key_adherence: key(0, 0.25), num_files: 1 }],
    );
    expect(formatResultsJson(rows)).toBe(
      '[\n  {\n    "model": "scratch",\n    "mode": "inference-primed",\n    "emotion": 1,\n    "key": "A:maj",\n    "subset": [\n      "duration"\n    ],\n    "emotion_adherence": 1.0,\n    "key_adherence": 0.0,\n    "key_correlation": 0.25\n  }\n]',
    );
    const file = join(tempDir('emotune-rows-'), 'evaluation_results_comprehensive.json');
    await writeResultsFile(file, rows);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(rows);
    expect(await readResultsFile(file)).toEqual(rows);
  });

  it('reads NaN as Python writes it and names the file and row of a bad field', async () => {
    const dir = tempDir('emotune-rows-');
    const nan = join(dir, 'nan.json');
    writeFileSync(
      nan,
      '[{"model": "m", "mode": "x", "emotion": 1, "key": null, "subset": [], "duration_distance": NaN}]',
    );
    expect((await readResultsFile(nan))[0]!.duration_distance).toBeNaN();
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      '[{"model": "m", "mode": "x", "emotion": 1, "key": null, "subset": [], "duration_adherence": "high"}]',
    );
    await expect(readResultsFile(bad)).rejects.toThrow(/bad\.json: \[0\]\.duration_adherence/);
  });
});
