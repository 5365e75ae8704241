import type { ScoreView } from './score-view.js';

/*
 * Pitch metrics as defined in MusPy (Dong, Chen, Dong, McAuley & Berg-Kirkpatrick, "MusPy: A toolkit
 * for symbolic music generation", ISMIR 2020), module muspy/metrics/metrics.py. Drums ignored.
 * Each runs in one pass over the notes.
 */

/**
 * Highest minus lowest pitch (muspy `pitch_range`): 0 when the song has no note at all. As in muspy, the
 * "no note" test counts drum notes while the range skips them, so a drums-only song gives 0 - 127 = -127.
 */
export function pitchRange(v: ScoreView): number {
  if (v.notes.length === 0) return 0;
  let hi = 0;
  let lo = 127;
  for (const n of v.pitched) {
    if (n.pitch > hi) hi = n.pitch;
    if (n.pitch < lo) lo = n.pitch;
  }
  return hi - lo;
}

/** Note counts per pitch class (drums skipped). */
function pitchClassCounts(v: ScoreView): number[] {
  const counts = new Array<number>(12).fill(0);
  for (const n of v.pitched) counts[n.pitch % 12]! += 1;
  return counts;
}

/**
 * numpy's float64 sum of a short array (pairwise summation: 8 partial sums, then the tail), so that sums
 * of up to 128 values come out bit for bit as `np.sum` gives them.
 */
export function numpySum(a: readonly number[]): number {
  if (a.length < 8) {
    let s = 0;
    for (const x of a) s += x;
    return s;
  }
  if (a.length > 128) throw new RangeError('numpySum: only arrays of at most 128 values');
  const r = a.slice(0, 8);
  let i = 8;
  for (; i < a.length - (a.length % 8); i += 8) for (let j = 0; j < 8; j++) r[j]! += a[i + j]!;
  let res = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
  for (; i < a.length; i++) res += a[i]!;
  return res;
}

/**
 * Shannon entropy (bits) of the note-count pitch-class histogram; NaN without notes (muspy
 * `pitch_class_entropy`, after Wu & Yang, "The Jazz Transformer on the front line", ISMIR 2020).
 */
export function pitchClassEntropy(v: ScoreView): number {
  const counts = pitchClassCounts(v);
  const total = numpySum(counts);
  if (total < 1) return NaN;
  // -np.nansum(p * log2(p)): the 0 * -inf of an unused class is NaN and counts as 0.
  return -numpySum(counts.map((c) => (c === 0 ? 0 : (c / total) * Math.log2(c / total))));
}

const MAJOR_SCALE = [1, 0, 1, 0, 1, 1, 0, 1, 0, 1, 0, 1];
const MINOR_SCALE = [1, 0, 1, 1, 0, 1, 0, 1, 1, 0, 1, 0];

function inScaleRate(counts: readonly number[], root: number, mode: 'major' | 'minor'): number {
  const scale = mode === 'major' ? MAJOR_SCALE : MINOR_SCALE;
  let total = 0;
  let inScale = 0;
  for (let pc = 0; pc < 12; pc++) {
    total += counts[pc]!;
    if (scale[(((pc - root) % 12) + 12) % 12] === 1) inScale += counts[pc]!;
  }
  return total < 1 ? NaN : inScale / total;
}

/** Share of notes whose pitch class lies in the scale (muspy `pitch_in_scale_rate`); NaN without notes. */
export function pitchInScaleRate(v: ScoreView, root: number, mode: 'major' | 'minor'): number {
  return inScaleRate(pitchClassCounts(v), root, mode);
}

/**
 * Largest pitch-in-scale rate over the 24 major and natural-minor scales (muspy `scale_consistency`,
 * after Mogren, "C-RNN-GAN", 2016); NaN without notes.
 */
export function scaleConsistency(v: ScoreView): number {
  const counts = pitchClassCounts(v);
  let best = 0;
  for (const mode of ['major', 'minor'] as const) {
    for (let root = 0; root < 12; root++) {
      const rate = inScaleRate(counts, root, mode);
      if (Number.isNaN(rate)) return NaN;
      if (rate > best) best = rate;
    }
  }
  return best;
}

/**
 * Mean number of distinct pitches sounding, over the ticks where at least one sounds (muspy `polyphony`:
 * a binary tick-by-128 piano roll, rows [start, end) per non-drum note); NaN when nothing sounds. Computed
 * from interval unions (a sort and a sweep) instead of the roll, so a long song costs no time or memory.
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

/** Total length covered by a set of half-open intervals (sorts the array in place). */
export function unionLength(intervals: Array<[number, number]>): number {
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
