import { EmotuneError } from '../../errors.js';
import type { MidiNote, MidiScore } from '../../formats/types.js';
import { harmonyStats, windowHistograms } from './harmony.js';
import { fitKeyProfiles } from './key-profile.js';
import { meanTempo, tickToSeconds } from './timing.js';
import { mean } from '../../stats/bootstrap.js';

/**
 * The classifier's inputs: each a number a musician can read, each chosen because it tracks arousal
 * (energy: how much, how loud, how fast) or valence (mood: major/minor, consonance, brightness).
 * The order is the model's column order; the model file stores the names and is checked against this list.
 */
export const FEATURE_DOCS = {
  notes_per_second: 'notes started per second: busier music reads as more aroused',
  onsets_per_second: 'distinct attack times per second (a chord counts once): rhythmic activity, tempo felt',
  notes_per_beat: 'notes per written beat: density independent of the tempo marking',
  tempo_bpm:
    'mean tempo over the notes, weighted by beats; fast tempi raise arousal (always 120 in EMOPIA, so weight 0 there)',
  velocity_mean: 'mean key velocity: loudness, the strongest single arousal cue in piano music',
  velocity_std: 'spread of velocities: dynamic contrast and accents',
  duration_log_mean: 'mean log2 note length in seconds: long notes read as calm, short ones as agitated',
  duration_log_std: 'spread of log2 note lengths: mixed vs uniform note values',
  pitch_mean: 'mean MIDI pitch: high register sounds brighter (valence) and lighter',
  pitch_std: 'spread of pitches: how widely the texture is spread',
  pitch_range: 'pitch span between the 5th and 95th percentile (robust to stray notes)',
  bass_register: 'mean lowest pitch per attack: a low, heavy bass reads as darker',
  top_register: 'mean highest pitch per attack: the melody register',
  polyphony: 'mean number of notes sounding while anything sounds: thickness of texture',
  major_minor: 'best major minus best minor Krumhansl–Kessler correlation: the mode cue for valence',
  key_clarity: 'best of the 24 key-profile correlations: how clearly tonal the clip is',
  pc_entropy: 'entropy (bits) of the duration-weighted pitch-class histogram: chromatic vs diatonic',
  minor_chord_share: 'share of beat windows (weighted by sound) whose best triad is minor rather than major',
  dissonance: 'share of dissonant pitch-class intervals (m2, M2, tritone, m7, M7) among notes sounding together',
  interval_mean: 'mean absolute interval (semitones) between successive melody (top) notes: leaps vs steps',
  interval_leap_share: 'share of melody intervals larger than a major third',
  articulation: 'mean note length over time to the next attack (capped at 2): legato (high) vs staccato (low)',
  ioi_log_std: 'spread of log2 inter-onset intervals: rhythmic irregularity',
  velocity_range: 'velocity span between the 5th and 95th percentile: dynamic range',
  chord_major: 'share of beat windows (weighted by sound) whose best chord is a major triad',
  chord_minor: 'share of beat windows whose best chord is a minor triad',
  chord_diminished: 'share of beat windows whose best chord is diminished (o, o7, half-diminished)',
  chord_augmented: 'share of beat windows whose best chord is augmented',
  chord_suspended: 'share of beat windows whose best chord is sus2 or sus4',
  chord_dominant7: 'share of beat windows whose best chord is a dominant seventh',
  chord_major7: 'share of beat windows whose best chord is a major seventh',
  chord_minor7: 'share of beat windows whose best chord is a minor seventh',
  chord_change_rate: 'share of successive beat windows whose chord changes: harmonic rhythm',
  chord_fit: "share of the sound on the tones of each window's chord: plain triadic (high) vs dense or chromatic (low)",
  key_third_minor: 'duration share of the minor third above the estimated tonic (of the best major or minor key)',
  key_third_major: 'duration share of the major third above the estimated tonic',
  key_sixth_minor: 'duration share of the minor sixth above the tonic (the minor-mode colour note)',
  key_outside:
    "duration share of pitch classes outside the estimated key's scale (natural minor for minor keys): chromaticism",
  melody_tonic: 'share of melody (top) notes on the tonic or its fifth: stable, resolved melody',
  melody_minor_third: 'share of melody notes a minor third above the tonic',
  melody_major_third: 'share of melody notes a major third above the tonic',
  melody_outside: "share of melody notes outside the key's scale",
  melody_up_share: "share of rising steps among the melody's moving intervals: rising lines read as brighter",
  ioi_log_mean: 'mean log2 time (s) between attacks: pace of the rhythm',
  short_ioi_share: 'share of attacks followed by the next within 0.15 s: runs and fast figuration',
  chord_size: 'mean notes per attack: block chords vs single lines',
  rest_share: "share of the clip's span where nothing sounds",
  chord_on_tonic: 'share of beat windows whose chord is rooted on the estimated tonic: settled, home harmony',
  chord_on_subdominant: 'share of beat windows whose chord is rooted a fourth above the tonic',
  chord_on_dominant: 'share of beat windows whose chord is rooted a fifth above the tonic',
  chord_on_sixth: 'share of beat windows whose chord is rooted a major or minor sixth above the tonic',
  low_register_share: 'share of notes below C3 (MIDI 48): weight in the bass',
  high_register_share: 'share of notes from C6 (MIDI 84) up: glitter in the treble',
  bass_interval_mean: 'mean absolute interval (semitones) between successive lowest notes: a walking vs a static bass',
} as const;

