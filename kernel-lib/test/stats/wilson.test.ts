import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../../src/stats/interval.js';
import { wilsonInterval } from '../../src/stats/wilson.js';

// Reference values: Wilson score interval without continuity correction, z = qnorm(0.975), as printed
// by R's binom::binom.wilson / prop.test(correct = FALSE) and tabulated by Brown, Cai & DasGupta (2001).
describe('wilsonInterval', () => {
  it('gives [0, 0.2775] for 0 of 10 (defined at zero successes, unlike Wald)', () => {
    const w = wilsonInterval(0, 10);
    expect(w.estimate).toBe(0);
    expect(w.lower).toBe(0);
    expect(w.upper).toBeCloseTo(0.2775328, 6);
  });
  it('gives [0.7225, 1] for 10 of 10', () => {
    const w = wilsonInterval(10, 10);
    expect(w.lower).toBeCloseTo(0.7224672, 6);
    expect(w.upper).toBe(1);
  });
  it('gives [0.2366, 0.7634] for 5 of 10', () => {
    const w = wilsonInterval(5, 10);
    expect(w.lower).toBeCloseTo(0.2365931, 6);
    expect(w.upper).toBeCloseTo(0.7634069, 6);
  });
  it('gives [0.0179, 0.4042] for 1 of 10', () => {
    const w = wilsonInterval(1, 10);
    expect(w.lower).toBeCloseTo(0.0178762, 6);
    expect(w.upper).toBeCloseTo(0.40415, 5);
  });
  it('narrows with a lower confidence level', () => {
    expect(wilsonInterval(5, 10, 0.9).upper).toBeLessThan(wilsonInterval(5, 10, 0.95).upper);
  });
  it('returns NaN bounds when nothing was measured (n = 0)', () => {
    const w = wilsonInterval(0, 0);
    expect(Number.isNaN(w.estimate) && Number.isNaN(w.lower) && Number.isNaN(w.upper)).toBe(true);
  });
  it('rejects successes above n or non-integers', () => {
    expect(() => wilsonInterval(11, 10)).toThrow(RangeError);
    expect(() => wilsonInterval(0.5, 10)).toThrow(RangeError);
  });
});

describe('normalQuantile', () => {
  it('matches the standard normal quantiles 1.959964 (0.975) and -2.326348 (0.01)', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963985, 8);
    expect(normalQuantile(0.01)).toBeCloseTo(-2.326347874, 8);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 12);
  });
});
