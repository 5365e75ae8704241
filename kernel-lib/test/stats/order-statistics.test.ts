import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantileSorted } from '../../src/stats/bootstrap.js';
import { allFinite, quantileBounds, quantilesUnsorted } from '../../src/stats/order-statistics.js';

const sortedQuantile = (xs: readonly number[], q: number) =>
  quantileSorted(
    [...xs].sort((a, b) => a - b),
    q,
  );

describe('quantilesUnsorted (selection instead of a sort)', () => {
  it('reads the same order statistics as sorting first, duplicates and ties included', () => {
    fc.assert(
      fc.property(
        // Few distinct values: bootstrap statistics of two or three songs repeat a handful of values.
        fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -1e6, max: 1e6, noNaN: true })), {
          minLength: 1,
          maxLength: 300,
        }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 4 }),
        (xs, qs) => {
          const got = quantilesUnsorted(Float64Array.from(xs), qs);
          qs.forEach((q, i) => expect(Object.is(got[i], sortedQuantile(xs, q))).toBe(true));
        },
      ),
    );
  });
  it('gives the bounds of a percentile interval as the sorted bootstrap did', () => {
    const xs = Array.from({ length: 2000 }, (_, i) => ((i * 7919) % 2000) / 1999);
    expect(quantileBounds(Float64Array.from(xs), 0.025)).toEqual([
      sortedQuantile(xs, 0.025),
      sortedQuantile(xs, 0.975),
    ]);
  });
  it('is NaN for an empty sample', () => {
    expect(quantilesUnsorted(new Float64Array(0), [0.5])).toEqual([NaN]);
  });
  it('allFinite tells when a sort is still needed', () => {
    expect(allFinite(Float64Array.from([1, 2]))).toBe(true);
    expect(allFinite(Float64Array.from([1, Infinity]))).toBe(false);
    expect(allFinite(Float64Array.from([NaN]))).toBe(false);
  });
});
