import type { MidiScore } from '../../formats/types.js';
import { computeFeatures, type EmotionFeatures } from './features.js';
import type { AxisEnsemble, EmotionModel, ModelFeature } from './model.js';
import { gbtScores } from './gbt.js';
import { outOfRangeFeatures } from './ranges.js';
import { logits, softmax } from './softmax-regression.js';

export interface BuiltinEmotionPrediction {
  /** The most probable EMOPIA quadrant: 1 high valence/high arousal, 2 low/high, 3 low/low, 4 high/low. */
  quadrant: 1 | 2 | 3 | 4;
  /** P(Q1..Q4), summing to 1. */
  probabilities: number[];
  /** P(high arousal) = P(Q1) + P(Q2). */
  arousal: number;
  /** P(high valence) = P(Q1) + P(Q4). */
  valence: number;
  features: EmotionFeatures;
  /** Features outside the training data's range: there the prediction is an extrapolation. */
  outOfRange: ReturnType<typeof outOfRangeFeatures>;
}

/** Floor for log-transformed features, so a zero (e.g. no melody leaps) stays finite. */
const LOG_FLOOR = 1e-6;

/** A feature value as the model sees it: transformed, then standardised with the train-split statistics. */
export function standardize(f: ModelFeature, raw: number): number {
  const v = f.transform === 'log' ? Math.log(Math.max(raw, LOG_FLOOR)) : raw;
  return (v - f.mean) / f.std;
}

const sigmoid = (t: number): number => (t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t)));

/** log P(low), log P(high) of one axis: the trees' and the regression's logits mixed, then normalised. */
function axisLogProbs(a: AxisEnsemble, mix: number, z: readonly number[]): [number, number] {
  const lr = logits(a.head, z);
  const s = gbtScores(a.trees, z).map((v, k) => (1 - mix) * v + mix * lr[k]!);
  // Far outside the training data the regression's logit grows without bound; capped, no quadrant's
  // probability underflows to exactly 0 (real clips stay well inside the cap).
  const d = Math.max(-AXIS_LOGIT_CAP, Math.min(AXIS_LOGIT_CAP, s[1]! - s[0]!));
  const logHigh = -Math.log1p(Math.exp(-d));
  return [logHigh - d, logHigh];
}

/** Largest |high − low| logit of one axis: P(high) stays within [e^-50, 1 − e^-50]. */
const AXIS_LOGIT_CAP = 50;

/** Quadrant logits (log-probabilities) of two axis ensembles: Q1 = A·V, Q2 = A·(1−V), Q3 = (1−A)(1−V), Q4 = (1−A)·V. */
export function axesLogits(arousal: AxisEnsemble, valence: AxisEnsemble, mix: number, z: readonly number[]): number[] {
  const [aLow, aHigh] = axisLogProbs(arousal, mix, z);
  const [vLow, vHigh] = axisLogProbs(valence, mix, z);
  return [aHigh + vHigh, aHigh + vLow, aLow + vLow, aLow + vHigh];
}

/** Quadrant probabilities of an already computed feature record (calibrated by the model's temperature). */
export function predictFromFeatures(features: EmotionFeatures, model: EmotionModel): number[] {
  const z = model.features.map((f) => standardize(f, features[f.name]));
  const t = model.temperature;
  if (model.kind === 'boosted-trees') return softmax(gbtScores(model.trees, z).map((s) => s / t));
  if (model.kind === 'ensemble') {
    const lr = logits(model.quadrant, z);
    return softmax(gbtScores(model.trees, z).map((s, k) => ((1 - model.mix) * s + model.mix * lr[k]!) / t));
  }
  if (model.kind === 'multinomial') return softmax(logits(model.quadrant, z).map((s) => s / t));
  if (model.kind === 'axes-ensemble')
    return softmax(axesLogits(model.arousal, model.valence, model.mix, z).map((s) => s / t));
  const head = (h: { weights: number[]; bias: number }) =>
    sigmoid(h.weights.reduce((s, w, j) => s + w * z[j]!, h.bias) / t);
  const a = head(model.arousal);
  const v = head(model.valence);
  return [a * v, a * (1 - v), (1 - a) * (1 - v), (1 - a) * v];
}

/** First index of the largest value (ties go to the lower quadrant, as Python's argmax does). */
function argmax(xs: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < xs.length; i++) if (xs[i]! > xs[best]!) best = i;
  return best;
}

/**
 * Predicts the EMOPIA quadrant of a parsed MIDI score with a built-in classifier model (the notebook API's
 * `classifyScoreBuiltin` reads the committed one when none is given). Throws an EmotuneError for a score
 * without pitched notes.
 */
export function classifyMidi(score: MidiScore, model: EmotionModel, file?: string): BuiltinEmotionPrediction {
  return classifyFeatures(computeFeatures(score, file), model);
}

/** `classifyMidi` for features already computed from a score (the analysis computes them once per file). */
export function classifyFeatures(features: EmotionFeatures, model: EmotionModel): BuiltinEmotionPrediction {
  // One probability per quadrant: the model parser accepts only four-class models.
  const probabilities = predictFromFeatures(features, model);
  return {
    quadrant: (argmax(probabilities) + 1) as 1 | 2 | 3 | 4,
    probabilities,
    arousal: probabilities[0]! + probabilities[1]!,
    valence: probabilities[0]! + probabilities[3]!,
    features,
    outOfRange: outOfRangeFeatures(model.feature_ranges, features),
  };
}
