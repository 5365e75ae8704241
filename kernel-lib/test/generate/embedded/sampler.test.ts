import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { nucleusSample, seedFromText } from '../../../src/generate/embedded/sampler.js';
import { mulberry32 } from '../../../src/prng.js';

describe('sampler', () => {
  it('nucleus sampling draws only from the smallest top set reaching top_p, in proportion', () => {
    const p = [0.05, 0.5, 0.3, 0.15];
    const rand = mulberry32(1);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20000; i++) counts[nucleusSample(p, 0.9, rand)]!++;
    expect(counts[0]).toBe(0); // outside the nucleus {1, 2, 3}
    expect(counts[1]! / 20000).toBeCloseTo(0.5 / 0.95, 1);
    expect(counts[3]! / 20000).toBeCloseTo(0.15 / 0.95, 1);
    expect(nucleusSample([0.2, 0.6, 0.2], 0.1, mulberry32(5))).toBe(1);
  });

  it('is reproducible from a seed derived from text', () => {
    const draw = (s: number) =>
      Array.from(
        { length: 5 },
        (
          (r) => () =>
            r()
        )(mulberry32(s)),
      );
    expect(draw(seedFromText('a'))).toEqual(draw(seedFromText('a')));
    expect(draw(seedFromText('a'))).not.toEqual(draw(seedFromText('b')));
  });
});

/** The draw as first written: selection of the largest remaining value (lower index on ties) at every step. */
function selectionSample(p: number[], topP: number, rand: () => number): number {
  const order = p.map((_, i) => i);
  let mass = 0;
  let kept = 0;
  while (kept < p.length && (kept === 0 || mass < topP)) {
    let best = kept;
    for (let j = kept + 1; j < p.length; j++) {
      const a = p[order[j]!]!;
      const b = p[order[best]!]!;
      if (a > b || (a === b && order[j]! < order[best]!)) best = j;
    }
    if (kept > 0 && p[order[best]!]! <= 0) break;
    [order[kept], order[best]] = [order[best]!, order[kept]!];
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

describe('nucleus sampling from a heap', () => {
  it('draws what selection draws, ties and zeros included, for any distribution and top_p', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constantFrom(0, 0.1, 0.25), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 1,
          size: 'max',
          maxLength: 140,
        }),
        fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        (raw, topP, seed) => {
          const sum = raw.reduce((a, b) => a + b, 0) || 1;
          const p = raw.map((x) => x / sum);
          expect(nucleusSample(p, topP, mulberry32(seed))).toBe(selectionSample(p, topP, mulberry32(seed)));
        },
      ),
      { seed: 17, numRuns: 1000 },
    );
  });

  it('draws what selection draws when one call follows a longer one (its buffers are reused)', () => {
    const long = Array.from({ length: 300 }, (_, i) => (i % 7) / 900);
    const short = [0.1, 0.4, 0.1, 0.4];
    for (const p of [long, short, long])
      expect(nucleusSample(p, 0.9, mulberry32(3))).toBe(selectionSample(p, 0.9, mulberry32(3)));
  });

  it('rejects a NaN probability rather than drawing from an undefined order', () => {
    expect(() => nucleusSample([0.5, Number.NaN, 0.5], 0.9, mulberry32(1))).toThrow(/probability 1 is NaN/);
  });
});
