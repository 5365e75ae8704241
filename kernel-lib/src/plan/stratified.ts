/**
 * The reference notebook's `sample_values_stratified`: n values evenly across the (sorted) list, at positions
 * floor(i*L/n). Its `random.Random` is created but never used, so no randomness is involved.
 */
export function stratifiedIndices(length: number, n: number): number[] {
  if (length <= n) return Array.from({ length }, (_, i) => i);
  // Python's int(i * L / n): float division then truncation. i*L is exact in doubles for any realistic size.
  return Array.from({ length: n }, (_, i) => Math.trunc((i * length) / n));
}

export function sampleStratified<T>(values: readonly T[], n: number): T[] {
  return stratifiedIndices(values.length, n).map((i) => values[i]!);
}
