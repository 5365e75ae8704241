import type { ScoreView } from './score-view.js';
import { EmotuneError } from '../../errors.js';

/*
 * Rhythm metrics as defined in MusPy (Dong et al., ISMIR 2020), muspy/metrics/metrics.py. Both count drum
 * notes, as muspy does. muspy loops over every beat of every note and allocates a measures-by-resolution
 * array; here each is a sort and a sweep over the notes, so the time depends on the number of notes only.
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
  const spans = v.notes.map((n): [number, number] => [
    Math.floor(n.start / v.resolution),
    Math.floor(n.end / v.resolution),
  ]);
  spans.sort((a, b) => a[0] - b[0]);
  let filled = 0;
  let lastCounted = -1; // highest beat already counted
  for (const [s, e] of spans) {
    const from = Math.max(s, lastCounted + 1);
    if (e >= from) {
      filled += e - from + 1;
      lastCounted = e;
    }
  }
  return 1 - filled / nBeats;
}

/**
 * 1 - mean Hamming distance between the binary onset vectors of neighbouring measures, normalised by the
 * measure resolution (muspy `groove_consistency`, after Wu & Yang, ISMIR 2020). muspy takes the measure
 * resolution as an argument; we pass the first time signature's (4/4 when there is none). NaN with fewer
 * than two measures.
 */
export function grooveConsistency(v: ScoreView, measureResolution = v.measureResolution): number {
  if (!(measureResolution >= 1)) {
    // A time-signature denominator of 2^17 and more (or a negative one) leaves less than one tick per measure.
    throw new EmotuneError('time signature leaves less than one tick per measure', {
      field: 'time_signature',
      code: 'quality.time-signature',
      expected: 'a denominator that is a power of two no larger than 4 x ticks per beat',
      found: `${measureResolution} ticks per measure`,
    });
  }
  const nMeasures = Math.floor(v.length / measureResolution) + 1;
  if (nMeasures < 2) return NaN;
  // Flattened onset vector: position p = measure * res + offset. Positions p and p + res are compared for
  // every p < (nMeasures - 1) * res; an onset at p differs from its neighbours unless they are onsets too.
  const onsets = new Set<number>();
  for (const n of v.notes) onsets.add(n.start);
  const lastCompared = (nMeasures - 1) * measureResolution; // p < lastCompared has a next-measure partner
  let hamming = 0;
  for (const p of onsets) {
    if (p >= measureResolution) hamming++; // compared with p - res
    if (p < lastCompared) hamming++; // compared with p + res
    if (onsets.has(p + measureResolution)) hamming -= 2; // both ends onsets: that pair is equal
  }
  return 1 - hamming / (measureResolution * (nMeasures - 1));
}

/**
 * Pitched notes per beat of song length. Not a muspy metric: this project's own plain descriptor, so that
 * sparse or crowded generations show up next to adherence. NaN for a zero-length song.
 */
export function noteDensity(v: ScoreView): number {
  if (v.length < 1) return NaN;
  return v.pitched.length / (v.length / v.resolution);
}
