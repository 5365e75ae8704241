import type { MidiNote } from '../../formats/types.js';
import { CORRELATIONS, type CorrelationName } from './correlation.js';
import { pitchClassHistogram } from '../pitch-histogram.js';
import { ALL_KEYS, formatKey, type KeyName } from '../../formats/key-names.js';
import { KRUMHANSL_KESSLER, rotateProfile, type KeyProfile } from './profiles.js';

export interface DetectKeyOptions {
  /** Defaults to Krumhansl-Kessler (the reference notebook's). */
  profile?: KeyProfile;
  /** Defaults to cosine (the reference notebook's). */
  correlation?: CorrelationName;
}

export interface KeyMethodDetection extends KeyName {
  /** `C:maj` / `A:min`. */
  key: string;
  /** Score of the detected key. */
  score: number;
  /** Score of every key, keyed `C:maj` .. `B:min`. */
  scores: Record<string, number>;
}

/**
 * Template matching over the 24 keys: score every rotation of the profile against the histogram and
 * keep the best, scanning tonics C..B with major before minor and keeping the first best (the reference notebook's
 * tie rule). With KK + cosine this is the reference notebook's detector.
 */
export function detectKeyByProfile(histogram: readonly number[], options: DetectKeyOptions = {}): KeyMethodDetection {
  const profile = options.profile ?? KRUMHANSL_KESSLER;
  const score = CORRELATIONS[options.correlation ?? 'cosine'];
  const scores: Record<string, number> = {};
  let best: KeyName = ALL_KEYS[0]!;
  let bestScore = -Infinity;
  for (const k of ALL_KEYS) {
    const s = score(histogram, rotateProfile(k.mode === 'maj' ? profile.major : profile.minor, k.tonic));
    scores[formatKey(k)] = s;
    if (s > bestScore) {
      bestScore = s;
      best = k;
    }
  }
  return { ...best, key: formatKey(best), score: bestScore, scores };
}

/**
 * Key of a set of notes, from the reference notebook's duration-weighted pitch-class histogram
 * (metrics/pitch-histogram.ts). Duration weighting is also what music21's KeyWeightKeyAnalysis uses (quarter lengths),
 * so the Pearson methods see music21's input up to scale, which Pearson ignores.
 */
export function detectKey(
  notes: readonly Pick<MidiNote, 'pitch' | 'start' | 'end'>[],
  options: DetectKeyOptions = {},
): KeyMethodDetection {
  return detectKeyByProfile(pitchClassHistogram(notes), options);
}
