/*
 * Quantiles of an unsorted sample without sorting it: only the order statistics a quantile reads are put in
 * place (Hoare's FIND, as in Wirth's "Algorithms + Data Structures = Programs", 1976), in O(n) on average
 * instead of a full O(n log n) sort. The values read are the ones a sort would put there, so the quantiles are
 * identical to sorting first (finite values only: NaN has no place in an order).
 */

/** Puts the k-th smallest of a[left..right] at a[k], smaller-or-equal values before it and larger-or-equal after. */
function selectInPlace(a: Float64Array, k: number, left: number, right: number): void {
  let l = left;
  let r = right;
  while (l < r) {
    const x = a[k]!;
    let i = l;
    let j = r;
    do {
      while (a[i]! < x) i++;
      while (x < a[j]!) j--;
      if (i <= j) {
        const t = a[i]!;
        a[i] = a[j]!;
        a[j] = t;
        i++;
        j--;
      }
    } while (i <= j);
    if (j < k) l = i;
    if (k < i) r = j;
  }
}

/**
 * numpy.percentile's linear-interpolation quantiles (as `quantileSorted` on the sorted values) of finite values,
 * for each q in `qs`. Reorders `values` in place. An empty sample gives NaN.
 */
export function quantilesUnsorted(values: Float64Array, qs: readonly number[]): number[] {
  const n = values.length;
  if (n === 0) return qs.map(() => NaN);
  const positions = qs.map((q) => {
    const pos = (n - 1) * q;
    return { pos, lo: Math.floor(pos), hi: Math.ceil(pos) };
  });
  // Each needed rank, ascending: selecting one leaves everything above it in the range above it.
  const ranks = [...new Set(positions.flatMap((p) => [p.lo, p.hi]))].sort((a, b) => a - b);
  let from = 0;
  for (const k of ranks) {
    if (k < from || k > n - 1) continue;
    selectInPlace(values, k, from, n - 1);
    from = k + 1;
  }
  return positions.map(({ pos, lo, hi }) => values[lo]! + (values[hi]! - values[lo]!) * (pos - lo));
}

/** Whether every value is finite (then `quantilesUnsorted` reads what a sort would). */
export function allFinite(values: Float64Array): boolean {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i]!)) return false;
  return true;
}

/** The alpha and 1 - alpha quantiles of finite values (a percentile interval's bounds); reorders `values`. */
export function quantileBounds(values: Float64Array, alpha: number): [number, number] {
  const [lower, upper] = quantilesUnsorted(values, [alpha, 1 - alpha]);
  return [lower!, upper!];
}
