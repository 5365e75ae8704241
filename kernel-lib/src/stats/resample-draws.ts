import { mulberry32, randomIndex } from './prng.js';

/*
 * The indices a seeded bootstrap draws, computed once per (seed, sample size, resamples). Every bootstrap of
 * one results file uses one seed, and most of its samples share a few sizes (songs per row, per mode), so the
 * same stream was drawn again for each figure; the resamples themselves (which values, in which order, summed
 * how) are unchanged, so intervals stay identical to drawing the stream afresh.
 */

/** Index entries kept (4 bytes each): bounds the memory; a larger stream is drawn row by row as before. */
const CACHE_ENTRIES = 8_000_000;
const cache = new Map<string, Int32Array>();
let cached = 0;

/** The draws of one bootstrap: resample r's n indices are `indices[row(r) .. row(r) + n)`. */
export interface ResampleDraws {
  indices: Int32Array;
  /** Where row r starts; rows are asked 0, 1, 2, ... in order (a streamed row is overwritten by the next). */
  row(r: number): number;
}

/**
 * `resamples` rows of `n` indices in [0, n): exactly the sequence `randomIndex(mulberry32(seed), n)` yields,
 * row after row. Cached streams are shared: callers must not write to `indices`.
 */
export function resampleDraws(seed: number, n: number, resamples: number): ResampleDraws {
  const size = n * resamples;
  if (size > CACHE_ENTRIES) {
    const next = mulberry32(seed);
    const indices = new Int32Array(n);
    return {
      indices,
      row() {
        for (let i = 0; i < n; i++) indices[i] = randomIndex(next, n);
        return 0;
      },
    };
  }
  const key = `${seed >>> 0} ${n} ${resamples}`;
  let indices = cache.get(key);
  if (!indices) {
    indices = new Int32Array(size);
    const next = mulberry32(seed);
    for (let i = 0; i < size; i++) indices[i] = randomIndex(next, n);
    if (cached + size > CACHE_ENTRIES) {
      cache.clear();
      cached = 0;
    }
    cache.set(key, indices);
    cached += size;
  }
  return { indices, row: (r) => r * n };
}

/**
 * Forgets the cached draws: gives the memory back, and lets a benchmark time an analysis as a fresh process
 * runs it (drawing its streams) rather than reusing an earlier analysis's. Results are the same either way.
 */
export function forgetResampleDraws(): void {
  cache.clear();
  cached = 0;
}
