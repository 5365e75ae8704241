import { EmotuneError } from '../../errors.js';
import type { MidiNote, MidiScore } from '../../formats/types.js';
import { harmonyStats, windowHistograms } from './harmony.js';
import { AARDEN_ESSEN, fitKeyProfiles, type KeyProfileFit, type KeyProfiles } from './key-profile.js';
import { meanTempo, tickToSeconds } from './timing.js';
import { mean } from '../../stats/bootstrap.js';
import { sortedNumbers } from '../np-stats.js';

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
  pitch_weighted_mean: 'duration-weighted mean pitch: the register the sound dwells in, not where the notes start',
  melody_p90: '90th percentile of the melody (top) line: how high the tune climbs',
  bass_p10: '10th percentile of the bass (lowest) line: how deep the bass reaches',
  mode_aarden: 'best major minus best minor correlation with the Aarden–Essen profiles: a second mode estimate',
  bass_major_minor: "major minus minor Krumhansl–Kessler correlation of the bass line's pitch classes",
  melody_major_minor: "major minus minor Krumhansl–Kessler correlation of the melody's pitch classes",
  local_minor_share: 'share of the sound in 8-window stretches whose best key is minor: the mode across the clip',
  local_major_minor: 'sound-weighted mean of the major-minus-minor correlation of 8-window stretches',
  local_key_changes: 'share of successive 8-window stretches whose best key differs: modulation',
  tonic_share: 'duration share of the estimated tonic: how strongly the music sits on home',
  chord_fifth_moves: 'share of chord changes whose root moves by a fourth or fifth: functional, cadential harmony',
  ioi_entropy: 'entropy (bits) of the inter-onset intervals in quarter-octave bins: rhythmic variety',
  density_cv: 'coefficient of variation of attacks per 2-second stretch: bursts vs an even flow',
  density_p90: 'attacks per second in the busiest tenth of 2-second stretches: the peak activity',
  long_note_share: 'share of notes sounding at least a second: sustained, calm sound',
  melody_step_share: 'share of melody intervals of one or two semitones: stepwise, singing lines',
  melody_legato: 'share of melody notes that last until the next melody attack',
  onset_span: 'mean span (semitones) from the lowest to the highest note of an attack: wide, full chords',
  octave_share: 'share of attacks that double a pitch class in octaves: weight and power',
  low_attack_rate: 'attacks per second of notes below C3 (MIDI 48): a driving bass',
  melody_repeat_share: 'share of melody notes repeating the previous one: insistent, reiterated figures',
} as const;

export type FeatureName = keyof typeof FEATURE_DOCS;
export const FEATURE_NAMES = Object.keys(FEATURE_DOCS) as FeatureName[];
export type EmotionFeatures = Record<FeatureName, number>;

/** Attacks closer than this (µs) form one onset: transcribed chords are rarely exactly together. */
const ONSET_TOLERANCE_US = 30_000;
/** Notes shorter than this (µs) still count as having some length, so log lengths stay finite. */
const MIN_DURATION_US = 10_000;
const US = 1e6;
const DISSONANT_INTERVALS = new Set([1, 2, 6, 10, 11]);

/** For every set of pitch classes (a 12-bit mask): its pairs, and how many of them are dissonant intervals. */
const [PC_SET_PAIRS, PC_SET_DISSONANT_PAIRS] = ((): [Uint8Array, Uint8Array] => {
  const pairs = new Uint8Array(4096);
  const dissonant = new Uint8Array(4096);
  for (let mask = 0; mask < 4096; mask++) {
    for (let i = 0; i < 12; i++) {
      if (!(mask & (1 << i))) continue;
      for (let j = i + 1; j < 12; j++) {
        if (!(mask & (1 << j))) continue;
        pairs[mask]!++;
        if (DISSONANT_INTERVALS.has(j - i)) dissonant[mask]!++;
      }
    }
  }
  return [pairs, dissonant];
})();
/** Beat windows per stretch for the local key (counted in windows with an attack, so it is shift-invariant). */
const LOCAL_KEY_WINDOWS = 8;
/** Length (µs) of the stretches whose attack counts give density_cv and density_p90. */
const DENSITY_WINDOW_US = 2_000_000;

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
function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  // q is in [0, 1], so 0 <= lo <= hi < sorted.length.
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Share of xs passing a test (0 for none). */
function shareOf<T>(xs: readonly T[], test: (x: T) => boolean): number {
  return xs.length ? xs.filter(test).length / xs.length : 0;
}

