import type { SongIdSource } from '../../formats/emopia-labels.js';
import { describeValue, EmotuneError } from '../../errors.js';
import { FEATURE_NAMES, type FeatureName } from './features.js';
import type { GbtModel, Tree } from './gbt.js';

/** The `format` field every classifier file carries, so another JSON file is not mistaken for one. */
export const CLASSIFIER_FORMAT = 'emotune-emotion-classifier';
/** 2: adds `boosted-trees`, `ensemble`, `temperature` and `feature_ranges`. */
export const CLASSIFIER_VERSION = 2;

/** How a raw feature enters the model: log for right-skewed counts and rates (density, polyphony). */
export type FeatureTransform = 'identity' | 'log';

export interface ModelFeature {
  name: FeatureName;
  transform: FeatureTransform;
  /** Train-split mean and standard deviation of the transformed feature (for standardising). */
  mean: number;
  std: number;
}

/** A logistic head: P(high) = sigmoid(weights · z + bias) on standardised features z. */
export interface BinaryHead {
  weights: number[];
  bias: number;
}

/** A softmax over the four quadrants: logits = W z + b. */
export interface QuadrantHead {
  weights: number[][];
  bias: number[];
}

/** One axis (high vs low arousal, or valence): boosted trees and a logistic regression over [low, high]. */
export interface AxisEnsemble {
  trees: GbtModel;
  /** Two rows, low then high: logits = W z + b. */
  head: { weights: number[][]; bias: number[] };
}

/** Fields every kind carries: calibration and the training data's feature ranges. */
interface ModelCommon {
  format: typeof CLASSIFIER_FORMAT;
  version: number;
  features: ModelFeature[];
  /** Logits are divided by this before the softmax (temperature scaling, Guo et al. 2017); 1 = none. */
  temperature: number;
  /** [min, max] of each feature over the training rows: outside them the model extrapolates. */
  feature_ranges: Record<string, [number, number]>;
  training: TrainingInfo;
}

/**
 * `axes-ensemble`: an ensemble per axis (trees and logistic regression, logits mixed as in `ensemble`);
 * P(Q1) = P(high A) P(high V), Q2 = A(1-V), Q3 = (1-A)(1-V), Q4 = (1-A)V; quadrant logits are their logs.
 * `ensemble`: logits = (1 − mix) × boosted trees + mix × softmax regression, both on the standardised features.
 * `boosted-trees`: gradient-boosted trees over the quadrants (softmax); arousal = P(Q1)+P(Q2), valence = P(Q1)+P(Q4).
 * `arousal-valence`: two logistic heads; P(Q1) = P(high A) P(high V), Q2 = A(1-V), Q3 = (1-A)(1-V), Q4 = (1-A)V.
 * `multinomial`: one softmax over the quadrants.
 */
export type EmotionModel = ModelCommon &
  (
    | { kind: 'ensemble'; trees: GbtModel; quadrant: QuadrantHead; mix: number }
    | { kind: 'axes-ensemble'; arousal: AxisEnsemble; valence: AxisEnsemble; mix: number }
    | { kind: 'boosted-trees'; trees: GbtModel }
    | { kind: 'arousal-valence'; arousal: BinaryHead; valence: BinaryHead }
    | { kind: 'multinomial'; quadrant: QuadrantHead }
  );

export interface TrainingInfo {
  /** Where the training clips came from, with credit. */
  data: string;
  examples: number;
  /** Examples per quadrant Q1..Q4. */
  perQuadrant: number[];
  l2: number;
  optimizer: string;
  /** Training rows per clip beyond the original: the augmentations (constant velocity, CP grid). */
  augmentations?: string[];
  /** Settings of the learner (boosted trees: rounds, depth, ...). */
  hyperparameters?: Record<string, number>;
  /**
   * The songs of the training clips (labels.csv's song_id, else EMOPIA's clip name, else the file), sorted: an
   * evaluation counts its clips from these songs, which are not new music to the model. Absent in older models.
   */
  songs?: string[];
  /** How the training clips' songs were named (see SongIdSource): only alike namings can show song-disjointness. */
  songIdsFrom?: SongIdSource | 'mixed';
}

