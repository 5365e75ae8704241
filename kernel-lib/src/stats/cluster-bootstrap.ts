import { DEFAULT_BOOTSTRAP_SEED, type BootstrapOptions } from './bootstrap.js';
import type { Interval } from './interval.js';
import { allFinite, quantileBounds } from './order-statistics.js';
import { resampleDraws, type ResampleDraws } from './resample-draws.js';

/**
 * Cluster (song-level) percentile bootstrap of a ratio of sums, Σ numerator / Σ denominator, resampling
 * whole clusters with replacement (Davison & Hinkley 1997, §3.8; Field & Welsh 2007). A cluster is one song,
 * or several copies of one song: steps (or files) inside a cluster are never treated as independent.
 *
 * - A pooled step ratio (matches / steps): numerator = a song's matches, denominator = its steps.
 * - A mean over files: numerator = the sum of the cluster's values, denominator = how many it holds.
 *
 * Clusters with a zero (or non-finite) denominator carry no information and are dropped. Fewer than two
 * clusters give the estimate with NaN bounds: one song cannot show how much songs vary.
 * Typed arrays, one allocation per call: it runs for every figure of every row of a large grid.
 * @example
 * ```ts
 * // Three songs: 12 of 40 notes, 3 of 35 and 20 of 50 follow the instruction; the range resamples songs.
 * const i = et.clusterBootstrapRatio([12, 3, 20], [40, 35, 50], { seed: 1 });
 * console.log(`${(100 * i.estimate).toFixed(0)}% [${(100 * i.lower).toFixed(0)}, ${(100 * i.upper).toFixed(0)}]`);
 * ```
 */
export function clusterBootstrapRatio(
  numerators: ArrayLike<number>,
  denominators: ArrayLike<number>,
  options: BootstrapOptions = {},
): Interval {
  const confidence = options.confidence ?? 0.95;
  const resamples = options.resamples ?? 2000;
  // Typed copies: callers pass arrays of small integers or of fractions, and reading both kinds in one loop
  // made V8 throw away its optimised code again and again.
  const xs = Float64Array.from(numerators);
  const ds = Float64Array.from(denominators);
  const num = new Float64Array(xs.length);
  const den = new Float64Array(xs.length);
  let k = 0;
  let sumNum = 0;
  let sumDen = 0;
  for (let i = 0; i < xs.length; i++) {
    const d = ds[i]!;
    const x = xs[i]!;
    if (!(d > 0) || !Number.isFinite(d) || !Number.isFinite(x)) continue;
    num[k] = x;
    den[k] = d;
    sumNum += x;
    sumDen += d;
    k++;
  }
  const estimate = k > 0 ? sumNum / sumDen : NaN;
  if (k < 2) return { estimate, lower: NaN, upper: NaN, confidence, n: k, method: 'cluster-bootstrap' };
  const stats = resampledRatios(
    num,
    den,
    k,
    resampleDraws(options.seed ?? DEFAULT_BOOTSTRAP_SEED, k, resamples),
    resamples,
  );
  const alpha = (1 - confidence) / 2;
  let lower: number;
  let upper: number;
  if (allFinite(stats)) [lower, upper] = quantileBounds(stats, alpha);
  else {
    stats.sort();
    lower = quantileTyped(stats, alpha);
    upper = quantileTyped(stats, 1 - alpha);
  }
  return {
    estimate,
    lower,
    upper,
    confidence,
    n: k,
    method: 'cluster-bootstrap',
  };
}

/** numpy.percentile's linear interpolation on a sorted typed array. */
function quantileTyped(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Σ numerator / Σ denominator of each resample of the first k clusters (its own function: V8 optimises the loop while it runs, and code after it would lack type feedback). */
function resampledRatios(num: Float64Array, den: Float64Array, k: number, draws: ResampleDraws, resamples: number) {
  const indices = draws.indices;
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let a = 0;
    let b = 0;
    for (let i = 0, p = draws.row(r); i < k; i++) {
      const j = indices[p++]!;
      a += num[j]!;
      b += den[j]!;
    }
    stats[r] = a / b;
  }
  return stats;
}
