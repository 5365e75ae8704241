import type { Interval } from './interval.js';
import { mulberry32, randomIndex } from './prng.js';

export interface BootstrapOptions {
  /** Resamples; default 2000. */
  resamples?: number;
  /** Default 0.95. */
  confidence?: number;
  /** PRNG seed (mulberry32); default 20251103. Same seed and data give the same interval. */
  seed?: number;
}

export const DEFAULT_BOOTSTRAP_SEED = 20251103;

/** Quantile with linear interpolation between order statistics (numpy.percentile's default). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function mean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let s = 0;
  for (const v of values) s += v;
  return s / values.length;
}

/**
 * Percentile bootstrap interval for a statistic of one sample (Efron & Tibshirani 1993, ch. 13):
 * resample with replacement, recompute, take the (1-c)/2 and (1+c)/2 quantiles. Non-finite values are
 * dropped first; an empty sample gives NaN. A single value gives a zero-width interval.
 */
export function bootstrapInterval(
  values: readonly number[],
  statistic: (sample: readonly number[]) => number = mean,
  options: BootstrapOptions = {},
): Interval {
  const confidence = options.confidence ?? 0.95;
  const resamples = options.resamples ?? 2000;
  const data = values.filter((v) => Number.isFinite(v));
  const n = data.length;
  if (n === 0) return { estimate: NaN, lower: NaN, upper: NaN, confidence, n, method: 'bootstrap-percentile' };
  const next = mulberry32(options.seed ?? DEFAULT_BOOTSTRAP_SEED);
  const stats = new Array<number>(resamples);
  const sample = new Array<number>(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) sample[i] = data[randomIndex(next, n)]!;
    stats[r] = statistic(sample);
  }
  stats.sort((a, b) => a - b);
  const alpha = (1 - confidence) / 2;
  return {
    estimate: statistic(data),
    lower: quantileSorted(stats, alpha),
    upper: quantileSorted(stats, 1 - alpha),
    confidence,
    n,
    method: 'bootstrap-percentile',
  };
}

/** Bootstrap interval of the mean. */
export function bootstrapMean(values: readonly number[], options: BootstrapOptions = {}): Interval {
  return bootstrapInterval(values, mean, options);
}
