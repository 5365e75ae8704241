import { normalQuantile, type Interval } from './interval.js';

/**
 * Wilson score interval for a binomial proportion (Wilson 1927, JASA 22(158); recommended over the Wald
 * interval by Brown, Cai & DasGupta 2001, Statistical Science 16(2)). Well defined at 0 and n successes,
 * where the Wald interval collapses to a point. n = 0 gives NaN (nothing was measured).
 * @example
 * ```ts
 * import { wilsonInterval } from "@emotune/kernel-lib/stats";
 * const i = wilsonInterval(12, 20); // 12 of 20 independent trials
 * console.log(`${(100 * i.lower).toFixed(0)}-${(100 * i.upper).toFixed(0)}%`);
 * ```
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): Interval {
  if (!Number.isInteger(successes) || !Number.isInteger(n) || n < 0 || successes < 0 || successes > n) {
    throw new RangeError(`wilsonInterval: need integers 0 <= successes <= n, got ${successes}/${n}`);
  }
  if (n === 0) return { estimate: NaN, lower: NaN, upper: NaN, confidence, n, method: 'wilson' };
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p = successes / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denom;
  // Clamp rounding only: at 0 and n successes the bounds are exactly 0 and 1.
  const lower = successes === 0 ? 0 : Math.max(0, centre - half);
  const upper = successes === n ? 1 : Math.min(1, centre + half);
  return { estimate: p, lower, upper, confidence, n, method: 'wilson' };
}
