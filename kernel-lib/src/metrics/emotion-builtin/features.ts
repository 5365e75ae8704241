import { EmotuneError } from '../../errors.js';
import type { MidiNote, MidiScore } from '../../formats/types.js';
import { fitKeyProfiles } from './key-profile.js';
import { meanTempo, tickToSeconds } from './timing.js';

/**
 * The classifier's inputs: each a number a musician can read, each chosen because it tracks arousal
 * (energy: how much, how loud, how fast) or valence (mood: major/minor, consonance, brightness).
 * The order is the model's column order; the model file stores the names and is checked against this list.
 */
export const FEATURE_DOCS = {
  notes_per_second: 'notes started per second: busier music reads as more aroused',
  onsets_per_second: 'distinct attack times per second (a chord counts once): rhythmic activity, tempo felt',
  notes_per_beat: 'notes per written beat: density independent of the tempo marking',
  tempo_bpm: 'mean tempo over the notes, weighted by beats; fast tempi raise arousal (always 120 in EMOPIA, so weight 0 there)',
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
  minor_chord_share: 'share of two-beat windows whose best triad is minor rather than major',
  dissonance: 'share of dissonant pitch-class intervals (m2, M2, tritone, m7, M7) among notes sounding together',
  interval_mean: 'mean absolute interval (semitones) between successive melody (top) notes: leaps vs steps',
  interval_leap_share: 'share of melody intervals larger than a major third',
  articulation: 'mean note length over time to the next attack (capped at 2): legato (high) vs staccato (low)',
  ioi_log_std: 'spread of log2 inter-onset intervals: rhythmic irregularity',
  velocity_range: 'velocity span between the 5th and 95th percentile: dynamic range',
} as const;

export type FeatureName = keyof typeof FEATURE_DOCS;
export const FEATURE_NAMES = Object.keys(FEATURE_DOCS) as FeatureName[];
export type EmotionFeatures = Record<FeatureName, number>;

/** Attacks closer than this (seconds) form one onset: transcribed chords are rarely exactly together. */
const ONSET_TOLERANCE_S = 0.03;
/** Notes shorter than this still count as having some length, so log lengths stay finite. */
const MIN_DURATION_S = 0.01;
const DISSONANT_INTERVALS = new Set([1, 2, 6, 10, 11]);

function mean(xs: readonly number[]): number {
  if (xs.length === 0) return 0;
  let s = 0;
  for (const x of xs) s += x;
  return s / xs.length;
}

