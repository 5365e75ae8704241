import { holmAdjust } from './multiplicity.js';
import { mulberry32, randomIndex } from './prng.js';

/*
 * Label permutation (pure): the distribution of a pooled agreement when the requested labels carry no information,
 * by shuffling which item was asked for which label. Labels move only among the items of one stratum, so a shuffle
 * keeps everything else the strata hold fixed (for a token's floor: the emotion, key and other conditions asked).
 */

export interface PermutationInput {
  /** Per item, its stratum id: labels are exchanged only among items with the same id. */
  strata: ArrayLike<number>;
  /** Per item, the id (0 .. labelCount - 1) of the label it was asked for. */
  labels: ArrayLike<number>;
  labelCount: number;
  /** `numerators[label * n + i]`: item i's agreement with `label` (a 0/1 hit, or a count of matching steps). */
  numerators: ArrayLike<number>;
  /** Per item, what its agreement is a share of (1 for a hit; its steps for a step count), whichever the label. */
  denominators: ArrayLike<number>;
}

/** The pooled agreement Σ numerator / Σ denominator under the labels as given (the observed figure). */
export function pooledAgreement(input: PermutationInput): number {
  const n = input.labels.length;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += input.numerators[input.labels[i]! * n + i]!;
    den += input.denominators[i]!;
  }
  return num / den;
}

/** Per stratum, how many items were asked for each label. */
function labelCountsByStratum(input: Pick<PermutationInput, 'strata' | 'labels'>): Map<number, Map<number, number>> {
  const counts = new Map<number, Map<number, number>>();
  for (let i = 0; i < input.labels.length; i++) {
    const c = counts.get(input.strata[i]!) ?? new Map<number, number>();
    c.set(input.labels[i]!, (c.get(input.labels[i]!) ?? 0) + 1);
    counts.set(input.strata[i]!, c);
  }
  return counts;
}

/** Strata holding at least two different labels: where a shuffle can change anything. */
export function shuffleableStrata(input: Pick<PermutationInput, 'strata' | 'labels'>): number {
  return [...labelCountsByStratum(input).values()].filter((c) => c.size > 1).length;
}

/** ln(n!) by summation (n is a count of songs: small). */
function logFactorial(n: number): number {
  let s = 0;
  for (let k = 2; k <= n; k++) s += Math.log(k);
  return s;
}

/**
 * How many distinct assignments of the labels the within-stratum shuffles can reach (the product over strata of
 * the multinomial coefficient of its label counts), capped at Number.MAX_SAFE_INTEGER. An observed agreement above
 * every other assignment cannot get a p below 1 / this many: few songs per stratum make a test that cannot pass.
 */
export function distinctShuffles(input: Pick<PermutationInput, 'strata' | 'labels'>): number {
  let log = 0;
  for (const c of labelCountsByStratum(input).values()) {
    const values = [...c.values()];
    log += logFactorial(values.reduce((a, b) => a + b, 0));
    for (const v of values) log -= logFactorial(v);
  }
  return Math.min(Number.MAX_SAFE_INTEGER, Math.round(Math.exp(log)));
}

/**
 * The smallest p a permutation test reports: its draws' resolution, or one assignment in all it can reach (the exact
 * p is never lower, so a test's drawn p is held to it).
 */
export function smallestPermutationP(permutations: number, shuffles: number): number {
  return Math.max(1 / (permutations + 1), 1 / shuffles);
}

/**
 * Holm over a family of permutation tests, each with the smallest p it can report (smallestPermutationP), and for
 * each a lower bound on the adjusted p it could reach: Holm never lowers a p, and every adjusted p is at least the
 * family size times the family's smallest p. At .05 or above, the test cannot pass whatever the data.
 */
export function adjustPermutationTests(
  tests: ReadonlyArray<{ p: number; smallestP: number }>,
): Array<{ p_adjusted: number; min_p_adjusted: number }> {
  const adjusted = holmAdjust(tests.map((t) => t.p));
  const floor = tests.length * Math.min(...tests.map((t) => t.smallestP));
  return tests.map((t, i) => ({ p_adjusted: adjusted[i]!, min_p_adjusted: Math.min(1, Math.max(t.smallestP, floor)) }));
}

