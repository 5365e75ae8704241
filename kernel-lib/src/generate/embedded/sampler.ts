import { createHash } from 'node:crypto';

/** A 32-bit seed from text (first 4 bytes of its SHA-256), so seeds derived from arguments are stable everywhere. */
export function seedFromText(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0);
}

/** mulberry32: small, fast, and the same sequence on every platform for a given seed. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Index of the largest probability (the lowest index on ties). */
export function argmax(p: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < p.length; i++) if (p[i]! > p[best]!) best = i;
  return best;
}

/**
 * Nucleus (top-p) sampling: keep the most probable values until their mass reaches `topP`, renormalise,
 * draw one. Ties keep index order so a seed always gives the same draw.
 */
export function nucleusSample(p: ArrayLike<number>, topP: number, rand: () => number): number {
  const order = Array.from({ length: p.length }, (_, i) => i).sort((a, b) => p[b]! - p[a]! || a - b);
  let mass = 0;
  let n = 0;
  while (n < order.length && (n === 0 || mass < topP)) {
    if (p[order[n]!]! <= 0 && n > 0) break;
    mass += p[order[n]!]!;
    n++;
  }
  let r = rand() * mass;
  for (let k = 0; k < n; k++) {
    r -= p[order[k]!]!;
    if (r < 0) return order[k]!;
  }
  return order[n - 1]!;
}

/** Mix a point mass on `target` into a distribution: (1 - weight) * p + weight * onehot(target). */
export function steer(p: Float64Array, target: number, weight: number): Float64Array {
  for (let i = 0; i < p.length; i++) p[i] = (1 - weight) * p[i]! + (i === target ? weight : 0);
  return p;
}
