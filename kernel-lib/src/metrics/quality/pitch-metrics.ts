import type { ScoreView } from './score-view.js';

/*
 * Pitch metrics as defined in MusPy (Dong, Chen, Dong, McAuley & Berg-Kirkpatrick, "MusPy: A toolkit
 * for symbolic music generation", ISMIR 2020), module muspy/metrics/metrics.py (v0.5). Drums ignored.
 */

/** Highest minus lowest pitch; 0 when there is no pitched note (muspy `pitch_range`). */
export function pitchRange(v: ScoreView): number {
  if (v.pitched.length === 0) return 0;
  let hi = 0;
  let lo = 127;
  for (const n of v.pitched) {
    if (n.pitch > hi) hi = n.pitch;
    if (n.pitch < lo) lo = n.pitch;
  }
  return hi - lo;
}

/**
 * Shannon entropy (bits) of the note-count pitch-class histogram; NaN without notes (muspy
 * `pitch_class_entropy`, after Wu & Yang, "The Jazz Transformer on the front line", ISMIR 2020).
 */
export function pitchClassEntropy(v: ScoreView): number {
  if (v.pitched.length === 0) return NaN;
  const counts = new Array<number>(12).fill(0);
  for (const n of v.pitched) counts[n.pitch % 12] += 1;
  let h = 0;
  for (const c of counts) {
    if (c === 0) continue;
    const p = c / v.pitched.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const MAJOR_SCALE = [1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1];
const MINOR_SCALE = [1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0];

/** Share of notes whose pitch class lies in the scale (muspy `pitch_in_scale_rate`); NaN without notes. */
export function pitchInScaleRate(v: ScoreView, root: number, mode: 'major' | 'minor'): number {
  if (v.pitched.length === 0) return NaN;
  const scale = mode === 'major' ? MAJOR_SCALE : MINOR_SCALE;
  let inScale = 0;
  for (const n of v.pitched) if (scale[(((n.pitch - root) % 12) + 12) % 12] === 1) inScale++;
  return inScale / v.pitched.length;
}

/**
 * Largest pitch-in-scale rate over the 24 major and natural-minor scales (muspy `scale_consistency`,
 * after Mogren, "C-RNN-GAN", 2016); NaN without notes.
 */
export function scaleConsistency(v: ScoreView): number {
  if (v.pitched.length === 0) return NaN;
  // Pitch-class counts once, then each scale sums its classes: the same counts as pitchInScaleRate, 24x fewer passes.
  const counts = new Array<number>(12).fill(0);
  for (const n of v.pitched) counts[((n.pitch % 12) + 12) % 12]!++;
  let best = 0;
  for (const scale of [MAJOR_SCALE, MINOR_SCALE]) {
    for (let root = 0; root < 12; root++) {
      let inScale = 0;
      for (let pc = 0; pc < 12; pc++) if (scale[(pc - root + 12) % 12] === 1) inScale += counts[pc]!;
      best = Math.max(best, inScale / v.pitched.length);
    }
  }
  return best;
}

/**
 * Mean number of distinct pitches sounding, over the ticks where at least one sounds (muspy `polyphony`:
 * binary piano roll, rows [start, end) per pitch); NaN without notes. Computed from interval unions
 * instead of a tick-by-128 roll so long files cost no memory.
 */
export function polyphony(v: ScoreView): number {
  const byPitch = new Map<number, Array<[number, number]>>();
  const all: Array<[number, number]> = [];
  for (const n of v.pitched) {
    if (n.end <= n.start) continue;
    let list = byPitch.get(n.pitch);
    if (!list) byPitch.set(n.pitch, (list = []));
    list.push([n.start, n.end]);
    all.push([n.start, n.end]);
  }
  const active = unionLength(all);
  if (active < 1) return NaN;
  let onCells = 0;
  for (const list of byPitch.values()) onCells += unionLength(list);
  return onCells / active;
}

/** Total length covered by a set of half-open intervals. */
function unionLength(intervals: Array<[number, number]>): number {
  intervals.sort((a, b) => a[0] - b[0]);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const [s, e] of intervals) {
    if (s > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = s;
      curEnd = e;
    } else if (e > curEnd) curEnd = e;
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}