/**
 * The pooled agreement after each of `permutations` successive seeded Fisher-Yates shuffles of the labels within
 * each stratum (strata in order of first appearance). With one stratum the draws are those of a plain shuffle.
 */
export function permutedAgreements(input: PermutationInput, permutations: number, seed: number): Float64Array {
  const n = input.labels.length;
  const groups = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    const g = groups.get(input.strata[i]!);
    if (g) g.push(i);
    else groups.set(input.strata[i]!, [i]);
  }
  let den = 0;
  for (let i = 0; i < n; i++) den += input.denominators[i]!;
  const labels = Int32Array.from(input.labels);
  const numerators = Float64Array.from(input.numerators);
  return shuffled(
    [...groups.values()].filter((g) => g.length > 1).map((g) => Int32Array.from(g)),
    labels,
    numerators,
    den,
    permutations,
    mulberry32(seed),
  );
}

/** The loop of permutedAgreements, its own function: V8 optimises it while it runs, typed arrays throughout. */
function shuffled(
  groups: readonly Int32Array[],
  labels: Int32Array,
  numerators: Float64Array,
  den: number,
  permutations: number,
  next: () => number,
): Float64Array {
  const n = labels.length;
  const out = new Float64Array(permutations);
  for (let p = 0; p < permutations; p++) {
    for (const idx of groups) {
      for (let i = idx.length - 1; i > 0; i--) {
        const j = randomIndex(next, i + 1);
        const a = idx[i]!;
        const b = idx[j]!;
        const t = labels[a]!;
        labels[a] = labels[b]!;
        labels[b] = t;
      }
    }
    let num = 0;
    for (let i = 0; i < n; i++) num += numerators[labels[i]! * n + i]!;
    out[p] = num / den;
  }
  return out;
}

export interface PermutationSummary {
  /** Mean of the permuted agreements: the floor. */
  mean: number;
  /** 2.5% and 97.5% quantiles of the permuted agreements. */
  lower: number;
  upper: number;
  /**
   * One-sided permutation p of the observed agreement: (1 + permutations at or above it) / (1 + permutations), so
   * never 0 (Phipson & Smyth 2010).
   */
  p: number;
}

/** Mean, 95% range and one-sided p of permuted agreements against the observed one. */
export function summarisePermutations(scores: Float64Array, observed: number): PermutationSummary {
  const sorted = Float64Array.from(scores).sort();
  const m = sorted.length;
  const q = (x: number) => sorted[Math.min(m - 1, Math.max(0, Math.round(x * (m - 1))))]!;
  // Sums of the same terms in another order differ in the last bits: a tie is a tie.
  const tolerance = 1e-12 * Math.max(1, Math.abs(observed));
  let atOrAbove = 0;
  let sum = 0;
  for (let i = 0; i < m; i++) {
    sum += sorted[i]!; // in ascending order: the same mean, bit for bit, however the draws came
    if (sorted[i]! >= observed - tolerance) atOrAbove++;
  }
  return { mean: sum / m, lower: q(0.025), upper: q(0.975), p: (1 + atOrAbove) / (1 + m) };
}

/**
 * Permutations for a family of `floors` tests: 1000, and 1000 more per 20 floors beyond the first 20, so the
 * smallest possible Holm-adjusted p (floors / (permutations + 1)) stays near .02 however many figures there are.
 */
export function floorPermutations(floors: number): number {
  return 1000 * Math.max(1, Math.ceil(floors / 20));
}

export interface PermutationTest extends PermutationSummary {
  /** The pooled agreement under the labels as given. */
  observed: number;
  /** Distinct assignments the shuffles can reach (distinctShuffles). */
  shuffles: number;
  /** The smallest p this test can report (smallestPermutationP). */
  smallestP: number;
}

/**
 * The permutation test of an observed pooled agreement: the permuted agreements' mean and 95% range (the floor),
 * and the one-sided p, held to the exact test's smallest (one assignment in all the strata allow).
 */
export function permutationTest(input: PermutationInput, permutations: number, seed: number): PermutationTest {
  const observed = pooledAgreement(input);
  const summary = summarisePermutations(permutedAgreements(input, permutations, seed), observed);
  const shuffles = distinctShuffles(input);
  const smallestP = smallestPermutationP(permutations, shuffles);
  return { ...summary, p: Math.max(summary.p, smallestP), observed, shuffles, smallestP };
}
