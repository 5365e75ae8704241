import { PITCH_NAMES } from './vocabulary.js';

/**
 * Beat-level chord recognition for the `chord` token. EMOPIA's MIDI carried chord markers from its own
 * analyser; the clips here have none, so chords are recognised from the quantised notes themselves
 * (which keeps the tokenizer's round trip stable: the same notes give the same chords).
 */

/** Chord qualities of the EMOPIA vocabulary, intervals above the root; triads first so ties prefer them. */
export const CHORD_QUALITIES: ReadonlyArray<readonly [string, readonly number[]]> = [
  ['M', [0, 4, 7]],
  ['m', [0, 3, 7]],
  ['o', [0, 3, 6]],
  ['+', [0, 4, 8]],
  ['sus2', [0, 2, 7]],
  ['sus4', [0, 5, 7]],
  ['7', [0, 4, 7, 10]],
  ['M7', [0, 4, 7, 11]],
  ['m7', [0, 3, 7, 10]],
  ['o7', [0, 3, 6, 9]],
  ['/o7', [0, 3, 6, 10]],
];

export interface GridNote {
  /** Start tick on the 120-tick grid (480 per beat). */
  start: number;
  duration: number;
  pitch: number;
}

export const NO_CHORD = 'N_N';

/** The chord label (`C_M`, `A_m7`, or `N_N` when nothing sounds) of notes sounding in [from, to). */
export function recogniseChord(notes: readonly GridNote[], from: number, to: number): string {
  const w = new Array<number>(12).fill(0);
  let bass = Infinity;
  for (const n of notes) {
    // Zero-length notes still count a little: they were played.
    const end = n.start + Math.max(n.duration, 60);
    const overlap = Math.min(end, to) - Math.max(n.start, from);
    if (overlap <= 0) continue;
    w[n.pitch % 12]! += overlap;
    if (n.pitch < bass) bass = n.pitch;
  }
  const best = bestChordTemplate(w, bass === Infinity ? undefined : bass % 12);
  return best ? `${PITCH_NAMES[best.root]}_${best.quality}` : NO_CHORD;
}

/**
 * The chord of CHORD_QUALITIES that best covers a pitch-class weight histogram: tones inside minus tones
 * outside, missing tones and larger chords penalised, a root in the bass favoured. Undefined when silent.
 * Also used by the emotion classifier's harmony features.
 */
export function bestChordTemplate(
  w: readonly number[],
  bassPc?: number,
): { root: number; quality: string; inside: number; total: number } | undefined {
  const total = w.reduce((a, b) => a + b, 0);
  if (total === 0) return undefined;
  const maxW = Math.max(...w);
  let best: { root: number; quality: string; inside: number; total: number } | undefined;
  let bestScore = -Infinity;
  for (let root = 0; root < 12; root++) {
    for (const [quality, intervals] of CHORD_QUALITIES) {
      let inside = 0;
      let missing = 0;
      for (const iv of intervals) {
        const x = w[(root + iv) % 12]!;
        inside += x;
        if (x === 0) missing++;
      }
      let score = inside - (total - inside) - 0.35 * maxW * missing - 0.05 * maxW * intervals.length;
      if (bassPc === root) score += 0.25 * maxW;
      if (score > bestScore + 1e-9) {
        bestScore = score;
        best = { root, quality, inside, total };
      }
    }
  }
  return best;
}

/** Transpose a chord label by `shift` semitones (`N_N` and `CONTI` unchanged). */
export function transposeChord(label: string, shift: number): string {
  const i = label.indexOf('_');
  if (i < 0 || label === NO_CHORD) return label;
  const root = (PITCH_NAMES as readonly string[]).indexOf(label.slice(0, i));
  if (root < 0) return label;
  return `${PITCH_NAMES[(((root + shift) % 12) + 12) % 12]}${label.slice(i)}`;
}
