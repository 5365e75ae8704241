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
  const bins: CalibrationBin[] = Array.from({ length: binCount }, (_, b) => ({
    lo: b / binCount,
    hi: (b + 1) / binCount,
    count: 0,
    confidence: 0,
    accuracy: 0,
  }));
  probabilities.forEach((p, i) => {
    let k = 0;
    for (let j = 1; j < p.length; j++) if (p[j]! > p[k]!) k = j;
    const bin = bins[Math.min(binCount - 1, Math.floor(p[k]! * binCount))]!;
    bin.count++;
    bin.confidence += p[k]!;
    if (k === labels[i]) bin.accuracy++;
  });
  let ece = 0;
  for (const b of bins) {
    if (b.count === 0) continue;
    b.confidence /= b.count;
    b.accuracy /= b.count;
    ece += (b.count / probabilities.length) * Math.abs(b.accuracy - b.confidence);
  }
  return { ece, bins };
}
