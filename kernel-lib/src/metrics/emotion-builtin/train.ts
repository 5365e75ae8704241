import { EmotuneError } from '../../errors.js';
import { axesLogits, standardize } from './classify.js';
import { songKeyOf, songOf, type LabelledFeatures } from './dataset.js';
import { namingOf } from './held-out.js';
import { FEATURE_NAMES, type EmotionFeatures, type FeatureName } from './features.js';
import {
  CLASSIFIER_FORMAT,
  CLASSIFIER_VERSION,
  type AxisEnsemble,
  type BinaryHead,
  type EmotionModel,
  type FeatureTransform,
  type ModelFeature,
  type TrainingInfo,
} from './model.js';
import { trainSoftmax, logits, type SoftmaxWeights } from './softmax-regression.js';
import { quantiseToCpGrid, withConstantVelocity, type ScoreVariant } from './augment.js';
import { fitTemperature } from './calibration.js';
import { gbtScores, trainGbt, type GbtOptions } from './gbt.js';

export type ClassifierKind = 'ensemble' | 'boosted-trees' | 'arousal-valence' | 'multinomial' | 'axes-ensemble';

export interface ClassifierTrainOptions {
  /**
   * `axes-ensemble` (the default, best on song-grouped cross-validation: for arousal and for valence, boosted
   * trees and logistic regression with logits averaged, the two axes multiplied into quadrants), `ensemble` (the
   * same over the 4 quadrants at once), `boosted-trees`, `arousal-valence` or `multinomial` (logistic regression).
   */
  kind?: ClassifierKind;
  /** Logistic regression: L2 penalty on the weights of standardised features (default 0.003). */
  l2?: number;
  /** Logistic regression: features taken as logs before standardising (default: the right-skewed rates and counts). */
  logFeatures?: readonly FeatureName[];
  /** Features the model uses, in this order (default DEFAULT_MODEL_FEATURES). */
  features?: readonly FeatureName[];
  /** Ensembles: weight of the regression's logits, the trees getting the rest (default ENSEMBLE_MIX). */
  mix?: number;
  /** Boosted trees: learner settings (default DEFAULT_GBT). */
  gbt?: Partial<GbtOptions>;
  /** Train on the augmented copies too (default true; the examples must carry them, see TRAIN_AUGMENTATIONS). */
  augment?: boolean;
  /**
   * Names of the variants (carried by the examples) learnt from when `augment` is on, in this order (default
   * TRAIN_AUGMENTATIONS' names). Cross-validation uses it to try other copies, e.g. TRAIN_AUGMENTATIONS plus
   * `transposedVariant(±2)`; see EVALUATION.md, "Tried: transposition augmentation".
   */
  augmentations?: readonly string[];
  /** Song-grouped folds for the held-out predictions that fit the temperature (default 5). */
  folds?: number;
  /** Credit line stored in the model file. */
  dataDescription?: string;
  /** Held-out predictions already computed with these options (saves refitting them for the temperature). */
  crossValidation?: CrossValidation;
}

/**
 * Logistic-regression defaults, chosen with song-grouped 5-fold cross-validation on the train split:
 * two heads beat one softmax by about a point, logs of the skewed rates another point, l2 in 0.001–0.03 is flat.
 */
export const DEFAULT_L2 = 0.003;
export const DEFAULT_LOG_FEATURES: readonly FeatureName[] = [
  'notes_per_second',
  'onsets_per_second',
  'notes_per_beat',
  'polyphony',
  'interval_mean',
];
/**
 * EMOPIA's clips are transcriptions written at a fixed 120 BPM, so their "beats" are half-seconds, not
 * musical beats: tempo is constant and notes per beat is notes per second halved. The model leaves both
 * out, so generated music (with real tempi) is judged on what a listener hears, not on its notation.
 */
export const DEFAULT_MODEL_FEATURES: readonly FeatureName[] = FEATURE_NAMES.filter(
  (n) => n !== 'notes_per_beat' && n !== 'tempo_bpm',
);
export const EMOPIA_CREDIT = 'EMOPIA 1.0 (Hung et al., ISMIR 2021), CC BY 4.0';

/** Weight of the softmax regression's logits in the ensemble (the trees get 1 − mix). */
export const ENSEMBLE_MIX = 0.5;

