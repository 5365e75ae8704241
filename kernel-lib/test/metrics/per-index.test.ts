import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { perIndex } from '../../src/metrics/per-index.js';

describe('perIndex: a function of a vocabulary index, looked up once per index', () => {
  it('gives what the function gives, computing each small index once (undefined and null results included)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -3, max: 300 }), { maxLength: 200 }), (indices) => {
        const calls = new Map<number, number>();
        const f = (i: number) => {
          calls.set(i, (calls.get(i) ?? 0) + 1);
          return i % 3 === 0 ? undefined : i % 3 === 1 ? null : `#${i}`;
        };
        const g = perIndex(f);
        for (const i of indices) expect(g(i)).toBe(f(i));
        for (const [i, n] of calls) if (i >= 0) expect(n).toBe(1 + indices.filter((j) => j === i).length);
      }),
    );
  });

  it('computes values that are not small non-negative integers every time', () => {
    let calls = 0;
    const g = perIndex((i: number) => (calls++, i * 2));
    expect([g(1.5), g(1.5), g(-1), g(-1), g(1e9), g(1e9)]).toEqual([3, 3, -2, -2, 2e9, 2e9]);
    expect(calls).toBe(6);
  });
});
