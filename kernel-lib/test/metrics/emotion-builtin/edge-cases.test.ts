import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MidiNote } from '../../../src/formats/types.js';
import { quantiseToCpGrid, withConstantVelocity } from '../../../src/metrics/emotion-builtin/augment.js';
import { calibration, calibrationNull, fitTemperature } from '../../../src/metrics/emotion-builtin/calibration.js';
import { mulberry32 } from '../../../src/prng.js';
import { classifyMidi } from '../../../src/metrics/emotion-builtin/classify.js';
import { computeFeatures, FEATURE_NAMES } from '../../../src/metrics/emotion-builtin/features.js';
import { gbtScores, trainGbt } from '../../../src/metrics/emotion-builtin/gbt.js';
import { windowHistograms } from '../../../src/metrics/emotion-builtin/harmony.js';
import { loadClassifier } from '../../../src/metrics/edge/classifier-file.js';
import { outOfRangeFeatures } from '../../../src/metrics/emotion-builtin/ranges.js';
import { softmax } from '../../../src/metrics/emotion-builtin/softmax-regression.js';
import { note, score, TPB } from './helpers.js';

const finite = (f: Record<string, number>) => FEATURE_NAMES.filter((n) => !Number.isFinite(f[n]));

function expectValidPrediction(notes: MidiNote[]) {
  const r = classifyMidi(score(notes), loadClassifier());
  expect(finite(r.features)).toEqual([]);
  expect(r.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  for (const p of r.probabilities) expect(p).toBeGreaterThan(0);
  return r;
}

describe('classifier on edge-case scores', () => {
  it('classifies a single note', () => {
    const r = expectValidPrediction([note(60, 0, 1)]);
    expect(r.features.chord_size).toBe(1);
    expect(r.features.interval_mean).toBe(0);
  });

  it('classifies a score whose notes all have one velocity, with zero velocity spread', () => {
    const notes = Array.from({ length: 32 }, (_, i) => note(60 + ((i * 5) % 12), i / 2, 0.5, 64));
    const r = expectValidPrediction(notes);
    expect(r.features.velocity_std).toBe(0);
    expect(r.features.velocity_range).toBe(0);
  });

  it('handles notes lasting for hours with far-apart starts (once a "Map maximum size exceeded" crash)', () => {
    // Two notes of 2^31 ticks, a billion ticks apart: a per-window loop would visit millions of windows.
    const notes: MidiNote[] = [
      { pitch: 60, velocity: 80, start: 0, end: 2 ** 31, channel: 0, track: 0 },
      { pitch: 64, velocity: 80, start: 1e9, end: 1e9 + 2 ** 31, channel: 0, track: 0 },
      { pitch: 67, velocity: 80, start: 1e9, end: 1e9 + TPB, channel: 0, track: 0 },
    ];
    expectValidPrediction(notes);
    expect(windowHistograms(notes, TPB)).toHaveLength(2);
  });

  it('computes the features of a huge score (100,000 notes, many sustained)', () => {
    const notes = Array.from({ length: 100_000 }, (_, i) =>
      note(36 + ((i * 7) % 48), i / 8, i % 10 === 0 ? 64 : 0.25, 30 + (i % 90)),
    );
    expect(finite(computeFeatures(score(notes)))).toEqual([]);
  });
});

/** The beat-window histogram the straightforward way: every window from first to last, every note. */
function bruteForce(notes: readonly MidiNote[], w: number): number[][] {
  const starts = [...new Set(notes.map((n) => Math.floor(n.start / w)))].sort((a, b) => a - b);
  return starts.map((win) => {
    const h = new Array<number>(12).fill(0);
    for (const n of notes) {
      const end = Math.max(n.end, n.start + 1);
      const overlap = Math.min(end, (win + 1) * w) - Math.max(n.start, win * w);
      if (overlap > 0) h[n.pitch % 12]! += overlap;
    }
    return h;
  });
}

describe('beat-window histograms', () => {
  it('equal the window-by-window computation for any notes', () => {
    const noteArb = fc
      .record({
        pitch: fc.integer({ min: 21, max: 108 }),
        start: fc.integer({ min: 0, max: 40 * TPB }),
        length: fc.integer({ min: 0, max: 12 * TPB }),
      })
      .map(({ pitch, start, length }): MidiNote => ({
        pitch,
        velocity: 64,
        start,
        end: start + length,
        channel: 0,
        track: 0,
      }));
    fc.assert(
      fc.property(fc.array(noteArb, { minLength: 1, maxLength: 40 }), (notes) => {
        expect(windowHistograms(notes, TPB)).toEqual(bruteForce(notes, TPB));
      }),
    );
  });
});

describe('generated-music variants', () => {
  it('sets every velocity and nothing else', () => {
    const s = score([note(60, 0, 1, 20), note(64, 1, 1, 120)]);
    const v = withConstantVelocity(s, 64);
    expect(v.notes.map((n) => n.velocity)).toEqual([64, 64]);
    expect(v.notes.map((n) => [n.pitch, n.start, n.end])).toEqual(s.notes.map((n) => [n.pitch, n.start, n.end]));
  });

  it('puts starts and durations on the CP grid (120 ticks, durations capped at a bar, zero written as 60)', () => {
    const s = { ...score([note(60, 0.1, 0.4), note(62, 1.02, 9), note(64, 2, 0.05)]), ticksPerBeat: TPB };
    const q = quantiseToCpGrid(s);
    expect(q.ticksPerBeat).toBe(480);
    expect(q.notes.map((n) => n.start)).toEqual([0, 480, 960]);
    expect(q.notes.map((n) => n.end - n.start)).toEqual([240, 1920, 60]);
  });

  it('rescales another resolution to 480 ticks a beat', () => {
    const s = {
      ...score([]),
      ticksPerBeat: 96,
      notes: [{ pitch: 60, velocity: 80, start: 96, end: 144, channel: 0, track: 0 }],
    };
    expect(quantiseToCpGrid(s).notes[0]).toMatchObject({ start: 480, end: 720 });
  });
});

describe('out-of-range flags', () => {
  it('lists the features outside their training range, with the range', () => {
    const ranges: Record<string, [number, number]> = { a: [0, 1], b: [10, 20], c: [-1, 1] };
    expect(outOfRangeFeatures(ranges, { a: 0.5, b: 25, c: -1, d: 99 })).toEqual([
      { feature: 'b', value: 25, lo: 10, hi: 20 },
    ]);
    // A feature that could not be computed (NaN) has no value to compare: it is not reported as out of range.
    expect(outOfRangeFeatures(ranges, { a: Number.NaN })).toEqual([]);
  });

  it("flags a clip far outside the committed model's training data", () => {
    const r = classifyMidi(score([note(127, 0, 1, 127)]), loadClassifier());
    expect(r.outOfRange.map((o) => o.feature)).toContain('pitch_mean');
  });
});

describe('calibration', () => {
  it('fits a temperature above 1 for overconfident logits and below 1 for underconfident ones', () => {
    // Right 70% of the time: logits claiming ~99% are overconfident, ones claiming ~30% underconfident.
    const labels = Array.from({ length: 100 }, (_, i) => (i % 10 < 7 ? 0 : 1));
    const rows = (s: number) => labels.map(() => [s, 0, 0, 0]);
    expect(fitTemperature(rows(6), labels)).toBeGreaterThan(1.5);
    expect(fitTemperature(rows(0.3), labels)).toBeLessThan(0.8);
  });

  it('measures zero calibration error when confidence equals accuracy', () => {
    const probs = Array.from({ length: 10 }, () => [0.7, 0.1, 0.1, 0.1]);
    const labels = [0, 0, 0, 0, 0, 0, 0, 1, 2, 3];
    expect(calibration(probs, labels).ece).toBeCloseTo(0, 12);
    expect(calibration(probs, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]).ece).toBeCloseTo(0.7, 12);
  });

  // Confidences spread over 0.3..0.95, labels drawn from them: a perfectly calibrated model.
  const calibratedSet = (n: number, seed: number) => {
    const next = mulberry32(seed);
    const probs = Array.from({ length: n }, () => {
      const top = 0.3 + 0.65 * next();
      return [top, (1 - top) / 3, (1 - top) / 3, (1 - top) / 3];
    });
    const labels = probs.map((p) => (next() < p[0]! ? 0 : 1 + Math.floor(3 * next())));
    return { probs, labels };
  };

  it('puts the ECE of a perfectly calibrated model inside its reference range, and a miscalibrated one far outside', () => {
    const { probs, labels } = calibratedSet(200, 7);
    const observed = calibration(probs, labels).ece;
    const fair = calibrationNull(probs, observed);
    expect(fair.lower).toBeLessThanOrEqual(observed);
    expect(observed).toBeLessThanOrEqual(fair.upper);
    expect(fair.atLeastObserved).toBeGreaterThan(0.025);
    // The same confidences, but only a third of the predictions right: overconfident.
    const wrong = labels.map((l, i) => (i % 3 === 0 ? 0 : 1));
    const off = calibrationNull(probs, calibration(probs, wrong).ece);
    expect(off.atLeastObserved).toBe(0);
  });

  it('expects a larger ECE from a perfectly calibrated model on a small set than on a large one', () => {
    const small = calibrationNull(calibratedSet(200, 1).probs, 0);
    const large = calibrationNull(calibratedSet(5000, 1).probs, 0);
    expect(small.median).toBeGreaterThan(0.04); // ~200 clips: the noise alone is near the usual .05 target
    expect(large.median).toBeLessThan(0.02);
    expect(small.atMostTarget).toBeLessThan(large.atMostTarget);
    expect(large.atMostTarget).toBe(1);
  });

  it('gives the same reference for the same seed, another for another seed', () => {
    const { probs } = calibratedSet(100, 3);
    expect(calibrationNull(probs, 0.05)).toEqual(calibrationNull(probs, 0.05));
    expect(calibrationNull(probs, 0.05, { seed: 1 }).median).not.toBe(calibrationNull(probs, 0.05, { seed: 2 }).median);
  });
});

describe('gradient-boosted trees', () => {
  it('learn an interaction a linear model cannot (XOR), the same way twice', () => {
    const X: number[][] = [];
    const y: number[] = [];
    for (let i = 0; i < 200; i++) {
      const a = (i * 37) % 100;
      const b = (i * 61) % 100;
      X.push([a, b]);
      y.push(a < 50 !== b < 50 ? 1 : 0);
    }
    const opts = { rounds: 40, learningRate: 0.3, maxDepth: 2, lambda: 1, minChildWeight: 1, maxBins: 16 };
    const m = trainGbt(X, y, 2, opts);
    const right = X.filter(
      (x, i) => softmax(gbtScores(m, x)).indexOf(Math.max(...softmax(gbtScores(m, x)))) === y[i],
    ).length;
    expect(right / X.length).toBeGreaterThan(0.95);
    expect(trainGbt(X, y, 2, opts)).toEqual(m);
  });
});
