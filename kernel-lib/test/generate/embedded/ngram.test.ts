import { describe, expect, it } from 'vitest';
import { BackoffTable } from '../../../src/generate/embedded/ngram.js';

/** Witten-Bell interpolation straight from the counts (the formula the table's cached layout must keep). */
function reference(table: BackoffTable, contexts: string[], support: number[], backoff: number): number[] {
  let p = support.map(() => 1 / support.length);
  for (let i = contexts.length - 1; i >= 0; i--) {
    const row = table.levels[i]!.get(contexts[i]!);
    if (!row) continue;
    const t = backoff * row.counts.size;
    p = support.map((v, k) => ((row.counts.get(v) ?? 0) + t * p[k]!) / (row.n + t));
  }
  return p;
}

describe('BackoffTable.distribution', () => {
  it('is the interpolation of the current counts, after more counts are added and for another support', () => {
    const table = new BackoffTable(2);
    table.add(['a|1', 'a'], 3, 2);
    table.add(['a|1', 'a'], 5);
    table.add(['b|1', 'a'], 7);
    const support = [3, 5, 7, 9];
    const ctx = ['a|1', 'a'];
    expect([...table.distribution(ctx, support, 2)]).toEqual(reference(table, ctx, support, 2));
    table.add(['a|1', 'a'], 9, 4); // a count added after a distribution was asked for
    expect([...table.distribution(ctx, support, 2)]).toEqual(reference(table, ctx, support, 2));
    const other = [9, 3];
    expect([...table.distribution(ctx, other, 1)]).toEqual(reference(table, ctx, other, 1));
    expect([...table.distribution(ctx, support, 2)]).toEqual(reference(table, ctx, support, 2));
  });
});
