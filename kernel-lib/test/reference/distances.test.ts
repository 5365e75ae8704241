import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareDistanceDistributions,
  distanceComparison,
  fitGaussian,
  frechetDistance,
  gaussianKde,
  gaussianKdeOnGrid,
  interSetDistances,
  intraSetDistances,
} from '../../src/reference/distances.js';
import { mulberry32 } from '../../src/prng.js';

const normal = (next: () => number) => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());

describe('Frechet distance', () => {
  it('is 0 between a Gaussian and itself', () => {
    const g = fitGaussian([
      [1, 2],
      [3, 1],
      [0, 0],
      [2, 5],
    ]);
    expect(frechetDistance(g, g)).toBeCloseTo(0, 10);
  });
  it('in one dimension is (m1 - m2)^2 + (s1 - s2)^2', () => {
    const a = { mean: [1], cov: [[4]], n: 10 };
    const b = { mean: [4], cov: [[9]], n: 10 };
    expect(frechetDistance(a, b)).toBeCloseTo(9 + 1, 10);
  });
  it('for diagonal covariances is the sum over dimensions, and is symmetric', () => {
    const a = {
      mean: [0, 1, 2],
      cov: [
        [1, 0, 0],
        [0, 4, 0],
        [0, 0, 0.25],
      ],
      n: 5,
    };
    const b = {
      mean: [1, 1, 0],
      cov: [
        [4, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      n: 5,
    };
    const expected = 1 + 1 + 0 + 1 + 4 + 0.25;
    expect(frechetDistance(a, b)).toBeCloseTo(expected, 10);
    expect(frechetDistance(b, a)).toBeCloseTo(expected, 10);
  });
  it('works with fewer vectors than dimensions (singular covariance)', () => {
    const next = mulberry32(3);
    const rows = (shift: number) =>
      Array.from({ length: 4 }, () => Array.from({ length: 10 }, () => normal(next) + shift));
    const d = frechetDistance(fitGaussian(rows(0)), fitGaussian(rows(3)));
    expect(Number.isFinite(d)).toBe(true);
    expect(d).toBeGreaterThan(50); // the mean term alone is 10 * 9
  });
  it('fitGaussian uses n - 1 (numpy np.cov)', () => expect(fitGaussian([[0], [2]]).cov[0]![0]).toBe(2));
});

describe('mgeval-style distance distributions', () => {
  it('intra-set distances are the pairs i < j; inter-set all pairs', () => {
    expect(intraSetDistances([0, 1, 3])).toEqual([1, 3, 2]);
    expect(interSetDistances([0, 1], [3])).toEqual([3, 2]);
  });
  it('the grid KDE equals the direct KDE', () =>
    fc.assert(
      fc.property(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 2, maxLength: 40 }), (xs) => {
        const direct = gaussianKde(xs);
        const grid = gaussianKdeOnGrid(xs, -60, 0.5, 241);
        if (direct === null) return grid === null;
        return grid!.every((v, i) => Math.abs(v - direct(-60 + i * 0.5)) <= 1e-12 + 1e-9 * v);
      }),
    ));
  it('identical samples overlap fully with KL 0; far apart samples barely overlap', () => {
    const next = mulberry32(7);
    const a = Array.from({ length: 300 }, () => normal(next));
    const same = compareDistanceDistributions(a, a)!;
    expect(same.overlap_area).toBeGreaterThan(0.99);
    expect(same.kl_divergence).toBeCloseTo(0, 12);
    const far = compareDistanceDistributions(
      a,
      a.map((x) => x + 20),
    )!;
    expect(far.overlap_area).toBeLessThan(0.01);
    expect(far.kl_divergence).toBeGreaterThan(5);
  });
  it('is undefined (null) for a sample without spread, as scipy refuses it', () =>
    expect(compareDistanceDistributions([1, 1, 1], [0, 2, 3])).toBeNull());
  it('one reference sample compared with many sets gives what each comparison alone gives, on shared and own grids', () => {
    const next = mulberry32(3);
    const ref = intraSetDistances(Array.from({ length: 30 }, () => Math.round(normal(next) * 4)));
    const compare = distanceComparison(ref);
    // Sets inside the reference's range (the grid is the reference's, its KDE reused) and beyond it.
    const sets = [0.5, 0.5, 3, 40].map((spread) => Array.from({ length: 25 }, () => Math.abs(normal(next) * spread)));
    for (const q of [...sets, ...sets]) expect(compare(q)).toEqual(compareDistanceDistributions(ref, q));
    expect(compare([1])).toBeNull();
  });
});
