import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EmotuneError } from '../../../src/errors.js';
import { DEFAULT_MODEL_FEATURES } from '../../../src/metrics/emotion-builtin/train.js';
import { parseClassifierModel, serializeClassifierModel } from '../../../src/metrics/emotion-builtin/model.js';
import { DEFAULT_CLASSIFIER_PATH, loadClassifier } from '../../../src/metrics/edge/classifier-file.js';
import { tempDir } from '../../helpers.js';

function errorOf(fn: () => unknown): EmotuneError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(EmotuneError);
    return e as EmotuneError;
  }
  throw new Error('expected an EmotuneError');
}

describe('classifier model file', () => {
  it('loads the committed model by default, with the default feature set', () => {
    const model = loadClassifier();
    expect(DEFAULT_CLASSIFIER_PATH).toMatch(/kernel-lib[\\/]embedded[\\/]classifier[\\/]emotion-model\.json$/);
    expect(model.kind).toBe('axes-ensemble');
    expect(model.features.map((f) => f.name)).toEqual(DEFAULT_MODEL_FEATURES);
    expect(model.training.examples).toBe(767);
  });

  it('keeps the committed file in canonical form (what train-classifier writes)', () => {
    const text = readFileSync(DEFAULT_CLASSIFIER_PATH, 'utf8');
    expect(serializeClassifierModel(parseClassifierModel(JSON.parse(text)))).toBe(text);
  });

  it('reports a missing model file with its path', () => {
    const e = errorOf(() => loadClassifier('/nonexistent/model.json'));
    expect(e.code).toBe('classifier.io');
    expect(e.message).toContain('/nonexistent/model.json');
  });

  it('reports a model file that is not JSON', () => {
    const file = join(tempDir(), 'broken.json');
    writeFileSync(file, '{"format": "emotune-emotion-classifier",');
    const e = errorOf(() => loadClassifier(file));
    expect(e.code).toBe('classifier.json');
    expect(e.message).toMatch(/broken\.json: classifier model is not valid JSON/);
  });

  it('names the field of a malformed model', () => {
    const good = JSON.parse(readFileSync(DEFAULT_CLASSIFIER_PATH, 'utf8'));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each case breaks a different part of a model file
    const cases: Array<[(m: any) => void, RegExp]> = [
      [(m) => (m.format = 'something-else'), /format: invalid classifier model/],
      [(m) => (m.version = 1), /version/],
      [(m) => (m.kind = 'forest'), /kind/],
      [(m) => (m.temperature = 0), /temperature/],
      [(m) => (m.feature_ranges.pitch_mean = [80, 20]), /feature_ranges\.pitch_mean/],
      [(m) => (m.arousal.trees.trees[0][1].feature[0] = 999), /arousal\.trees\.trees\[0\]\[1\] node 0/],
      [(m) => (m.valence.trees.trees[2][0].left[0] = 0), /valence\.trees\.trees\[2\]\[0\] node 0/],
      [(m) => m.arousal.trees.trees[0][0].value.pop(), /arousal\.trees\.trees\[0\]\[0\]\.value/],
      [(m) => m.valence.trees.trees[1].pop(), /valence\.trees\.trees\[1\]: .*one tree per class \(2\)/],
      [(m) => (m.valence.trees.classes = 4), /valence\.trees\.classes/],
      [(m) => m.arousal.head.weights.pop(), /arousal\.head\.weights/],
      [(m) => (m.valence.head.bias = [0]), /valence\.head\.bias/],
      [(m) => delete m.mix, /mix/],
      [(m) => (m.features[3].name = 'loudness'), /features\[3\]\.name/],
      [(m) => (m.features[0].std = 0), /features\[0\]\.std/],
      [(m) => (m.features[1].transform = 'sqrt'), /features\[1\]\.transform/],
    ];
    for (const [mutate, pattern] of cases) {
      const m = structuredClone(good);
      mutate(m);
      const e = errorOf(() => parseClassifierModel(m, 'm.json'));
      expect(e.code).toBe('classifier.invalid');
      expect(e.message).toMatch(pattern);
      expect(e.message.startsWith('m.json: ')).toBe(true);
    }
    expect(() => parseClassifierModel([], 'm.json')).toThrow(/\(root\)/);
  });
});
