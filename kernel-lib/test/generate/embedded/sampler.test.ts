import { describe, expect, it } from 'vitest';
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
