import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmotuneError } from '../../src/errors.js';
import { readMidi } from '../../src/formats/midi-read.js';
import { KEY_NAMES, formatKey, normaliseKeyName, parseKey } from '../../src/formats/key-names.js';
import { detectKeyFromHistogram, detectKeyReference, keyScore } from '../../src/metrics/key-reference.js';
import { pitchClassHistogram } from '../../src/metrics/pitch-histogram.js';

const note = (pitch: number, start: number, end: number) => ({ pitch, start, end });

describe("the reference notebook's key method", () => {
  it('tests 24 keys, tonics C..B with sharps, major before minor', () => {
    expect(KEY_NAMES.length).toBe(24);
    expect(KEY_NAMES.slice(0, 4)).toEqual(['C:maj', 'C:min', 'C#:maj', 'C#:min']);
    expect(KEY_NAMES[23]).toBe('B:min');
  });

  it('weights notes by max(1, end - start) ticks and normalises to sum 1', () => {
    const h = pitchClassHistogram([note(60, 0, 300), note(72, 0, 100), note(61, 5, 5), note(62, 10, 9)]);
    expect(h[0]).toBeCloseTo(400 / 402, 15);
    expect(h[1]).toBeCloseTo(1 / 402, 15);
    expect(h[2]).toBeCloseTo(1 / 402, 15);
    expect(h.reduce((a, b) => a + b)).toBeCloseTo(1, 15);
  });

  it('keeps the first key on ties: an empty song is C:maj with score 0', () => {
    const d = detectKeyReference([]);
    expect(d.key).toBe('C:maj');
    expect(d.score).toBe(0);
    expect(new Set(Object.values(d.scores))).toEqual(new Set([0]));
  });

  it('picks the first maximum in test order (strictly greater wins) on random histograms', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(1000), { minLength: 12, maxLength: 12 }), (w) => {
        const total = w.reduce((a, b) => a + b, 0);
        const h = total > 0 ? w.map((x) => x / total) : w;
        const d = detectKeyFromHistogram(h);
        const max = Math.max(...Object.values(d.scores));
        expect(d.key).toBe(KEY_NAMES.find((k) => d.scores[k] === max));
        expect(d.score).toBe(max);
      }),
    );
  });

  it('finds C major for a C major scale and A minor for an A minor triad with a leading tone', () => {
    const scale = [60, 62, 64, 65, 67, 69, 71].map((p, i) =>
      note(p, i * 480, i * 480 + (p === 60 || p === 67 ? 960 : 480)),
    );
    expect(detectKeyReference(scale).key).toBe('C:maj');
    const aMinor = [note(57, 0, 1920), note(60, 0, 960), note(64, 0, 1920), note(68, 960, 1200), note(57, 1920, 3840)];
    expect(detectKeyReference(aMinor).key).toBe('A:min');
  });

  it('moves the key with the music: transposing by k semitones moves the tonic by k', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 24, max: 100 }), fc.nat(2000), fc.nat(2000)), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.nat(11),
        (ns, k) => {
          const notes = ns.map(([p, s, l]) => note(p, s, s + l));
          const a = detectKeyReference(notes);
          const b = detectKeyReference(notes.map((n) => ({ ...n, pitch: n.pitch + k })));
          const shifted = parseKey(a.key);
          expect(b.scores[formatKey({ tonic: (shifted.tonic + k) % 12, mode: shifted.mode })]).toBeCloseTo(a.score, 12);
        },
      ),
    );
  });

  it('scores an expected key given with flats or sharps alike', () => {
    const h = pitchClassHistogram([note(70, 0, 480), note(62, 0, 480), note(65, 0, 960)]);
    expect(keyScore(h, 'Bb:maj')).toBe(keyScore(h, 'A#:maj'));
    expect(keyScore(h, 'Bb:maj')).toBe(detectKeyFromHistogram(h).scores['A#:maj']);
    expect(normaliseKeyName('Eb:min')).toBe('D#:min');
    expect(normaliseKeyName('Cb:maj')).toBe('B:maj');
    expect(normaliseKeyName('E#:maj')).toBe('F:maj');
  });

  it('rejects a bad key name with an EmotuneError naming it', () => {
    expect(() => keyScore(new Array(12).fill(1 / 12), 'H:maj')).toThrow(EmotuneError);
    expect(() => parseKey('A:dorian')).toThrow(/"A:dorian"/);
  });

  // Reference figures from bench/python-baseline/reference_key.py (numpy + mido, pretty_midi's note pairing):
  //   /usr/bin/python3 bench/python-baseline/reference_key.py --expected A:min
  // kernel-lib/test/fixtures/midi/small-piano.mid
  it('gives the Python baseline key and scores on a real EMOPIA piano file', async () => {
    const score = await readMidi(fileURLToPath(new URL('../fixtures/midi/small-piano.mid', import.meta.url)));
    const d = detectKeyReference(score.notes);
    expect(d.key).toBe('C:maj');
    expect(d.score).toBeCloseTo(0.7560421992783043, 12);
    expect(keyScore(d.histogram, 'A:min')).toBeCloseTo(0.6382790933333167, 12);
    expect(keyScore(d.histogram, 'Bb:maj')).toBeCloseTo(0.6137656540546469, 12);
  });
});
