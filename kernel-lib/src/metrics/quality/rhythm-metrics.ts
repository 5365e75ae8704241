import type { ScoreView } from './score-view.js';
import { EmotuneError } from '../../errors.js';

/*
 * Rhythm metrics as defined in MusPy (Dong et al., ISMIR 2020), muspy/metrics/metrics.py (v0.5).
 * Both count drum notes, as muspy does.
 */

/**
 * Share of beats where no note sounds; NaN for a zero-length song (muspy `empty_beat_rate`, also in
 * Pypianoroll, Dong, Hsiao & Yang, ISMIR 2018 LBD). As in muspy, beats = floor(length / resolution) + 1
 * and a note occupies beats floor(start/res) .. floor(end/res) inclusive (so a note ending exactly on a
 * beat line also marks the next beat).
 */
export function emptyBeatRate(v: ScoreView): number {
  if (v.length < 1) return NaN;
  const nBeats = Math.floor(v.length / v.resolution) + 1;
  const filled = new Uint8Array(nBeats);
  let count = 0;
  for (const n of v.notes) {
    const last = Math.floor(n.end / v.resolution);
    for (let b = Math.floor(n.start / v.resolution); b <= last; b++) {
      if (!filled[b]) {
        filled[b] = 1;
        count++;
      }
    }
  }
  return 1 - count / nBeats;
}

/**
 * 1 - mean Hamming distance between the binary onset vectors of neighbouring measures, normalised by the
 * measure resolution (muspy `groove_consistency`, after Wu & Yang, ISMIR 2020). Assumes one constant time
 * signature (the first one). NaN with fewer than two measures.
 */
export function grooveConsistency(v: ScoreView, measureResolution = v.measureResolution): number {
  if (!(measureResolution >= 1)) {
    // A time-signature denominator of 2^17 and more (or a negative one) leaves less than one tick per measure.
    throw new EmotuneError('time signature leaves less than one tick per measure', { field: 'time_signature', code: 'quality.time-signature', expected: 'a denominator that is a power of two no larger than 4 x ticks per beat', found: `${measureResolution} ticks per measure` });
  }
  const nMeasures = Math.floor(v.length / measureResolution) + 1;
  if (nMeasures < 2) return NaN;
  const onsets = new Uint8Array(nMeasures * measureResolution);
  for (const n of v.notes) onsets[n.start] = 1; // index = measure * res + position
  let hamming = 0;
  for (let i = 0; i + measureResolution < onsets.length; i++) if (onsets[i] !== onsets[i + measureResolution]) hamming++;
  return 1 - hamming / (measureResolution * (nMeasures - 1));
}

/**
 * Pitched notes per beat of song length. Not a muspy metric: a plain descriptor so that sparse or
 * crowded generations show up next to adherence. NaN for a zero-length song.
 */
export function noteDensity(v: ScoreView): number {
  if (v.length < 1) return NaN;
  return v.pitched.length / (v.length / v.resolution);
}
