import type { Interval } from './interval.js';
import { allFinite, quantileBounds } from './order-statistics.js';
import { resampleDraws, type ResampleDraws } from './resample-draws.js';

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
  const draws = resampleDraws(options.seed ?? DEFAULT_BOOTSTRAP_SEED, n, resamples);
  const alpha = (1 - confidence) / 2;
  let lower: number;
  let upper: number;
  if (statistic === mean) {
    const stats = resampledMeans(Float64Array.from(data), draws, resamples);
    [lower, upper] = allFinite(stats) ? quantileBounds(stats, alpha) : sortedQuantiles(Array.from(stats), alpha);
  } else {
    const stats = new Array<number>(resamples);
    const sample = new Array<number>(n);
    for (let r = 0; r < resamples; r++) {
      for (let i = 0, p = draws.row(r); i < n; i++) sample[i] = data[draws.indices[p++]!]!;
      stats[r] = statistic(sample);
    }
    [lower, upper] = sortedQuantiles(stats, alpha);
  }
  return {
    estimate: statistic(data),
    lower,
    upper,
    confidence,
    n,
    method: 'bootstrap-percentile',
  };
}

/**
 * The mean of each resample, summed in draw order as `mean` sums it, without building the resample. Its own
 * function over a typed array: V8 optimises the loop while it runs whatever kind of array the caller passed.
 */
function resampledMeans(data: Float64Array, draws: ResampleDraws, resamples: number): Float64Array {
  const n = data.length;
  const indices = draws.indices;
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let s = 0;
    for (let i = 0, p = draws.row(r); i < n; i++) s += data[indices[p++]!]!;
    stats[r] = s / n;
  }
  return stats;
}

/** The (alpha, 1 - alpha) quantiles after sorting (in place) as the bootstrap always has. */
function sortedQuantiles(stats: number[], alpha: number): [number, number] {
  stats.sort((a, b) => a - b);
  return [quantileSorted(stats, alpha), quantileSorted(stats, 1 - alpha)];
}

/** Bootstrap interval of the mean. */
export function bootstrapMean(values: readonly number[], options: BootstrapOptions = {}): Interval {
  return bootstrapInterval(values, mean, options);
}
