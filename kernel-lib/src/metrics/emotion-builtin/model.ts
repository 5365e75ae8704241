import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describeValue, EmotuneError } from '../../errors.js';
import { FEATURE_NAMES, type FeatureName } from './features.js';

/** The `format` field every classifier file carries, so another JSON file is not mistaken for one. */
export const CLASSIFIER_FORMAT = 'emotune-emotion-classifier';
export const CLASSIFIER_VERSION = 1;

/**
 * The committed model. This file sits three folders below `kernel-lib/` both as source
 * (`src/metrics/emotion-builtin/`, under vitest) and compiled (`dist/metrics/emotion-builtin/`).
 */
export const DEFAULT_CLASSIFIER_PATH: string = fileURLToPath(new URL('../../../embedded/classifier/emotion-model.json', import.meta.url));

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

/**
 * `arousal-valence`: two logistic heads; P(Q1) = P(high A) P(high V), Q2 = A(1-V), Q3 = (1-A)(1-V), Q4 = (1-A)V.
 * `multinomial`: one softmax over the quadrants; arousal = P(Q1)+P(Q2), valence = P(Q1)+P(Q4).
 */
export type EmotionModel =
  | { format: typeof CLASSIFIER_FORMAT; version: number; kind: 'arousal-valence'; features: ModelFeature[]; arousal: BinaryHead; valence: BinaryHead; training: TrainingInfo }
  | { format: typeof CLASSIFIER_FORMAT; version: number; kind: 'multinomial'; features: ModelFeature[]; quadrant: QuadrantHead; training: TrainingInfo };

export interface TrainingInfo {
  /** Where the training clips came from, with credit. */
  data: string;
  examples: number;
  /** Examples per quadrant Q1..Q4. */
  perQuadrant: number[];
  l2: number;
  optimizer: string;
}

function bad(file: string | undefined, field: string, expected: string, value: unknown): never {
  throw new EmotuneError('invalid classifier model', { file, field, expected, found: describeValue(value), code: 'classifier.invalid' });
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkVector(v: unknown, length: number, file: string | undefined, field: string): number[] {
  if (!Array.isArray(v) || v.length !== length || !v.every(isNum)) bad(file, field, `an array of ${length} finite numbers`, v);
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
    if (typeof r.name !== 'string' || !(FEATURE_NAMES as string[]).includes(r.name)) bad(file, `${field}.name`, 'a feature name this version computes', r.name);
    if (r.transform !== 'identity' && r.transform !== 'log') bad(file, `${field}.transform`, '"identity" or "log"', r.transform);
    if (!isNum(r.mean)) bad(file, `${field}.mean`, 'a finite number', r.mean);
    if (!isNum(r.std) || r.std <= 0) bad(file, `${field}.std`, 'a positive number', r.std);
    return { name: r.name as FeatureName, transform: r.transform, mean: r.mean, std: r.std };
  });
  const d = features.length;
  const training = o.training as TrainingInfo;
  if (typeof training !== 'object' || training === null) bad(file, 'training', 'an object', o.training);
  const head = (h: unknown, name: string): BinaryHead => {
    if (typeof h !== 'object' || h === null) bad(file, name, 'an object with weights and bias', h);
    const r = h as Record<string, unknown>;
    const weights = checkVector(r.weights, d, file, `${name}.weights`);
    if (!isNum(r.bias)) bad(file, `${name}.bias`, 'a finite number', r.bias);
    return { weights, bias: r.bias };
  };
  if (o.kind === 'arousal-valence') {
    return { format: CLASSIFIER_FORMAT, version: CLASSIFIER_VERSION, kind: 'arousal-valence', features, arousal: head(o.arousal, 'arousal'), valence: head(o.valence, 'valence'), training };
  }
  if (o.kind === 'multinomial') {
    const q = o.quadrant as Record<string, unknown> | undefined;
    if (typeof q !== 'object' || q === null) bad(file, 'quadrant', 'an object with weights and bias', q);
    if (!Array.isArray(q.weights) || q.weights.length !== 4) bad(file, 'quadrant.weights', '4 rows', q.weights);
    const weights = q.weights.map((row: unknown, k: number) => checkVector(row, d, file, `quadrant.weights[${k}]`));
    const bias = checkVector(q.bias, 4, file, 'quadrant.bias');
    return { format: CLASSIFIER_FORMAT, version: CLASSIFIER_VERSION, kind: 'multinomial', features, quadrant: { weights, bias }, training };
  }
  return bad(file, 'kind', '"arousal-valence" or "multinomial"', o.kind);
}

/**
 * Reads and validates a classifier file; without a path, the committed model (cached, it is read once).
 * Synchronous so notebook cells and `classifyMidi` can use it without await.
 * @example
 * ```ts
 * const model = et.loadClassifier("my-model.json"); // or et.loadClassifier() for the committed one
 * const p = et.classifyScoreBuiltin(await et.readMidi("song.mid"), model);
 * ```
 */
export function loadClassifier(path?: string): EmotionModel {
  if (path === undefined && cachedDefault) return cachedDefault;
  const file = path ?? DEFAULT_CLASSIFIER_PATH;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new EmotuneError('cannot read classifier model', { file, code: 'classifier.io', found: (cause as Error).message, cause });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new EmotuneError('classifier model is not valid JSON', { file, code: 'classifier.json', found: (cause as Error).message, cause });
  }
  const model = parseClassifierModel(json, file);
  if (path === undefined) cachedDefault = model;
  return model;
}

let cachedDefault: EmotionModel | undefined;

/** Numbers rounded to 10 significant digits: the file stays small and reads the same on every platform. */
function round(v: number): number {
  return Number(v.toPrecision(10));
}

/** Canonical JSON text of a model (fixed key order, rounded numbers, trailing newline). */
export function serializeClassifierModel(model: EmotionModel): string {
  const replacer = (_key: string, v: unknown) => (typeof v === 'number' ? round(v) : v);
  return `${JSON.stringify(model, replacer, 1)}\n`;
}
