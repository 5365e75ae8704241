import { expect } from 'vitest';
import type { ResultRow } from '../../src/aggregate/rows.js';

/** The reference notebook's grouping key of a row: (model, mode, emotion, key, subset). */
export function rowKey(r: ResultRow): string {
  return JSON.stringify([r.model, r.mode, r.emotion, r.key ?? null, r.subset]);
}

/** Rows equal in any order: same groups, same fields, every figure within `tol`. */
export function expectSameRows(actual: ResultRow[], expected: ResultRow[], tol = 1e-9): void {
  const byKey = new Map(actual.map((r) => [rowKey(r), r]));
  expect(byKey.size).toBe(actual.length);
  expect([...byKey.keys()].sort()).toEqual(expected.map(rowKey).sort());
  for (const want of expected) {
    const got = byKey.get(rowKey(want))!;
    expect(Object.keys(got).sort(), rowKey(want)).toEqual(Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) {
      if (typeof v === 'number' && k !== 'emotion')
        expect(Math.abs((got[k] as number) - v), `${rowKey(want)} ${k}`).toBeLessThanOrEqual(tol);
      else expect(got[k]).toEqual(v);
    }
  }
}
