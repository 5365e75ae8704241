import { createHash } from 'node:crypto';


/** A 32-bit seed from text (first 4 bytes of its SHA-256), so seeds derived from arguments are stable everywhere. */
export function seedFromText(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** Index of the largest probability (the lowest index on ties). */
export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return best;
}

/**
 * Nucleus (top-p) sampling: keep the most probable values until their mass reaches `topP`, renormalise,
 * draw one. Values are taken by selection (largest first, the lower index on ties) rather than a full sort:
 * the nucleus is usually a handful of values out of up to 135.
 */
export function nucleusSample(p: ArrayLike<number>, topP: number, rand: () => number): number {
  const n = p.length;
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let mass = 0;
  let kept = 0;
  while (kept < n && (kept === 0 || mass < topP)) {
    let best = kept;
    for (let j = kept + 1; j < n; j++) {
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

/** Mix a point mass on `target` into a distribution: (1 - weight) * p + weight * onehot(target). */
export function steer(p: Float64Array, target: number, weight: number): Float64Array {
  for (let i = 0; i < p.length; i++) p[i] = (1 - weight) * p[i]! + (i === target ? weight : 0);
  return p;
}
