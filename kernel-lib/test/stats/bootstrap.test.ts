import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bootstrapInterval, bootstrapMean, mean, quantileSorted } from '../../src/stats/bootstrap.js';
import { pairedComparison, signTest } from '../../src/stats/paired.js';
import { mulberry32, randomIndex } from '../../src/stats/prng.js';

describe('mulberry32', () => {
  it('repeats its sequence for the same seed and differs for another seed', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const sa = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(sa);
    expect(Array.from({ length: 5 }, c)).not.toEqual(sa);
    for (const x of sa) expect(x >= 0 && x < 1).toBe(true);
  });
});

describe('quantileSorted', () => {
  it('interpolates linearly between order statistics as numpy.percentile does', () => {
    expect(quantileSorted([1, 2, 3, 4], 0.25)).toBeCloseTo(1.75, 12);
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBeCloseTo(2.5, 12);
    expect(quantileSorted([5], 0.975)).toBe(5);
  });
});

describe('bootstrapMean', () => {
  const data = [0.1, 0.4, 0.35, 0.8, 0.05, 0.6, 0.5, 0.45, 0.9, 0.2];
  it('is deterministic for a given seed', () => {
    expect(bootstrapMean(data, { seed: 7 })).toEqual(bootstrapMean(data, { seed: 7 }));
  });
  it('changes (slightly) with another seed', () => {
    const a = bootstrapMean(data, { seed: 7 });
    const b = bootstrapMean(data, { seed: 8 });
    expect([a.lower, a.upper]).not.toEqual([b.lower, b.upper]);
    expect(a.estimate).toBe(b.estimate);
  });
  it('brackets the sample mean and stays within the data range', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 2, maxLength: 30 }),
        fc.integer(),
        (xs, seed) => {
          const r = bootstrapMean(xs, { seed, resamples: 200 });
          const eps = 1e-9;
          return (
            r.lower <= r.estimate + eps &&
            r.estimate <= r.upper + eps &&
            r.lower >= Math.min(...xs) - eps &&
            r.upper <= Math.max(...xs) + eps
          );
        },
      ),
      { numRuns: 60 },
    );
  });
  it('has zero width for constant data and NaN for no data', () => {
    const c = bootstrapMean([3, 3, 3]);
    expect([c.lower, c.estimate, c.upper]).toEqual([3, 3, 3]);
    expect(Number.isNaN(bootstrapMean([]).estimate)).toBe(true);
  });
  it('drops non-finite values before resampling', () => {
    expect(bootstrapMean([1, NaN, 3]).n).toBe(2);
  });
});

describe('bootstrapMean keeps its intervals exactly (cached draws, sums in draw order, selected quantiles)', () => {
  /** The bootstrap as first written: a resample array, mean() of it, the statistics sorted. */
  function resampledAndSorted(values: number[], seed: number, resamples: number): [number, number] {
    const next = mulberry32(seed);
    const n = values.length;
    const stats: number[] = [];
    const sample = new Array<number>(n);
    for (let r = 0; r < resamples; r++) {
      for (let i = 0; i < n; i++) sample[i] = values[randomIndex(next, n)]!;
      stats.push(mean(sample));
    }
    stats.sort((a, b) => a - b);
    const alpha = (1 - 0.95) / 2; // as the bootstrap computes it from the confidence
    return [quantileSorted(stats, alpha), quantileSorted(stats, 1 - alpha)];
  }
  it('has the bounds the resampled-and-sorted bootstrap had, bit for bit, for the mean and any statistic', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true, noDefaultInfinity: true }), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (xs, seed) => {
          const [lower, upper] = resampledAndSorted(xs, seed, 300);
          const viaMean = bootstrapMean(xs, { seed, resamples: 300 });
          const viaOther = bootstrapInterval(xs, (s) => mean(s), { seed, resamples: 300 });
          expect([viaMean.lower, viaMean.upper]).toEqual([lower, upper]);
          expect([viaOther.lower, viaOther.upper]).toEqual([lower, upper]);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('signTest', () => {
  it('gives the exact binomial p = 2/1024 for 10 wins out of 10', () => {
    expect(signTest(Array(10).fill(1)).pValue).toBeCloseTo(2 / 1024, 12);
  });
  it('gives p = 2 * 11/1024 for 9 wins and 1 loss, ignoring ties', () => {
    const t = signTest([...Array(9).fill(0.5), -0.2, 0, 0]);
    expect(t).toMatchObject({ positive: 9, negative: 1, ties: 2 });
    expect(t.pValue).toBeCloseTo(22 / 1024, 12);
  });
  it('caps p at 1 for a balanced split and gives 1 when all pairs tie', () => {
    expect(signTest([1, -1, 1, -1]).pValue).toBe(1);
    expect(signTest([0, 0]).pValue).toBe(1);
  });
});

describe('pairedComparison', () => {
  it('pairs only cells present in both conditions; 8 pairs give tests but no verdict', () => {
    const a = { c1: 0.9, c2: 0.8, c3: 0.85, c4: 0.95, c5: 0.7, c6: 0.9, c7: 0.88, c8: 0.91, extra: 0 };
    const b = { c1: 0.5, c2: 0.4, c3: 0.6, c4: 0.55, c5: 0.5, c6: 0.45, c7: 0.52, c8: 0.49 };
    const r = pairedComparison(a, b, { seed: 1 });
    expect(r.n).toBe(8);
    expect(r.difference.lower).toBeGreaterThan(0);
    expect(r.verdict).toBe('too few pairs');
    expect(r.wilcoxon.pValue).toBeCloseTo(2 / 256, 12);
    expect(r.sign.positive).toBe(8);
    expect(r.sign.pValue).toBeCloseTo(2 / 256, 12);
  });
  it('says "too few pairs" at 4 cells and "no data" without pairs', () => {
    const a = { c1: 0.5, c2: 0.6, c3: 0.4, c4: 0.55 };
    const b = { c1: 0.6, c2: 0.5, c3: 0.45, c4: 0.5 };
    expect(pairedComparison(a, b).verdict).toBe('too few pairs');
    expect(pairedComparison({}, {}).verdict).toBe('no data');
  });
});
