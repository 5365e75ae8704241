import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transposedVariant, transposeScore } from '../../../src/metrics/emotion-builtin/augment.js';
import type { LabelledFeatures } from '../../../src/metrics/emotion-builtin/dataset.js';
import { computeFeatures } from '../../../src/metrics/emotion-builtin/features.js';
import { trainClassifier } from '../../../src/metrics/emotion-builtin/train.js';
import { note, score } from './helpers.js';

describe('transposition variant', () => {
  it('moves every pitched note by the interval and keeps timing, velocity, channel and track', () => {
    const s = score([note(60, 0, 1, 30), note(64, 1, 2, 90, 3)]);
    const t = transposeScore(s, 3);
    expect(t.notes.map((n) => n.pitch)).toEqual([63, 67]);
    expect(t.notes.map(({ pitch: _p, ...rest }) => rest)).toEqual(s.notes.map(({ pitch: _p, ...rest }) => rest));
    expect(transposeScore(s, -2).notes.map((n) => n.pitch)).toEqual([58, 62]);
    expect(t.ticksPerBeat).toBe(s.ticksPerBeat);
    expect(t.maxTick).toBe(s.maxTick);
  });

  it('drops notes pushed below 0 or above 127 instead of clamping them onto a wrong pitch class', () => {
    const s = score([note(0, 0, 1), note(60, 0, 1), note(127, 0, 1)]);
    expect(transposeScore(s, 1).notes.map((n) => n.pitch)).toEqual([1, 61]);
    expect(transposeScore(s, -1).notes.map((n) => n.pitch)).toEqual([59, 126]);
    expect(transposeScore(s, 0).notes.map((n) => n.pitch)).toEqual([0, 60, 127]);
  });

  it('leaves drum-channel notes (channel 10, index 9) where they are, and keeps the notes sorted', () => {
    const s = score([note(36, 0, 1, 80, 9), note(35, 0, 1), note(42, 1, 1, 80, 9)]);
    const t = transposeScore(s, 5);
    expect(t.notes.map((n) => [n.channel, n.pitch])).toEqual([
      [9, 36],
      [0, 40],
      [9, 42],
    ]);
    // A drum at pitch 127 stays even when pitched notes would leave the range.
    expect(transposeScore(score([note(127, 0, 1, 80, 9)]), 4).notes.map((n) => n.pitch)).toEqual([127]);
  });

  it('returns an empty score for an empty score', () => {
    const t = transposeScore(score([]), 2);
    expect(t.notes).toEqual([]);
    expect(t.maxTick).toBe(0);
  });

  it('moves key signatures round the circle of fifths (C major up 2 = D major, 2 sharps)', () => {
    const s = { ...score([note(60, 0, 1)]), keySignatures: [{ tick: 0, key: 0, scale: 0 }] };
    expect(transposeScore(s, 2).keySignatures).toEqual([{ tick: 0, key: 2, scale: 0 }]);
    expect(transposeScore(s, 1).keySignatures).toEqual([{ tick: 0, key: -5, scale: 0 }]);
    expect(transposeScore(s, -1).keySignatures).toEqual([{ tick: 0, key: 5, scale: 0 }]);
  });

  it('refuses a fractional interval', () => {
    expect(() => transposeScore(score([note(60, 0, 1)]), 0.5)).toThrow(/whole semitones/);
  });

  it('names the variant by its signed interval', () => {
    expect(transposedVariant(2).name).toBe('transpose +2');
    expect(transposedVariant(-3).name).toBe('transpose -3');
    expect(transposedVariant(-3).apply(score([note(60, 0, 1)])).notes[0]!.pitch).toBe(57);
  });

  it('up then down gives the score back when no note leaves the range', () => {
    const pitched = fc.record({
      pitch: fc.integer({ min: 12, max: 115 }),
      start: fc.integer({ min: 0, max: 4000 }),
      length: fc.integer({ min: 0, max: 2000 }),
      channel: fc.integer({ min: 0, max: 15 }),
    });
    fc.assert(
      fc.property(fc.array(pitched, { maxLength: 30 }), fc.integer({ min: -12, max: 12 }), (rows, k) => {
        const s = score(
          rows.map((r) => ({
            pitch: r.pitch,
            velocity: 64,
            start: r.start,
            end: r.start + r.length,
            channel: r.channel,
            track: 0,
          })),
        );
        expect(transposeScore(transposeScore(s, k), -k)).toEqual(s);
      }),
    );
  });
});

describe('training with extra augmentation copies', { timeout: 60_000 }, () => {
  // Two clips per quadrant, each carrying a copy a whole tone up.
  const clips: LabelledFeatures[] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => {
    const q = ((i % 4) + 1) as 1 | 2 | 3 | 4;
    const base = 48 + 3 * i;
    const s = score([
      note(base, 0, 1, 40 + 10 * i),
      note(base + 4, 1, 0.5),
      note(base + 7, 2, 2),
      note(base + 12, 3, 1),
    ]);
    const up = transposedVariant(2);
    return {
      file: `clip-${i}.mid`,
      quadrant: q,
      songId: `song-${i}`,
      features: computeFeatures(s),
      variants: { [up.name]: computeFeatures(up.apply(s)) },
    };
  });
  const highestPitchMean = Math.max(...clips.map((c) => c.features.pitch_mean));

  it('learns from the named copies only when asked (the default learns from TRAIN_AUGMENTATIONS only)', () => {
    const plain = trainClassifier(clips, { kind: 'multinomial', folds: 2 });
    expect(plain.training.augmentations).toEqual([]);
    expect(plain.feature_ranges.pitch_mean![1]).toBe(highestPitchMean);

    const withCopies = trainClassifier(clips, { kind: 'multinomial', folds: 2, augmentations: ['transpose +2'] });
    expect(withCopies.training.augmentations).toEqual(['transpose +2']);
    expect(withCopies.feature_ranges.pitch_mean![1]).toBeCloseTo(highestPitchMean + 2, 9);

    const off = trainClassifier(clips, {
      kind: 'multinomial',
      folds: 2,
      augment: false,
      augmentations: ['transpose +2'],
    });
    expect(off.training.augmentations).toEqual([]);
  });
});
