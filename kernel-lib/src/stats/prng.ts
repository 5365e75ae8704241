export { mulberry32 } from '../prng.js';

/** Uniform integer in [0, n). */
export function randomIndex(next: () => number, n: number): number {
  return Math.min(n - 1, Math.floor(next() * n));
}