/**
 * Boosted-tree settings and learner from grids scored by song-grouped 5-fold cross-validation on the train split
 * (`npx tsx bench/classifier-cv.ts --deals 2`: two deals of the songs into folds, held-out 4-quadrant accuracy
 * averaged; 73 features, with the augmentations): one ensemble per axis with depth 2 × 300 rounds 72.2%
 * (arousal 90.4%, valence 79.7%); a 4-quadrant ensemble with depth 4 × 150 71.7%, depth 3 × 150 70.4% (one
 * deal). With 8 more scale-degree shares (81 features, since dropped) every learner lost 0.3–0.8 points: axes
 * depth 2 × 300 71.5%, depth 4 × 150 70.9%, depth 4 × 300 at learning rate 0.03 71.1%, regression weight (mix)
 * 0.3 71.1%, 0.7 69.4%. The 52 features of version 2 gave 69.6% with the 4-quadrant ensemble.
 */
export const DEFAULT_GBT: GbtOptions = {
  rounds: 300,
  learningRate: 0.05,
  maxDepth: 2,
  lambda: 1,
  minChildWeight: 1,
  maxBins: 32,
};

/**
 * Copies every training clip is also learnt from, so the model does not read velocity or timing that
 * generated music lacks: one velocity for every note (two levels, neither of the robustness test's
 * 40/64/100) and EMOPIA's Compound-Word grid.
 */
export const TRAIN_AUGMENTATIONS: readonly ScoreVariant[] = [
  { name: 'velocity 50', apply: (s) => withConstantVelocity(s, 50) },
  { name: 'velocity 90', apply: (s) => withConstantVelocity(s, 90) },
  { name: 'CP grid', apply: quantiseToCpGrid },
];

function byFile(a: LabelledFeatures, b: LabelledFeatures): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : 0;
}

/** One training row: a clip's features (original or an augmented copy), its class and weight. */
interface Row {
  features: EmotionFeatures;
  quadrant: number;
}

/** The original rows, then each clip's augmented copies in the order of `augmentations` (variant names). */
function trainingRows(clips: readonly LabelledFeatures[], augmentations: readonly string[]): Row[] {
  const rows: Row[] = clips.map((c) => ({ features: c.features, quadrant: c.quadrant - 1 }));
  for (const c of clips) {
    for (const name of augmentations) {
      const f = c.variants?.[name];
      if (f) rows.push({ features: f, quadrant: c.quadrant - 1 });
    }
  }
  return rows;
}

/** Transform and standardisation of each feature, from the training rows (identity for trees). */
function modelFeatures(
  rows: readonly Row[],
  names: readonly FeatureName[],
  kind: ClassifierKind,
  logSet: ReadonlySet<FeatureName>,
): ModelFeature[] {
  return names.map((name) => {
    if (kind === 'boosted-trees') return { name, transform: 'identity', mean: 0, std: 1 };
    const transform: FeatureTransform = logSet.has(name) ? 'log' : 'identity';
    const probe: ModelFeature = { name, transform, mean: 0, std: 1 };
    const values = rows.map((r) => standardize(probe, r.features[name]));
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    // A constant feature gets std 1 and, carrying no signal, weight 0.
    return { name, transform, mean, std: sd > 1e-12 ? sd : 1 };
  });
}

type Learnt =
  | { kind: 'ensemble'; trees: ReturnType<typeof trainGbt>; quadrant: SoftmaxWeights; mix: number }
  | { kind: 'boosted-trees'; trees: ReturnType<typeof trainGbt> }
  | { kind: 'arousal-valence'; arousal: BinaryHead; valence: BinaryHead }
  | { kind: 'multinomial'; quadrant: SoftmaxWeights }
  | { kind: 'axes-ensemble'; arousal: AxisEnsemble; valence: AxisEnsemble; mix: number };

/** Fits the learner of `kind` on standardised rows. */
function fitLearner(
  rows: readonly Row[],
  features: readonly ModelFeature[],
  kind: ClassifierKind,
  l2: number,
  gbt: GbtOptions,
  mix: number,
): Learnt {
  const X = rows.map((r) => features.map((f) => standardize(f, r.features[f.name])));
  const y = rows.map((r) => r.quadrant);
  if (kind === 'boosted-trees') return { kind, trees: trainGbt(X, y, 4, gbt) };
  if (kind === 'ensemble') return { kind, trees: trainGbt(X, y, 4, gbt), quadrant: trainSoftmax(X, y, 4, { l2 }), mix };
  if (kind === 'multinomial') return { kind, quadrant: trainSoftmax(X, y, 4, { l2 }) };
  const highArousal = y.map((q) => (q === 0 || q === 1 ? 1 : 0));
  const highValence = y.map((q) => (q === 0 || q === 3 ? 1 : 0));
  if (kind === 'axes-ensemble') {
    const axis = (labels: number[]): AxisEnsemble => {
      const head = trainSoftmax(X, labels, 2, { l2 });
      return { trees: trainGbt(X, labels, 2, gbt), head: { weights: head.weights, bias: head.bias } };
    };
    return { kind, arousal: axis(highArousal), valence: axis(highValence), mix };
  }
  // A two-class softmax's logit difference is the logistic head's logit.
  const toHead = (w: SoftmaxWeights) => ({
    weights: w.weights[1]!.map((v, j) => v - w.weights[0]![j]!),
    bias: w.bias[1]! - w.bias[0]!,
  });
  return {
    kind,
    arousal: toHead(trainSoftmax(X, highArousal, 2, { l2 })),
    valence: toHead(trainSoftmax(X, highValence, 2, { l2 })),
  };
}