/** Entropy (bits) of a histogram of non-negative weights. */
function entropyBits(hist: readonly number[]): number {
  const total = hist.reduce((a, b) => a + b, 0);
  let h = 0;
  for (const w of hist) if (w > 0) h -= (w / total) * Math.log2(w / total);
  return h;
}

/**
 * A note in whole microseconds: integer times make every difference and tie exact, so moving a clip in
 * time never changes a feature through rounding (a tie between two pitch classes once flipped the key).
 */
interface TimedNote {
  pitch: number;
  velocity: number;
  on: number;
  off: number;
}

/** One attack: notes starting within ONSET_TOLERANCE_US of its first note, with its highest and lowest pitch. */
interface Onset {
  on: number;
  notes: TimedNote[];
  top: number;
  bottom: number;
}

/** Scale degrees (semitones above the tonic) of the major and natural-minor scales. */
const MAJOR_SCALE = new Set([0, 2, 4, 5, 7, 9, 11]);
const MINOR_SCALE = new Set([0, 2, 3, 5, 7, 8, 10]);
const SHORT_IOI_US = 150_000;

/** Step 1: the pitched notes, in ticks (for the bar grid) and in µs sorted by attack (for what is heard). */
function pitchedNotes(score: MidiScore, file?: string): { pitched: MidiNote[]; notes: TimedNote[] } {
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
  const us = (tick: number) => Math.round(sec(tick) * US);
  const notes = pitched
    .map((n) => {
      const on = us(n.start);
      return { pitch: n.pitch, velocity: n.velocity, on, off: Math.max(us(n.end), on + MIN_DURATION_US) };
    })
    .sort((a, b) => a.on - b.on || a.pitch - b.pitch);
  return { pitched, notes };
}

/** Step 2: onset groups, notes whose attacks fall within ONSET_TOLERANCE_US of the group's first attack. */
function onsetGroups(notes: readonly TimedNote[]): Onset[] {
  const groups: TimedNote[][] = [];
  for (const n of notes) {
    const g = groups[groups.length - 1];
    if (g && n.on - g[0]!.on <= ONSET_TOLERANCE_US) g.push(n);
    else groups.push([n]);
  }
  // Notes are sorted by pitch within an attack time, not within a group: scan each group.
  return groups.map((g) => ({
    on: g[0]!.on,
    notes: g,
    top: g.reduce((m, n) => Math.max(m, n.pitch), -Infinity),
    bottom: g.reduce((m, n) => Math.min(m, n.pitch), Infinity),
  }));
}

/** Step 3: how much sounds and how densely: rates, polyphony, rests, note lengths, density over time. */
function textureFeatures(
  score: MidiScore,
  pitched: readonly MidiNote[],
  notes: readonly TimedNote[],
  onsets: readonly Onset[],
) {
  const first = notes[0]!.on;
  let last = 0;
  for (const n of notes) last = Math.max(last, n.off);
  const span = Math.max((last - first) / US, 1); // at least one second, so a single note is not infinitely dense
  let firstTick = Infinity;
  let lastTick = -Infinity;
  for (const n of pitched) {
    firstTick = Math.min(firstTick, n.start);
    lastTick = Math.max(lastTick, n.end);
  }
  const tpb = score.ticksPerBeat > 0 ? score.ticksPerBeat : 480;
  const beats = Math.max((lastTick - firstTick) / tpb, 1);
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
  const logDur = notes.map((n) => Math.log2((n.off - n.on) / US));
  // Attacks per DENSITY_WINDOW_US stretch from the first attack on (integer division: exact under shifts).
  const perWindow = new Array<number>(Math.floor((onsets[onsets.length - 1]!.on - first) / DENSITY_WINDOW_US) + 1).fill(
    0,
  );
  for (const o of onsets) perWindow[Math.floor((o.on - first) / DENSITY_WINDOW_US)]!++;
  const rates = perWindow.map((c) => c / (DENSITY_WINDOW_US / US));
  const rateMean = meanOr0(rates);
  return {
    notes_per_second: notes.length / span,
    onsets_per_second: onsets.length / span,
    notes_per_beat: notes.length / beats,
    tempo_bpm: meanTempo(score, firstTick, Math.max(lastTick, firstTick + 1)),
    duration_log_mean: meanOr0(logDur),
    duration_log_std: std(logDur),
    polyphony: union > 0 ? sounding / union : 1,
    rest_share: Math.max(0, 1 - union / US / span),
    chord_size: notes.length / onsets.length,
    onset_span: meanOr0(onsets.map((o) => o.top - o.bottom)),
    octave_share: shareOf(onsets, (o) => new Set(o.notes.map((n) => n.pitch % 12)).size < o.notes.length),
    low_attack_rate: notes.filter((n) => n.pitch < 48).length / span,
    long_note_share: shareOf(notes, (n) => n.off - n.on >= US),
    density_cv: rateMean > 0 ? std(rates) / rateMean : 0,
    density_p90: quantile(sortedNumbers(rates), 0.9),
  };
}