function bad(file: string | undefined, field: string, expected: string, value: unknown): never {
  throw new EmotuneError('invalid classifier model', {
    file,
    field,
    expected,
    found: describeValue(value),
    code: 'classifier.invalid',
  });
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkVector(v: unknown, length: number, file: string | undefined, field: string): number[] {
  if (!Array.isArray(v) || v.length !== length || !v.every(isNum))
    bad(file, field, `an array of ${length} finite numbers`, v);
  return v;
}

/** Validates parsed JSON as a classifier model; every problem names the field. */
export function parseClassifierModel(value: unknown, file?: string): EmotionModel {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(file, '(root)', 'a JSON object', value);
  const o = value as Record<string, unknown>;
  if (o.format !== CLASSIFIER_FORMAT) bad(file, 'format', JSON.stringify(CLASSIFIER_FORMAT), o.format);
  if (o.version !== CLASSIFIER_VERSION) bad(file, 'version', String(CLASSIFIER_VERSION), o.version);
  if (!Array.isArray(o.features) || o.features.length === 0) bad(file, 'features', 'a non-empty array', o.features);
  const features = o.features.map((f: unknown, i: number): ModelFeature => {
    const field = `features[${i}]`;
    if (typeof f !== 'object' || f === null) bad(file, field, 'an object', f);
    const r = f as Record<string, unknown>;
    if (typeof r.name !== 'string' || !(FEATURE_NAMES as string[]).includes(r.name))
      bad(file, `${field}.name`, 'a feature name this version computes', r.name);
    if (r.transform !== 'identity' && r.transform !== 'log')
      bad(file, `${field}.transform`, '"identity" or "log"', r.transform);
    if (!isNum(r.mean)) bad(file, `${field}.mean`, 'a finite number', r.mean);
    if (!isNum(r.std) || r.std <= 0) bad(file, `${field}.std`, 'a positive number', r.std);
    return { name: r.name as FeatureName, transform: r.transform, mean: r.mean, std: r.std };
  });
  const d = features.length;
  const training = o.training as TrainingInfo;
  if (typeof training !== 'object' || training === null) bad(file, 'training', 'an object', o.training);
  if (
    training.songs !== undefined &&
    (!Array.isArray(training.songs) || !training.songs.every((x: unknown) => typeof x === 'string'))
  )
    bad(file, 'training.songs', 'an array of song ids (strings)', training.songs);
  if (
    training.songIdsFrom !== undefined &&
    !(['song_id', 'clip-name', 'file', 'mixed'] as unknown[]).includes(training.songIdsFrom)
  )
    bad(file, 'training.songIdsFrom', '"song_id", "clip-name", "file" or "mixed"', training.songIdsFrom);
  const head = (h: unknown, name: string): BinaryHead => {
    if (typeof h !== 'object' || h === null) bad(file, name, 'an object with weights and bias', h);
    const r = h as Record<string, unknown>;
    const weights = checkVector(r.weights, d, file, `${name}.weights`);
    if (!isNum(r.bias)) bad(file, `${name}.bias`, 'a finite number', r.bias);
    return { weights, bias: r.bias };
  };
  if (!isNum(o.temperature) || o.temperature <= 0) bad(file, 'temperature', 'a positive number', o.temperature);
  const featureRanges = parseRanges(o.feature_ranges, file);
  const common = {
    format: CLASSIFIER_FORMAT,
    version: CLASSIFIER_VERSION,
    features,
    temperature: o.temperature,
    feature_ranges: featureRanges,
    // One canonical list of songs (sorted, each once), whatever the file held.
    training: training.songs ? { ...training, songs: [...new Set(training.songs)].sort() } : training,
  } as const;
  if (o.kind === 'boosted-trees') return { ...common, kind: 'boosted-trees', trees: parseTrees(o.trees, d, file) };
  if (o.kind === 'ensemble') {
    if (!isNum(o.mix) || o.mix < 0 || o.mix > 1) bad(file, 'mix', 'a number in [0, 1]', o.mix);
    return {
      ...common,
      kind: 'ensemble',
      trees: parseTrees(o.trees, d, file),
      quadrant: parseQuadrant(o.quadrant, d, file),
      mix: o.mix,
    };
  }
  if (o.kind === 'axes-ensemble') {
    if (!isNum(o.mix) || o.mix < 0 || o.mix > 1) bad(file, 'mix', 'a number in [0, 1]', o.mix);
    return {
      ...common,
      kind: 'axes-ensemble',
      arousal: parseAxis(o.arousal, d, file, 'arousal'),
      valence: parseAxis(o.valence, d, file, 'valence'),
      mix: o.mix,
    };
  }
  if (o.kind === 'arousal-valence')
    return {
      ...common,
      kind: 'arousal-valence',
      arousal: head(o.arousal, 'arousal'),
      valence: head(o.valence, 'valence'),
    };
  if (o.kind === 'multinomial') return { ...common, kind: 'multinomial', quadrant: parseQuadrant(o.quadrant, d, file) };
  return bad(file, 'kind', '"axes-ensemble", "ensemble", "boosted-trees", "arousal-valence" or "multinomial"', o.kind);
}

function parseAxis(v: unknown, d: number, file: string | undefined, name: string): AxisEnsemble {
  if (typeof v !== 'object' || v === null) bad(file, name, 'an object with trees and head', v);
  const a = v as Record<string, unknown>;
  const h = a.head as Record<string, unknown> | undefined;
  if (typeof h !== 'object' || h === null) bad(file, `${name}.head`, 'an object with weights and bias', h);
  if (!Array.isArray(h.weights) || h.weights.length !== 2) bad(file, `${name}.head.weights`, '2 rows', h.weights);
  const weights = h.weights.map((row: unknown, k: number) => checkVector(row, d, file, `${name}.head.weights[${k}]`));
  const bias = checkVector(h.bias, 2, file, `${name}.head.bias`);
  return { trees: parseTrees(a.trees, d, file, 2, `${name}.trees`), head: { weights, bias } };
}

function parseQuadrant(v: unknown, d: number, file: string | undefined): QuadrantHead {
  const q = v as Record<string, unknown> | undefined;
  if (typeof q !== 'object' || q === null) bad(file, 'quadrant', 'an object with weights and bias', q);
  if (!Array.isArray(q.weights) || q.weights.length !== 4) bad(file, 'quadrant.weights', '4 rows', q.weights);
  const weights = q.weights.map((row: unknown, k: number) => checkVector(row, d, file, `quadrant.weights[${k}]`));
  const bias = checkVector(q.bias, 4, file, 'quadrant.bias');
  return { weights, bias };
}

function parseRanges(v: unknown, file: string | undefined): Record<string, [number, number]> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    bad(file, 'feature_ranges', 'an object of feature: [min, max]', v);
  const out: Record<string, [number, number]> = {};
  for (const [name, r] of Object.entries(v)) {
    if (!Array.isArray(r) || r.length !== 2 || !r.every(isNum) || r[0]! > r[1]!)
      bad(file, `feature_ranges.${name}`, '[min, max] with min <= max', r);
    out[name] = [r[0]!, r[1]!];
  }
  return out;
}

