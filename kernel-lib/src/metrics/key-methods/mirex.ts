import type { KeyName } from '../../formats/key-names.js';

/**
 * Which fifth errors earn 0.5. MIREX's task page gives 0.5 to an answer "a perfect fifth" from the
 * reference; mir_eval.key.weighted_score (the reference implementation) counts only the ascending fifth
 * by default and added `allow_descending_fifths`; the current MIREX implementation treats both directions
 * alike (J. Pauwels in mir_eval issue #337). Default here: both directions.
 */
export type FifthRule = 'both' | 'ascending';

/**
 * MIREX weighted key score (MIREX 2005 key-finding task; mir_eval.key.weighted_score):
 * 1 same key; 0.5 same mode, tonic a perfect fifth away; 0.3 relative major/minor; 0.2 parallel
 * major/minor (same tonic, other mode); 0 otherwise.
 */
export function mirexScore(detected: KeyName, reference: KeyName, fifths: FifthRule = 'both'): number {
  const d = (((detected.tonic - reference.tonic) % 12) + 12) % 12;
  if (detected.mode === reference.mode) {
    if (d === 0) return 1;
    if (d === 7 || (fifths === 'both' && d === 5)) return 0.5;
    return 0;
  }
  // Relative: minor tonic 3 semitones below its relative major (C:maj <-> A:min).
  if (reference.mode === 'maj' && d === 9) return 0.3;
  if (reference.mode === 'min' && d === 3) return 0.3;
  if (d === 0) return 0.2;
  return 0;
}

/** The MIREX category of an answer, for confusion summaries. */
export type MirexCategory = 'correct' | 'fifth' | 'relative' | 'parallel' | 'other';

export function mirexCategory(detected: KeyName, reference: KeyName, fifths: FifthRule = 'both'): MirexCategory {
  const s = mirexScore(detected, reference, fifths);
  return s === 1 ? 'correct' : s === 0.5 ? 'fifth' : s === 0.3 ? 'relative' : s === 0.2 ? 'parallel' : 'other';
}
