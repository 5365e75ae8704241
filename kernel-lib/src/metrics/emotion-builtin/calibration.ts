import { mulberry32 } from '../../prng.js';
import { softmax } from './softmax-regression.js';

/**
 * Temperature scaling (Guo, Pleiss, Sun & Weinberger, ICML 2017): one number T divides every logit, chosen
 * to minimise the log-loss of held-out predictions. It changes confidence, never the predicted class.
 */

function meanNll(logitRows: readonly (readonly number[])[], labels: readonly number[], t: number): number {
  let s = 0;
  for (let i = 0; i < logitRows.length; i++)
    s -= Math.log(Math.max(softmax(logitRows[i]!.map((v) => v / t))[labels[i]!]!, 1e-300));
  return s / logitRows.length;
}

/** The temperature in [1/20, 20] minimising held-out log-loss (golden-section search on log T; deterministic). */
export function fitTemperature(logitRows: readonly (readonly number[])[], labels: readonly number[]): number {
  if (logitRows.length === 0) return 1;
  const f = (u: number) => meanNll(logitRows, labels, Math.exp(u));
  const phi = (Math.sqrt(5) - 1) / 2;
  let a = Math.log(1 / 20);
  let b = Math.log(20);
  let c = b - phi * (b - a);
  let d = a + phi * (b - a);
  let fc = f(c);
  let fd = f(d);
  for (let i = 0; i < 80; i++) {
    if (fc < fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - phi * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + phi * (b - a);
      fd = f(d);
    }
  }
  return Math.exp((a + b) / 2);
}

export interface CalibrationBin {
  /** Bin bounds on the top-class probability. */
  lo: number;
  hi: number;
  count: number;
  /** Mean top-class probability in the bin. */
  confidence: number;
  /** Share of the bin's predictions that are right. */
  accuracy: number;
}

export interface Calibration {
  /** Expected calibration error: Σ (count/n) |accuracy − confidence| over the bins. */
  ece: number;
  bins: CalibrationBin[];
}

/** Top-class reliability in `binCount` equal-width bins (Naeini et al. 2015; Guo et al. 2017 use 15). */
export function calibration(
  probabilities: readonly (readonly number[])[],
  labels: readonly number[],
  binCount = 10,
): Calibration {
  const confidence = probabilities.map((p) => p[topClass(p)]!);
  const correct = probabilities.map((p, i) => topClass(p) === labels[i]);
  return reliability(confidence, correct, binCount);
}

/** First index of the largest probability (ties go to the lower class, as numpy's argmax). */
export function topClass(p: readonly number[]): number {
  let k = 0;
  for (let j = 1; j < p.length; j++) if (p[j]! > p[k]!) k = j;
  return k;
}

/** The bins and ECE of top-class confidences and whether each prediction was right. */
function reliability(confidence: readonly number[], correct: readonly boolean[], binCount: number): Calibration {
  const bins: CalibrationBin[] = Array.from({ length: binCount }, (_, b) => ({
    lo: b / binCount,
    hi: (b + 1) / binCount,
    count: 0,
    confidence: 0,
    accuracy: 0,
  }));
  confidence.forEach((c, i) => {
    const bin = bins[Math.min(binCount - 1, Math.floor(c * binCount))]!;
    bin.count++;
    bin.confidence += c;
    if (correct[i]) bin.accuracy++;
  });
  let ece = 0;
  for (const b of bins) {
    if (b.count === 0) continue;
    b.confidence /= b.count;
    b.accuracy /= b.count;
    ece += (b.count / confidence.length) * Math.abs(b.accuracy - b.confidence);
  }
  return { ece, bins };
}

/** What ECE a perfectly calibrated model would show on a set of this size and sharpness. */
export interface CalibrationNull {
  draws: number;
  /** Median and central 95% range of the ECE over the draws. */
  median: number;
  lower: number;
  upper: number;
  /** Share of draws whose ECE is at least the observed one: a p-value for "miscalibrated". */
  atLeastObserved: number;
  /** Share of draws whose ECE is at most `target` (how often a perfectly calibrated model meets it). */
  target: number;
  atMostTarget: number;
}

/**
 * The ECE's reference under perfect calibration: each prediction is drawn right with exactly its top-class
 * probability, `draws` times (seeded, deterministic), and the ECE of each draw taken. ECE is biased upwards
 * on small sets (each bin's accuracy is a noisy proportion), so an observed ECE means something only beside
 * this distribution: with ~200 clips in ~8 bins, a perfectly calibrated model is often near 0.06.
 */
export function calibrationNull(
  probabilities: readonly (readonly number[])[],
  observed: number,
  options: { draws?: number; seed?: number; binCount?: number; target?: number } = {},
): CalibrationNull {
  const draws = options.draws ?? 2000;
  const binCount = options.binCount ?? 10;
  const target = options.target ?? 0.05;
  const next = mulberry32(options.seed ?? 20251103);
  const confidence = probabilities.map((p) => p[topClass(p)]!);
  const eces = new Float64Array(draws);
  const correct = new Array<boolean>(confidence.length);
  for (let d = 0; d < draws; d++) {
    for (let i = 0; i < confidence.length; i++) correct[i] = next() < confidence[i]!;
    eces[d] = reliability(confidence, correct, binCount).ece;
  }
  eces.sort();
  const at = (q: number) => eces[Math.round(q * (draws - 1))] ?? NaN;
  const share = (ok: (e: number) => boolean) => eces.filter(ok).length / Math.max(1, draws);
  return {
    draws,
    median: at(0.5),
    lower: at(0.025),
    upper: at(0.975),
    // A relative tolerance: a draw equal to the observed ECE may differ from it in the last bits only.
    atLeastObserved: share((e) => e >= observed * (1 - 1e-12)),
    target,
    atMostTarget: share((e) => e <= target),
  };
}