/** Checks every tree's node arrays: equal lengths, features in range, children inside the tree. */
function parseTrees(v: unknown, d: number, file: string | undefined, classes = 4, at = 'trees'): GbtModel {
  if (typeof v !== 'object' || v === null) bad(file, at, 'an object with classes, base and trees', v);
  const o = v as Record<string, unknown>;
  if (o.classes !== classes) bad(file, `${at}.classes`, String(classes), o.classes);
  const base = checkVector(o.base, classes, file, `${at}.base`);
  if (!Array.isArray(o.trees) || o.trees.length === 0) bad(file, `${at}.trees`, 'a non-empty array of rounds', o.trees);
  const trees = o.trees.map((round: unknown, r: number) => {
    if (!Array.isArray(round) || round.length !== classes)
      bad(file, `${at}.trees[${r}]`, `one tree per class (${classes})`, round);
    return round.map((t: unknown, k: number): Tree => {
      const field = `${at}.trees[${r}][${k}]`;
      if (typeof t !== 'object' || t === null) bad(file, field, 'a tree object', t);
      const x = t as Record<string, unknown>;
      const len = Array.isArray(x.feature) ? x.feature.length : 0;
      if (len === 0) bad(file, `${field}.feature`, 'a non-empty array', x.feature);
      const arrays = ['feature', 'threshold', 'left', 'right', 'value'].map((name) =>
        checkVector(x[name], len, file, `${field}.${name}`),
      );
      const [feature, threshold, left, right, value] = arrays as [number[], number[], number[], number[], number[]];
      for (let i = 0; i < len; i++) {
        const leaf = feature[i]! < 0;
        const ok =
          leaf ||
          (Number.isInteger(feature[i]) &&
            feature[i]! < d &&
            [left[i]!, right[i]!].every((c) => Number.isInteger(c) && c > i && c < len));
        if (!ok)
          bad(file, `${field} node ${i}`, `a leaf (feature -1) or a split on a feature < ${d} with children after it`, {
            feature: feature[i],
            left: left[i],
            right: right[i],
          });
      }
      return { feature, threshold, left, right, value };
    });
  });
  return { classes, base, trees };
}

/** Numbers rounded to 10 significant digits: the file stays small and reads the same on every platform. */
function round(v: number): number {
  return Number(v.toPrecision(10));
}

/**
 * Canonical JSON text of a model (fixed key order, rounded numbers, trailing newline). Trees are written
 * one to a line, so the file stays readable and diffs stay small.
 */
export function serializeClassifierModel(model: EmotionModel): string {
  const replacer = (_key: string, v: unknown) => (typeof v === 'number' ? round(v) : v);
  const treesText = (trees: GbtModel, indent: string) => {
    const rounds = trees.trees
      .map(
        (r) => `${indent}  [\n${r.map((t) => `${indent}   ${JSON.stringify(t, replacer)}`).join(',\n')}\n${indent}  ]`,
      )
      .join(',\n');
    return `{\n${indent}  "classes": ${trees.classes},\n${indent}  "base": ${JSON.stringify(trees.base, replacer)},\n${indent}  "trees": [\n${rounds}\n${indent} ]}`;
  };
  if (model.kind === 'boosted-trees' || model.kind === 'ensemble') {
    const { trees, ...rest } = model;
    const head = JSON.stringify({ ...rest, trees: '@trees@' }, replacer, 1);
    return `${head.replace('"@trees@"', treesText(trees, ''))}\n`;
  }
  if (model.kind === 'axes-ensemble') {
    const { arousal, valence, ...rest } = model;
    const head = JSON.stringify(
      { ...rest, arousal: { ...arousal, trees: '@arousal@' }, valence: { ...valence, trees: '@valence@' } },
      replacer,
      1,
    );
    return `${head.replace('"@arousal@"', treesText(arousal.trees, ' ')).replace('"@valence@"', treesText(valence.trees, ' '))}\n`;
  }
  return `${JSON.stringify(model, replacer, 1)}\n`;
}
