import type { MidiNote } from '../../formats/types.js';
import { bestChordTemplate } from '../../generate/embedded/chords.js';

/**
 * Beat-window harmony: duration-weighted pitch-class histograms of the windows that hold an attack, and
 * the chord (of the EMOPIA chord vocabulary) that best explains each. Windows without an attack are
 * skipped (they repeat the harmony of the window that started it), so the work is proportional to the
 * number of notes, never to their length: a 2 KB file whose notes last for hours stays instant.
 */

/** Chord families reported as shares of the windows (EMOPIA qualities grouped by how they colour mood). */
export const CHORD_FAMILIES = [
  'major',
  'minor',
  'diminished',
  'augmented',
  'suspended',
  'dominant7',
  'major7',
  'minor7',
] as const;
export type ChordFamily = (typeof CHORD_FAMILIES)[number];

const FAMILY_OF: Record<string, ChordFamily> = {
  M: 'major',
  m: 'minor',
  o: 'diminished',
  o7: 'diminished',
  '/o7': 'diminished',
  '+': 'augmented',
  sus2: 'suspended',
  sus4: 'suspended',
  '7': 'dominant7',
  M7: 'major7',
  m7: 'minor7',
};

export interface WindowChord {
  root: number;
  quality: string;
  /** Share of the window's sounding mass on the chord's tones. */
  fit: number;
  /** The window's sounding mass (ticks × notes). */
  mass: number;
}

/**
 * Pitch-class histograms (weights in ticks) of the windows of `windowTicks` that hold at least one note
 * start, in time order. Each note adds its overlap with every such window it sounds in: the windows it
 * covers completely get the full width through a difference array, so a note costs O(log windows).
 */
export function windowHistograms(notes: readonly MidiNote[], windowTicks: number): number[][] {
  const starts = [...new Set(notes.map((n) => Math.floor(n.start / windowTicks)))].sort((a, b) => a - b);
  const k = starts.length;
  const hist = starts.map(() => new Array<number>(12).fill(0));
  const diff = Array.from({ length: k + 1 }, () => new Array<number>(12).fill(0));
  // Position of the last listed window <= w.
  const lastAtMost = (w: number): number => {
    let lo = 0;
    let hi = k - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= w) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  };
  for (const n of notes) {
    const pc = n.pitch % 12;
    const end = Math.max(n.end, n.start + 1); // a zero-length note still counts a little: it was played
    const ws = Math.floor(n.start / windowTicks);
    const we = Math.floor((end - 1) / windowTicks);
    const i0 = lastAtMost(ws);
    if (ws === we) {
      hist[i0]![pc]! += end - n.start;
      continue;
    }
    hist[i0]![pc]! += (ws + 1) * windowTicks - n.start;
    const i1 = lastAtMost(we);
    if (i1 === i0) continue;
    if (starts[i1] === we) {
      hist[i1]![pc]! += end - we * windowTicks;
      // Windows strictly between i0 and i1 are covered whole.
      if (i1 > i0 + 1) {
        diff[i0 + 1]![pc]! += windowTicks;
        diff[i1]![pc]! -= windowTicks;
      }
    } else {
      diff[i0 + 1]![pc]! += windowTicks;
      diff[i1 + 1]![pc]! -= windowTicks;
    }
  }
  const run = new Array<number>(12).fill(0);
  for (let i = 0; i < k; i++) {
    for (let pc = 0; pc < 12; pc++) {
      run[pc]! += diff[i]![pc]!;
      hist[i]![pc]! += run[pc]!;
    }
  }
  return hist;
}

/** The EMOPIA-vocabulary chord that best covers a window (the tokenizer's recogniser, without a bass). */
export function bestChord(h: readonly number[]): WindowChord | undefined {
  const c = bestChordTemplate(h);
  return c && { root: c.root, quality: c.quality, fit: c.inside / c.total, mass: c.total };
}

export interface HarmonyStats {
  /** Mass-weighted share of windows per chord family. */
  families: Record<ChordFamily, number>;
  /** Share of successive attack windows whose chord (root and quality) changes. */
  changeRate: number;
  /** Mass-weighted mean share of a window's sound on its chord's tones. */
  fit: number;
  /** Share of windows (mass-weighted) whose best triad is minor rather than major (ties skipped). */
  minorTriadShare: number;
  /** Mass-weighted share of windows per chord root, as semitones above the given tonic (index 0..11). */
  rootDegrees: number[];
  /** Share of chord changes whose root moves by a fourth or a fifth. */
  fifthMoveShare: number;
}

/** Major vs minor triad mass of a window, for the minor-chord share. */
function triadScores(h: readonly number[]): { major: number; minor: number } {
  let major = 0;
  let minor = 0;
  for (let root = 0; root < 12; root++) {
    const base = h[root]! + h[(root + 7) % 12]!;
    major = Math.max(major, base + h[(root + 4) % 12]!);
    minor = Math.max(minor, base + h[(root + 3) % 12]!);
  }
  return { major, minor };
}

export function harmonyStats(windows: readonly (readonly number[])[], tonic = 0): HarmonyStats {
  const rootDegrees = new Array<number>(12).fill(0);
  const families = Object.fromEntries(CHORD_FAMILIES.map((f) => [f, 0])) as Record<ChordFamily, number>;
  let mass = 0;
  let fit = 0;
  let changes = 0;
  let fifthMoves = 0;
  let pairs = 0;
  let prev: WindowChord | undefined;
  let minorMass = 0;
  let modeMass = 0;
  for (const h of windows) {
    const c = bestChord(h);
    if (!c) continue;
    families[FAMILY_OF[c.quality]!] += c.mass;
    rootDegrees[(c.root - tonic + 12) % 12]! += c.mass;
    mass += c.mass;
    fit += c.fit * c.mass;
    if (prev) {
      pairs++;
      if (prev.root !== c.root || prev.quality !== c.quality) changes++;
      const step = (c.root - prev.root + 12) % 12;
      if (step === 5 || step === 7) fifthMoves++;
    }
    prev = c;
    const { major, minor } = triadScores(h);
    if (major !== minor) {
      const m = Math.max(major, minor);
      modeMass += m;
      if (minor > major) minorMass += m;
    }
  }
  if (mass > 0) {
    for (const f of CHORD_FAMILIES) families[f] /= mass;
    for (let d = 0; d < 12; d++) rootDegrees[d]! /= mass;
  }
  return {
    families,
    changeRate: pairs > 0 ? changes / pairs : 0,
    fit: mass > 0 ? fit / mass : 0,
    minorTriadShare: modeMass > 0 ? minorMass / modeMass : 0.5,
    rootDegrees,
    fifthMoveShare: changes > 0 ? fifthMoves / changes : 0,
  };
}
