import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectKeyFromHistogram as referenceDetect } from '../../../src/metrics/key-reference.js';
import {
  AARDEN_ESSEN,
  ALBRECHT_SHANAHAN,
  BELLMAN_BUDGE,
  KEY_METHODS,
  KEY_PROFILES,
  KRUMHANSL_KESSLER,
  TEMPERLEY_KOSTKA_PAYNE,
  cosineScore,
  detectKey,
  detectKeyByProfile,
  pearsonScore,
  rotateProfile,
  type KeyProfile,
} from '../../../src/metrics/key-methods/index.js';

// The published weights, typed again from the sources (see profiles.ts for citations), so an accidental
// edit of a constant fails here.
const PUBLISHED_BY_PROFILE: Array<[KeyProfile, number[], number[]]> = [
  [
    KRUMHANSL_KESSLER,
    [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88],
    [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17],
  ],
  [
    TEMPERLEY_KOSTKA_PAYNE,
    [0.748, 0.06, 0.488, 0.082, 0.67, 0.46, 0.096, 0.715, 0.104, 0.366, 0.057, 0.4],
    [0.712, 0.084, 0.474, 0.618, 0.049, 0.46, 0.105, 0.747, 0.404, 0.067, 0.133, 0.33],
  ],
  [
    AARDEN_ESSEN,
    [17.7661, 0.145624, 14.9265, 0.160186, 19.8049, 11.3587, 0.291248, 22.062, 0.145624, 8.15494, 0.232998, 4.95122],
    [18.2648, 0.737619, 14.0499, 16.8599, 0.702494, 14.4362, 0.702494, 18.6161, 4.56621, 1.93186, 7.37619, 1.75623],
  ],
  [
    BELLMAN_BUDGE,
    [16.8, 0.86, 12.95, 1.41, 13.49, 11.93, 1.25, 20.28, 1.8, 8.04, 0.62, 10.57],
    [18.16, 0.69, 12.99, 13.34, 1.07, 11.15, 1.38, 21.07, 7.49, 1.53, 0.92, 10.21],
  ],
  [
    ALBRECHT_SHANAHAN,
    [0.238, 0.006, 0.111, 0.006, 0.137, 0.094, 0.016, 0.214, 0.009, 0.08, 0.008, 0.081],
    [0.22, 0.006, 0.104, 0.123, 0.019, 0.103, 0.012, 0.214, 0.062, 0.022, 0.061, 0.052],
  ],
];
const PUBLISHED = PUBLISHED_BY_PROFILE.map(([p, maj, min]) => [p.label, p, maj, min] as const);

const note = (pitch: number, start: number, dur: number) => ({ pitch, start, end: start + dur });
// C major: tonic-heavy scale with a V-I cadence.
const C_MAJOR = [60, 62, 64, 65, 67, 69, 71, 72, 67, 64, 60, 55, 59, 62, 60].map((p, i) =>
  note(p, i * 480, p % 12 === 0 || p % 12 === 7 ? 960 : 480),
);
// A harmonic minor with the leading tone G#; tonic, minor third and dominant stressed.
const A_MINOR = [57, 59, 60, 62, 64, 65, 68, 69, 64, 60, 57, 52, 56, 59, 57].map((p, i) =>
  note(p, i * 480, p % 12 === 9 || p % 12 === 4 || p % 12 === 0 ? 960 : 480),
);

describe('key profiles', () => {
  it.each(PUBLISHED)('%s carries the published weights', (_, profile, major, minor) => {
    expect(profile.major).toEqual(major);
    expect(profile.minor).toEqual(minor);
    expect(profile.citation.length).toBeGreaterThan(10);
  });

  it('rotates a profile so the tonic weight sits on the tonic pitch class', () => {
    const r = rotateProfile(KRUMHANSL_KESSLER.major, 7); // G major
    expect(r[7]).toBe(6.35);
    expect(r[2]).toBe(5.19); // D is the fifth of G
    expect(r[6]).toBe(2.88); // F# is the leading tone (degree 11)
  });

  it.each(PUBLISHED)(
    '%s: cosine and Pearson of a one-hot G histogram against C major match the hand formula',
    (_, profile, major) => {
      const h = [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0];
      const norm = Math.sqrt(major.reduce((a, w) => a + w * w, 0));
      expect(cosineScore(h, rotateProfile(profile.major, 0))).toBeCloseTo(major[7]! / (norm + 1e-8), 10);
      // With one-hot h: sum((h-1/12)(p-mp)) = p7 - mp, sum((h-1/12)^2) = 11/12.
      const mp = major.reduce((a, w) => a + w, 0) / 12;
      const sp = major.reduce((a, w) => a + (w - mp) ** 2, 0);
      expect(pearsonScore(h, rotateProfile(profile.major, 0))).toBeCloseTo(
        (major[7]! - mp) / Math.sqrt((11 / 12) * sp),
        10,
      );
    },
  );

  it('pearsonScore is 0 for a flat histogram (music21 returns 0 when a variance is 0)', () => {
    expect(pearsonScore(new Array(12).fill(1 / 12), KRUMHANSL_KESSLER.major)).toBe(0);
  });

  it.each(KEY_METHODS.map((m) => [m.name, m] as const))(
    '%s finds C:maj and A:min in hand-made tonal passages',
    (_, m) => {
      expect(detectKey(C_MAJOR, { profile: m.profile, correlation: m.correlation }).key).toBe('C:maj');
      expect(detectKey(A_MINOR, { profile: m.profile, correlation: m.correlation }).key).toBe('A:min');
    },
  );

  it('is transposition-equivariant: shifting every pitch by t shifts the tonic by t', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 11 }),
        fc.constantFrom(...KEY_PROFILES),
        fc.constantFrom('cosine' as const, 'pearson' as const),
        (t, profile, correlation) => {
          const base = detectKey(C_MAJOR, { profile, correlation });
          const moved = detectKey(
            C_MAJOR.map((n) => ({ ...n, pitch: n.pitch + t })),
            { profile, correlation },
          );
          return moved.tonic === (base.tonic + t) % 12 && moved.mode === base.mode;
        },
      ),
    );
  });

  it('keeps the first best key on ties (C:maj before C:min for an all-zero histogram)', () => {
    expect(detectKeyByProfile(new Array(12).fill(0), { correlation: 'pearson' }).key).toBe('C:maj');
  });

  it("kk-cosine is the reference notebook's detector: same key and score as metrics/key-reference.ts on any histogram", () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 1000 }), { minLength: 12, maxLength: 12 }), (counts) => {
        const total = counts.reduce((a, b) => a + b, 0);
        const h = total > 0 ? counts.map((c) => c / total) : counts;
        const mine = detectKeyByProfile(h, { profile: KRUMHANSL_KESSLER, correlation: 'cosine' });
        const seed = referenceDetect(h);
        return mine.key === seed.key && mine.score === seed.score;
      }),
      { numRuns: 300 },
    );
  });

  it('scores all 24 keys', () => {
    expect(Object.keys(detectKey(C_MAJOR).scores)).toHaveLength(24);
  });
});
