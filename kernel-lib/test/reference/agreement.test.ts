import { describe, expect, it } from 'vitest';
import {
  cohenKappa,
  isHighArousal,
  isHighValence,
  mirexChance,
  quadrantConfusion,
  shuffledBaseline,
} from '../../src/reference/agreement.js';
import { mulberry32, randomIndex } from '../../src/stats/prng.js';

describe('agreement', () => {
  it('confusion counts [requested][detected]', () => {
    expect(
      quadrantConfusion([
        [1, 1],
        [1, 2],
        [4, 3],
      ]),
    ).toEqual([
      [1, 1, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 1, 0],
    ]);
  });
  it("Cohen's kappa of a textbook table (Cohen 1960 style): po 0.7, pe 0.5 -> 0.4", () => {
    const k = cohenKappa([
      [20, 5],
      [10, 15],
    ]);
    expect(k.observed).toBeCloseTo(0.7, 12);
    expect(k.expected).toBeCloseTo(0.5, 12);
    expect(k.kappa).toBeCloseTo(0.4, 12);
    expect(
      Number.isNaN(
        cohenKappa([
          [0, 0],
          [0, 0],
        ]).kappa,
      ),
    ).toBe(true);
  });
  it('arousal and valence halves of the quadrants', () => {
    expect([1, 2, 3, 4].map(isHighArousal)).toEqual([true, true, false, false]);
    expect([1, 2, 3, 4].map(isHighValence)).toEqual([true, false, false, true]);
  });
  it('a shuffled baseline is reproducible, centred on the marginal chance, and absent with one label', () => {
    const requested = [1, 1, 2, 2, 3, 3, 4, 4];
    const detected = [1, 1, 2, 2, 3, 3, 4, 4]; // perfect adherence
    const a = shuffledBaseline(requested, detected, (r, d) => r === d, { permutations: 2000, seed: 5 })!;
    const b = shuffledBaseline(requested, detected, (r, d) => r === d, { permutations: 2000, seed: 5 })!;
    expect(a).toEqual(b);
    expect(a.mean).toBeGreaterThan(0.2);
    expect(a.mean).toBeLessThan(0.3); // sum of p_req * p_det = 4 * (1/4)^2
    expect(a.lower).toBeLessThanOrEqual(a.mean);
    // Perfect adherence beats almost every shuffle; detections unrelated to the request beat few.
    expect(a.p).toBeLessThan(0.01);
    const unrelated = shuffledBaseline(requested, [1, 2, 3, 4, 1, 2, 3, 4], (r, d) => r === d, {
      permutations: 2000,
      seed: 5,
    })!;
    expect(unrelated.p).toBeGreaterThan(0.3);
    expect(shuffledBaseline([2, 2, 2], [1, 2, 3], (r, d) => r === d)).toBeNull();
  });
  it('a shuffled baseline asks `same` once per label and song, and scores what checking every permutation scores', () => {
    const requested = ['C:maj', 'A:min', 'C:maj', 'E:min', 'A:min', 'C:maj'];
    const detected = ['C:maj', 'C:maj', 'A:min', 'E:min', 'G:maj', 'C:maj'];
    let calls = 0;
    const same = (r: string, d: string) => (calls++, r[0] === d[0]);
    const got = shuffledBaseline(requested, detected, same, { permutations: 500, seed: 9 })!;
    expect(calls).toBe(3 * requested.length);
    // Every permutation checked directly (the Fisher-Yates shuffle of the labels, as drawn from the seed).
    const next = mulberry32(9);
    const labels = requested.slice();
    const scores: number[] = [];
    for (let p = 0; p < 500; p++) {
      for (let i = labels.length - 1; i > 0; i--) {
        const j = randomIndex(next, i + 1);
        [labels[i], labels[j]] = [labels[j]!, labels[i]!];
      }
      scores.push(labels.filter((l, i) => l[0] === detected[i]![0]).length / labels.length);
    }
    scores.sort((a, b) => a - b);
    expect(got.mean).toBe(scores.reduce((a, b) => a + b, 0) / 500);
    expect([got.lower, got.upper]).toEqual([scores[Math.round(0.025 * 499)], scores[Math.round(0.975 * 499)]]);
  });
  it('MIREX chance of a uniformly random key is 2.5 / 24', () =>
    expect(mirexChance('C:maj')).toBeCloseTo(2.5 / 24, 12));
});
