import type { MidiScore } from '../../formats/types.js';
import { computeFeatures, type EmotionFeatures } from './features.js';
import { loadClassifier, type EmotionModel, type ModelFeature } from './model.js';
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
 * Predicts the EMOPIA quadrant of a parsed MIDI score with the built-in classifier (the committed model
 * unless one is given). Throws an EmotuneError for a score without pitched notes.
 * @example
 * ```ts
 * const p = et.classifyScoreBuiltin(await et.readMidi("song.mid"));
 * console.log(`Q${p.quadrant}`, p.arousal, p.valence);
 * ```
 */
export function classifyMidi(
  score: MidiScore,
  model: EmotionModel = loadClassifier(),
  file?: string,
): BuiltinEmotionPrediction {
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
