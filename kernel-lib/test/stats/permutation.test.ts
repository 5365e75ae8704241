import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  distinctShuffles,
  adjustPermutationTests,
  smallestPermutationP,
  permutedAgreements,
  pooledAgreement,
  shuffleableStrata,
  summarisePermutations,
  type PermutationInput,
} from '../../src/stats/permutation.js';

/** Items as [stratum, label, numerator for each label, denominator]. */
function input(items: ReadonlyArray<[number, number, number[], number]>, labelCount: number): PermutationInput {
  const n = items.length;
  const numerators = new Float64Array(labelCount * n);
  items.forEach(([, , nums], i) => nums.forEach((v, label) => (numerators[label * n + i] = v)));
  return {
    strata: items.map((it) => it[0]),
    labels: items.map((it) => it[1]),
    labelCount,
    numerators,
    denominators: items.map((it) => it[3]),
  };
}

describe('label permutation within strata', () => {
  it('pools the observed agreement as a ratio of sums (a long song weighs more)', () => {
    const x = input(
      [
        [0, 0, [9, 1], 10],
        [0, 1, [0, 0], 90],
      ],
      2,
    );
    expect(pooledAgreement(x)).toBeCloseTo(9 / 100, 15);
  });

  it('moves labels only among the items of one stratum', () => {
    // Stratum 1 was asked for label 0 only; its items would score 100 under label 1. A label 1 leaking in from
    // stratum 0 would show as a score above 1.
    const x = input(
      [
        [0, 0, [1, 0], 1],
        [0, 1, [0, 1], 1],
        [1, 0, [0, 100], 1],
        [1, 0, [0, 100], 1],
      ],
      2,
    );
    expect(shuffleableStrata(x)).toBe(1);
    const scores = permutedAgreements(x, 500, 3);
    expect(Math.max(...scores)).toBeLessThanOrEqual(0.5);
    expect(new Set(scores)).toEqual(new Set([0, 0.5])); // stratum 0 swapped or not
  });

  it('finds nothing to shuffle when every stratum was asked for one label', () => {
    const x = input(
      [
        [0, 0, [1, 0], 1],
        [1, 1, [0, 1], 1],
      ],
      2,
    );
    expect(shuffleableStrata(x)).toBe(0);
  });

  it('is seeded: the same seed gives the same draws, another seed others', () => {
    const x = input(
      Array.from(
        { length: 20 },
        (_, i) => [0, i % 3, [i % 2, (i * 7) % 5, i % 4], 5] as [number, number, number[], number],
      ),
      3,
    );
    expect(permutedAgreements(x, 200, 11)).toEqual(permutedAgreements(x, 200, 11));
    expect(permutedAgreements(x, 200, 11)).not.toEqual(permutedAgreements(x, 200, 12));
  });

  it('averages to the exact expectation of a random within-stratum assignment (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.integer({ min: 0, max: 2 }),
            fc.integer({ min: 0, max: 2 }),
            fc.array(fc.nat(20), { minLength: 3, maxLength: 3 }),
          ),
          { minLength: 4, maxLength: 24 },
        ),
        fc.integer(),
        (raw, seed) => {
          const items = raw.map(([s, l, nums]) => [s, l, nums, 20] as [number, number, number[], number]);
          const x = input(items, 3);
          // E[Σ num] = Σ_i Σ_label P(item i gets label) num[label][i], P = the label's share of i's stratum.
          let expected = 0;
          items.forEach(([s, , nums]) => {
            const inStratum = items.filter((it) => it[0] === s);
            nums.forEach(
              (v, label) => (expected += (v * inStratum.filter((it) => it[1] === label).length) / inStratum.length),
            );
          });
          expected /= 20 * items.length;
          const { mean } = summarisePermutations(permutedAgreements(x, 4000, seed), NaN);
          // The mean of 4000 draws of a share in [0, 1]: within 0.03 of its expectation (about 4 standard errors).
          expect(Math.abs(mean - expected)).toBeLessThan(0.03);
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  it('gives p = 1 / (permutations + 1) above every draw and a large p inside them', () => {
    const scores = Float64Array.from({ length: 99 }, (_, i) => i / 100);
    expect(summarisePermutations(scores, 2).p).toBeCloseTo(1 / 100, 15);
    const inside = summarisePermutations(scores, 0.5);
    expect(inside.p).toBeCloseTo(50 / 100, 15); // 49 draws at or above 0.5, plus the observed one
    expect(inside).toMatchObject({ lower: 0.02, upper: 0.96 });
    expect(inside.mean).toBeCloseTo(0.49, 12);
  });

  it('counts the distinct assignments a within-stratum shuffle reaches, and the smallest p they allow', () => {
    const two = { strata: [0, 0, 0, 0], labels: [0, 0, 1, 1] };
    expect(distinctShuffles(two)).toBe(6); // 4! / (2! 2!)
    expect(distinctShuffles({ strata: [0, 0, 0, 0, 1, 1, 1, 1], labels: [0, 0, 1, 1, 0, 1, 1, 0] })).toBe(36);
    expect(distinctShuffles({ strata: [0, 0, 1], labels: [1, 1, 0] })).toBe(1);
    expect(
      distinctShuffles({ strata: new Array(200).fill(0), labels: Array.from({ length: 200 }, (_, i) => i % 2) }),
    ).toBe(Number.MAX_SAFE_INTEGER);
    expect(smallestPermutationP(1000, 6)).toBeCloseTo(1 / 6, 15);
    expect(smallestPermutationP(1000, 1e9)).toBeCloseTo(1 / 1001, 15);
    // Holm: at least the test's own smallest p, and the family size times the family's smallest.
    const smallestHolmP = (smallest: number[], i: number) =>
      adjustPermutationTests(smallest.map((p) => ({ p, smallestP: p })))[i]!.min_p_adjusted;
    expect(smallestHolmP([1 / 6, 1 / 1001, 1 / 1001], 0)).toBeCloseTo(1 / 6, 15);
    expect(smallestHolmP([1 / 6, 1 / 1001, 1 / 1001], 1)).toBeCloseTo(3 / 1001, 15);
    expect(smallestHolmP([0.5, 0.5, 0.5], 2)).toBe(1);
  });
});