export type FeatureName = keyof typeof FEATURE_DOCS;
export const FEATURE_NAMES = Object.keys(FEATURE_DOCS) as FeatureName[];
export type EmotionFeatures = Record<FeatureName, number>;

/** Attacks closer than this (seconds) form one onset: transcribed chords are rarely exactly together. */
const ONSET_TOLERANCE_S = 0.03;
/** Notes shorter than this still count as having some length, so log lengths stay finite. */
const MIN_DURATION_S = 0.01;
const DISSONANT_INTERVALS = new Set([1, 2, 6, 10, 11]);

/** Mean, 0 for no values (a feature of an empty part of a clip is 0, not NaN). */
function meanOr0(xs: readonly number[]): number {
  return xs.length === 0 ? 0 : mean(xs);
}

/** Population standard deviation (0 for fewer than two values). */
function std(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = meanOr0(xs);
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return Math.sqrt(s / xs.length);
}

/** Linear-interpolated quantile of an already sorted list. */
function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  // q is in [0, 1], so 0 <= lo <= hi < sorted.length.
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

interface TimedNote {
  pitch: number;
  velocity: number;
  on: number;
  off: number;
}

/** Scale degrees (semitones above the tonic) of the major and natural-minor scales. */
const MAJOR_SCALE = new Set([0, 2, 4, 5, 7, 9, 11]);
const MINOR_SCALE = new Set([0, 2, 3, 5, 7, 8, 10]);
const SHORT_IOI_S = 0.15;

/**
 * Computes every feature of FEATURE_DOCS from a parsed MIDI score. Drum-channel notes are ignored (they
 * have no pitch class). Work is O(n log n) in the number of notes whatever their lengths. Throws an
 * EmotuneError (`classify.empty`) for a score without pitched notes.
 */
