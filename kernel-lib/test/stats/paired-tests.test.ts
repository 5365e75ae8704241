import { describe, expect, it } from 'vitest';
import { benjaminiHochberg, holmAdjust } from '../../src/stats/multiplicity.js';
import { normalCdf } from '../../src/stats/normal.js';
import { MIN_PAIRS, adjustPairedComparisons, pairedComparison, signTest } from '../../src/stats/paired.js';
import { midranks, rankBiserial, wilcoxonSignedRank } from '../../src/stats/wilcoxon.js';

/** Brute force: the share of the 2^n sign patterns of |d|'s midranks whose T+ is as extreme as observed. */
function bruteForceP(d: number[]): number {
  const nz = d.filter((x) => x !== 0);
  const r = midranks(nz.map(Math.abs));
  const t = nz.reduce((a, x, i) => a + (x > 0 ? r[i]! : 0), 0);
  let lo = 0;
  let hi = 0;
  const n = nz.length;
  for (let mask = 0; mask < 2 ** n; mask++) {
    let s = 0;
    for (let i = 0; i < n; i++) if (mask & (1 << i)) s += r[i]!;
    if (s <= t + 1e-9) lo++;
    if (s >= t - 1e-9) hi++;
  }
  return Math.min(1, (2 * Math.min(lo, hi)) / 2 ** n);
}

describe('exact Wilcoxon signed-rank test', () => {
  it("matches scipy on Darwin's maize data (T- = 24, p = 0.041259765625 exactly)", () => {
    const d = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75];
    const w = wilcoxonSignedRank(d);
    expect(w).toMatchObject({ n: 15, zeros: 0, rankSumNegative: 24, rankSumPositive: 96, method: 'exact' });
    expect(w.pValue).toBeCloseTo(0.041259765625, 14);
  });
  it('gives 2/2^6 = 0.03125 for six positive differences (scipy) and 1 with nothing to rank', () => {
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5, 6]).pValue).toBeCloseTo(0.03125, 14);
    expect(wilcoxonSignedRank([0, 0, 0]).pValue).toBe(1);
  });
  it('drops zeros and handles tied |d| with midranks exactly (against brute-force enumeration)', () => {
    const d = [1.5, -0.5, 2, 2, -1, 3, 0, 0.5, -2, 4];
    const w = wilcoxonSignedRank(d);
    expect(w.zeros).toBe(1);
    expect(w.rankSumNegative).toBe(10.5); // scipy's statistic for these data
    expect(w.pValue).toBeCloseTo(bruteForceP(d), 12);
  });
  it('uses the normal approximation above 25 pairs (scipy, tie and continuity corrections: p = 0.12588)', () => {
    const d = [
      2.3, -2.3, 0.7, -0.3, -0.2, 0.1, -1.7, 0.1, -0.6, 3.6, 0.5, -0.1, 0, -0.4, -0.8, -0.1, 0.8, 0.1, 1.3, 0.1, 0.3,
      1.8, 0.8, -0.2, 0.1, 0.8, 2.2, 0, 0.1, 1.3,
    ];
    const w = wilcoxonSignedRank(d);
    expect(w).toMatchObject({ n: 28, method: 'normal', rankSumNegative: 135.5 });
    expect(w.pValue).toBeCloseTo(0.12587960376128726, 5);
  });
  it('rank-biserial r runs from -1 to 1', () => {
    expect(rankBiserial(wilcoxonSignedRank([1, 2, 3]))).toBe(1);
    expect(rankBiserial(wilcoxonSignedRank([-1, -2]))).toBe(-1);
    expect(rankBiserial(wilcoxonSignedRank([6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]))).toBeCloseTo(
      (96 - 24) / 120,
      12,
    );
  });
  it('normalCdf matches known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959963985)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1)).toBeCloseTo(0.158655254, 6);
  });
});