/** Quadrant logits of a learnt model (log-probabilities for the two-head kind, which is not temperature-scaled). */
function learntLogits(m: Learnt, z: readonly number[]): number[] {
  if (m.kind === 'boosted-trees') return gbtScores(m.trees, z);
  if (m.kind === 'ensemble') {
    const lr = logits(m.quadrant, z);
    return gbtScores(m.trees, z).map((s, k) => (1 - m.mix) * s + m.mix * lr[k]!);
  }
  if (m.kind === 'multinomial') return logits(m.quadrant, z);
  if (m.kind === 'axes-ensemble') return axesLogits(m.arousal, m.valence, m.mix, z);
  const p = (h: BinaryHead) => 1 / (1 + Math.exp(-h.weights.reduce((s, w, j) => s + w * z[j]!, h.bias)));
  const a = p(m.arousal);
  const v = p(m.valence);
  return [a * v, a * (1 - v), (1 - a) * (1 - v), (1 - a) * v].map((x) => Math.log(Math.max(x, 1e-300)));
}

/** Training-set ranges: [min, max] of every named feature over the rows. */
function featureRanges(
  names: readonly string[],
  rows: readonly Record<string, number>[],
): Record<string, [number, number]> {
  const ranges: Record<string, [number, number]> = {};
  for (const name of names) {
    let lo = Infinity;
    let hi = -Infinity;
    for (const r of rows) {
      const v = r[name]!;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    ranges[name] = [lo, hi];
  }
  return ranges;
}

/** Fold of each clip: songs sorted by id, dealt round-robin into `folds` folds (a song never spans two). */
export function songFolds(clips: readonly LabelledFeatures[], folds: number): number[] {
  const songs = [...new Set(clips.map(songOf))].sort();
  const foldOf = new Map(songs.map((s, i) => [s, i % folds]));
  return clips.map((c) => foldOf.get(songOf(c))!);
}

export interface CrossValidation {
  folds: number;
  /** Quadrant index (0..3) of each clip, sorted by file name: the order of the rows below. */
  labels: number[];
  /** Fold (0..folds-1) each clip was held out in, in the same order. */
  fold: number[];
  /** Held-out quadrant logits of each clip's original features. */
  logits: number[][];
  /** Held-out logits of each variant's features, by variant name (the variants the clips carry). */
  variantLogits: Record<string, number[][]>;
}

/**
 * Song-grouped k-fold cross-validation: each fold's clips are predicted by a model trained on the other
 * folds (with their augmentations). Used to choose the model and to fit the temperature on predictions
 * the model did not train on.
 */
export function crossValidate(
  clips: readonly LabelledFeatures[],
  options: ClassifierTrainOptions = {},
): CrossValidation {
  const sorted = [...clips].sort(byFile);
  const folds = Math.max(2, Math.min(options.folds ?? 5, new Set(sorted.map(songOf)).size));
  const fold = songFolds(sorted, folds);
  const out: number[][] = new Array<number[]>(sorted.length);
  const variantNames = Object.keys(sorted[0]?.variants ?? {});
  const variantLogits: Record<string, number[][]> = Object.fromEntries(
    variantNames.map((v) => [v, new Array<number[]>(sorted.length)]),
  );
  for (let k = 0; k < folds; k++) {
    const train = sorted.filter((_, i) => fold[i] !== k);
    const { features, learnt } = fitAll(train, options);
    sorted.forEach((c, i) => {
      if (fold[i] !== k) return;
      const z = (f: EmotionFeatures) => features.map((m) => standardize(m, f[m.name]));
      out[i] = learntLogits(learnt, z(c.features));
      for (const v of variantNames) variantLogits[v]![i] = learntLogits(learnt, z(c.variants![v]!));
    });
  }
  return { folds, labels: sorted.map((c) => c.quadrant - 1), fold, logits: out, variantLogits };
}

const hasTrees = (kind: ClassifierKind) => kind === 'boosted-trees' || kind === 'ensemble' || kind === 'axes-ensemble';

function checkExamples(examples: readonly LabelledFeatures[]): number[] {
  const counts = [1, 2, 3, 4].map((q) => examples.filter((e) => e.quadrant === q).length);
  if (counts.some((c) => c === 0)) {
    throw new EmotuneError('training needs examples of every quadrant', {
      field: 'examples',
      expected: 'at least one clip of each of Q1..Q4',
      found: `counts ${counts.join('/')}`,
      code: 'classifier.train',
    });
  }
  return counts;
}

function resolved(options: ClassifierTrainOptions) {
  const names = options.features ?? DEFAULT_MODEL_FEATURES;
  for (const name of names) {
    if (!(FEATURE_NAMES as readonly string[]).includes(name)) {
      throw new EmotuneError('unknown feature', {
        field: 'features',
        expected: FEATURE_NAMES.join(', '),
        found: name,
        code: 'classifier.train',
      });
    }
  }
  return {
    kind: options.kind ?? 'axes-ensemble',
    l2: options.l2 ?? DEFAULT_L2,
    gbt: { ...DEFAULT_GBT, ...options.gbt },
    mix: options.mix ?? ENSEMBLE_MIX,
    augmentations: (options.augment ?? true) ? (options.augmentations ?? TRAIN_AUGMENTATIONS.map((a) => a.name)) : [],
    logSet: new Set<FeatureName>(options.logFeatures ?? DEFAULT_LOG_FEATURES),
    names,
  };
}

function fitAll(clips: readonly LabelledFeatures[], options: ClassifierTrainOptions) {
  const o = resolved(options);
  const rows = trainingRows(clips, o.augmentations);
  const features = modelFeatures(rows, o.names, o.kind, o.logSet);
  return { rows, features, learnt: fitLearner(rows, features, o.kind, o.l2, o.gbt, o.mix) };
}

/**
 * Fits the classifier on labelled features (with their augmented copies when they carry them). No
 * randomness at all: examples are sorted by file name, the learners start from fixed values, and the
 * folds are dealt by song id, so the same data always gives the same numbers.
 */
export function trainClassifier(
  examples: readonly LabelledFeatures[],
  options: ClassifierTrainOptions = {},
): EmotionModel {
  const counts = checkExamples(examples);
  const clips = [...examples].sort(byFile);
  const o = resolved(options);
  const { rows, features, learnt } = fitAll(clips, options);
  // Temperature from held-out predictions; the two-head model is left as it is (T = 1).
  let temperature = 1;
  if (o.kind !== 'arousal-valence') {
    const cv = options.crossValidation ?? crossValidate(clips, options);
    temperature = fitTemperature(cv.logits, cv.labels);
  }
  const augmentations = o.augmentations.filter((name) => clips.some((c) => c.variants?.[name]));
  const training: TrainingInfo = {
    data: options.dataDescription ?? EMOPIA_CREDIT,
    examples: clips.length,
    perQuadrant: counts,
    l2: o.l2,
    optimizer: [
      hasTrees(o.kind) ? 'trees: gradient boosting, second-order leaves, histogram splits, no sampling' : '',
      o.kind !== 'boosted-trees' ? 'regression: L-BFGS, full batch, from zero weights' : '',
    ]
      .filter(Boolean)
      .join('; '),
    augmentations,
    ...(hasTrees(o.kind) ? { hyperparameters: { ...o.gbt } } : {}),
    // So that an evaluation can tell whether its clips are new music or songs the model has seen.
    songs: [...new Set(clips.map(songOf))].sort(),
    songIdsFrom: namingOf(clips.map((c) => songKeyOf(c).source)),
  };
  const common = {
    format: CLASSIFIER_FORMAT,
    version: CLASSIFIER_VERSION,
    features,
    temperature,
    feature_ranges: featureRanges(
      o.names,
      rows.map((r) => r.features),
    ),
    training,
  } as const;
  if (learnt.kind === 'boosted-trees') return { ...common, kind: 'boosted-trees', trees: learnt.trees };
  if (learnt.kind === 'ensemble')
    return {
      ...common,
      kind: 'ensemble',
      trees: learnt.trees,
      quadrant: { weights: learnt.quadrant.weights, bias: learnt.quadrant.bias },
      mix: learnt.mix,
    };
  if (learnt.kind === 'multinomial')
    return {
      ...common,
      kind: 'multinomial',
      quadrant: { weights: learnt.quadrant.weights, bias: learnt.quadrant.bias },
    };
  if (learnt.kind === 'axes-ensemble')
    return { ...common, kind: 'axes-ensemble', arousal: learnt.arousal, valence: learnt.valence, mix: learnt.mix };
  return { ...common, kind: 'arousal-valence', arousal: learnt.arousal, valence: learnt.valence };
}

/** The credit line a model trained on one split of EMOPIA stores. */
export function trainingCredit(split: string): string {
  return `${EMOPIA_CREDIT}: split "${split}"`;
}
