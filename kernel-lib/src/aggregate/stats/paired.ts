import { bootstrapMean, type BootstrapOptions } from './bootstrap.js';
import type { Interval } from './interval.js';

export interface SignTest {
  /** Pairs where a > b. */
  positive: number;
  /** Pairs where a < b. */
  negative: number;
  /** Pairs with a == b (dropped, as the classical sign test does). */
  ties: number;
  /** Exact two-sided binomial p-value under H0: P(a > b) = 1/2 among untied pairs; 1 when all tie. */
  pValue: number;
}

/** log(n choose k) via log-gamma-free summation (n is at most a few thousand here). */
function logChoose(n: number, k: number): number {
  let s = 0;
  for (let i = 1; i <= k; i++) s += Math.log(n - k + i) - Math.log(i);
  return s;
}

/** Exact two-sided sign test: p = min(1, 2 * P(X <= min(k, n-k))), X ~ Binomial(n, 1/2). */
export function signTest(differences: readonly number[]): SignTest {
  let positive = 0;
  let negative = 0;
  let ties = 0;
  for (const d of differences) {
    if (!Number.isFinite(d)) continue;
    if (d > 0) positive++;
    else if (d < 0) negative++;
    else ties++;
  }
  const n = positive + negative;
  if (n === 0) return { positive, negative, ties, pValue: 1 };
  const k = Math.min(positive, negative);
  let tail = 0;
  for (let i = 0; i <= k; i++) tail += Math.exp(logChoose(n, i) - n * Math.LN2);
  return { positive, negative, ties, pValue: Math.min(1, 2 * tail) };
}

export interface PairedComparison {
  /** Number of cells present in both conditions with finite values. */
  n: number;
  /** Mean of a - b over the paired cells, with a percentile-bootstrap interval. */
  difference: Interval;
  sign: SignTest;
  /** Plain-language verdict at the interval's level: whether the interval excludes 0. */
  verdict: 'a higher' | 'b higher' | 'no clear difference' | 'no data';
}

/**
 * Paired comparison of two conditions (e.g. two generation modes) measured on the same grid cells:
 * a percentile bootstrap of the mean paired difference and an exact sign test. Cells are matched by key;
 * cells present in only one condition are ignored.
 */
export function pairedComparison(
  a: ReadonlyMap<string, number> | Record<string, number>,
  b: ReadonlyMap<string, number> | Record<string, number>,
  options: BootstrapOptions = {},
): PairedComparison {
  const am = a instanceof Map ? (a as ReadonlyMap<string, number>) : new Map(Object.entries(a));
  const bm = b instanceof Map ? (b as ReadonlyMap<string, number>) : new Map(Object.entries(b));
  const diffs: number[] = [];
  for (const key of [...am.keys()].sort()) {
    const x = am.get(key)!;
    const y = bm.get(key);
    if (y === undefined || !Number.isFinite(x) || !Number.isFinite(y)) continue;
    diffs.push(x - y);
  }
  const difference = bootstrapMean(diffs, options);
  const sign = signTest(diffs);
  const verdict =
    diffs.length === 0 ? 'no data' : difference.lower > 0 ? 'a higher' : difference.upper < 0 ? 'b higher' : 'no clear difference';
  return { n: diffs.length, difference, sign, verdict };
}