export function computeFeatures(score: MidiScore, file?: string): EmotionFeatures {
  const pitched: MidiNote[] = score.notes.filter((n) => n.channel !== 9 && n.end >= n.start);
  if (pitched.length === 0) {
    throw new EmotuneError('no pitched notes to classify', {
      file,
      field: 'notes',
      expected: 'at least one non-drum note',
      found: `${score.notes.length} notes`,
      code: 'classify.empty',
    });
  }
  const sec = tickToSeconds(score);
  const notes: TimedNote[] = pitched
    .map((n) => {
      const on = sec(n.start);
      return { pitch: n.pitch, velocity: n.velocity, on, off: Math.max(sec(n.end), on + MIN_DURATION_S) };
    })
    .sort((a, b) => a.on - b.on || a.pitch - b.pitch);

  const first = notes[0]!.on;
  let last = 0;
  for (const n of notes) last = Math.max(last, n.off);
  const span = Math.max(last - first, 1); // at least one second, so a single note is not infinitely dense
  let firstTick = Infinity;
  let lastTick = -Infinity;
  for (const n of pitched) {
    firstTick = Math.min(firstTick, n.start);
    lastTick = Math.max(lastTick, n.end);
  }
  const tpb = score.ticksPerBeat > 0 ? score.ticksPerBeat : 480;
  const beats = Math.max((lastTick - firstTick) / tpb, 1);

  // Onset groups: notes whose attacks fall within ONSET_TOLERANCE_S of the group's first attack.
  const groups: TimedNote[][] = [];
  for (const n of notes) {
    const g = groups[groups.length - 1];
    if (g && n.on - g[0]!.on <= ONSET_TOLERANCE_S) g.push(n);
    else groups.push([n]);
  }
  const groupOn = groups.map((g) => g[0]!.on);
  // Notes are sorted by pitch within an attack time, not within a group: scan each group.
  const tops = groups.map((g) => g.reduce((m, n) => Math.max(m, n.pitch), -Infinity));
  const bottoms = groups.map((g) => g.reduce((m, n) => Math.min(m, n.pitch), Infinity));

  const velocities = notes.map((n) => n.velocity);
  const sortedVel = [...velocities].sort((a, b) => a - b);
  const logDur = notes.map((n) => Math.log2(n.off - n.on));
  const pitches = notes.map((n) => n.pitch);
  const sortedPitch = [...pitches].sort((a, b) => a - b);

  // Polyphony: total sounding time over the time anything sounds (union of note intervals).
  let sounding = 0;
  let union = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const n of notes) {
    sounding += n.off - n.on;
    if (n.on > curEnd) {
      if (curEnd > curStart) union += curEnd - curStart;
      curStart = n.on;
      curEnd = n.off;
    } else curEnd = Math.max(curEnd, n.off);
  }
  union += curEnd - curStart;

  // Duration-weighted pitch-class histogram (weights in seconds) and the key it suggests.
  const pcHist = new Array<number>(12).fill(0);
  for (const n of notes) pcHist[n.pitch % 12]! += n.off - n.on;
  const pcTotal = pcHist.reduce((a, b) => a + b, 0);
  let entropy = 0;
  for (const w of pcHist) if (w > 0) entropy -= (w / pcTotal) * Math.log2(w / pcTotal);
  const fit = fitKeyProfiles(pcHist);
  const degree = (pitch: number) => (((pitch - fit.tonic) % 12) + 12) % 12;
  const scale = fit.minor ? MINOR_SCALE : MAJOR_SCALE;
  const keyShare = (d: number) => (pcTotal > 0 ? pcHist[(fit.tonic + d) % 12]! / pcTotal : 0);
  let outside = 0;
  for (let d = 0; d < 12; d++) if (!scale.has(d)) outside += keyShare(d);

  // Harmony per beat window (ticks, so it follows the bar grid of quantised files).
  const harmony = harmonyStats(windowHistograms(pitched, tpb), fit.tonic);

  // Dissonance: pitch-class intervals among notes sounding at each attack. Notes enter in attack order
  // and leave in release order, so a pitch-class count is kept in O(n log n) however long notes last.
  let pairs = 0;
  let dissonant = 0;
  const pcCount = new Array<number>(12).fill(0);
  const byOff = [...notes].sort((a, b) => a.off - b.off);
  let entered = 0;
  let left = 0;
  for (const g of groups) {
    const t = g[0]!.on;
    // A note released by t started at least MIN_DURATION_S earlier, so it has entered already.
    while (left < byOff.length && byOff[left]!.off <= t + 1e-6) pcCount[byOff[left++]!.pitch % 12]!--;
    const lastOn = g[g.length - 1]!.on;
    while (entered < notes.length && notes[entered]!.on <= lastOn) pcCount[notes[entered++]!.pitch % 12]!++;
    const pcs: number[] = [];
    for (let pc = 0; pc < 12; pc++) if (pcCount[pc]! > 0) pcs.push(pc);
    for (let i = 0; i < pcs.length; i++) {
      for (let j = i + 1; j < pcs.length; j++) {
        pairs++;
        if (DISSONANT_INTERVALS.has(pcs[j]! - pcs[i]!)) dissonant++;
      }
    }
  }

  // Melody line: the highest note of each attack, read against the estimated key.
  const intervals: number[] = [];
  let rises = 0;
  let moves = 0;
  for (let i = 1; i < tops.length; i++) {
    const d = tops[i]! - tops[i - 1]!;
    intervals.push(Math.abs(d));
    if (d !== 0) moves++;
    if (d > 0) rises++;
  }
  const topDegrees = tops.map(degree);
  const melodyShare = (test: (d: number) => boolean) => topDegrees.filter(test).length / topDegrees.length;

  // Articulation and rhythm from inter-onset intervals.
  const iois: number[] = [];
  const artic: number[] = [];
  let shortIois = 0;
  for (let i = 0; i + 1 < groups.length; i++) {
    const ioi = groupOn[i + 1]! - groupOn[i]!;
    iois.push(Math.log2(ioi));
    if (ioi < SHORT_IOI_S) shortIois++;
    for (const n of groups[i]!) artic.push(Math.min((n.off - n.on) / ioi, 2));
  }

  return {
    notes_per_second: notes.length / span,
    onsets_per_second: groups.length / span,
    notes_per_beat: notes.length / beats,
    tempo_bpm: meanTempo(score, firstTick, Math.max(lastTick, firstTick + 1)),
    velocity_mean: meanOr0(velocities),
    velocity_std: std(velocities),
    duration_log_mean: meanOr0(logDur),
    duration_log_std: std(logDur),
    pitch_mean: meanOr0(pitches),
    pitch_std: std(pitches),
    pitch_range: quantile(sortedPitch, 0.95) - quantile(sortedPitch, 0.05),
    bass_register: meanOr0(bottoms),
    top_register: meanOr0(tops),
    polyphony: union > 0 ? sounding / union : 1,
    major_minor: fit.bestMajor - fit.bestMinor,
    key_clarity: Math.max(fit.bestMajor, fit.bestMinor),
    pc_entropy: entropy,
    minor_chord_share: harmony.minorTriadShare,
    dissonance: pairs > 0 ? dissonant / pairs : 0,
    interval_mean: meanOr0(intervals),
    interval_leap_share: intervals.length ? intervals.filter((d) => d > 4).length / intervals.length : 0,
    articulation: artic.length ? meanOr0(artic) : 1,
    ioi_log_std: std(iois),
    velocity_range: quantile(sortedVel, 0.95) - quantile(sortedVel, 0.05),
    chord_major: harmony.families.major,
    chord_minor: harmony.families.minor,
    chord_diminished: harmony.families.diminished,
    chord_augmented: harmony.families.augmented,
    chord_suspended: harmony.families.suspended,
    chord_dominant7: harmony.families.dominant7,
    chord_major7: harmony.families.major7,
    chord_minor7: harmony.families.minor7,
    chord_change_rate: harmony.changeRate,
    chord_fit: harmony.fit,
    key_third_minor: keyShare(3),
    key_third_major: keyShare(4),
    key_sixth_minor: keyShare(8),
    key_outside: outside,
    melody_tonic: melodyShare((d) => d === 0 || d === 7),
    melody_minor_third: melodyShare((d) => d === 3),
    melody_major_third: melodyShare((d) => d === 4),
    melody_outside: melodyShare((d) => !scale.has(d)),
    melody_up_share: moves > 0 ? rises / moves : 0.5,
    ioi_log_mean: iois.length ? meanOr0(iois) : 0,
    short_ioi_share: iois.length ? shortIois / iois.length : 0,
    chord_size: notes.length / groups.length,
    rest_share: Math.max(0, 1 - union / span),
    chord_on_tonic: harmony.rootDegrees[0]!,
    chord_on_subdominant: harmony.rootDegrees[5]!,
    chord_on_dominant: harmony.rootDegrees[7]!,
    chord_on_sixth: harmony.rootDegrees[8]! + harmony.rootDegrees[9]!,
    low_register_share: pitches.filter((p) => p < 48).length / pitches.length,
    high_register_share: pitches.filter((p) => p >= 84).length / pitches.length,
    bass_interval_mean: meanOr0(bottoms.slice(1).map((b, i) => Math.abs(b - bottoms[i]!))),
  };
}

/** The features as a vector in FEATURE_NAMES order (the model's column order). */
export function featureVector(f: EmotionFeatures): number[] {
  return FEATURE_NAMES.map((name) => f[name]);
}