/** Step 4: dynamics, the only velocity features (the training augmentations teach the model not to need them). */
function dynamicsFeatures(notes: readonly TimedNote[]) {
  const velocities = notes.map((n) => n.velocity);
  const sorted = sortedNumbers(velocities);
  return {
    velocity_mean: meanOr0(velocities),
    velocity_std: std(velocities),
    velocity_range: quantile(sorted, 0.95) - quantile(sorted, 0.05),
  };
}

/** Step 5: register of the notes, of the melody (top) line and of the bass (lowest) line. */
function registerFeatures(notes: readonly TimedNote[], onsets: readonly Onset[]) {
  const pitches = notes.map((n) => n.pitch);
  const sortedPitch = sortedNumbers(pitches);
  const tops = onsets.map((o) => o.top);
  const bottoms = onsets.map((o) => o.bottom);
  let weighted = 0;
  let weight = 0;
  for (const n of notes) {
    weighted += n.pitch * (n.off - n.on);
    weight += n.off - n.on;
  }
  return {
    pitch_mean: meanOr0(pitches),
    pitch_std: std(pitches),
    pitch_range: quantile(sortedPitch, 0.95) - quantile(sortedPitch, 0.05),
    bass_register: meanOr0(bottoms),
    top_register: meanOr0(tops),
    low_register_share: shareOf(pitches, (p) => p < 48),
    high_register_share: shareOf(pitches, (p) => p >= 84),
    bass_interval_mean: meanOr0(bottoms.slice(1).map((b, i) => Math.abs(b - bottoms[i]!))),
    pitch_weighted_mean: weight > 0 ? weighted / weight : meanOr0(pitches),
    melody_p90: quantile(sortedNumbers(tops), 0.9),
    bass_p10: quantile(sortedNumbers(bottoms), 0.1),
  };
}

/** Pitch-class histogram of a line: one count per note. */
function lineHistogram(pitches: readonly number[]): number[] {
  const h = new Array<number>(12).fill(0);
  for (const p of pitches) h[p % 12]!++;
  return h;
}

/** Major minus minor correlation of a histogram (0 when it is flat or empty). */
function modeOf(hist: readonly number[], profiles?: KeyProfiles): number {
  const fit = fitKeyProfiles(hist, profiles);
  return Number.isFinite(fit.bestMajor - fit.bestMinor) ? fit.bestMajor - fit.bestMinor : 0;
}

/** The clip's key (duration-weighted Krumhansl–Schmuckler) with the histogram it came from. */
interface ClipKey {
  fit: KeyProfileFit;
  pcHist: number[];
  pcTotal: number;
  scale: ReadonlySet<number>;
  degree: (pitch: number) => number;
  share: (degree: number) => number;
}

function clipKey(notes: readonly TimedNote[]): ClipKey {
  // Weights in whole µs: sums are exact, so ties between pitch classes resolve the same wherever the clip starts.
  const pcHist = new Array<number>(12).fill(0);
  for (const n of notes) pcHist[n.pitch % 12]! += n.off - n.on;
  const pcTotal = pcHist.reduce((a, b) => a + b, 0);
  const fit = fitKeyProfiles(pcHist);
  return {
    fit,
    pcHist,
    pcTotal,
    scale: fit.minor ? MINOR_SCALE : MAJOR_SCALE,
    degree: (pitch) => (((pitch - fit.tonic) % 12) + 12) % 12,
    share: (d) => (pcTotal > 0 ? pcHist[(fit.tonic + d) % 12]! / pcTotal : 0),
  };
}

