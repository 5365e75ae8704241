import { sampleStratified } from './stratified.js';
import { combinations, product } from './combinatorics.js';

export interface ConditionSubsetGrid {
  subset: string[];
  conditions: Array<Record<string, string>>;
}

export interface GridOptions {
  tokensOfInterest: readonly string[];
  maxValuesPerToken: Readonly<Record<string, number>>;
  conditionSetSizes: readonly number[];
}

/**
 * Values sampled per token (the reference notebook's default is 3 when a token has no entry in max_values_per_token).
 */
export function sampleTokenValues(candidates: Record<string, string[]>, opts: GridOptions): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const t of opts.tokensOfInterest) {
    const vals = candidates[t];
    if (vals === undefined) continue;
    out[t] = sampleStratified(vals, opts.maxValuesPerToken[t] ?? 3);
  }
  return out;
}

/**
 * The reference notebook's `build_condition_grid`: for each subset size k, every k-combination of the tokens of interest
 * that have candidates (config order), and for each the cartesian product of their sampled values.
 */
export function buildConditionGrid(candidates: Record<string, string[]>, opts: GridOptions): ConditionSubsetGrid[] {
  const tokenNames = opts.tokensOfInterest.filter((t) => candidates[t] !== undefined);
  const sampled = sampleTokenValues(candidates, opts);
  const grid: ConditionSubsetGrid[] = [];
  for (const k of opts.conditionSetSizes) {
    for (const subset of combinations(tokenNames, k)) {
      const conditions = product(subset.map((t) => sampled[t]!)).map((combo) => {
        const cond: Record<string, string> = {};
        subset.forEach((t, i) => (cond[t] = combo[i]!));
        return cond;
      });
      grid.push({ subset, conditions });
    }
  }
  return grid;
}
