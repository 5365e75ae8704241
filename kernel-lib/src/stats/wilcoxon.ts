import { normalCdf } from './normal.js';

/** Above this many non-zero pairs the signed-rank p-value uses the normal approximation (below it, exact). */
export const WILCOXON_EXACT_MAX = 25;

export interface WilcoxonTest {
  /** Non-zero differences ranked (zeros are dropped, Wilcoxon's original treatment, scipy's default). */
  n: number;
  /** Zero differences dropped. */
  zeros: number;
  /** Sum of the ranks of positive differences (midranks for tied |d|). */
  rankSumPositive: number;
  /** Sum of the ranks of negative differences. */
  rankSumNegative: number;
  /** Two-sided p-value; 1 when nothing is left to rank. */
  pValue: number;
  method: 'exact' | 'normal';
}

/** Midranks (1-based) of values, ties sharing the mean of their positions. */
export function midranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length;) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    const r = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]![1]] = r;
    i = j + 1;
  }
  return ranks;
}

/**
 * Exact null distribution of the positive rank sum: each rank is positive with probability 1/2,
 * independently. Ranks are doubled so midranks (x.5) stay integers; counts[s] = ways to reach 2T+ = s.
 */
function exactTail(doubledRanks: readonly number[], doubledT: number): { lower: number; upper: number } {
  const total = doubledRanks.reduce((a, b) => a + b, 0);
  let counts = new Float64Array(total + 1);
  counts[0] = 1;
  let reach = 0;
  for (const r of doubledRanks) {
    const next = counts.slice();
    for (let s = 0; s <= reach; s++) if (counts[s]) next[s + r]! += counts[s]!;
    reach += r;
    counts = next;
  }
  const all = 2 ** doubledRanks.length;
  let lower = 0;
  let upper = 0;
  for (let s = 0; s <= total; s++) {
    if (s <= doubledT) lower += counts[s]!;
    if (s >= doubledT) upper += counts[s]!;
  }
  return { lower: lower / all, upper: upper / all };
}

/**
 * Wilcoxon signed-rank test of paired differences (H0: symmetric about 0), two-sided. Exact (enumerating
 * the 2^n sign patterns of the observed ranks, ties included) up to WILCOXON_EXACT_MAX pairs; above, the
 * normal approximation with tie and continuity corrections.
 */
export function wilcoxonSignedRank(differences: readonly number[]): WilcoxonTest {
  const finite = differences.filter((d) => Number.isFinite(d));
  const nonZero = finite.filter((d) => d !== 0);
  const zeros = finite.length - nonZero.length;
  const n = nonZero.length;
  if (n === 0) return { n, zeros, rankSumPositive: 0, rankSumNegative: 0, pValue: 1, method: 'exact' };
  const ranks = midranks(nonZero.map(Math.abs));
  let tPlus = 0;
  for (let i = 0; i < n; i++) if (nonZero[i]! > 0) tPlus += ranks[i]!;
  const tMinus = (n * (n + 1)) / 2 - tPlus;
  if (n <= WILCOXON_EXACT_MAX) {
    const { lower, upper } = exactTail(
      ranks.map((r) => Math.round(2 * r)),
      Math.round(2 * tPlus),
    );
    return {
      n,
      zeros,
      rankSumPositive: tPlus,
      rankSumNegative: tMinus,
      pValue: Math.min(1, 2 * Math.min(lower, upper)),
      method: 'exact',
    };
  }
  const counts = new Map<number, number>();
  for (const r of ranks) counts.set(r, (counts.get(r) ?? 0) + 1);
  let tieTerm = 0;
  for (const t of counts.values()) tieTerm += t * t * t - t;
  const meanT = (n * (n + 1)) / 4;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
  const dev = Math.abs(tPlus - meanT);
  const z = sd > 0 ? Math.max(0, dev - 0.5) / sd : 0;
  return {
    n,
    zeros,
    rankSumPositive: tPlus,
    rankSumNegative: tMinus,
    pValue: Math.min(1, 2 * (1 - normalCdf(z))),
    method: 'normal',
  };
}

/**
 * Matched-pairs rank-biserial correlation (Kerby 2014): (T+ − T−) / (T+ + T−), from +1 (every pair a > b)
 * to −1; 0 when nothing is left to rank.
 */
export function rankBiserial(w: Pick<WilcoxonTest, 'rankSumPositive' | 'rankSumNegative'>): number {
  const total = w.rankSumPositive + w.rankSumNegative;
  return total > 0 ? (w.rankSumPositive - w.rankSumNegative) / total : 0;
}
