import { EmotuneError } from '../../errors.js';
import { standardize } from './classify.js';
import { loadSplitFeatures, type LabelledFeatures } from './dataset.js';
import { FEATURE_NAMES, type FeatureName } from './features.js';
import { CLASSIFIER_FORMAT, CLASSIFIER_VERSION, type EmotionModel, type FeatureTransform, type ModelFeature } from './model.js';
import { featureRanges } from './ranges.js';
import { trainSoftmax, type SoftmaxWeights } from './softmax-regression.js';

export interface ClassifierTrainOptions {
  /** `arousal-valence` (two logistic heads; the default, best on grouped cross-validation and val) or `multinomial`. */
  kind?: 'arousal-valence' | 'multinomial';
  /** L2 penalty on the weights of standardised features (default 0.003). */
  l2?: number;
  /** Features taken as logs before standardising (default: the right-skewed rates and counts). */
  logFeatures?: readonly FeatureName[];
  /** Features the model uses, in this order (default DEFAULT_MODEL_FEATURES). */
  features?: readonly FeatureName[];
  /** Credit line stored in the model file. */
  dataDescription?: string;
}

/**
 * Defaults chosen with song-grouped 5-fold cross-validation on the train split, checked on val: two heads
 * beat one softmax by about a point, logs of the skewed rates another point, l2 in 0.001–0.03 is flat.
 */
export const DEFAULT_L2 = 0.003;
export const DEFAULT_LOG_FEATURES: readonly FeatureName[] = ['notes_per_second', 'onsets_per_second', 'notes_per_beat', 'polyphony', 'interval_mean'];
/**
 * EMOPIA's clips are transcriptions written at a fixed 120 BPM, so their "beats" are half-seconds, not
 * musical beats: tempo is constant and notes per beat is notes per second halved. The model leaves both
 * out, so generated music (with real tempi) is judged on what a listener hears, not on its notation.
 */
export const DEFAULT_MODEL_FEATURES: readonly FeatureName[] = FEATURE_NAMES.filter((n) => n !== 'notes_per_beat' && n !== 'tempo_bpm');
export const EMOPIA_CREDIT = 'EMOPIA 1.0 (Hung et al., ISMIR 2021), CC BY 4.0';

function byFile(a: LabelledFeatures, b: LabelledFeatures): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

/**
 * Fits the classifier on labelled features. No randomness at all: examples are sorted by file name and
 * the optimiser starts from zero weights, so the same data always gives the same numbers.
 */
export function trainClassifier(examples: readonly LabelledFeatures[], options: ClassifierTrainOptions = {}): EmotionModel {
  const counts = [1, 2, 3, 4].map((q) => examples.filter((e) => e.quadrant === q).length);
  if (counts.some((c) => c === 0)) {
    throw new EmotuneError('training needs examples of every quadrant', { field: 'examples', expected: 'at least one clip of each of Q1..Q4', found: `counts ${counts.join('/')}`, code: 'classifier.train' });
  }
  const rows = [...examples].sort(byFile);
  const kind = options.kind ?? 'arousal-valence';
  const l2 = options.l2 ?? DEFAULT_L2;
  const logSet = new Set<FeatureName>(options.logFeatures ?? DEFAULT_LOG_FEATURES);
  const names = options.features ?? DEFAULT_MODEL_FEATURES;
  for (const name of names) {
    if (!(FEATURE_NAMES as readonly string[]).includes(name)) {
      throw new EmotuneError('unknown feature', { field: 'features', expected: FEATURE_NAMES.join(', '), found: name, code: 'classifier.train' });
    }
  }
  const features: ModelFeature[] = names.map((name) => {
    const transform: FeatureTransform = logSet.has(name) ? 'log' : 'identity';
    const probe: ModelFeature = { name, transform, mean: 0, std: 1 };
    const values = rows.map((r) => standardize(probe, r.features[name]));
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    // A constant feature gets std 1 and, carrying no signal, weight 0.
    return { name, transform, mean, std: sd > 1e-12 ? sd : 1 };
  });
  const X = rows.map((r) => features.map((f) => standardize(f, r.features[f.name])));
  const quadrantIndex = rows.map((r) => r.quadrant - 1);
  const training = {
    data: options.dataDescription ?? EMOPIA_CREDIT,
    examples: rows.length,
    perQuadrant: counts,
    l2,
    optimizer: 'L-BFGS, full batch, from zero weights',
  };
  // The training range of each feature the model reads: outside it the model extrapolates.
  const feature_ranges = featureRanges(rows.map((r) => r.features), names);
  if (kind === 'multinomial') {
    const w = trainSoftmax(X, quadrantIndex, 4, { l2 });
    return { format: CLASSIFIER_FORMAT, version: CLASSIFIER_VERSION, kind, features, quadrant: { weights: w.weights, bias: w.bias }, training, feature_ranges };
  }
  // A two-class softmax's logit difference is the logistic head's logit.
  const toHead = (w: SoftmaxWeights) => ({ weights: w.weights[1].map((v, j) => v - w.weights[0][j]), bias: w.bias[1] - w.bias[0] });
  const highArousal = quadrantIndex.map((q) => (q === 0 || q === 1 ? 1 : 0));
  const highValence = quadrantIndex.map((q) => (q === 0 || q === 3 ? 1 : 0));
  return {
    format: CLASSIFIER_FORMAT,
    version: CLASSIFIER_VERSION,
    kind,
    features,
    arousal: toHead(trainSoftmax(X, highArousal, 2, { l2 })),
    valence: toHead(trainSoftmax(X, highValence, 2, { l2 })),
    training,
    feature_ranges,
  };
}

/** Reads an EMOPIA folder (labels.csv + midis/) and trains on its `train` split (or `limit` first clips of it). */
export async function trainClassifierFromDir(dataDir: string, options: ClassifierTrainOptions & { split?: string; limit?: number } = {}): Promise<EmotionModel> {
  const split = options.split ?? 'train';
  const examples = await loadSplitFeatures(dataDir, split, options.limit);
  if (examples.length === 0) {
    throw new EmotuneError('no clips in the training split', { file: dataDir, field: 'labels.csv split', expected: `rows with split "${split}"`, found: 'none', code: 'classifier.train' });
  }
  const description = options.dataDescription ?? `${EMOPIA_CREDIT}: split "${split}"`;
  return trainClassifier(examples, { ...options, dataDescription: description });
}