/** Population standard deviation (0 for fewer than two values). */
function std(xs: readonly number[]): number {
  if (xs.length < 2) return 0;
  const m = mean(xs);
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
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

interface TimedNote {
  pitch: number;
  velocity: number;
  on: number;
  off: number;
}

/** Major and minor triads as pitch-class sets, for the chord-mode feature. */
function triadScores(hist: readonly number[]): { major: number; minor: number } {
  let major = 0;
  let minor = 0;
  for (let root = 0; root < 12; root++) {
    const fifth = hist[(root + 7) % 12];
    const base = hist[root] + fifth;
    major = Math.max(major, base + hist[(root + 4) % 12]);
    minor = Math.max(minor, base + hist[(root + 3) % 12]);
  }
  return { major, minor };
}

/**
 * Computes every feature of FEATURE_DOCS from a parsed MIDI score. Drum-channel notes are ignored (they
 * have no pitch class). Throws an EmotuneError (`classify.empty`) for a score without pitched notes.
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

  const first = notes[0].on;
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
    if (g && n.on - g[0].on <= ONSET_TOLERANCE_S) g.push(n);
    else groups.push([n]);
  }
  const groupOn = groups.map((g) => g[0].on);
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

  // Duration-weighted pitch-class histogram (weights in seconds).
  const pcHist = new Array<number>(12).fill(0);
  for (const n of notes) pcHist[n.pitch % 12] += n.off - n.on;
  const pcTotal = pcHist.reduce((a, b) => a + b, 0);
  let entropy = 0;
  for (const w of pcHist) if (w > 0) entropy -= (w / pcTotal) * Math.log2(w / pcTotal);
  const fit = fitKeyProfiles(pcHist);

  // Chord mode per two-beat window (tick-based, so it follows the bar grid of quantised files).
  const windowTicks = 2 * tpb;
  const windows = new Map<number, number[]>();
  for (const n of pitched) {
    // Spread each note's length over the windows it overlaps.
    const lastW = Math.floor(Math.max(n.end - 1, n.start) / windowTicks);
    for (let w = Math.floor(n.start / windowTicks); w <= lastW; w++) {
      const overlap = Math.max(1, Math.min(n.end, (w + 1) * windowTicks) - Math.max(n.start, w * windowTicks));
      let h = windows.get(w);
      if (!h) windows.set(w, (h = new Array<number>(12).fill(0)));
      h[n.pitch % 12] += overlap;
    }
  }
  let minorMass = 0;
  let modeMass = 0;
  for (const h of windows.values()) {
    const { major, minor } = triadScores(h);
    if (major === minor) continue;
    const mass = Math.max(major, minor);
    modeMass += mass;
    if (minor > major) minorMass += mass;
  }

  // Dissonance: pitch-class intervals among notes sounding at each attack.
  let pairs = 0;
  let dissonant = 0;
  let active: TimedNote[] = [];
  let next = 0;
  for (const g of groups) {
    const t = g[0].on;
    active = active.filter((n) => n.off > t + 1e-6);
    while (next < notes.length && notes[next].on <= g[g.length - 1].on) active.push(notes[next++]);
    const pcs = [...new Set(active.map((n) => n.pitch % 12))];
    for (let i = 0; i < pcs.length; i++) {
      for (let j = i + 1; j < pcs.length; j++) {
        pairs++;
        if (DISSONANT_INTERVALS.has((pcs[j] - pcs[i] + 12) % 12)) dissonant++;
      }
    }
  }

  // Melody line: the highest note of each attack.
  const intervals: number[] = [];
  for (let i = 1; i < tops.length; i++) intervals.push(Math.abs(tops[i] - tops[i - 1]));

  // Articulation and rhythm from inter-onset intervals.
  const iois: number[] = [];
  const artic: number[] = [];
  for (let i = 0; i + 1 < groups.length; i++) {
    const ioi = groupOn[i + 1] - groupOn[i];
    iois.push(Math.log2(ioi));
    for (const n of groups[i]) artic.push(Math.min((n.off - n.on) / ioi, 2));
  }

  return {
    notes_per_second: notes.length / span,
    onsets_per_second: groups.length / span,
    notes_per_beat: notes.length / beats,
    tempo_bpm: meanTempo(score, firstTick, Math.max(lastTick, firstTick + 1)),
    velocity_mean: mean(velocities),
    velocity_std: std(velocities),
    duration_log_mean: mean(logDur),
    duration_log_std: std(logDur),
    pitch_mean: mean(pitches),
    pitch_std: std(pitches),
    pitch_range: quantile(sortedPitch, 0.95) - quantile(sortedPitch, 0.05),
    bass_register: mean(bottoms),
    top_register: mean(tops),
    polyphony: union > 0 ? sounding / union : 1,
    major_minor: fit.bestMajor - fit.bestMinor,
    key_clarity: Math.max(fit.bestMajor, fit.bestMinor),
    pc_entropy: entropy,
    minor_chord_share: modeMass > 0 ? minorMass / modeMass : 0.5,
    dissonance: pairs > 0 ? dissonant / pairs : 0,
    interval_mean: mean(intervals),
    interval_leap_share: intervals.length ? intervals.filter((d) => d > 4).length / intervals.length : 0,
    articulation: artic.length ? mean(artic) : 1,
    ioi_log_std: std(iois),
    velocity_range: quantile(sortedVel, 0.95) - quantile(sortedVel, 0.05),
  };
}

/** The features as a vector in FEATURE_NAMES order (the model's column order). */
export function featureVector(f: EmotionFeatures): number[] {
  return FEATURE_NAMES.map((name) => f[name]);
}