/** Step 6: mode and key: profile correlations of the whole clip, its lines and its stretches, and scale-degree shares. */
function tonalFeatures(key: ClipKey, onsets: readonly Onset[], beatWindows: readonly (readonly number[])[]) {
  let outside = 0;
  for (let d = 0; d < 12; d++) if (!key.scale.has(d)) outside += key.share(d);
  // Local keys: stretches of LOCAL_KEY_WINDOWS consecutive beat windows with an attack.
  let minorMass = 0;
  let modeSum = 0;
  let mass = 0;
  let changes = 0;
  let pairs = 0;
  let prevKey: string | undefined;
  for (let i = 0; i < beatWindows.length; i += LOCAL_KEY_WINDOWS) {
    const h = new Array<number>(12).fill(0);
    for (const w of beatWindows.slice(i, i + LOCAL_KEY_WINDOWS)) for (let pc = 0; pc < 12; pc++) h[pc]! += w[pc]!;
    const m = h.reduce((a, b) => a + b, 0);
    if (m <= 0) continue;
    const fit = fitKeyProfiles(h);
    const k = `${fit.tonic}${fit.minor ? 'm' : ''}`;
    if (prevKey !== undefined) {
      pairs++;
      if (k !== prevKey) changes++;
    }
    prevKey = k;
    mass += m;
    modeSum += m * modeOf(h);
    if (fit.minor) minorMass += m;
  }
  return {
    major_minor: key.fit.bestMajor - key.fit.bestMinor,
    key_clarity: Math.max(key.fit.bestMajor, key.fit.bestMinor),
    pc_entropy: entropyBits(key.pcHist),
    key_third_minor: key.share(3),
    key_third_major: key.share(4),
    key_sixth_minor: key.share(8),
    key_outside: outside,
    tonic_share: key.share(0),
    mode_aarden: modeOf(key.pcHist, AARDEN_ESSEN),
    bass_major_minor: modeOf(lineHistogram(onsets.map((o) => o.bottom))),
    melody_major_minor: modeOf(lineHistogram(onsets.map((o) => o.top))),
    local_minor_share: mass > 0 ? minorMass / mass : 0,
    local_major_minor: mass > 0 ? modeSum / mass : 0,
    local_key_changes: pairs > 0 ? changes / pairs : 0,
  };
}

/** Step 7: chords of the beat windows, read against the clip's tonic. */
function harmonyFeatures(beatWindows: readonly (readonly number[])[], tonic: number) {
  const harmony = harmonyStats(beatWindows, tonic);
  return {
    minor_chord_share: harmony.minorTriadShare,
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
    chord_on_tonic: harmony.rootDegrees[0]!,
    chord_on_subdominant: harmony.rootDegrees[5]!,
    chord_on_dominant: harmony.rootDegrees[7]!,
    chord_on_sixth: harmony.rootDegrees[8]! + harmony.rootDegrees[9]!,
    chord_fifth_moves: harmony.fifthMoveShare,
  };
}

/**
 * Step 8: dissonance, the share of dissonant pitch-class intervals among notes sounding at each attack.
 * Notes enter in attack order and leave in release order, so a pitch-class count is kept in O(n log n)
 * however long notes last.
 */
function dissonanceShare(notes: readonly TimedNote[], onsets: readonly Onset[]): number {
  let pairs = 0;
  let dissonant = 0;
  const sounding = new Int32Array(12);
  const released = new Int32Array(12);
  const offs = releaseTimesByPitchClass(notes);
  let entered = 0;
  for (const g of onsets) {
    // A note released by the attack started at least MIN_DURATION_US earlier, so it has entered already.
    for (let pc = 0; pc < 12; pc++) {
      const times = offs[pc]!;
      let r = released[pc]!;
      while (r < times.length && times[r]! <= g.on) r++;
      sounding[pc]! -= r - released[pc]!;
      released[pc] = r;
    }
    const lastOn = g.notes[g.notes.length - 1]!.on;
    while (entered < notes.length && notes[entered]!.on <= lastOn) sounding[notes[entered++]!.pitch % 12]!++;
    let mask = 0;
    for (let pc = 0; pc < 12; pc++) if (sounding[pc]! > 0) mask |= 1 << pc;
    pairs += PC_SET_PAIRS[mask]!;
    dissonant += PC_SET_DISSONANT_PAIRS[mask]!;
  }
  return pairs > 0 ? dissonant / pairs : 0;
}

