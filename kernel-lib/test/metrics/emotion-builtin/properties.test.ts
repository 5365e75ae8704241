import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmotuneError } from '../../../src/errors.js';
import type { MidiNote } from '../../../src/formats/types.js';
import { parseEmopiaLabels } from '../../../src/metrics/emotion-builtin/dataset.js';
import { computeFeatures, FEATURE_NAMES } from '../../../src/metrics/emotion-builtin/features.js';
import { parseClassifierModel } from '../../../src/metrics/emotion-builtin/model.js';
import { score, TPB } from './helpers.js';

const noteArb: fc.Arbitrary<MidiNote> = fc
  .record({
    pitch: fc.integer({ min: 21, max: 96 }),
    velocity: fc.integer({ min: 1, max: 127 }),
    start: fc.integer({ min: 0, max: 64 * TPB }),
    length: fc.integer({ min: 0, max: 8 * TPB }),
  })
  .map(({ pitch, velocity, start, length }) => ({ pitch, velocity, start, end: start + length, channel: 0, track: 0 }));
const notesArb = fc.array(noteArb, { minLength: 1, maxLength: 60 });

/** Features that depend only on pitch classes, so an octave transposition leaves them as they are. */
const PITCH_CLASS_FEATURES = [
  'pc_entropy',
  'major_minor',
  'key_clarity',
  'minor_chord_share',
  'dissonance',
  'chord_major',
  'chord_minor',
  'chord_diminished',
  'chord_dominant7',
  'chord_change_rate',
  'chord_fit',
  'chord_on_tonic',
  'chord_on_dominant',
  'key_third_minor',
  'key_outside',
  'melody_tonic',
  'melody_outside',
] as const;

describe('emotion feature properties', () => {
  it('gives finite numbers for any non-empty score', () => {
    fc.assert(
      fc.property(notesArb, (notes) => {
        const f = computeFeatures(score(notes));
        for (const name of FEATURE_NAMES) expect(Number.isFinite(f[name]), name).toBe(true);
        expect(f.notes_per_second).toBeGreaterThan(0);
        expect(f.polyphony).toBeGreaterThanOrEqual(1 - 1e-9);
      }),
    );
  });

  it('does not change when the music starts two beats later (constant tempo)', () => {
    fc.assert(
      fc.property(notesArb, (notes) => {
        const a = computeFeatures(score(notes));
        const b = computeFeatures(score(notes.map((n) => ({ ...n, start: n.start + 2 * TPB, end: n.end + 2 * TPB }))));
        for (const name of FEATURE_NAMES) expect(b[name], name).toBeCloseTo(a[name], 9);
      }),
      // Unseeded on purpose: times are whole microseconds, so no rounding can flip a tie (two 1-tick notes
      // 30 bars apart once moved the key, and chord_on_dominant with it) or a threshold (short_ioi_share).
      { numRuns: 300 },
    );
  });

  it('keeps pitch-class features and moves register features by 12 under an octave transposition', () => {
    fc.assert(
      fc.property(notesArb, (notes) => {
        const a = computeFeatures(score(notes));
        const b = computeFeatures(score(notes.map((n) => ({ ...n, pitch: n.pitch + 12 }))));
        for (const name of PITCH_CLASS_FEATURES) expect(b[name], name).toBeCloseTo(a[name], 9);
        expect(b.pitch_mean).toBeCloseTo(a.pitch_mean + 12, 9);
        expect(b.bass_register).toBeCloseTo(a.bass_register + 12, 9);
        expect(b.velocity_mean).toBe(a.velocity_mean);
      }),
    );
  });
});

describe('parser robustness', () => {
  it('parseClassifierModel returns a model or throws an EmotuneError for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        try {
          parseClassifierModel(v, 'm.json');
        } catch (e) {
          expect(e).toBeInstanceOf(EmotuneError);
        }
      }),
    );
  });

  it('parseEmopiaLabels returns clips or throws an EmotuneError for any text', () => {
    const line = fc
      .array(fc.constantFrom('midis/a.mid', 'Q1', 'Q4', 'Q9', 'val', 'train', '', 'x'), { maxLength: 4 })
      .map((c) => c.join(','));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 6 }), fc.boolean(), (lines, header) => {
        const text = [...(header ? ['file,quadrant,split'] : []), ...lines].join('\n');
        try {
          for (const c of parseEmopiaLabels(text, 'labels.csv')) expect([1, 2, 3, 4]).toContain(c.quadrant);
        } catch (e) {
          expect(e).toBeInstanceOf(EmotuneError);
        }
      }),
    );
  });
});
