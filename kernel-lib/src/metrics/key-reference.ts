import { EmotuneError } from '../errors.js';
import { ALL_KEYS, formatKey, normaliseKeyName } from '../formats/key-names.js';
import type { MidiNote } from '../formats/types.js';
import { pitchClassHistogram } from './pitch-histogram.js';

/**
 * The reference notebook's key method (docs/architecture.md, "Key"): cosine similarity between the pitch-class
 * histogram and the Krumhansl-Kessler profile rotated to each tonic, dot / (|h| |p| + 1e-8); 24 keys tested as tonics
 * C C# D ... B with major before minor per tonic; the first strictly better score wins.
 *
 * Empty MIDI (no notes): the histogram is all zeros, every score is 0 / (0 + 1e-8) = 0, so the result is
 * `C:maj` with score 0 — the epsilon in the reference notebook's denominator exists exactly so a zero vector gives 0.
 * Sums run in pitch-class order 0..11, as numpy's dot/norm on 12 elements do.
 */

export const KK_MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88] as const;
export const KK_MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17] as const;

function norm(v: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  return Math.sqrt(s);
}

/** Profile of `mode` rotated to tonic `pc` (np.roll(profile, pc)): entry i is profile[(i - pc) mod 12]. */
function rotatedProfile(pc: number, mode: 'maj' | 'min'): number[] {
  const base = mode === 'maj' ? KK_MAJOR : KK_MINOR;
  return Array.from({ length: 12 }, (_, i) => base[(i - pc + 12) % 12]!);
}

const PROFILES: Array<{ name: string; profile: number[]; norm: number }> = ALL_KEYS.map((key) => {
  const profile = rotatedProfile(key.tonic, key.mode);
  return { name: formatKey(key), profile, norm: norm(profile) };
});

function cosine(h: ArrayLike<number>, hNorm: number, p: { profile: number[]; norm: number }): number {
  let dot = 0;
  for (let i = 0; i < 12; i++) dot += h[i]! * p.profile[i]!;
  return dot / (hNorm * p.norm + 1e-8);
}

function checkHistogram(hist: ArrayLike<number>): void {
  if (hist.length !== 12) {
    throw new EmotuneError('pitch-class histogram must have 12 bins', {
      field: 'histogram',
      code: 'key.histogram',
      expected: '12 numbers',
      found: String(hist.length),
    });
  }
}

/** Score of one key (sharps or flats accepted) for a normalised histogram: the reference notebook's "correlation". */
export function keyScore(hist: ArrayLike<number>, keyName: string): number {
  checkHistogram(hist);
  const name = normaliseKeyName(keyName);
  return cosine(
    hist,
    norm(hist),
    PROFILES.find((p) => p.name === name)!,
  );
}

export interface KeyDetection {
  /** Best key in the reference notebook's spelling (`C:maj`, `A#:min`). */
  key: string;
  score: number;
  /** Every key's score, in the reference notebook's test order. */
  scores: Record<string, number>;
  histogram: number[];
}

/** Best key of a normalised histogram; ties keep the earlier key (strictly greater wins). */
export function detectKeyFromHistogram(hist: ArrayLike<number>): KeyDetection {
  checkHistogram(hist);
  const hNorm = norm(hist);
  const scores: Record<string, number> = {};
  let key = '';
  let score = -Infinity;
  for (const p of PROFILES) {
    const s = cosine(hist, hNorm, p);
    scores[p.name] = s;
    if (s > score) {
      key = p.name;
      score = s;
    }
  }
  return { key, score, scores, histogram: Array.from(hist) };
}

/** The reference notebook's key detection for a song's notes (ticks). */
export function detectKeyReference(notes: ReadonlyArray<Pick<MidiNote, 'pitch' | 'start' | 'end'>>): KeyDetection {
  return detectKeyFromHistogram(pitchClassHistogram(notes));
}
