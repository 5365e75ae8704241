import { bootstrapMean, type BootstrapOptions } from './bootstrap.js';
import type { Interval } from './interval.js';
import { benjaminiHochberg, holmAdjust } from './multiplicity.js';
import { rankBiserial, wilcoxonSignedRank, type WilcoxonTest } from './wilcoxon.js';

/** Fewer pairs than this give no verdict: no test or interval holds its nominal level reliably there. */
export const MIN_PAIRS = 10;
/** Family-wise level the Holm-adjusted p-value is compared with. */
export const PAIRED_ALPHA = 0.05;

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

export interface PairedEffectSize {
  /** Mean of a - b with its percentile-bootstrap interval (the same as `difference`). */
  mean_difference: Interval;
  /** Matched-pairs rank-biserial correlation (T+ - T-) / (T+ + T-), in [-1, 1]. */
  rank_biserial: number;
}

export type PairedVerdict = 'a higher' | 'b higher' | 'no clear difference' | 'too few pairs' | 'no data';

export interface PairedComparison {
  /** Number of cells present in both conditions with finite values. */
  n: number;
  /** Mean of a - b over the paired cells, with a percentile-bootstrap interval. */
  difference: Interval;
  sign: SignTest;
  /** Wilcoxon signed-rank test: exact up to 25 non-zero pairs, normal approximation above. */
  wilcoxon: WilcoxonTest;
  effect_size: PairedEffectSize;
  /** The Wilcoxon p-value, unadjusted. */
  p_value: number;
  /** Holm-adjusted p over every test of the family (one results file); equal to p_value for a lone test. */
  p_adjusted: number;
  /** Benjamini-Hochberg q-value over the same family. */
  q_value: number;
  /**
   * `too few pairs` under MIN_PAIRS pairs; otherwise a direction when p_adjusted < 0.05 (the direction of
   * the rank sums the test rests on), else `no clear difference`.
   */
  verdict: PairedVerdict;
}

function verdictOf(n: number, pAdjusted: number, w: WilcoxonTest): PairedVerdict {
  if (n === 0) return 'no data';
  if (n < MIN_PAIRS) return 'too few pairs';
  if (!(pAdjusted < PAIRED_ALPHA)) return 'no clear difference';
  return w.rankSumPositive > w.rankSumNegative
    ? 'a higher'
    : w.rankSumPositive < w.rankSumNegative
      ? 'b higher'
      : 'no clear difference';
}

/**
 * Holm-adjusted p-values and BH q-values across a family of paired comparisons (every paired test of one
 * results file), with verdicts recomputed from the adjusted p. Comparisons without data are not tests.
 */
export function adjustPairedComparisons<T extends PairedComparison>(comparisons: readonly T[]): T[] {
  const p = comparisons.map((c) => (c.n > 0 ? c.p_value : NaN));
  const holm = holmAdjust(p);
  const bh = benjaminiHochberg(p);
  return comparisons.map((c, i) => {
    const pAdj = holm[i]!;
    return { ...c, p_adjusted: pAdj, q_value: bh[i]!, verdict: verdictOf(c.n, pAdj, c.wilcoxon) };
  });
}

/**
 * Paired comparison of two conditions (e.g. two generation modes) measured on the same grid cells: the
 * Wilcoxon signed-rank test (exact at small n), an exact sign test, the mean paired difference with a
 * percentile-bootstrap interval and the rank-biserial correlation. Cells are matched by key; cells present
 * in only one condition are ignored. A family of comparisons is adjusted with adjustPairedComparisons.
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
  const wilcoxon = wilcoxonSignedRank(diffs);
  const n = diffs.length;
  const p = wilcoxon.pValue;
  return {
    n,
    difference,
    sign,
    wilcoxon,
    effect_size: { mean_difference: difference, rank_biserial: rankBiserial(wilcoxon) },
    p_value: p,
    p_adjusted: p,
    q_value: p,
    verdict: verdictOf(n, p, wilcoxon),
  };
}
