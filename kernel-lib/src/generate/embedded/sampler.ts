import { createHash } from 'node:crypto';

/** A 32-bit seed from text (first 4 bytes of its SHA-256), so seeds derived from arguments are stable everywhere. */
export function seedFromText(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/**
 * Index buffers reused by every draw: a draw allocated two per call, about a third of its time. Sampling is
 * synchronous and each worker thread has its own copy of this module, so no two draws share them.
 */
let heap = new Int32Array(256);
let taken = new Int32Array(256);

/** Moves heap[at] down to its place: a max-heap by probability, the lower index first on ties. */
function siftDown(p: ArrayLike<number>, size: number, at: number): void {
  const h = heap;
  const x = h[at]!;
  const px = p[x]!;
  for (;;) {
    let child = 2 * at + 1;
    if (child >= size) break;
    const right = child + 1;
    if (right < size) {
      const a = p[h[right]!]!;
      const b = p[h[child]!]!;
      if (a > b || (a === b && h[right]! < h[child]!)) child = right;
    }
    const c = h[child]!;
    const pc = p[c]!;
    if (!(pc > px || (pc === px && c < x))) break;
    h[at] = c;
    at = child;
  }
  h[at] = x;
}

/**
 * Nucleus (top-p) sampling: keep the most probable values until their mass reaches `topP`, renormalise,
 * draw one. Values are taken largest first (the lower index on ties) from a binary heap: the nucleus is
 * usually a handful of values out of up to 135, so a heap costs less than selection or a full sort, and it
 * takes the values in the same order, so the mass is summed in the same order and the draw is the same.
 */
export function nucleusSample(p: ArrayLike<number>, topP: number, rand: () => number): number {
  const n = p.length;
  if (heap.length < n) {
    heap = new Int32Array(n);
    taken = new Int32Array(n);
  }
  for (let i = 0; i < n; i++) {
    // NaN has no place in the order (selection and sorting would disagree on it): a caller's bug.
    if (Number.isNaN(p[i])) throw new Error(`nucleusSample: probability ${i} is NaN`);
    heap[i] = i;
  }
  for (let i = (n >> 1) - 1; i >= 0; i--) siftDown(p, n, i);
  let size = n;
  let mass = 0;
  let kept = 0;
  while (kept < n && (kept === 0 || mass < topP)) {
    const best = heap[0]!;
    if (kept > 0 && p[best]! <= 0) break;
    taken[kept++] = best;
    mass += p[best]!;
    heap[0] = heap[--size]!;
    siftDown(p, size, 0);
  }
  let r = rand() * mass;
  for (let k = 0; k < kept; k++) {
    r -= p[taken[k]!]!;
    if (r < 0) return taken[k]!;
  }
  return taken[kept - 1]!;
}
