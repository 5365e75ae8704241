import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { npMean, npMedian, npStd, npSum } from '../../src/metrics/np-stats.js';

// Expected values printed by numpy 1.24 (Debian python3-numpy): repr(float(np.sum(np.array(a)))) etc.
describe("numpy's float64 reductions", () => {
  it('sums pairwise like np.sum, not left to right', () => {
    const a = Array.from({ length: 299 }, (_, j) => 0.1 * (j + 1) + 1e-3 * ((j + 1) % 7));
    expect(npSum(a)).toBe(4485.897); // Python's sum() gives 4485.897000000001
    expect(npMean(a)).toBe(15.003);
    const b = [1e16, 1.0, -1e16, 1.0, 3.3, 1e-3, 7.7, 2.2, 5.5];
    expect(npSum(b)).toBe(18.701); // left to right: 19.701
  });

  it('takes the median of an even count as the mean of the two middle values', () => {
    expect(npMedian([3, 1, 4, 1, 5, 9, 2, 6])).toBe(3.5);
    expect(npMedian([5, 1, 3])).toBe(3);
  });

  it('computes the population standard deviation (ddof=0)', () => {
    expect(npStd([3, 1, 4, 1, 5, 9, 2, 6])).toBe(2.5708704751503917);
    expect(npStd([1200, 0, 960])).toBe(518.4592558726288);
  });

  it('gives NaN for empty input, as numpy does', () => {
    expect(npMean([])).toBeNaN();
    expect(npMedian([])).toBeNaN();
  });
});

describe('npMedian sorts natively where that orders as the comparison sort did', () => {
  /** The median as first written: a comparison sort, the middle value or the numpy mean of the two middle ones. */
  const comparisonMedian = (a: number[]) => {
    const s = [...a].sort((x, y) => x - y);
    const n = s.length;
    if (n === 0) return NaN;
    return n % 2 === 1 ? s[(n - 1) / 2]! : npMean([s[n / 2 - 1]!, s[n / 2]!]);
  };
  it('gives the same median bit for bit, duplicates, -0 and NaN included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.integer({ min: -5, max: 5 }), fc.double(), fc.constant(-0), fc.constant(NaN)), {
          maxLength: 60,
        }),
        (a) => Object.is(npMedian(a), comparisonMedian(a)),
      ),
    );
  });
});
