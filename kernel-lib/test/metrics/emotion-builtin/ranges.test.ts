import { describe, expect, it } from 'vitest';
import { parseClassifierModel } from '../../../src/metrics/emotion-builtin/model.js';
import { loadClassifier } from '../../../src/metrics/edge/classifier-file.js';
import { featureRanges, outOfRangeFeatures } from '../../../src/metrics/emotion-builtin/ranges.js';
import { errorOf } from '../../expect-error.js';

describe('classifier training ranges', () => {
  it('finds the features outside [lo, hi], with value and bounds; unknown features are not checked', () => {
    const ranges: Record<string, [number, number]> = { velocity_std: [4.9, 24.9], pitch_mean: [41, 85] };
    expect(outOfRangeFeatures(ranges, { velocity_std: 0, pitch_mean: 60, tempo_bpm: 300 })).toEqual([
      { feature: 'velocity_std', value: 0, lo: 4.9, hi: 24.9 },
    ]);
    expect(outOfRangeFeatures(ranges, { velocity_std: 4.9, pitch_mean: 85 })).toEqual([]); // the bounds are inside
    expect(outOfRangeFeatures(ranges, { pitch_mean: 86 })).toEqual([
      { feature: 'pitch_mean', value: 86, lo: 41, hi: 85 },
    ]);
  });
  it('takes min and max over training examples', () => {
    expect(
      featureRanges(
        [
          { a: 1, b: 5 },
          { a: -2, b: 5 },
          { a: 3, b: NaN },
        ],
        ['a', 'b', 'c'],
      ),
    ).toEqual({ a: [-2, 3], b: [5, 5] });
  });
  it('ships the training range of every feature the committed model reads (augmented copies included)', () => {
    const model = loadClassifier();
    expect(Object.keys(model.feature_ranges).sort()).toEqual(model.features.map((f) => f.name).sort());
    // The classifier is trained on constant-velocity copies too, so constant velocity is inside its range.
    expect(model.feature_ranges.velocity_std![0]).toBe(0);
  });
  it('validates feature_ranges in a model file, naming the field', () => {
    const model = JSON.parse(JSON.stringify(loadClassifier()));
    model.feature_ranges = { velocity_std: [3, 1] };
    expect(errorOf(() => parseClassifierModel(model, 'm.json'))).toMatchObject({
      file: 'm.json',
      field: 'feature_ranges.velocity_std',
    });
    delete model.feature_ranges;
    expect(errorOf(() => parseClassifierModel(model, 'm.json'))).toMatchObject({
      file: 'm.json',
      field: 'feature_ranges',
    });
  });
});
