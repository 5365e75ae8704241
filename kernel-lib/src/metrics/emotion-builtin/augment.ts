import { CP_BAR_TICKS, CP_GRID_TICKS, CP_TICKS_PER_BEAT, CP_ZERO_DURATION_TICKS } from '../../formats/cp-to-notes.js';
import type { MidiScore } from '../../formats/types.js';
import { roundHalfEven } from '../../generate/embedded/tokenizer.js';

/**
 * What generated music does to a performance: the variants the classifier is trained with and tested on
 * for robustness. Pure functions of a score; nothing here reads files.
 */

/** Every note at one velocity, as a generator without dynamics writes it. */
export function withConstantVelocity(score: MidiScore, velocity: number): MidiScore {
  return { ...score, notes: score.notes.map((n) => ({ ...n, velocity })) };
}

/**
 * Starts and durations on EMOPIA's Compound-Word grid, as `main_cp.py` writes them back: 480 ticks a
 * beat, starts on the 120-tick grid (16 positions a bar), durations capped at a bar and rounded to the
 * grid (EMOPIA's duration bins), a zero duration written as 60 ticks.
 */
export function quantiseToCpGrid(score: MidiScore): MidiScore {
  const scale = CP_TICKS_PER_BEAT / (score.ticksPerBeat > 0 ? score.ticksPerBeat : CP_TICKS_PER_BEAT);
  const grid = (t: number) => roundHalfEven(t / CP_GRID_TICKS) * CP_GRID_TICKS;
  const notes = score.notes.map((n) => {
    const start = grid(n.start * scale);
    const duration = grid(Math.min((n.end - n.start) * scale, CP_BAR_TICKS));
    return { ...n, start, end: start + (duration === 0 ? CP_ZERO_DURATION_TICKS : duration) };
  });
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch || a.end - b.end);
  return {
    ...score,
    ticksPerBeat: CP_TICKS_PER_BEAT,
    notes,
    tempos: score.tempos.map((t) => ({ ...t, tick: grid(t.tick * scale) })),
    timeSignatures: score.timeSignatures.map((t) => ({ ...t, tick: grid(t.tick * scale) })),
    keySignatures: score.keySignatures.map((k) => ({ ...k, tick: grid(k.tick * scale) })),
    maxTick: notes.reduce((m, n) => Math.max(m, n.end), 0),
  };
}

/** The General MIDI drum channel (10, index 9): its "pitches" name instruments, so they are never transposed. */
const DRUM_CHANNEL = 9;

/**
 * The score moved by `semitones` (positive up), as the same music in another key: every pitched note shifted,
 * a note pushed outside MIDI's 0..127 dropped (clamping would put it on a wrong pitch class), drum-channel notes
 * and timing untouched, key signatures moved round the circle of fifths (written -5..+6 sharps).
 */
export function transposeScore(score: MidiScore, semitones: number): MidiScore {
  if (!Number.isInteger(semitones)) throw new RangeError(`transposition must be whole semitones, got ${semitones}`);
  const notes = score.notes
    .map((n) => (n.channel === DRUM_CHANNEL ? n : { ...n, pitch: n.pitch + semitones }))
    .filter((n) => n.pitch >= 0 && n.pitch <= 127);
  notes.sort((a, b) => a.start - b.start || a.pitch - b.pitch || a.end - b.end);
  const sharps = (k: number) => {
    const m = (((k + 7 * semitones) % 12) + 12) % 12;
    return m > 6 ? m - 12 : m;
  };
  return { ...score, notes, keySignatures: score.keySignatures.map((k) => ({ ...k, key: sharps(k.key) })) };
}

/** `transposeScore` by a fixed interval as a named variant ("transpose +2", "transpose -3"). */
export function transposedVariant(semitones: number): ScoreVariant {
  const name = `transpose ${semitones > 0 ? '+' : ''}${semitones}`;
  return { name, apply: (s) => transposeScore(s, semitones) };
}

/** A named score transform: the robustness table's rows and the training augmentations. */
export interface ScoreVariant {
  name: string;
  apply: (score: MidiScore) => MidiScore;
}

export const UNMODIFIED: ScoreVariant = { name: 'unmodified', apply: (s) => s };

/** The robustness variants of the issue: velocities 40, 64, 100 and the CP grid. */
export const ROBUSTNESS_VARIANTS: readonly ScoreVariant[] = [
  UNMODIFIED,
  { name: 'velocity 40', apply: (s) => withConstantVelocity(s, 40) },
  { name: 'velocity 64', apply: (s) => withConstantVelocity(s, 64) },
  { name: 'velocity 100', apply: (s) => withConstantVelocity(s, 100) },
  { name: 'CP grid', apply: quantiseToCpGrid },
  { name: 'CP grid + velocity 64', apply: (s) => withConstantVelocity(quantiseToCpGrid(s), 64) },
];
