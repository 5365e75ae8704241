import { describe, expect, it } from 'vitest';
import { clusterBootstrapRatio } from '../../src/stats/cluster-bootstrap.js';
import { wilsonInterval } from '../../src/stats/wilson.js';
import { mulberry32 } from '../../src/stats/prng.js';

const width = (i: { lower: number; upper: number }) => i.upper - i.lower;

/** 40 songs of 200 steps; each song's steps match with the song's own rate. */
function songs(rateOf: (song: number) => number): { matches: number[]; steps: number[] } {
  const next = mulberry32(7);
  const matches: number[] = [];
  const steps: number[] = [];
  for (let s = 0; s < 40; s++) {
    const rate = rateOf(s);
    let m = 0;
    for (let t = 0; t < 200; t++) if (next() < rate) m++;
    matches.push(m);
    steps.push(200);
  }
  return { matches, steps };
}

describe('clusterBootstrapRatio (songs as the unit)', () => {
  it('is the pooled ratio, reproducible for a seed', () => {
    const a = clusterBootstrapRatio([3, 5, 2], [10, 10, 5], { seed: 3 });
    expect(a.estimate).toBeCloseTo(10 / 25, 14);
    expect(a).toMatchObject({ n: 3, method: 'cluster-bootstrap' });
    expect(clusterBootstrapRatio([3, 5, 2], [10, 10, 5], { seed: 3 })).toEqual(a);
  });
  it('widens when songs are internally correlated (same pooled rate, song rates 0.2 or 0.8)', () => {
    const independent = songs(() => 0.5);
    const correlated = songs((s) => (s % 2 ? 0.8 : 0.2));
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    const ci = clusterBootstrapRatio(independent.matches, independent.steps, { seed: 1 });
    const cc = clusterBootstrapRatio(correlated.matches, correlated.steps, { seed: 1 });
    const wc = wilsonInterval(sum(correlated.matches), sum(correlated.steps));
    expect(cc.estimate).toBeCloseTo(0.5, 1);
    // Independent steps: the song-level interval agrees with the step-level Wilson interval.
    expect(width(ci) / width(wilsonInterval(sum(independent.matches), sum(independent.steps)))).toBeGreaterThan(0.7);
    expect(width(ci) / width(wilsonInterval(sum(independent.matches), sum(independent.steps)))).toBeLessThan(1.4);
    // Correlated steps: pooling steps as independent (Wilson) is several times too narrow.
    expect(width(cc)).toBeGreaterThan(3 * width(ci));
    expect(width(cc)).toBeGreaterThan(3 * width(wc));
  });
  it('gives no interval for fewer than two songs and drops songs without steps', () => {
    const one = clusterBootstrapRatio([7, 0], [10, 0]);
    expect(one.estimate).toBeCloseTo(0.7, 14);
    expect(one.lower).toBeNaN();
    expect(one.n).toBe(1);
    expect(clusterBootstrapRatio([], []).estimate).toBeNaN();
  });
});

describe('clusterBootstrapRatio keeps its figures exactly (cached draws, selected quantiles)', () => {
  /** The bootstrap as first written: the generator drawn afresh, every statistic sorted. */
  function drawnAndSorted(num: number[], den: number[], seed: number, resamples: number) {
    const next = mulberry32(seed);
    const k = num.length;
    const stats = new Float64Array(resamples);
    for (let r = 0; r < resamples; r++) {
      let a = 0;
      let b = 0;
      for (let i = 0; i < k; i++) {
        const j = Math.min(k - 1, Math.floor(next() * k));
        a += num[j]!;
        b += den[j]!;
      }
      stats[r] = a / b;
    }
    stats.sort();
    const at = (q: number) => {
      const pos = (resamples - 1) * q;
      const lo = Math.floor(pos);
      const hi = Math.ceil(pos);
      return stats[lo]! + (stats[hi]! - stats[lo]!) * (pos - lo);
    };
    const alpha = (1 - 0.95) / 2; // as the bootstrap computes it from the confidence
    return [at(alpha), at(1 - alpha)];
  }
  it('has the bounds the drawn-and-sorted bootstrap had, bit for bit', () => {
    const next = mulberry32(11);
    for (const k of [2, 3, 8, 48]) {
      for (let trial = 0; trial < 5; trial++) {
        const num = Array.from({ length: k }, () => Math.floor(next() * 30) / 7);
        const den = Array.from({ length: k }, () => 1 + Math.floor(next() * 3));
        const got = clusterBootstrapRatio(num, den, { seed: trial });
        const [lower, upper] = drawnAndSorted(num, den, trial, 2000);
        expect([got.lower, got.upper]).toEqual([lower, upper]);
      }
    }
  });
});
