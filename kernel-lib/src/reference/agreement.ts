import { permutationTest } from '../stats/permutation.js';
import { ALL_KEYS, tryParseKey } from '../formats/key-names.js';
import { mirexScore } from '../metrics/key-methods/mirex.js';

/*
 * Agreement between requested and detected labels (pure): confusion matrices, Cohen's kappa, arousal and
 * valence halves of the EMOPIA quadrant, chance levels and a label-shuffled baseline.
 */

export const QUADRANTS = [1, 2, 3, 4] as const;
export const QUADRANT_LABELS = ['Q1', 'Q2', 'Q3', 'Q4'] as const;

/** EMOPIA (Russell's circumplex): Q1 and Q2 are high arousal. */
export const isHighArousal = (q: number): boolean => q === 1 || q === 2;
/** Q1 and Q4 are positive (high) valence. */
export const isHighValence = (q: number): boolean => q === 1 || q === 4;

/** counts[requested - 1][detected - 1] over (requested, detected) quadrant pairs. */
export function quadrantConfusion(pairs: ReadonlyArray<readonly [number, number]>): number[][] {
  const counts = QUADRANTS.map(() => QUADRANTS.map(() => 0));
  for (const [r, d] of pairs) {
    if (r >= 1 && r <= 4 && d >= 1 && d <= 4) counts[r - 1]![d - 1]! += 1;
  }
  return counts;
}

export interface Kappa {
  /** Observed agreement. */
  observed: number;
  /** Agreement expected from the two marginals alone (chance given how often each label is requested and detected). */
  expected: number;
  /** Cohen's kappa (Cohen 1960): (observed - expected) / (1 - expected); NaN when expected = 1 or no pairs. */
  kappa: number;
}

/** Cohen's kappa of a square confusion matrix. */
export function cohenKappa(counts: readonly (readonly number[])[]): Kappa {
  const k = counts.length;
  let n = 0;
  let agree = 0;
  const rows = new Array<number>(k).fill(0);
  const cols = new Array<number>(k).fill(0);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      const c = counts[i]![j]!;
      n += c;
      rows[i]! += c;
      cols[j]! += c;
      if (i === j) agree += c;
    }
  }
  if (n === 0) return { observed: NaN, expected: NaN, kappa: NaN };
  const observed = agree / n;
  let expected = 0;
  for (let i = 0; i < k; i++) expected += (rows[i]! / n) * (cols[i]! / n);
  return { observed, expected, kappa: expected === 1 ? NaN : (observed - expected) / (1 - expected) };
}

export interface ShuffledBaseline {
  /** Mean agreement over the permutations. */
  mean: number;
  /** 2.5% and 97.5% quantiles of the permutation distribution. */
  lower: number;
  upper: number;
  /** One-sided permutation p of the observed agreement ((1 + shuffles at or above it) / (1 + shuffles)). */
  p: number;
  /** `p` Holm-adjusted over the emotion and key baselines of the reference block (set by buildReferenceBlock). */
  p_adjusted?: number;
  /** The smallest `p_adjusted` this test could reach (stats/permutation.ts adjustPermutationTests; set with it). */
  min_p_adjusted?: number;
  /** Distinct assignments of the requests the shuffle can reach (capped at Number.MAX_SAFE_INTEGER). */
  shuffles: number;
  /** The smallest p this test can report: 1 / (permutations + 1), or 1 / shuffles when fewer. */
  smallestP: number;
  permutations: number;
  seed: number;
}

/**
 * A label-shuffled generator baseline: the requested labels are permuted among the songs (so each song is
 * scored against the condition of another song of the same set), `permutations` times with a seeded
 * generator; agreement = share of songs whose detected value equals the (shuffled) requested one under
 * `same`. This is what a generator that ignored its condition, but produced the same songs, would score.
 * Null when fewer than two distinct labels were requested (nothing to shuffle).
 */
export function shuffledBaseline<R, D>(
  requested: readonly R[],
  detected: readonly D[],
  same: (r: R, d: D) => boolean,
  options: { permutations?: number; seed?: number } = {},
): ShuffledBaseline | null {
  const n = requested.length;
  if (n !== detected.length) throw new RangeError('shuffledBaseline: requested and detected differ in length');
  if (new Set(requested.map((r) => JSON.stringify(r))).size < 2) return null;
  const permutations = options.permutations ?? 1000;
  const seed = options.seed ?? 20251103;
  // `same` of each distinct requested label against each song's detected value, asked once (labels x songs)
  // rather than for every song of every permutation; the shuffle permutes label ids.
  const ids = new Map<R, number>();
  const labels = new Int32Array(n);
  requested.forEach((r, i) => {
    let id = ids.get(r);
    if (id === undefined) ids.set(r, (id = ids.size));
    labels[i] = id;
  });
  const agrees = new Uint8Array(ids.size * n);
  for (const [r, id] of ids) for (let i = 0; i < n; i++) agrees[id * n + i] = same(r, detected[i]!) ? 1 : 0;
  const input = {
    strata: new Int32Array(n),
    labels,
    labelCount: ids.size,
    numerators: agrees,
    denominators: new Uint8Array(n).fill(1),
  };
  const { mean, lower, upper, p, shuffles, smallestP } = permutationTest(input, permutations, seed);
  return { mean, lower, upper, p, smallestP, permutations, seed, shuffles };
}

/**
 * Expected MIREX score of a key drawn uniformly from the 24 keys, against the given reference key
 * (the chance floor of the MIREX key figure): (1 + 2 x 0.5 + 0.3 + 0.2) / 24.
 */
export function mirexChance(reference: string): number {
  const ref = tryParseKey(reference);
  if (!ref) return NaN;
  return ALL_KEYS.reduce((s, k) => s + mirexScore(k, ref), 0) / ALL_KEYS.length;
}
