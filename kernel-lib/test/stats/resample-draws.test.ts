import { describe, expect, it } from 'vitest';
import { mulberry32, randomIndex } from '../../src/stats/prng.js';
import { resampleDraws } from '../../src/stats/resample-draws.js';

/** Rows of indices drawn straight from the generator, as the bootstraps drew them before the cache. */
function directRows(seed: number, n: number, rows: number): number[][] {
  const next = mulberry32(seed);
  return Array.from({ length: rows }, () => Array.from({ length: n }, () => randomIndex(next, n)));
}

function rowsOf(seed: number, n: number, resamples: number, upTo = resamples): number[][] {
  const d = resampleDraws(seed, n, resamples);
  const out: number[][] = [];
  for (let r = 0; r < upTo; r++) {
    const at = d.row(r);
    out.push(Array.from(d.indices.subarray(at, at + n)));
  }
  return out;
}

describe('resampleDraws (one stream per seed, size and resample count)', () => {
  it('yields the generator stream row by row, the same when asked again (cached)', () => {
    expect(rowsOf(42, 7, 50)).toEqual(directRows(42, 7, 50));
    expect(rowsOf(42, 7, 50)).toEqual(directRows(42, 7, 50));
    expect(rowsOf(43, 7, 50)).not.toEqual(directRows(42, 7, 50));
  });
  it('draws a stream too large to keep row by row, with the same indices', () => {
    // 4001 x 2000 indices exceed the cache bound: streamed rows, overwritten as they go.
    expect(rowsOf(5, 4001, 2000, 3)).toEqual(directRows(5, 4001, 3));
  });
});
