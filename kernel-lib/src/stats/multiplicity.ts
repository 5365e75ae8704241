/**
 * Multiple-comparison adjustments over a family of p-values (one results file's paired tests). Non-finite
 * p-values are not tests: they stay NaN and do not count in the family size m.
 */

function ascendingFinite(pValues: readonly number[]): number[] {
  return pValues
    .map((_, i) => i)
    .filter((i) => Number.isFinite(pValues[i]!))
    .sort((a, b) => pValues[a]! - pValues[b]! || a - b);
}

/** Holm (1979) step-down adjusted p-values: controls the family-wise error rate under any dependence. */
export function holmAdjust(pValues: readonly number[]): number[] {
  const order = ascendingFinite(pValues);
  const m = order.length;
  const out = pValues.map(() => NaN);
  let running = 0;
  order.forEach((idx, j) => {
    running = Math.max(running, Math.min(1, (m - j) * pValues[idx]!));
    out[idx] = running;
  });
  return out;
}

/** Benjamini–Hochberg (1995) q-values: controls the false discovery rate (independent or positively dependent tests). */
export function benjaminiHochberg(pValues: readonly number[]): number[] {
  const order = ascendingFinite(pValues);
  const m = order.length;
  const out = pValues.map(() => NaN);
  let running = 1;
  for (let j = m - 1; j >= 0; j--) {
    const idx = order[j]!;
    running = Math.min(running, Math.min(1, (m / (j + 1)) * pValues[idx]!));
    out[idx] = running;
  }
  return out;
}