/** Each pitch class's release times, ascending (a typed-array sort: no comparator to call per pair). */
function releaseTimesByPitchClass(notes: readonly TimedNote[]): Float64Array[] {
  const counts = new Int32Array(12);
  for (const n of notes) counts[n.pitch % 12]!++;
  const offs = Array.from(counts, (c) => new Float64Array(c));
  counts.fill(0);
  for (const n of notes) {
    const pc = n.pitch % 12;
    offs[pc]![counts[pc]!++] = n.off;
  }
  for (const times of offs) times.sort();
  return offs;
}

/** Step 9: the melody line (the highest note of each attack): its motion and its scale degrees in the key. */
function melodyFeatures(onsets: readonly Onset[], key: ClipKey) {
  const intervals: number[] = [];
  let rises = 0;
  let moves = 0;
  let legato = 0;
  for (let i = 1; i < onsets.length; i++) {
    const d = onsets[i]!.top - onsets[i - 1]!.top;
    intervals.push(Math.abs(d));
    if (d !== 0) moves++;
    if (d > 0) rises++;
    const prevTop = onsets[i - 1]!.notes.find((n) => n.pitch === onsets[i - 1]!.top)!;
    if (prevTop.off >= onsets[i]!.on) legato++;
  }
  const degrees = onsets.map((o) => key.degree(o.top));
  return {
    interval_mean: meanOr0(intervals),
    interval_leap_share: shareOf(intervals, (d) => d > 4),
    melody_tonic: shareOf(degrees, (d) => d === 0 || d === 7),
    melody_minor_third: shareOf(degrees, (d) => d === 3),
    melody_major_third: shareOf(degrees, (d) => d === 4),
    melody_outside: shareOf(degrees, (d) => !key.scale.has(d)),
    melody_up_share: moves > 0 ? rises / moves : 0.5,
    melody_step_share: shareOf(intervals, (d) => d === 1 || d === 2),
    melody_repeat_share: shareOf(intervals, (d) => d === 0),
    melody_legato: onsets.length > 1 ? legato / (onsets.length - 1) : 1,
  };
}

/** Step 10: rhythm and articulation from the inter-onset intervals. */
function rhythmFeatures(onsets: readonly Onset[]) {
  const iois: number[] = [];
  const artic: number[] = [];
  const bins = new Map<number, number>();
  for (let i = 0; i + 1 < onsets.length; i++) {
    const ioi = onsets[i + 1]!.on - onsets[i]!.on;
    const log = Math.log2(ioi / US);
    iois.push(log);
    const bin = Math.floor(log * 4);
    bins.set(bin, (bins.get(bin) ?? 0) + 1);
    for (const n of onsets[i]!.notes) artic.push(Math.min((n.off - n.on) / ioi, 2));
  }
  const shortIois = onsets.slice(1).filter((o, i) => o.on - onsets[i]!.on < SHORT_IOI_US).length;
  return {
    articulation: artic.length ? meanOr0(artic) : 1,
    ioi_log_std: std(iois),
    ioi_log_mean: meanOr0(iois),
    short_ioi_share: iois.length ? shortIois / iois.length : 0,
    ioi_entropy: entropyBits([...bins.values()]),
  };
}

/**
 * Computes every feature of FEATURE_DOCS from a parsed MIDI score, in named steps. Drum-channel notes are
 * ignored (they have no pitch class). Work is O(n log n) in the number of notes whatever their lengths.
 * Throws an EmotuneError (`classify.empty`) for a score without pitched notes.
 */
export function computeFeatures(score: MidiScore, file?: string): EmotionFeatures {
  const { pitched, notes } = pitchedNotes(score, file);
  const onsets = onsetGroups(notes);
  const key = clipKey(notes);
  // Harmony per beat window (ticks, so it follows the bar grid of quantised files).
  const beatWindows = windowHistograms(pitched, score.ticksPerBeat > 0 ? score.ticksPerBeat : 480);
  return {
    ...textureFeatures(score, pitched, notes, onsets),
    ...dynamicsFeatures(notes),
    ...registerFeatures(notes, onsets),
    ...tonalFeatures(key, onsets, beatWindows),
    ...harmonyFeatures(beatWindows, key.fit.tonic),
    dissonance: dissonanceShare(notes, onsets),
    ...melodyFeatures(onsets, key),
    ...rhythmFeatures(onsets),
  };
}

/** The features as a vector in FEATURE_NAMES order (the model's column order). */
export function featureVector(f: EmotionFeatures): number[] {
  return FEATURE_NAMES.map((name) => f[name]);
}