describe('exact sign test (known binomial values)', () => {
  it('12 wins, 3 losses: p = 2 * P(X <= 3 | n=15) = 0.03515625', () => {
    // (1 + 15 + 105 + 455) / 2^15 = 576 / 32768, doubled
    expect(signTest([...Array(12).fill(1), -1, -1, -1]).pValue).toBeCloseTo((2 * 576) / 32768, 14);
  });
});

describe('Holm and Benjamini-Hochberg (hand-computed)', () => {
  // Sorted: 0.005, 0.01, 0.03, 0.04 (m = 4).
  // Holm: 4*0.005 = 0.02, 3*0.01 = 0.03, 2*0.03 = 0.06, max(1*0.04, 0.06) = 0.06.
  // BH:   q4 = 0.04, q3 = min(4/3*0.03 = 0.04, 0.04) = 0.04, q2 = min(2*0.01, 0.04) = 0.02, q1 = min(4*0.005, 0.02) = 0.02.
  const p = [0.01, 0.04, 0.03, 0.005];
  it('Holm step-down, monotone, in the input order', () => {
    holmAdjust(p).forEach((v, i) => expect(v).toBeCloseTo([0.03, 0.06, 0.06, 0.02][i]!, 14));
  });
  it('BH step-up, in the input order', () => {
    benjaminiHochberg(p).forEach((v, i) => expect(v).toBeCloseTo([0.02, 0.04, 0.04, 0.02][i]!, 14));
  });
  it('caps at 1 and leaves NaN (no test) out of the family', () => {
    const h = holmAdjust([0.5, NaN, 0.6]);
    expect(h[0]).toBe(1);
    expect(h[1]).toBeNaN();
    expect(h[2]).toBe(1);
    expect(benjaminiHochberg([0.02, NaN])).toEqual([0.02, NaN]); // m = 1
  });
});

describe('pairedComparison verdicts', () => {
  const cells = (n: number, f: (i: number) => number) =>
    Object.fromEntries(Array.from({ length: n }, (_, i) => [`c${i}`, f(i)]));
  it(`says "too few pairs" on 6 cells however clear the difference (fewer than ${MIN_PAIRS})`, () => {
    const r = pairedComparison(
      cells(6, (i) => 0.9 + i / 100),
      cells(6, () => 0.1),
    );
    expect(r.n).toBe(6);
    expect(r.verdict).toBe('too few pairs');
    expect(r.p_value).toBeCloseTo(0.03125, 14); // exact Wilcoxon, still reported
  });
  it('gives a direction at 12 pairs from the Holm-adjusted p, and the same comparison loses it in a large family', () => {
    const a = cells(12, (i) => 0.8 + i / 100);
    const b = cells(12, (i) => (i === 0 ? 0.85 : 0.5));
    const r = pairedComparison(a, b, { seed: 1 });
    expect(r.verdict).toBe('a higher');
    expect(r.effect_size.rank_biserial).toBeGreaterThan(0.8);
    expect(r.effect_size.mean_difference).toBe(r.difference);
    const nulls = Array.from({ length: 30 }, (_, k) =>
      pairedComparison(
        cells(12, (i) => i + k),
        cells(12, (i) => i + k + (i % 2 ? 0.5 : -0.5)),
      ),
    );
    const family = adjustPairedComparisons([r, ...nulls]);
    expect(family[0]!.p_adjusted).toBeGreaterThan(r.p_value);
    expect(family[0]!.p_adjusted).toBeCloseTo(Math.min(1, 31 * r.p_value), 12);
    expect(family[0]!.verdict).toBe(family[0]!.p_adjusted < 0.05 ? 'a higher' : 'no clear difference');
    expect(family[0]!.q_value).toBeLessThanOrEqual(family[0]!.p_adjusted);
  });
  it('says "no clear difference" at 10+ pairs without a consistent sign, and "no data" without pairs', () => {
    const r = pairedComparison(
      cells(10, (i) => (i % 2 ? 0.6 : 0.4)),
      cells(10, () => 0.5),
    );
    expect(r.verdict).toBe('no clear difference');
    expect(pairedComparison({}, {}).verdict).toBe('no data');
  });
});
