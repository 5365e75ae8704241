import { createHash } from 'node:crypto';

/** A 32-bit seed from text (first 4 bytes of its SHA-256), so seeds derived from arguments are stable everywhere. */
export function seedFromText(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** Values taken by selection before the rest is sorted. */
const SELECTION_STEPS = 8;

/** Stable bottom-up merge sort of indices by descending probability (lower index first on ties), no callbacks. */
function sortByProbability(idx: Int32Array, p: ArrayLike<number>): void {
  const n = idx.length;
  let src: Int32Array = idx;
  let dst: Int32Array = new Int32Array(n);
  for (let width = 1; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      let i = lo;
      let j = mid;
      for (let k = lo; k < hi; k++) {
        if (i < mid && (j >= hi || p[src[i]!]! > p[src[j]!]! || (p[src[i]!]! === p[src[j]!]! && src[i]! < src[j]!)))
          dst[k] = src[i++]!;
        else dst[k] = src[j++]!;
      }
    }
    [src, dst] = [dst, src];
  }
  if (src !== idx) idx.set(src);
}

/**
 * Nucleus (top-p) sampling: keep the most probable values until their mass reaches `topP`, renormalise,
 * draw one. Values are taken by selection (largest first, the lower index on ties) rather than a full sort:
 * the nucleus is usually a handful of values out of up to 135 (a wider one has the rest sorted, same order).
 */
export function nucleusSample(p: ArrayLike<number>, topP: number, rand: () => number): number {
  const n = p.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let mass = 0;
  let kept = 0;
  while (kept < n && (kept === 0 || mass < topP)) {
    // A wide nucleus (a whole distribution): sort the rest once, in the order selection would take them.
    if (kept === SELECTION_STEPS) sortByProbability(order.subarray(kept), p);
    let best = kept;
    for (let j = kept + 1; j < n && kept < SELECTION_STEPS; j++) {
      const a = p[order[j]!]!;
      const b = p[order[best]!]!;
      if (a > b || (a === b && order[j]! < order[best]!)) best = j;
    }
    if (kept > 0 && p[order[best]!]! <= 0) break;
    const t = order[kept]!;
    order[kept] = order[best]!;
    order[best] = t;
    mass += p[order[kept]!]!;
    kept++;
  }
  let r = rand() * mass;
  for (let k = 0; k < kept; k++) {
    r -= p[order[k]!]!;
    if (r < 0) return order[k]!;
  }
  return order[kept - 1]!;
}
