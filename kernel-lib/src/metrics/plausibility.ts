import type { MidiNote, MidiScore } from '../formats/types.js';
import { detectKeyWith } from './key-methods/methods.js';

/**
 * Does a generated song look like an EMOPIA piano clip? Per-song texture features, EMOPIA's 5-95 % range
 * of each (a derived-statistics file made from the train clips), and the two faults a listener hears at once:
 * an empty first bar and semitone clusters in the bass. Everything is measured on the MIDI notes, so EMOPIA
 * clips and generated songs go through the same code.
 */

/** Attacks closer than this many beats form one onset (30 ms at EMOPIA's 120 bpm, as the built-in classifier). */
export const ONSET_TOLERANCE_BEATS = 0.06;
/** Notes below this MIDI pitch (C3) are "bass" for the cluster check. */
export const BASS_CEILING = 48;

export const RANGE_FEATURES = [
  'notes_per_beat',
  'onsets_per_beat',
  'velocity_mean',
  'velocity_std',
  'duration_mean',
  'duration_median',
  'pitch_mean',
  'pitch_std',
  'pitch_range',
  'key_clarity',
] as const;
export type RangeFeature = (typeof RANGE_FEATURES)[number];

export interface SongTexture extends Record<RangeFeature, number> {
  notes: number;
  /** Notes over distinct attack ticks (a chord whose notes start on one tick counts once). */
  notes_per_onset: number;
  /** Notes over onsets grouped within ONSET_TOLERANCE_BEATS (what a listener hears as one attack). */
  notes_per_attack_group: number;
  /** No note starts in the first 4 beats (from tick 0). */
  first_bar_empty: boolean;
  /** Onsets holding two notes below C3 a semitone or a tone apart. */
  bass_clusters: number;
  /** Most notes sounding at once. */
  max_polyphony: number;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
const std = (xs: readonly number[]) => {
  const m = mean(xs);
  return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
};

/** Linear-interpolated quantile of a sorted list. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Groups of notes attacked together (within ONSET_TOLERANCE_BEATS of the group's first attack). */
export function onsetGroups(
  notes: readonly MidiNote[],
  ticksPerBeat: number,
  tolerance = ONSET_TOLERANCE_BEATS,
): MidiNote[][] {
  const sorted = [...notes].sort((a, b) => a.start - b.start || a.pitch - b.pitch);
  const tol = tolerance * ticksPerBeat;
  const groups: MidiNote[][] = [];
  for (const n of sorted) {
    const g = groups[groups.length - 1];
    if (g && n.start - g[0]!.start <= tol) g.push(n);
    else groups.push([n]);
  }
  return groups;
}

/** Texture features of one score; undefined for a score without notes. */
export function songTexture(score: MidiScore): SongTexture | undefined {
  const notes = score.notes.filter((n) => n.velocity > 0 && n.end > n.start);
  if (notes.length === 0) return undefined;
  const tpb = score.ticksPerBeat;
  const first = Math.min(...notes.map((n) => n.start));
  const last = Math.max(...notes.map((n) => n.end));
  const beats = Math.max(1, (last - first) / tpb);
  const groups = onsetGroups(notes, tpb);
  const ticks = new Set(notes.map((n) => n.start)).size;
  const durations = notes.map((n) => (n.end - n.start) / tpb).sort((a, b) => a - b);
  const pitches = notes.map((n) => n.pitch).sort((a, b) => a - b);
  const velocities = notes.map((n) => n.velocity);
  let bassClusters = 0;
  for (const g of groups) {
    const bass = g
      .map((n) => n.pitch)
      .filter((p) => p < BASS_CEILING)
      .sort((a, b) => a - b);
    if (bass.some((p, i) => i > 0 && p - bass[i - 1]! <= 2)) bassClusters++;
  }
  // Sweep of note starts and ends for the largest number sounding at once (ends before starts at a tick).
  const edges = notes
    .flatMap(
      (n) =>
        [
          [n.start, 1],
          [n.end, -1],
        ] as const,
    )
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let sounding = 0;
  let maxPoly = 0;
  for (const [, d] of edges) maxPoly = Math.max(maxPoly, (sounding += d));
  return {
    notes: notes.length,
    notes_per_beat: notes.length / beats,
    onsets_per_beat: groups.length / beats,
    notes_per_onset: notes.length / ticks,
    notes_per_attack_group: notes.length / groups.length,
    velocity_mean: mean(velocities),
    velocity_std: std(velocities),
    duration_mean: mean(durations),
    duration_median: quantile(durations, 0.5),
    pitch_mean: mean(pitches),
    pitch_std: std(pitches),
    pitch_range: quantile(pitches, 0.95) - quantile(pitches, 0.05),
    key_clarity: detectKeyWith('kk-pearson', notes).score,
    first_bar_empty: first >= 4 * tpb,
    bass_clusters: bassClusters,
    max_polyphony: maxPoly,
  };
}

/** EMOPIA's 5-95 % range of each feature (and the same for notes per onset, for the report). */
export interface TextureRanges {
  source: string;
  clips: number;
  ranges: Record<
    RangeFeature | 'notes_per_onset' | 'notes_per_attack_group' | 'bass_clusters_per_onset',
    [number, number]
  >;
}

const round = (x: number) => Number(x.toPrecision(6));

export function textureRanges(textures: readonly SongTexture[], source: string): TextureRanges {
  const range = (f: (t: SongTexture) => number): [number, number] => {
    const xs = textures.map(f).sort((a, b) => a - b);
    return [round(quantile(xs, 0.05)), round(quantile(xs, 0.95))];
  };
  const ranges = {} as TextureRanges['ranges'];
  for (const f of RANGE_FEATURES) ranges[f] = range((t) => t[f]);
  ranges.notes_per_onset = range((t) => t.notes_per_onset);
  ranges.notes_per_attack_group = range((t) => t.notes_per_attack_group);
  ranges.bass_clusters_per_onset = range((t) => t.bass_clusters / (t.notes / t.notes_per_attack_group));
  return { source, clips: textures.length, ranges };
}

export interface PlausibilityReport {
  songs: number;
  /** Share of (song, feature) pairs inside EMOPIA's 5-95 % range. */
  inRange: number;
  /** Per feature: share of songs inside the range. */
  perFeature: Record<RangeFeature, number>;
  /** Notes over distinct attack ticks, all songs pooled. */
  notesPerOnset: number;
  /** Notes over 30 ms attack groups, all songs pooled. */
  notesPerAttackGroup: number;
  firstBarEmpty: number;
  /** Share of onsets with a bass cluster, all songs pooled. */
  bassClusterShare: number;
  maxPolyphony: number;
}

export function plausibility(textures: readonly SongTexture[], ranges: TextureRanges): PlausibilityReport {
  const perFeature = {} as Record<RangeFeature, number>;
  let inside = 0;
  for (const f of RANGE_FEATURES) {
    const [lo, hi] = ranges.ranges[f];
    const n = textures.filter((t) => t[f] >= lo && t[f] <= hi).length;
    perFeature[f] = n / textures.length;
    inside += n;
  }
  const notes = textures.reduce((a, t) => a + t.notes, 0);
  const onsets = textures.reduce((a, t) => a + t.notes / t.notes_per_onset, 0);
  const groups = textures.reduce((a, t) => a + t.notes / t.notes_per_attack_group, 0);
  return {
    songs: textures.length,
    inRange: inside / (textures.length * RANGE_FEATURES.length),
    perFeature,
    notesPerOnset: notes / onsets,
    notesPerAttackGroup: notes / groups,
    firstBarEmpty: textures.filter((t) => t.first_bar_empty).length / textures.length,
    bassClusterShare: textures.reduce((a, t) => a + t.bass_clusters, 0) / groups,
    maxPolyphony: Math.max(...textures.map((t) => t.max_polyphony)),
  };
}
