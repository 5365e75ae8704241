/**
 * numpy's float64 reductions, bit for bit: the reference notebook's figures are `np.mean`/`np.median`/`np.std` of
 * Python lists, and numpy sums with pairwise summation (blocks of 128, eight accumulators), not left to right.
 * Matching it keeps our means identical to the reference notebook's to the last bit, so rounding in the table agrees
 * too.
 */

const PW_BLOCKSIZE = 128;

/** numpy's `pairwise_sum_DOUBLE` over `a[lo, lo + n)`. */
function pairwiseSum(a: ArrayLike<number>, lo: number, n: number): number {
  if (n < 8) {
    let res = 0;
    for (let i = 0; i < n; i++) res += a[lo + i]!;
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    const r = [a[lo]!, a[lo + 1]!, a[lo + 2]!, a[lo + 3]!, a[lo + 4]!, a[lo + 5]!, a[lo + 6]!, a[lo + 7]!];
    let i = 8;
    for (; i < n - (n % 8); i += 8) {
      for (let j = 0; j < 8; j++) r[j]! += a[lo + i + j]!;
    }
    let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (; i < n; i++) res += a[lo + i]!;
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(a, lo, n2) + pairwiseSum(a, lo + n2, n - n2);
}

/** `np.sum` of a 1-D float64 array (the identity 0 plus the pairwise sum, as numpy's add.reduce does). */
export function npSum(a: ArrayLike<number>): number {
  return 0 + pairwiseSum(a, 0, a.length);
}

/** `np.mean`: NaN for an empty array (numpy warns and returns nan). */
export function npMean(a: ArrayLike<number>): number {
  return npSum(a) / a.length;
}

/** `np.median`: the middle value, or the mean of the two middle values. */
export function npMedian(a: ArrayLike<number>): number {
  const s = sortedNumbers(a);
  const n = s.length;
  if (n === 0) return NaN;
  if (n % 2 === 1) return s[(n - 1) / 2]!;
  return npMean([s[n / 2 - 1]!, s[n / 2]!]);
}

/**
 * The values in ascending order as a comparison sort orders them: a typed (native) sort when no NaN or -0 is
 * among them (where the two sorts could differ), else the comparison sort itself.
 */
export function sortedNumbers(a: ArrayLike<number>): ArrayLike<number> {
  const typed = Float64Array.from(a);
  for (let i = 0; i < typed.length; i++) {
    const x = typed[i]!;
    if (x !== x || (x === 0 && 1 / x < 0)) return Array.from(a).sort((p, q) => p - q);
  }
  return typed.sort();
}

/** `np.std` with ddof=0 (population). */
export function npStd(a: ArrayLike<number>): number {
  const m = npMean(a);
  const sq = Array.from(a, (x) => (x - m) * (x - m));
  return Math.sqrt(npMean(sq));
}
